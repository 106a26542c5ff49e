"""The supervisor's queue: completed sessions of their trainees waiting for review."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, or_, select

from trainer.authz import Principal, reviewable_session_filter, user_filter
from trainer.store.db import Store
from trainer.store.models import EvaluationRow, PracticeSession, User
from trainer.store.review_models import Review


@dataclass(frozen=True)
class QueueItem:
    session_id: uuid.UUID
    trainee_id: uuid.UUID
    trainee: str
    couple_id: str
    mode: str
    ended_at: datetime | None
    total: int | None
    max_total: int | None
    reviewed: bool
    review_version: int


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def review_queue(
    store: Store,
    viewer: Principal,
    *,
    trainee_id: uuid.UUID | None = None,
    couple_id: str | None = None,
    since: date | None = None,
    until: date | None = None,
    min_total: int | None = None,
    max_total: int | None = None,
    include_reviewed: bool = False,
    limit: int = 200,
) -> list[QueueItem]:
    """Reviewable sessions, oldest first; unreviewed only unless `include_reviewed`."""
    newest = (
        select(EvaluationRow.session_id, func.max(EvaluationRow.id).label("eid"))
        .group_by(EvaluationRow.session_id)
        .subquery()
    )
    query = (
        select(
            PracticeSession, User.display_name, EvaluationRow.total, EvaluationRow.max_total,
            Review.reviewed, Review.version,
        )
        .join(User, User.id == PracticeSession.user_id)
        .outerjoin(newest, newest.c.session_id == PracticeSession.id)
        .outerjoin(EvaluationRow, EvaluationRow.id == newest.c.eid)
        .outerjoin(Review, Review.session_id == PracticeSession.id)
        .where(reviewable_session_filter(viewer))
        .order_by(PracticeSession.ended_at, PracticeSession.id)
        .limit(limit)
    )
    if not include_reviewed:
        query = query.where(or_(Review.reviewed.is_(None), Review.reviewed.is_(False)))
    if trainee_id is not None:
        query = query.where(PracticeSession.user_id == trainee_id)
    if couple_id:
        query = query.where(PracticeSession.couple_id == couple_id)
    if since is not None:
        query = query.where(PracticeSession.ended_at >= _day_start(since))
    if until is not None:
        query = query.where(PracticeSession.ended_at < _day_start(until + timedelta(days=1)))
    if min_total is not None:
        query = query.where(EvaluationRow.total >= min_total)
    if max_total is not None:
        query = query.where(EvaluationRow.total <= max_total)
    with store.transaction() as db:
        return [
            QueueItem(
                session_id=row.id, trainee_id=row.user_id, trainee=name, couple_id=row.couple_id,
                mode=row.mode, ended_at=row.ended_at, total=total, max_total=top,
                reviewed=bool(reviewed), review_version=int(version or 0),
            )
            for row, name, total, top, reviewed, version in db.execute(query).all()
        ]


def reviewable_trainees(store: Store, viewer: Principal) -> list[tuple[uuid.UUID, str]]:
    """(id, name) of the people whose sessions the viewer may review, for the queue's filter."""
    with store.transaction() as db:
        rows = db.execute(
            select(User.id, User.display_name)
            .where(user_filter(viewer), User.id != viewer.user_id)
            .order_by(User.display_name)
        ).all()
        return [(uid, name) for uid, name in rows]
