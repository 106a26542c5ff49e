"""Who completed a workshop, for continuing education: the roster and one certificate per person.

Pure functions over the facts a facilitator may read (`queries.workshop_facts`).
A participant completes the workshop when their finished sessions meet the
workshop's rule; they then earn its CE hours and a certificate whose id can be
checked against the roster.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from trainer.workshops.completion_rule import CompletionRule
from trainer.workshops.exports import csv_cell
from trainer.workshops.facts import Participant, SessionFacts

ROSTER_COLUMNS = [
    "participant", "joined_at", "sessions_started", "sessions_finished", "sessions_counted",
    "completion_rule", "completed", "completed_on", "minutes_practised", "ce_hours",
    "ce_provider", "ce_approval", "certificate_id",
]


@dataclass(frozen=True)
class WorkshopTerms:
    """What a certificate states about the workshop itself."""

    workshop_id: uuid.UUID
    title: str
    held_on: date
    facilitator: str
    hours: float | None
    provider: str | None
    approval: str | None
    rule: CompletionRule


@dataclass(frozen=True)
class RosterEntry:
    participant: str
    user_id: uuid.UUID
    joined_at: datetime | None
    sessions_started: int
    sessions_finished: int
    sessions_counted: int
    completed: bool
    completed_on: date | None
    minutes_practised: int
    certificate_id: str | None


@dataclass(frozen=True)
class Certificate:
    """Everything printed on one participant's certificate."""

    certificate_id: str
    participant: str
    terms: WorkshopTerms
    completed_on: date
    sessions_counted: int


def certificate_id(workshop_id: uuid.UUID, user_id: uuid.UUID) -> str:
    """A short, stable id for one person's certificate of one workshop, e.g. "CE-7KQ2-M4XA-PL3D"."""
    digest = hashlib.sha256(f"{workshop_id}:{user_id}".encode()).digest()
    text = base64.b32encode(digest).decode("ascii")[:12]
    return f"CE-{text[:4]}-{text[4:8]}-{text[8:12]}"


def minutes_practised(sessions: Sequence[SessionFacts]) -> int:
    """Whole minutes of practice: the sum of each session's minutes as the sessions export shows them."""
    return sum(s.whole_minutes for s in sessions)


def long_date(day: date) -> str:
    """ "5 December 2026": how a date reads on a certificate."""
    return f"{day.day} {day:%B %Y}"


def hours_text(hours: float | None) -> str:
    """ "1.5 hours", "1 hour"; empty when the workshop gives no CE hours."""
    if hours is None:
        return ""
    shown = f"{hours:g}"
    return f"{shown} hour" + ("" if hours == 1 else "s")


def roster(terms: WorkshopTerms, participants: Sequence[Participant],
           sessions: Sequence[SessionFacts]) -> list[RosterEntry]:
    """One entry per participant, alphabetical, whether or not they completed."""
    entries = []
    for person in sorted(participants, key=lambda p: p.display_name.casefold()):
        mine = sorted((s for s in sessions if s.user_id == person.user_id), key=lambda s: s.started_at)
        counted = [s for s in mine if terms.rule.counts(s)]
        completed = len(counted) >= terms.rule.sessions
        on = None
        if completed:
            decisive = sorted(counted, key=lambda s: s.ended_at or s.started_at)[terms.rule.sessions - 1]
            on = (decisive.ended_at or decisive.started_at).date()
        entries.append(RosterEntry(
            participant=person.display_name, user_id=person.user_id, joined_at=person.joined_at,
            sessions_started=len(mine), sessions_finished=sum(s.completed for s in mine),
            sessions_counted=len(counted), completed=completed, completed_on=on,
            minutes_practised=minutes_practised(mine),
            certificate_id=certificate_id(terms.workshop_id, person.user_id) if completed else None,
        ))
    return entries


def certificates(terms: WorkshopTerms, entries: Sequence[RosterEntry]) -> list[Certificate]:
    """A certificate for each participant who met the completion rule."""
    return [
        Certificate(e.certificate_id, e.participant, terms, e.completed_on, e.sessions_counted)
        for e in entries if e.completed and e.certificate_id and e.completed_on
    ]


def _hours_awarded(terms: WorkshopTerms, entry: RosterEntry) -> str:
    if terms.hours is None:
        return ""
    return f"{terms.hours:g}" if entry.completed else "0"


def roster_csv(terms: WorkshopTerms, entries: Sequence[RosterEntry]) -> str:
    """The roster as CSV, one row per participant; cells a spreadsheet would run are defused."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=ROSTER_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for e in entries:
        row = {
            "participant": e.participant,
            "joined_at": e.joined_at.isoformat() if e.joined_at else "",
            "sessions_started": e.sessions_started, "sessions_finished": e.sessions_finished,
            "sessions_counted": e.sessions_counted, "completion_rule": terms.rule.describe(),
            "completed": "yes" if e.completed else "no",
            "completed_on": e.completed_on.isoformat() if e.completed_on else "",
            "minutes_practised": e.minutes_practised,
            "ce_hours": _hours_awarded(terms, e),
            "ce_provider": terms.provider or "", "ce_approval": terms.approval or "",
            "certificate_id": e.certificate_id or "",
        }
        writer.writerow({key: csv_cell(row[key]) for key in ROSTER_COLUMNS})
    return buffer.getvalue()
