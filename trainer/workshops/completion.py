"""Completion records: what a participant did in a workshop, for continuing-education files."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from pydantic import BaseModel

from trainer.workshops.facts import Participant, SessionFacts, Usage, usage_of


class SessionScore(BaseModel):
    session_id: str
    couple_id: str
    mode: str
    minutes: float
    total: int | None
    max_total: int | None
    criteria: dict[str, int | None]  # final score per criterion (supervisor's when reviewed)
    reviewed: bool
    usage: Usage = Usage()  # LLM tokens and estimated cost of this session


class CompletionRecord(BaseModel):
    workshop_title: str
    workshop_date: date
    participant: str
    sessions_completed: int
    minutes_practised: float  # every session's time, finished or not
    sessions: list[SessionScore]
    usage: Usage = Usage()  # every session's LLM tokens and estimated cost, finished or not


def completion_records(
    title: str,
    on: date,
    participants: Sequence[Participant],
    sessions: Sequence[SessionFacts],
) -> list[CompletionRecord]:
    """One record per participant (also those who never finished a session)."""
    records = []
    for person in sorted(participants, key=lambda p: p.display_name.casefold()):
        mine = sorted(
            (s for s in sessions if s.user_id == person.user_id), key=lambda s: s.started_at
        )
        scores = []
        for facts in mine:
            if not facts.completed:
                continue
            evaluation = facts.evaluation or {}
            ids = [str(c.get("id")) for c in facts.criteria()]
            scores.append(
                SessionScore(
                    session_id=str(facts.session_id),
                    couple_id=facts.couple_id,
                    mode=facts.mode,
                    minutes=round(facts.minutes, 1),
                    total=facts.total,
                    max_total=evaluation.get("max_total"),
                    criteria={cid: facts.final_score(cid) for cid in ids},
                    reviewed=facts.reviewed,
                    usage=usage_of([facts]),
                )
            )
        records.append(
            CompletionRecord(
                workshop_title=title,
                workshop_date=on,
                participant=person.display_name,
                sessions_completed=len(scores),
                minutes_practised=round(sum(s.minutes for s in mine), 1),
                sessions=scores,
                usage=usage_of(mine),
            )
        )
    return records
