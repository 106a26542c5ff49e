"""What a review looks like to its callers (pages, CLI, tests): plain frozen records."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from trainer.errors import TrainerError

MAX_COMMENT = 4000


class ReviewError(TrainerError):
    """A review change that cannot be saved as given."""


class ReviewConflict(ReviewError):
    """Someone else saved this review since it was loaded; reload before saving again."""


@dataclass(frozen=True)
class OverrideChange:
    """A supervisor's score for one criterion (None: go back to the evaluator's) and why."""

    score: int | None
    comment: str | None = None


@dataclass(frozen=True)
class OverrideView:
    criterion_id: str
    evaluator_score: int | None
    score: int
    comment: str | None
    updated_by: str | None
    updated_at: datetime


@dataclass(frozen=True)
class ReviewView:
    session_id: uuid.UUID
    version: int  # 0: nothing saved yet; pass back as `expected_version`
    reviewed: bool
    reviewed_at: datetime | None
    reviewed_by: str | None
    overall_comment: str | None
    evaluator_scores: dict[str, int]
    overrides: dict[str, OverrideView] = field(default_factory=dict)

    def final_score(self, criterion_id: str) -> int | None:
        if criterion_id in self.overrides:
            return self.overrides[criterion_id].score
        return self.evaluator_scores.get(criterion_id)


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str | None
    action: str
    criterion_id: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True)
class Feedback:
    """What the trainee sees on their report once a supervisor marked the session reviewed."""

    reviewer: str | None
    reviewed_at: datetime | None
    overall_comment: str | None
    overrides: dict[str, OverrideView]


class _Unset:
    pass


UNSET: Any = _Unset()


