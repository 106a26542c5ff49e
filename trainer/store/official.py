"""Released reviews of many sessions in one query, for pages and exports that list sessions.

Callers pass session ids they were already allowed to read (the list queries
scope them); this only adds the supervisor's released scores to them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from trainer.official_scores import ReleasedReview, SupervisorScore
from trainer.store.models import User
from trainer.store.review_models import Review, ReviewOverride


def released_reviews(db: Session, session_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, ReleasedReview]:
    """Session id -> its review, for reviews marked reviewed (drafts are left out)."""
    ids = list(session_ids)
    if not ids:
        return {}
    reviews = db.execute(
        select(Review.id, Review.session_id, Review.reviewed_at, Review.overall_comment, User.display_name)
        .outerjoin(User, User.id == Review.reviewed_by)
        .where(Review.session_id.in_(ids), Review.reviewed.is_(True))
    ).all()
    if not reviews:
        return {}
    scores: dict[int, dict[str, SupervisorScore]] = {}
    for row in db.scalars(
        select(ReviewOverride).where(ReviewOverride.review_id.in_([r.id for r in reviews]))
    ):
        scores.setdefault(row.review_id, {})[row.criterion_id] = SupervisorScore(
            row.criterion_id, int(row.score), row.evaluator_score, row.comment
        )
    return {
        r.session_id: ReleasedReview(r.display_name, r.reviewed_at, r.overall_comment, scores.get(r.id, {}))
        for r in reviews
    }
