"""Plain facts about a workshop's sessions: what the dashboard, exports and records compute from.

The database query (`trainer.workshops.service`) fills these once; every
aggregate is then a pure function, cheap to test and to refresh every few
seconds on a live dashboard.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Participant:
    user_id: uuid.UUID
    display_name: str
    joined_at: datetime | None = None


@dataclass(frozen=True)
class SessionFacts:
    """One session played in a workshop, with its latest evaluation and any supervisor review."""

    session_id: uuid.UUID
    user_id: uuid.UUID
    participant: str
    couple_id: str
    mode: str
    status: str  # in_progress | completed
    started_at: datetime
    ended_at: datetime | None = None
    last_activity_at: datetime | None = None
    turn_count: int = 0
    rubric_id: str | None = None
    evaluation: dict[str, Any] | None = None  # the `trainer score` contract dict
    supervisor_scores: dict[str, int] = field(default_factory=dict)  # overrides only
    reviewed: bool = False

    @property
    def completed(self) -> bool:
        return self.status == "completed"

    @property
    def minutes(self) -> float:
        """Time practised: start to end (or to the last turn of an unfinished session)."""
        end = self.ended_at or self.last_activity_at or self.started_at
        return max(0.0, (end - self.started_at).total_seconds() / 60.0)

    def criteria(self) -> list[dict[str, Any]]:
        return list((self.evaluation or {}).get("criteria") or [])

    def evaluator_score(self, criterion_id: str) -> int | None:
        for item in self.criteria():
            if item.get("id") == criterion_id and item.get("score") is not None:
                return int(item["score"])
        return None

    def final_score(self, criterion_id: str) -> int | None:
        """The supervisor's override when there is one, else the evaluator's score."""
        if criterion_id in self.supervisor_scores:
            return self.supervisor_scores[criterion_id]
        return self.evaluator_score(criterion_id)
