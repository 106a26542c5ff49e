"""Writing practice sessions: each function is a single transaction.

Every function takes the `Viewer` it acts for and goes through
`trainer.store.access`, so authorization has exactly one home.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from trainer.cleantext import without_nul
from trainer.errors import TrainerError
from trainer.store.access import NotFound, Viewer, can_write_session, load_session
from trainer.store.convert import evaluation_record, session_record
from trainer.store.db import Store
from trainer.store.models import MODES, CriterionScoreRow, EvaluationRow, PracticeSession, TurnRow
from trainer.store.records import EvaluationRecord, SessionRecord, TurnRecord
from trainer.store.types import utcnow


class ConcurrentUpdate(TrainerError):
    """The session moved on elsewhere (another tab or instance); reload it."""


class SessionEnded(ConcurrentUpdate):
    """The session was ended (and scored) elsewhere; it can only be read now."""


def _load_for_write(
    db: Session, viewer: Viewer, session_id: uuid.UUID | str, expected_version: int | None = None
) -> PracticeSession:
    """The session row for writing; a stale `expected_version` means someone wrote first."""
    found = load_session(db, viewer, session_id)
    if not can_write_session(viewer, found):
        raise NotFound("no such session")
    if found.status != "in_progress":
        raise SessionEnded("this session has already ended")
    if expected_version is not None and found.version != expected_version:
        raise ConcurrentUpdate("this session moved on elsewhere")
    return found


def start_session(
    store: Store,
    viewer: Viewer,
    *,
    couple_id: str,
    rubric_id: str,
    mode: str = "practice",
    engine: str = "offline",
    judge: str = "offline",
    seed: int = 0,
    snapshot: dict[str, Any] | None = None,
    opening: Sequence[TurnRecord] = (),
    usage: Mapping[str, Any] | None = None,
) -> SessionRecord:
    """A new in-progress session with the couple's opening turns (and their usage), in one transaction."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    with store.transaction() as db:
        row = PracticeSession(
            user_id=viewer.user_id, couple_id=couple_id, rubric_id=rubric_id, mode=mode,
            engine=engine, judge=judge, seed=seed, snapshot=without_nul(snapshot), flags=[],
            prompt_tokens=0, completion_tokens=0, cost_microusd=0,
        )
        _add_usage(row, usage)
        db.add(row)
        db.flush()
        for position, turn in enumerate(opening):
            db.add(_turn_row(row.id, turn, position))
        return session_record(row, turn_count=len(opening))


def _turn_row(session_id: uuid.UUID, turn: TurnRecord, index: int) -> TurnRow:
    return TurnRow(
        session_id=session_id, index=index, speaker=without_nul(turn.speaker),
        text=without_nul(turn.text), nonverbal=without_nul(turn.nonverbal),
        fallback=turn.fallback, state=without_nul(turn.state), labels=without_nul(turn.labels),
    )


def _apply_progress(
    row: PracticeSession,
    snapshot: dict[str, Any] | None,
    flags: Iterable[Any] | None,
    usage: Mapping[str, Any] | None,
) -> None:
    if snapshot is not None:
        row.snapshot = without_nul(snapshot)
    if flags:
        known = list(row.flags or [])
        row.flags = known + [without_nul(flag) for flag in flags if flag not in known]
    _add_usage(row, usage)
    row.updated_at = utcnow()


def _add_usage(row: PracticeSession, usage: Mapping[str, Any] | None) -> None:
    """Add one batch of LLM calls: tokens, and the estimated cost (USD) as micro-dollars."""
    if not usage:
        return
    row.prompt_tokens += int(usage.get("prompt_tokens") or 0)
    row.completion_tokens += int(usage.get("completion_tokens") or 0)
    row.cost_microusd += round(float(usage.get("cost_usd") or 0.0) * 1_000_000)


