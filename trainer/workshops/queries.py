"""The dashboard query: one authorized read of a workshop's people and sessions.

Reads are scoped twice: the workshop must pass `workshop_filter(manage=True)`
and each session `session_filter`, so a facilitator's dashboard, export or
completion record can only ever hold what that facilitator may see. The
aggregates themselves are the pure functions in `dashboard`, `completion`,
`exports`.
"""

from __future__ import annotations

import uuid
from dataclasses import replace

from sqlalchemy import func, select

from trainer.authz import Principal, session_filter, workshop_filter, workshop_session_ids
from trainer.store.access import NotFound
from trainer.store.convert import microusd_to_usd
from trainer.store.db import Store
from trainer.store.models import EvaluationRow, PracticeSession, TurnRow, User
from trainer.store.official import released_reviews
from trainer.store.workshop_models import Workshop, WorkshopMember
from trainer.workshops.certificates import (
    Certificate,
    RosterEntry,
    WorkshopTerms,
    certificates,
    roster,
)
from trainer.workshops.completion import CompletionRecord, completion_records
from trainer.workshops.dashboard import Dashboard, build_dashboard
from trainer.workshops.exports import to_csv, to_json
from trainer.workshops.facts import Participant, SessionFacts
from trainer.workshops.service import WorkshopInfo, parse_workshop_id, workshop_info


def workshop_facts(
    store: Store, viewer: Principal, workshop_id: uuid.UUID | str, *, own: bool = False
) -> tuple[WorkshopInfo, list[Participant], list[SessionFacts]]:
    """The workshop, its participants and every session played in it that the viewer may see.

    With `own`, a participant's view: a workshop they joined, and only their own sessions.
    """
    wid = parse_workshop_id(workshop_id)
    with store.transaction() as db:
        workshop = db.scalars(
            select(Workshop).where(Workshop.id == wid, workshop_filter(viewer, manage=not own))
        ).first()
        if workshop is None:
            raise NotFound("no such workshop")
        members = db.execute(
            select(WorkshopMember).where(
                WorkshopMember.workshop_id == wid, WorkshopMember.role == "participant",
                *([WorkshopMember.user_id == viewer.user_id] if own else []),
            )
        ).scalars().all()
        participants = [
            Participant(user_id=m.user_id, display_name=m.display_name, joined_at=m.joined_at)
            for m in members
        ]
        names = {m.user_id: m.display_name for m in members}
        in_workshop = workshop_session_ids(select(Workshop.id).where(Workshop.id == wid))
        scope = PracticeSession.user_id == viewer.user_id if own else session_filter(viewer)
        rows = db.execute(
            select(PracticeSession, User.display_name)
            .join(User, User.id == PracticeSession.user_id)
            .where(PracticeSession.id.in_(in_workshop), scope)
            .order_by(PracticeSession.started_at)
        ).all()
        ids = [row.id for row, _ in rows]
        turns = _turn_stats(db, ids)
        evaluations = _latest_results(db, ids)
        reviews = _reviews(db, ids)
        facts = []
        for row, user_name in rows:
            count, last = turns.get(row.id, (0, None))
            reviewed, overrides = reviews.get(row.id, (False, {}))
            facts.append(
                SessionFacts(
                    session_id=row.id, user_id=row.user_id,
                    participant=names.get(row.user_id, user_name), couple_id=row.couple_id,
                    mode=row.mode, status=row.status, started_at=row.started_at,
                    ended_at=row.ended_at, last_activity_at=last or row.updated_at,
                    turn_count=count, rubric_id=row.rubric_id,
                    evaluation=evaluations.get(row.id), supervisor_scores=overrides,
                    reviewed=reviewed, engine=row.engine, judge=row.judge,
                    prompt_tokens=row.prompt_tokens, completion_tokens=row.completion_tokens,
                    cost_usd=microusd_to_usd(row.cost_microusd),
                )
            )
        facilitator = db.scalar(select(User.display_name).where(User.id == workshop.created_by)) \
            if workshop.created_by else None
        return replace(workshop_info(workshop), facilitator=facilitator), participants, facts


