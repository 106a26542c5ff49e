"""ORM rows to detached records (see `records`)."""

from __future__ import annotations

from trainer.official_scores import ReleasedReview
from trainer.store.models import EvaluationRow, PracticeSession, TurnRow, User
from trainer.store.records import EvaluationRecord, SessionRecord, TurnRecord, UserRecord
from trainer.transcript import is_therapist_speaker


def user_record(user: User) -> UserRecord:
    return UserRecord(
        id=user.id, display_name=user.display_name, role=user.role, created_at=user.created_at
    )


def turn_record(row: TurnRow) -> TurnRecord:
    return TurnRecord(
        index=row.index, speaker=row.speaker, text=row.text, nonverbal=row.nonverbal,
        fallback=row.fallback, state=row.state, labels=row.labels, created_at=row.created_at,
    )


def evaluation_record(row: EvaluationRow) -> EvaluationRecord:
    return EvaluationRecord(
        id=row.id, session_id=row.session_id, rubric_id=row.rubric_id, evaluator=row.evaluator,
        result=row.result, total=row.total, max_total=row.max_total, created_at=row.created_at,
    )


def microusd_to_usd(value: int | None) -> float:
    return round((value or 0) / 1_000_000, 6)


def session_record(
    row: PracticeSession,
    *,
    turn_count: int,
    turns: list[TurnRecord] | None = None,
    latest: EvaluationRecord | None = None,
    therapist_turns: int | None = None,
    review: ReleasedReview | None = None,
) -> SessionRecord:
    return SessionRecord(
        id=row.id, user_id=row.user_id, couple_id=row.couple_id, rubric_id=row.rubric_id,
        mode=row.mode, engine=row.engine, judge=row.judge, status=row.status,
        started_at=row.started_at, ended_at=row.ended_at, seed=row.seed,
        snapshot=row.snapshot, flags=list(row.flags or []), prompt_tokens=row.prompt_tokens,
        completion_tokens=row.completion_tokens, cost_usd=microusd_to_usd(row.cost_microusd),
        turn_count=turn_count,
        turns=list(turns or []), latest_evaluation=latest, version=row.version or 1,
        therapist_turns=therapist_turns if therapist_turns is not None else sum(
            1 for t in turns or [] if is_therapist_speaker(t.speaker)),
        review=review,
    )
