"""Supervisor review: the queue, per-criterion overrides with audit, feedback, calibration data."""

from trainer.review.model import (
    UNSET,
    AuditEntry,
    Feedback,
    OverrideChange,
    OverrideView,
    ReviewConflict,
    ReviewError,
    ReviewView,
)
from trainer.review.queue import QueueItem, review_queue, reviewable_trainees
from trainer.review.reads import (
    load_review,
    review_history,
    review_session,
    review_subject,
    supervisor_feedback,
)
from trainer.review.service import save_review

__all__ = [
    "UNSET",
    "AuditEntry",
    "Feedback",
    "OverrideChange",
    "OverrideView",
    "QueueItem",
    "ReviewConflict",
    "ReviewError",
    "ReviewView",
    "load_review",
    "review_history",
    "review_queue",
    "review_session",
    "review_subject",
    "reviewable_trainees",
    "save_review",
    "supervisor_feedback",
]
