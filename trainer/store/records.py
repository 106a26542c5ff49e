"""Plain, detached views of stored rows: what the service layer and pages handle.

Returning dataclasses instead of ORM objects keeps database sessions short and
lets pages cache and compare values freely.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from trainer.official_scores import ReleasedReview, official_result


@dataclass(frozen=True)
class UserRecord:
    id: uuid.UUID
    display_name: str
    role: str
    created_at: datetime


@dataclass(frozen=True)
class TurnRecord:
    index: int
    speaker: str
    text: str
    nonverbal: str | None = None
    fallback: bool = False
    state: dict[str, Any] | None = None
    labels: dict[str, Any] | None = None
    created_at: datetime | None = None


@dataclass(frozen=True)
class EvaluationRecord:
    id: int
    session_id: uuid.UUID
    rubric_id: str
    evaluator: str
    result: dict[str, Any]
    total: int
    max_total: int
    created_at: datetime


@dataclass(frozen=True)
class SessionRecord:
    id: uuid.UUID
    user_id: uuid.UUID
    couple_id: str
    rubric_id: str
    mode: str
    engine: str
    judge: str
    status: str
    started_at: datetime
    ended_at: datetime | None
    seed: int
    snapshot: dict[str, Any] | None
    flags: list[Any]
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float = 0.0  # estimated, from the price table; 0 offline and on local servers
    turn_count: int = 0
    turns: list[TurnRecord] = field(default_factory=list)
    latest_evaluation: EvaluationRecord | None = None
    therapist_turns: int = 0  # the trainee's own turns, as the session's turn counter counts them
    review: ReleasedReview | None = None  # the supervisor's review, once released
    version: int = 1  # bumped by every write: a stale copy can tell it is stale

    @property
    def is_completed(self) -> bool:
        return self.status == "completed"

    def official(self) -> dict[str, Any] | None:
        """The latest evaluation with the supervisor's released scores on top (None: not scored)."""
        if self.latest_evaluation is None:
            return None
        return official_result(self.latest_evaluation.result, self.review.overrides if self.review else None)


@dataclass(frozen=True)
class CriterionPoint:
    """One criterion's score in one evaluated session (a point on the progress chart)."""

    session_id: uuid.UUID
    couple_id: str
    mode: str
    ended_at: datetime
    criterion_id: str
    score: int  # the official score: the supervisor's once their review is released
    evaluator_score: int | None = None  # the evaluator's, when the supervisor changed it
