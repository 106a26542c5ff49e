"""Completion records: what a participant did in a workshop, for continuing-education files.

Scores are official (the supervisor's once a review is released); minutes are
whole minutes; LLM usage reads as in the sessions export ("used"/"offline");
CE hours are awarded only to those who met the workshop's completion rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from pydantic import BaseModel

from trainer.workshops.certificates import WorkshopTerms, roster
from trainer.workshops.facts import Participant, SessionFacts, Usage, usage_of


class SessionScore(BaseModel):
    session_id: str
    couple_id: str
    mode: str
    minutes: int  # whole minutes, a session under a minute counting as one
    total: int | None  # official: the supervisor's scores where a released review changed them
    max_total: int | None
    criteria: dict[str, int | None]  # official score per criterion
    reviewed: bool
    usage: Usage = Usage()  # LLM tokens and estimated cost of this session


class CompletionRecord(BaseModel):
    workshop_title: str
    workshop_date: date
    facilitator: str
    participant: str
    completion_rule: str  # e.g. "two finished sessions in assessment mode"
    completed: bool
    completed_on: date | None
    ce_hours: float | None  # awarded: the workshop's hours once completed, else 0 (None: no CE)
    ce_provider: str | None
    ce_approval: str | None
    certificate_id: str | None
    sessions_completed: int
    minutes_practised: int  # every session's time, finished or not, in whole minutes
    sessions: list[SessionScore]
    usage: Usage = Usage()  # every session's LLM tokens and estimated cost, finished or not


def completion_records(
    terms: WorkshopTerms,
    participants: Sequence[Participant],
    sessions: Sequence[SessionFacts],
) -> list[CompletionRecord]:
    """One record per participant (also those who never finished a session)."""
    records = []
    for entry in roster(terms, participants, sessions):
        mine = sorted((s for s in sessions if s.user_id == entry.user_id), key=lambda s: s.started_at)
        scores = []
        for facts in mine:
            if not facts.completed:
                continue
            evaluation = facts.evaluation or {}
            ids = [str(c.get("id")) for c in facts.criteria()]
            scores.append(
                SessionScore(
                    session_id=str(facts.session_id), couple_id=facts.couple_id, mode=facts.mode,
                    minutes=facts.whole_minutes, total=facts.total, max_total=evaluation.get("max_total"),
                    criteria={cid: facts.final_score(cid) for cid in ids}, reviewed=facts.reviewed,
                    usage=usage_of([facts]),
                )
            )
        hours = None if terms.hours is None else (terms.hours if entry.completed else 0.0)
        records.append(
            CompletionRecord(
                workshop_title=terms.title, workshop_date=terms.held_on, facilitator=terms.facilitator,
                participant=entry.participant, completion_rule=terms.rule.describe(),
                completed=entry.completed, completed_on=entry.completed_on, ce_hours=hours,
                ce_provider=terms.provider, ce_approval=terms.approval,
                certificate_id=entry.certificate_id, sessions_completed=len(scores),
                minutes_practised=entry.minutes_practised, sessions=scores, usage=usage_of(mine),
            )
        )
    return records