def terms_of(info: WorkshopInfo) -> WorkshopTerms:
    """What a certificate states about a workshop read by `workshop_facts`."""
    return WorkshopTerms(
        workshop_id=info.id, title=info.title, held_on=info.held_on,
        facilitator=info.facilitator or "the facilitator", hours=info.ce_hours,
        provider=info.ce_provider, approval=info.ce_approval, rule=info.rule,
    )


def _turn_stats(db, ids: list[uuid.UUID]) -> dict:  # type: ignore[no-untyped-def]
    if not ids:
        return {}
    query = (
        select(TurnRow.session_id, func.count(), func.max(TurnRow.created_at))
        .where(TurnRow.session_id.in_(ids))
        .group_by(TurnRow.session_id)
    )
    return {sid: (int(n), last) for sid, n, last in db.execute(query)}


def _latest_results(db, ids: list[uuid.UUID]) -> dict:  # type: ignore[no-untyped-def]
    if not ids:
        return {}
    newest = (
        select(func.max(EvaluationRow.id))
        .where(EvaluationRow.session_id.in_(ids))
        .group_by(EvaluationRow.session_id)
    )
    query = select(EvaluationRow.session_id, EvaluationRow.result).where(EvaluationRow.id.in_(newest))
    return {sid: result for sid, result in db.execute(query)}


def _reviews(db, ids: list[uuid.UUID]) -> dict:  # type: ignore[no-untyped-def]
    """Session id -> (reviewed, the supervisor's scores): only a released review's scores count."""
    released = released_reviews(db, ids)
    return {sid: (True, review.overrides) for sid, review in released.items()}


def workshop_dashboard(store: Store, viewer: Principal, workshop_id: uuid.UUID | str) -> Dashboard:
    """What the live dashboard shows; one authorized read per refresh."""
    _, participants, facts = workshop_facts(store, viewer, workshop_id)
    return build_dashboard(participants, facts)


def workshop_completion(
    store: Store, viewer: Principal, workshop_id: uuid.UUID | str
) -> list[CompletionRecord]:
    info, participants, facts = workshop_facts(store, viewer, workshop_id)
    return completion_records(terms_of(info), participants, facts)


def workshop_roster(
    store: Store, viewer: Principal, workshop_id: uuid.UUID | str
) -> tuple[WorkshopTerms, list[RosterEntry]]:
    """The facilitator's roster: every participant, whether they completed, their certificate id."""
    info, participants, facts = workshop_facts(store, viewer, workshop_id)
    terms = terms_of(info)
    return terms, roster(terms, participants, facts)


def workshop_certificates(store: Store, viewer: Principal, workshop_id: uuid.UUID | str) -> list[Certificate]:
    """A certificate for each participant who met the workshop's completion rule."""
    terms, entries = workshop_roster(store, viewer, workshop_id)
    return certificates(terms, entries)


def my_workshop_standing(
    store: Store, viewer: Principal, workshop_id: uuid.UUID | str
) -> tuple[WorkshopTerms, RosterEntry | None, Certificate | None]:
    """A participant's own progress towards completion, and their certificate once they meet the rule."""
    info, participants, facts = workshop_facts(store, viewer, workshop_id, own=True)
    terms = terms_of(info)
    entries = roster(terms, participants, facts)
    mine = entries[0] if entries else None
    found = certificates(terms, entries)
    return terms, mine, found[0] if found else None


def workshop_export(
    store: Store, viewer: Principal, workshop_id: uuid.UUID | str, fmt: str = "csv"
) -> str:
    """The export as text: "csv" (one row per session and criterion) or "json"."""
    info, _, facts = workshop_facts(store, viewer, workshop_id)
    if fmt == "csv":
        return to_csv(info.title, info.held_on, facts)
    if fmt == "json":
        return to_json(info.title, info.held_on, facts)
    raise ValueError("format must be csv or json")
