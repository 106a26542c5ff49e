"""Review status at a glance: how many sessions wait for a supervisor, which of a trainee's
sessions have been reviewed. Read through `trainer.authz` like every other query."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select

from trainer.authz import Principal, reviewable_session_filter, session_filter, user_filter
from trainer.store.db import Store
from trainer.store.models import PracticeSession, User
from trainer.store.review_models import Review


@dataclass(frozen=True)
class ReviewedMark:
    """A trainee's session that a supervisor has marked reviewed."""

    session_id: uuid.UUID
    couple_id: str
    reviewer: str | None
    reviewed_at: datetime | None


def awaiting_review(store: Store, viewer: Principal) -> int:
    """Completed sessions the viewer may review that nobody has marked reviewed yet."""
    query = (
        select(func.count())
        .select_from(PracticeSession)
        .outerjoin(Review, Review.session_id == PracticeSession.id)
        .where(reviewable_session_filter(viewer),
               or_(Review.reviewed.is_(None), Review.reviewed.is_(False)))
    )
    with store.transaction() as db:
        return int(db.scalar(query) or 0)


def supervises_anyone(store: Store, viewer: Principal) -> bool:
    """Whether anyone's sessions reach this reviewer (assignments, cohorts, or admin)."""
    with store.transaction() as db:
        found = db.scalar(
            select(User.id).where(user_filter(viewer), User.id != viewer.user_id).limit(1)
        )
    return found is not None


def reviewed_sessions(store: Store, viewer: Principal) -> dict[uuid.UUID, ReviewedMark]:
    """The viewer's own sessions that have been reviewed, newest review first."""
    query = (
        select(PracticeSession.id, PracticeSession.couple_id, User.display_name, Review.reviewed_at)
        .join(Review, Review.session_id == PracticeSession.id)
        .outerjoin(User, User.id == Review.reviewed_by)
        .where(session_filter(viewer), PracticeSession.user_id == viewer.user_id,
               Review.reviewed.is_(True))
        .order_by(Review.reviewed_at.desc())
    )
    with store.transaction() as db:
        return {
            sid: ReviewedMark(sid, couple, name, at)
            for sid, couple, name, at in db.execute(query).all()
        }
