"""Workshops in the database: create, join by code, rejoin, tag sessions, dashboard query."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.accounts.dbkit import person, played
from trainer import store as st
from trainer.store.access import NotFound
from trainer.workshops.queries import workshop_completion, workshop_dashboard, workshop_export
from trainer.workshops.service import (
    JoinRefused,
    create_workshop,
    get_workshop,
    join_with_account,
    join_workshop,
    list_workshops,
    rejoin_workshop,
    set_status,
    tag_session,
)
from trainer.workshops.spec import WorkshopSpec

SPEC = WorkshopSpec(title="EFT first sessions", date=date(2026, 11, 22),
                    couples=["marc-belinda"], rubric_id="eft-first-session", mode="assessment")


def test_only_facilitators_and_admins_create_workshops(store: st.Store) -> None:
    for role in ("trainee", "supervisor"):
        with pytest.raises(NotFound):
            create_workshop(store, person(store, f"x{role}", role), SPEC)
    fay = person(store, "fay", "facilitator")
    made = create_workshop(store, fay, SPEC)
    assert made.mode == "assessment" and made.status == "open" and len(made.join_code) == 9
    assert [w.id for w in list_workshops(store, fay)] == [made.id]
    assert get_workshop(store, person(store, "root", "admin"), made.id).title == SPEC.title


def test_join_by_code_gives_a_workshop_only_trainee_and_a_rejoin_code(store: st.Store) -> None:
    fay = person(store, "fay", "facilitator")
    w = create_workshop(store, fay, SPEC)
    seat = join_workshop(store, w.join_code.lower().replace("-", " "), "  Pia  Ng ")
    assert seat.display_name == "Pia Ng" and seat.viewer.role == "trainee" and seat.rejoin_code
    with pytest.raises(JoinRefused, match="already joined"):
        join_workshop(store, w.join_code, "pia ng")
    back = rejoin_workshop(store, w.join_code, "PIA NG", seat.rejoin_code.lower())
    assert back.viewer == seat.viewer and back.rejoin_code is None
    with pytest.raises(JoinRefused, match="do not match"):
        rejoin_workshop(store, w.join_code, "Pia Ng", "AAAA-AAAA")
    with pytest.raises(JoinRefused, match="No workshop"):
        join_workshop(store, "ZZZZ-ZZZZ", "Someone")
    with pytest.raises(JoinRefused, match="name"):
        join_workshop(store, w.join_code, "   ")
    set_status(store, fay, w.id, "closed")
    with pytest.raises(JoinRefused, match="closed"):
        join_workshop(store, w.join_code, "Late Comer")
    assert rejoin_workshop(store, w.join_code, "Pia Ng", seat.rejoin_code).viewer == seat.viewer
    # the seat is for this workshop: it sees the workshop, not others
    other = create_workshop(store, fay, SPEC.model_copy(update={"title": "Other"}))
    assert [x.id for x in list_workshops(store, seat.viewer, manage=False)] == [w.id]
    with pytest.raises(NotFound):
        get_workshop(store, seat.viewer, other.id, manage=False)
    with pytest.raises(NotFound):
        get_workshop(store, seat.viewer, w.id)  # manage view: facilitators only


def test_only_the_owner_tags_a_session_to_a_workshop_they_joined(store: st.Store) -> None:
    fay, cy, ana = person(store, "fay", "facilitator"), person(store, "cy"), person(store, "ana")
    w = create_workshop(store, fay, SPEC)
    session = played(store, cy)
    with pytest.raises(NotFound):
        tag_session(store, cy, session, w.id)  # not a member yet
    join_with_account(store, cy, w.join_code)
    with pytest.raises(NotFound):
        tag_session(store, ana, session, w.id)  # not the owner
    tag_session(store, cy, session, w.id)
    tag_session(store, cy, session, w.id)  # idempotent
    board = workshop_dashboard(store, fay, w.id)
    assert board.participants == 1 and board.sessions_completed == 1


def test_dashboard_completion_and_exports_from_the_database(store: st.Store) -> None:
    fay = person(store, "fay", "facilitator")
    w = create_workshop(store, fay, SPEC)
    pia = join_workshop(store, w.join_code, "Pia").viewer
    max_ = join_workshop(store, w.join_code, "Max").viewer
    join_workshop(store, w.join_code, "Idle")
    played(store, pia, {"raised_sexual_cycle_early": 1, "validated_protective_moves": 2},
           missed={"raised_sexual_cycle_early": "Belinda hinted at distance in turn 3."}, minutes=20)
    played(store, max_, {"raised_sexual_cycle_early": 1, "validated_protective_moves": 3},
           missed={"raised_sexual_cycle_early": "Belinda hinted at distance in turn 3."}, minutes=10)
    played(store, max_, complete=False, turns=6, minutes=5)
    board = workshop_dashboard(store, fay, w.id)
    assert (board.participants, board.sessions_in_progress, board.sessions_completed) == (3, 1, 2)
    assert board.distributions["raised_sexual_cycle_early"]["1"] == 2
    assert board.missed_moments[0].count == 2
    records = {r.participant: r for r in workshop_completion(store, fay, w.id)}
    assert records["Max"].sessions_completed == 1 and records["Idle"].sessions_completed == 0
    assert 14.5 <= records["Max"].minutes_practised <= 16
    csv_text = workshop_export(store, fay, w.id, "csv")
    assert len(csv_text.strip().splitlines()) == 1 + 2 * 2 + 1
    data = json.loads(workshop_export(store, fay, w.id, "json"))
    assert {s["participant"] for s in data["sessions"]} == {"Pia", "Max"}
    with pytest.raises(ValueError):
        workshop_export(store, fay, w.id, "xml")


def test_practice_page_helpers_restrict_couples_and_tag_sessions(store: st.Store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from trainer.store.records import UserRecord
    from trainer.webapp import workshop_practice as wp

    fay, cy = person(store, "fay", "facilitator"), person(store, "cy")
    w = create_workshop(store, fay, SPEC)
    library = {"other": 1, "marc-belinda": 2}
    assert wp.allowed_couples(library, None) == library
    user = UserRecord(id=cy.user_id, display_name="Cy", role="trainee", created_at=datetime.now(UTC))
    monkeypatch.setattr(wp, "active_workshop", lambda: None)
    assert wp.workshop_for_practice(store, user) is None
    assert not wp.record_started_session(store, user, played(store, cy))
    join_with_account(store, cy, w.join_code)
    monkeypatch.setattr(wp, "active_workshop", lambda: w.id)
    workshop = wp.workshop_for_practice(store, user)
    assert workshop and wp.allowed_couples(library, workshop) == {"marc-belinda": 2}
    session = played(store, cy)
    assert wp.record_started_session(store, user, session)
    assert workshop_dashboard(store, fay, w.id).sessions_completed == 1
