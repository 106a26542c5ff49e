"""Reading practice sessions and score history for a viewer."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trainer.store.access import Viewer, load_session, own_sessions, session_scope
from trainer.store.convert import evaluation_record, session_record, turn_record
from trainer.store.db import Store
from trainer.store.models import CriterionScoreRow, EvaluationRow, PracticeSession, TurnRow
from trainer.store.records import CriterionPoint, EvaluationRecord, SessionRecord


def get_session(
    store: Store, viewer: Viewer, session_id: uuid.UUID | str, *, with_turns: bool = True
) -> SessionRecord:
    """One session the viewer may see, with its turns and latest evaluation."""
    with store.transaction() as db:
        row = load_session(db, viewer, session_id)
        turns = [turn_record(t) for t in row.turns] if with_turns else []
        latest = row.evaluations[-1] if row.evaluations else None
        count = len(turns) if with_turns else len(row.turns)
        return session_record(
            row, turn_count=count, turns=turns,
            latest=evaluation_record(latest) if latest else None,
        )


def list_sessions_for_user(
    store: Store, viewer: Viewer, *, status: str | None = None, limit: int = 200
) -> list[SessionRecord]:
    """The viewer's own sessions, newest first, with turn counts and latest evaluation.

    Own, whatever the role: a supervisor's or an admin's progress page shows
    their practice, not everyone they may read.
    """
    with store.transaction() as db:
        counts = (
            select(TurnRow.session_id, func.count().label("n"))
            .group_by(TurnRow.session_id)
            .subquery()
        )
        query = (
            select(PracticeSession, func.coalesce(counts.c.n, 0))
            .outerjoin(counts, counts.c.session_id == PracticeSession.id)
            .where(session_scope(viewer), own_sessions(viewer))
            .order_by(PracticeSession.started_at.desc())
            .limit(limit)
        )
        if status:
            query = query.where(PracticeSession.status == status)
        rows = db.execute(query).all()
        latest = _latest_evaluations(db, [row.id for row, _ in rows])
        return [
            session_record(row, turn_count=int(n), latest=latest.get(row.id)) for row, n in rows
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
    """Per-criterion scores of the viewer's own completed sessions (latest evaluation each), oldest first."""
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
        return [
            CriterionPoint(
                session_id=session.id, couple_id=session.couple_id, mode=session.mode,
                ended_at=session.ended_at or session.started_at,
                criterion_id=score.criterion_id, score=score.score,
            )
            for session, score in db.execute(query).all()
        ]
