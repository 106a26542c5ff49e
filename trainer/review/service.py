"""Reviewing one session: overrides beside the evaluator's scores, no lost updates, full audit.

Concurrency: the page remembers the review `version` it showed. A save starts
with `UPDATE reviews SET version = version + 1 WHERE version = <shown>` (its
first statement, so SQLite takes the write lock at once and PostgreSQL locks
the row); if another supervisor saved in between, no row matches and the save
is refused with `ReviewConflict` instead of silently overwriting their work.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from trainer.authz import Principal, reviewable_session_filter
from trainer.review.model import (
    MAX_COMMENT,
    UNSET,
    OverrideChange,
    ReviewConflict,
    ReviewError,
    ReviewView,
    _Unset,
)
from trainer.review.reads import _evaluator_scores, _latest_evaluation, _names, _reviewable, _view
from trainer.store.access import NotFound, parse_session_id
from trainer.store.db import Store
from trainer.store.models import PracticeSession
from trainer.store.review_models import Review, ReviewAudit, ReviewOverride
from trainer.store.types import utcnow


class _Stale(Exception):
    """The conditional version bump matched no row."""


def _clean_comment(text: str | None) -> str | None:
    if text is None:
        return None
    value = str(text).strip()
    if len(value) > MAX_COMMENT:
        raise ReviewError(f"Please keep comments under {MAX_COMMENT} characters.")
    return value or None


def _ensure_review(store: Store, viewer: Principal, sid: uuid.UUID) -> dict[str, int]:
    """Authorize, and create the (empty, version 0) review row on first save."""
    with store.transaction() as db:
        _reviewable(db, viewer, sid)
        evaluation = _latest_evaluation(db, sid)
        if evaluation is None:
            raise ReviewError("This session has no evaluation to review yet.")
        exists = db.scalar(select(Review.id).where(Review.session_id == sid))
        scores = _evaluator_scores(evaluation)
        evaluation_id = evaluation.id
    if exists is None:
        try:
            with store.transaction() as db:
                db.add(Review(session_id=sid, evaluation_id=evaluation_id, version=0))
        except IntegrityError:
            pass  # created at the same moment by another supervisor: fine
    return scores


def save_review(
    store: Store,
    viewer: Principal,
    session_id: uuid.UUID | str,
    *,
    expected_version: int,
    overrides: Mapping[str, OverrideChange] | None = None,
    overall_comment: str | None = UNSET,
    reviewed: bool | None = None,
) -> ReviewView:
    """Apply overrides / comment / reviewed flag atomically, if nobody saved since `expected_version`."""
    sid = parse_session_id(session_id)
    changes = dict(overrides or {})
    for criterion_id, change in changes.items():
        if change.score is not None and change.score not in (0, 1, 2, 3):
            raise ReviewError(f"{criterion_id}: a score is 0, 1, 2 or 3")
    evaluator = _ensure_review(store, viewer, sid)
    unknown = [cid for cid in changes if cid not in evaluator]
    if unknown:
        raise ReviewError(f"unknown criterion: {', '.join(unknown)}")
    now = utcnow()
    try:
        with store.transaction() as db:
            in_scope = select(PracticeSession.id).where(reviewable_session_filter(viewer))
            bumped = db.execute(
                update(Review)
                .where(
                    Review.session_id == sid,
                    Review.version == expected_version,
                    Review.session_id.in_(in_scope),
                )
                .values(version=Review.version + 1, updated_at=now, updated_by=viewer.user_id)
                .execution_options(synchronize_session=False)
            )
            if bumped.rowcount != 1:
                raise _Stale
            review = db.scalars(select(Review).where(Review.session_id == sid)).one()
            _apply(db, viewer, review, changes, evaluator, overall_comment, reviewed, now)
            db.flush()
            return _view(db, sid)
    except _Stale:
        raise _conflict(store, viewer, sid) from None


def _conflict(store: Store, viewer: Principal, sid: uuid.UUID) -> ReviewError:
    with store.transaction() as db:
        review = db.scalars(select(Review).where(Review.session_id == sid)).first()
        if review is None or db.scalar(
            select(PracticeSession.id).where(
                PracticeSession.id == sid, reviewable_session_filter(viewer)
            )
        ) is None:
            return NotFound("no such session")
        who = _names(db, {review.updated_by}).get(review.updated_by) if review.updated_by else None
        when = review.updated_at.strftime("%H:%M:%S UTC") if review.updated_at else "just now"
    return ReviewConflict(
        f"{who or 'Another reviewer'} saved this review at {when} while you were editing. "
        "Your changes were not saved: reload to see theirs, then apply yours again."
    )


def _apply(
    db: Session, viewer: Principal, review: Review, changes: Mapping[str, OverrideChange],
    evaluator: dict[str, int], overall_comment: Any, reviewed: bool | None, now: datetime,
) -> None:
    def audit(action: str, criterion: str | None, before: Any, after: Any) -> None:
        db.add(ReviewAudit(
            review_id=review.id, session_id=review.session_id, actor_id=viewer.user_id, at=now,
            action=action, criterion_id=criterion, before=before, after=after,
        ))

    existing = {
        r.criterion_id: r
        for r in db.scalars(select(ReviewOverride).where(ReviewOverride.review_id == review.id))
    }
    for criterion_id, change in changes.items():
        row = existing.get(criterion_id)
        before = {"score": row.score, "comment": row.comment} if row else None
        comment = _clean_comment(change.comment)
        if change.score is None:
            if row is not None:
                db.delete(row)
                audit("clear_override", criterion_id, before, {"score": evaluator[criterion_id]})
            continue
        after = {"score": change.score, "comment": comment}
        if before == after:
            continue
        if row is None:
            row = ReviewOverride(review_id=review.id, criterion_id=criterion_id)
            db.add(row)
        row.evaluator_score, row.score, row.comment = evaluator[criterion_id], change.score, comment
        row.updated_at, row.updated_by = now, viewer.user_id
        audit("override", criterion_id, before or {"score": evaluator[criterion_id]}, after)
    if not isinstance(overall_comment, _Unset):
        comment = _clean_comment(overall_comment)
        if comment != review.overall_comment:
            audit("comment", None, {"comment": review.overall_comment}, {"comment": comment})
            review.overall_comment = comment
    if reviewed is not None and reviewed != review.reviewed:
        audit("mark_reviewed" if reviewed else "reopen", None,
              {"reviewed": review.reviewed}, {"reviewed": reviewed})
        review.reviewed = reviewed
        review.reviewed_at = now if reviewed else None
        review.reviewed_by = viewer.user_id if reviewed else None