def append_turns(
    store: Store,
    viewer: Viewer,
    session_id: uuid.UUID | str,
    turns: Sequence[TurnRecord],
    *,
    snapshot: dict[str, Any] | None = None,
    flags: Iterable[Any] | None = None,
    usage: Mapping[str, Any] | None = None,
    expected_version: int | None = None,
) -> int:
    """Store turns (and the engine state that produced them) in one transaction.

    Indices must continue the session exactly, and with `expected_version` the
    session must not have been written since it was read; either clash means
    another writer got there first and raises `ConcurrentUpdate` instead of
    interleaving. Returns the session's new version.
    """
    try:
        with store.transaction() as db:
            row = _load_for_write(db, viewer, session_id, expected_version)
            count = db.scalar(select(func.count()).where(TurnRow.session_id == row.id)) or 0
            for offset, turn in enumerate(turns):
                if turn.index != count + offset:
                    raise ConcurrentUpdate(
                        f"turn {turn.index} does not follow turn {count + offset - 1}"
                    )
                db.add(_turn_row(row.id, turn, turn.index))
            _apply_progress(row, snapshot, flags, usage)
            db.flush()
            return row.version
    except (IntegrityError, StaleDataError):
        raise ConcurrentUpdate("this session was continued elsewhere; reload it") from None


def save_snapshot(
    store: Store,
    viewer: Viewer,
    session_id: uuid.UUID | str,
    snapshot: dict[str, Any],
    *,
    flags: Iterable[Any] | None = None,
    usage: Mapping[str, Any] | None = None,
) -> None:
    try:
        with store.transaction() as db:
            _apply_progress(_load_for_write(db, viewer, session_id), snapshot, flags, usage)
    except StaleDataError:
        raise ConcurrentUpdate("this session was continued elsewhere; reload it") from None


def _add_evaluation(db: Session, row: PracticeSession, evaluation: dict[str, Any]) -> EvaluationRow:
    evaluation = without_nul(evaluation)
    result = evaluation["result"]
    saved = EvaluationRow(
        session_id=row.id, rubric_id=evaluation["rubric_id"], evaluator=evaluation["evaluator"],
        result=result, total=int(result.get("total", 0)), max_total=int(result.get("max_total", 0)),
    )
    for criterion in result.get("criteria", []):
        if "id" in criterion and criterion.get("score") is not None:
            saved.scores.append(
                CriterionScoreRow(
                    criterion_id=criterion["id"], score=int(criterion["score"]),
                    first_raised_turn=criterion.get("first_raised_turn"),
                )
            )
    db.add(saved)
    db.flush()
    return saved


def save_evaluation(
    store: Store,
    viewer: Viewer,
    session_id: uuid.UUID | str,
    *,
    rubric_id: str,
    evaluator: str,
    result: dict[str, Any],
) -> EvaluationRecord:
    """Add an evaluation (contract dict: criteria, total, max_total) to a session."""
    with store.transaction() as db:
        row = load_session(db, viewer, session_id)
        payload = {"rubric_id": rubric_id, "evaluator": evaluator, "result": result}
        return evaluation_record(_add_evaluation(db, row, payload))


def complete_session(
    store: Store,
    viewer: Viewer,
    session_id: uuid.UUID | str,
    *,
    evaluation: dict[str, Any] | None = None,
    ended_at: datetime | None = None,
    usage: Mapping[str, Any] | None = None,
    expected_version: int | None = None,
) -> SessionRecord:
    """Mark the session completed, with its evaluation (and the judge's usage), atomically.

    With `expected_version`, only if nobody wrote the session since the
    evaluated transcript was read (so a score always matches its transcript).
    """
    try:
        with store.transaction() as db:
            row = _load_for_write(db, viewer, session_id, expected_version)
            row.status = "completed"
            row.ended_at = ended_at or utcnow()
            row.updated_at = row.ended_at
            if evaluation is not None:
                _add_evaluation(db, row, evaluation)
            _add_usage(row, usage)
            db.flush()
            latest = row.evaluations[-1] if row.evaluations else None
            return session_record(
                row, turn_count=len(row.turns),
                latest=evaluation_record(latest) if latest else None,
            )
    except StaleDataError:
        raise ConcurrentUpdate("this session was continued elsewhere; reload it") from None
