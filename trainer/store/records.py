"""Plain, detached views of stored rows: what the service layer and pages handle.

Returning dataclasses instead of ORM objects keeps database sessions short and
lets pages cache and compare values freely.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


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
    version: int = 1  # bumped by every write: a stale copy can tell it is stale

    @property
    def is_completed(self) -> bool:
        return self.status == "completed"


@dataclass(frozen=True)
class CriterionPoint:
    """One criterion's score in one evaluated session (a point on the progress chart)."""

    session_id: uuid.UUID
    couple_id: str
    mode: str
    ended_at: datetime
    criterion_id: str
    score: int
