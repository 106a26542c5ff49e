"""Reading reviews: what a reviewer loads, the audit trail, and the trainee's feedback."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from trainer.authz import Principal, reviewable_session_filter, session_filter
from trainer.review.model import AuditEntry, Feedback, OverrideView, ReviewView
from trainer.store.access import NotFound, parse_session_id
from trainer.store.convert import evaluation_record, session_record, turn_record
from trainer.store.db import Store
from trainer.store.models import EvaluationRow, PracticeSession, User
from trainer.store.records import SessionRecord
from trainer.store.review_models import Review, ReviewAudit, ReviewOverride


def _names(db: Session, ids: set[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict(db.execute(select(User.id, User.display_name).where(User.id.in_(wanted))).all())


def _latest_evaluation(db: Session, session_id: uuid.UUID) -> EvaluationRow | None:
    return db.scalars(
        select(EvaluationRow)
        .where(EvaluationRow.session_id == session_id)
        .order_by(EvaluationRow.id.desc())
        .limit(1)
    ).first()


def _evaluator_scores(evaluation: EvaluationRow | None) -> dict[str, int]:
    if evaluation is None:
        return {}
    return {s.criterion_id: s.score for s in evaluation.scores}


def _view(db: Session, session_id: uuid.UUID) -> ReviewView:
    review = db.scalars(select(Review).where(Review.session_id == session_id)).first()
    evaluation = (
        db.get(EvaluationRow, review.evaluation_id)
        if review is not None and review.evaluation_id is not None
        else _latest_evaluation(db, session_id)
    )
    scores = _evaluator_scores(evaluation)
    if review is None:
        return ReviewView(session_id, 0, False, None, None, None, scores)
    rows = db.scalars(select(ReviewOverride).where(ReviewOverride.review_id == review.id)).all()
    names = _names(db, {review.reviewed_by} | {r.updated_by for r in rows})
    overrides = {
        r.criterion_id: OverrideView(
            r.criterion_id, r.evaluator_score, r.score, r.comment,
            names.get(r.updated_by) if r.updated_by else None, r.updated_at,
        )
        for r in rows
    }
    return ReviewView(
        session_id=session_id, version=review.version, reviewed=review.reviewed,
        reviewed_at=review.reviewed_at,
        reviewed_by=names.get(review.reviewed_by) if review.reviewed_by else None,
        overall_comment=review.overall_comment, evaluator_scores=scores, overrides=overrides,
    )


def _reviewable(db: Session, viewer: Principal, session_id: uuid.UUID) -> PracticeSession:
    found = db.scalars(
        select(PracticeSession).where(
            PracticeSession.id == session_id, reviewable_session_filter(viewer)
        )
    ).first()
    if found is None:
        raise NotFound("no such session")
    return found


def review_session(store: Store, viewer: Principal, session_id: uuid.UUID | str) -> SessionRecord:
    """The session under review (turns and latest evaluation), for reviewers only."""
    sid = parse_session_id(session_id)
    with store.transaction() as db:
        row = _reviewable(db, viewer, sid)
        turns = [turn_record(t) for t in row.turns]
        latest = _latest_evaluation(db, sid)
        return session_record(
            row, turn_count=len(turns), turns=turns,
            latest=evaluation_record(latest) if latest else None,
        )


def load_review(store: Store, viewer: Principal, session_id: uuid.UUID | str) -> ReviewView:
    """The review as it stands (version 0 if nobody has saved one yet)."""
    sid = parse_session_id(session_id)
    with store.transaction() as db:
        _reviewable(db, viewer, sid)
        return _view(db, sid)


def review_history(store: Store, viewer: Principal, session_id: uuid.UUID | str) -> list[AuditEntry]:
    """Every change to the session's review, oldest first (reviewers only)."""
    sid = parse_session_id(session_id)
    with store.transaction() as db:
        _reviewable(db, viewer, sid)
        rows = db.scalars(
            select(ReviewAudit).where(ReviewAudit.session_id == sid).order_by(ReviewAudit.id)
        ).all()
        names = _names(db, {r.actor_id for r in rows})
        return [
            AuditEntry(r.at, names.get(r.actor_id) if r.actor_id else None, r.action,
                       r.criterion_id, r.before, r.after)
            for r in rows
        ]


def supervisor_feedback(
    store: Store, viewer: Principal, session_id: uuid.UUID | str
) -> Feedback | None:
    """The supervisor's feedback for a report, once marked reviewed (drafts stay private)."""
    sid = parse_session_id(session_id)
    with store.transaction() as db:
        visible = db.scalar(
            select(PracticeSession.id).where(PracticeSession.id == sid, session_filter(viewer))
        )
        if visible is None:
            raise NotFound("no such session")
        view = _view(db, sid)
    if not view.reviewed:
        return None
    return Feedback(view.reviewed_by, view.reviewed_at, view.overall_comment, view.overrides)


def review_subject(store: Store, viewer: Principal, session_id: uuid.UUID | str) -> tuple[SessionRecord, str]:
    """The session under review and the name of the trainee who played it."""
    record = review_session(store, viewer, session_id)
    with store.transaction() as db:
        name = db.scalar(select(User.display_name).where(User.id == record.user_id))
    return record, name or ""
