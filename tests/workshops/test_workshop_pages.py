"""AppTest flows: a facilitator creates a workshop and watches its live dashboard; participants join."""

from __future__ import annotations

from datetime import date

import pytest

from tests.accounts.dbkit import person, played
from tests.review.apptest_kit import app_as, texts
from trainer import store as st
from trainer.webapp import state
from trainer.webapp.auth import AUTH_KIND, REJOIN, WORKSHOP
from trainer.workshops.service import create_workshop, join_workshop, list_workshops
from trainer.workshops.spec import WorkshopSpec

SPEC = WorkshopSpec(title="EFT morning group", date=date(2026, 11, 22), couples=["marc-belinda"],
                    rubric_id="eft-first-session")


def test_facilitator_creates_a_workshop_and_sees_its_code(app_db: str, store: st.Store) -> None:
    fay = person(store, "fay", "facilitator")
    at = app_as(fay, "Fay", page="workshops")
    assert not at.exception, at.exception
    at.text_input[0].input("Thursday practice lab")
    at.button(key="FormSubmitter:new-workshop-Create workshop").click().run()
    assert not at.error, [e.value for e in at.error]
    made = list_workshops(store, fay)
    assert [w.title for w in made] == ["Thursday practice lab"]
    assert made[0].join_code in texts(at)


def test_dashboard_shows_the_room_and_exports(app_db: str, store: st.Store) -> None:
    fay = person(store, "fay", "facilitator")
    w = create_workshop(store, fay, SPEC)
    pia = join_workshop(store, w.join_code, "Pia").viewer
    max_ = join_workshop(store, w.join_code, "Max").viewer
    played(store, pia, {"raised_sexual_cycle_early": 1, "validated_protective_moves": 2},
           missed={"raised_sexual_cycle_early": "Belinda mentioned distance at turn 3."})
    played(store, max_, complete=False)
    at = app_as(fay, "Fay", page="dashboard", query={"workshop": str(w.id)})
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Participants": "2", "Sessions in progress": "1", "Sessions done": "1",
                       "Completed": "1 of 2"}  # the default rule: one finished session
    people = at.dataframe[0].value
    assert sorted(people["Name"]) == ["Max", "Pia"]
    assert "Belinda mentioned distance at turn 3." in texts(at)
    assert w.join_code in texts(at)
    # a new participant appears on the next refresh of the same page
    join_workshop(store, w.join_code, "Zoe")
    at.run()
    assert {m.label: m.value for m in at.metric}["Participants"] == "3"


def test_dashboard_of_another_facilitators_workshop_is_not_found(app_db: str, store: st.Store) -> None:
    fay, gus = person(store, "fay", "facilitator"), person(store, "gus", "facilitator")
    w = create_workshop(store, fay, SPEC)
    pia = join_workshop(store, w.join_code, "Pia").viewer
    played(store, pia)
    at = app_as(gus, "Gus", page="dashboard", query={"workshop": str(w.id)})
    assert "No such workshop among yours." in texts(at) and "Pia" not in texts(at)
    assert not at.metric
    garbage = app_as(gus, "Gus", page="dashboard", query={"workshop": "not-a-uuid"})
    assert "No such workshop among yours." in texts(garbage)
    sup = person(store, "sue", "supervisor")
    page = app_as(sup, "Sue", page="dashboard", query={"workshop": str(w.id)}, all_pages=True)
    assert "not available to your account" in texts(page) and "Pia" not in texts(page)


def test_participant_joins_by_code_and_name(app_db: str, store: st.Store) -> None:
    fay = person(store, "fay", "facilitator")
    w = create_workshop(store, fay, SPEC)
    at = app_as(None, page="join", query={"code": w.join_code.lower()})
    assert at.text_input[0].value == w.join_code.lower()
    at.text_input[1].input("Pia Ng")
    at.button(key="FormSubmitter:join-Join").click().run()
    assert not at.error, [e.value for e in at.error]
    user = at.session_state[state.USER]
    assert user.display_name == "Pia Ng" and user.role == "trainee"
    assert at.session_state[AUTH_KIND] == "seat" and at.session_state[WORKSHOP] == w.id
    code = at.session_state[REJOIN]
    assert "You are in" in texts(at) and at.code[0].value == code
    # rejoin from a fresh browser
    again = app_as(None, page="join")
    again.text_input(key="rejoin-code").input(w.join_code)
    again.text_input(key="rejoin-name").input("pia ng")
    again.text_input[4].input(code)
    again.button(key="FormSubmitter:rejoin-Continue").click().run()
    assert again.session_state[state.USER].id == user.id


@pytest.mark.parametrize("bad", ["ZZZZ-ZZZZ", ""])
def test_wrong_codes_get_a_clear_message(app_db: str, store: st.Store, bad: str) -> None:
    at = app_as(None, page="join")
    at.text_input[0].input(bad)
    at.text_input[1].input("Pia")
    at.button(key="FormSubmitter:join-Join").click().run()
    assert "No workshop has that code" in texts(at)
    assert state.USER not in at.session_state
