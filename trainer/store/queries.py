"""Reading practice sessions and score history for a viewer."""

from __future__ import annotations

import uuid

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from trainer.store.access import Viewer, load_session, own_sessions, session_scope
from trainer.store.convert import evaluation_record, session_record, turn_record
from trainer.store.db import Store
from trainer.store.models import CriterionScoreRow, EvaluationRow, PracticeSession, TurnRow
from trainer.store.official import released_reviews
from trainer.store.records import CriterionPoint, EvaluationRecord, SessionRecord
from trainer.transcript.model import THERAPIST_SPEAKERS


def get_session(
    store: Store, viewer: Viewer, session_id: uuid.UUID | str, *, with_turns: bool = True
) -> SessionRecord:
    """One session the viewer may see, with its turns and latest evaluation."""
    with store.transaction() as db:
        row = load_session(db, viewer, session_id)
        turns = [turn_record(t) for t in row.turns] if with_turns else []
        latest = row.evaluations[-1] if row.evaluations else None
        count = len(turns) if with_turns else len(row.turns)
        mine = sum(1 for t in row.turns if t.speaker.strip().lower() in THERAPIST_SPEAKERS)
        return session_record(
            row, turn_count=count, turns=turns,
            latest=evaluation_record(latest) if latest else None,
            therapist_turns=mine, review=released_reviews(db, [row.id]).get(row.id),
        )


def list_sessions_for_user(
    store: Store, viewer: Viewer, *, status: str | None = None, limit: int = 200
) -> list[SessionRecord]:
    """The viewer's own sessions, newest first, with turn counts and latest evaluation.

    Own, whatever the role: a supervisor's or an admin's progress page shows
    their practice, not everyone they may read.
    """
    with store.transaction() as db:
        trainee_turn = case((func.lower(func.trim(TurnRow.speaker)).in_(sorted(THERAPIST_SPEAKERS)), 1), else_=0)
        counts = (
            select(TurnRow.session_id, func.count().label("n"), func.sum(trainee_turn).label("mine"))
            .group_by(TurnRow.session_id)
            .subquery()
        )
        query = (
            select(PracticeSession, func.coalesce(counts.c.n, 0), func.coalesce(counts.c.mine, 0))
            .outerjoin(counts, counts.c.session_id == PracticeSession.id)
            .where(session_scope(viewer), own_sessions(viewer))
            .order_by(PracticeSession.started_at.desc())
            .limit(limit)
        )
        if status:
            query = query.where(PracticeSession.status == status)
        rows = db.execute(query).all()
        latest = _latest_evaluations(db, [row.id for row, _, _ in rows])
        reviews = released_reviews(db, [row.id for row, _, _ in rows])
        return [
            session_record(row, turn_count=int(n), latest=latest.get(row.id), therapist_turns=int(mine),
                           review=reviews.get(row.id))
            for row, n, mine in rows
        ]


def _latest_evaluations(db: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, EvaluationRecord]:
    if not ids:
        return {}
    newest = (
        select(func.max(EvaluationRow.id))
        .where(EvaluationRow.session_id.in_(ids))
        .group_by(EvaluationRow.session_id)
    )
    rows = db.scalars(select(EvaluationRow).where(EvaluationRow.id.in_(newest)))
    return {row.session_id: evaluation_record(row) for row in rows}


def latest_unfinished_session(store: Store, viewer: Viewer) -> SessionRecord | None:
    """The viewer's most recent in-progress session, to offer resuming it."""
    found = list_sessions_for_user(store, viewer, status="in_progress", limit=1)
    return found[0] if found else None


def criterion_history(
    store: Store, viewer: Viewer, *, rubric_id: str | None = None
) -> list[CriterionPoint]:
    """Per-criterion official scores of the viewer's own completed sessions, oldest first: the latest
    evaluation's, or the supervisor's where a released review changed them."""
    with store.transaction() as db:
        newest = select(func.max(EvaluationRow.id)).group_by(EvaluationRow.session_id)
        query = (
            select(PracticeSession, CriterionScoreRow)
            .join(EvaluationRow, EvaluationRow.session_id == PracticeSession.id)
            .join(CriterionScoreRow, CriterionScoreRow.evaluation_id == EvaluationRow.id)
            .where(
                session_scope(viewer),
                own_sessions(viewer),
                PracticeSession.status == "completed",
                EvaluationRow.id.in_(newest),
            )
            .order_by(PracticeSession.ended_at, CriterionScoreRow.id)
        )
        if rubric_id:
            query = query.where(EvaluationRow.rubric_id == rubric_id)
        rows = db.execute(query).all()
        reviews = released_reviews(db, {session.id for session, _ in rows})
        points = []
        for session, score in rows:
            review = reviews.get(session.id)
            final = review.overrides.get(score.criterion_id) if review else None
            points.append(CriterionPoint(
                session_id=session.id, couple_id=session.couple_id, mode=session.mode,
                ended_at=session.ended_at or session.started_at, criterion_id=score.criterion_id,
                score=score.score if final is None else final,
                evaluator_score=None if final is None else score.score,
            ))
        return points
