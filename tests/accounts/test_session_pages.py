"""AppTest of the real entry point: a sign-in that outlives the tab, sign-out that revokes it,
the no-accounts welcome, and what each role reads about reviews and settings.

A browser's cookie is what `trainer.webapp.cookies.read_token` returns; AppTest
cannot send cookies, so the tests hand the token over there (the real round
trip through Chromium is in tests/app/test_sign_in_browser.py).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.accounts.dbkit import person, played
from tests.review.apptest_kit import texts
from trainer import store as st
from trainer.accounts import browser_sessions
from trainer.accounts.assignments import assign_supervisor
from trainer.accounts.audit import recent
from trainer.review import save_review
from trainer.store.access import Viewer
from trainer.store.records import UserRecord
from trainer.webapp import cookies, state
from trainer.webapp.auth import AUTH_KIND, TOKEN, WORKSHOP
from trainer.workshops.service import create_workshop, join_workshop
from trainer.workshops.spec import WorkshopSpec

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
SIGN_IN = "FormSubmitter:local-sign-in-Sign in"


@pytest.fixture
def browser_cookie(monkeypatch: pytest.MonkeyPatch) -> dict[str, str | None]:
    """What the (simulated) browser sends as its session cookie when a tab connects."""
    jar: dict[str, str | None] = {"token": None}
    monkeypatch.setattr(cookies, "read_token", lambda: jar["token"])
    return jar


def new_tab(viewer: Viewer | None = None, name: str = "Someone") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if viewer is not None:
        at.session_state[state.USER] = UserRecord(
            id=viewer.user_id, display_name=name, role=viewer.role, created_at=datetime.now(UTC))
        at.session_state[AUTH_KIND] = "password"
    return at.run()


def titles(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


def nav(at: AppTest) -> list[str]:
    return [info["page_name"] for info in at._registered_pages.values()]


def sign_in(at: AppTest, login: str, password: str) -> AppTest:
    at.text_input[0].input(login)
    at.text_input[1].input(password)
    return at.button(key=SIGN_IN).click().run()


def test_sign_in_survives_a_new_tab_and_sign_out_ends_it(app_db: str, store: st.Store,
                                                        browser_cookie) -> None:  # type: ignore[no-untyped-def]
    ana = person(store, "ana")
    first = sign_in(new_tab(), "ana", "ana-correct-horse")
    assert "Practice" in titles(first)
    token = first.session_state[TOKEN]
    assert first.session_state[cookies.PENDING]["value"] == token  # the browser is asked to keep it
    browser_cookie["token"] = token

    second = new_tab()  # a refresh, a new tab or a link: signed in from the cookie
    assert second.session_state[state.USER].id == ana.user_id and "Practice" in titles(second)
    assert "Sign in" not in nav(second)

    second.sidebar.button(key="sign-out").click().run()
    assert state.USER not in second.session_state and "Sign in" in titles(second)
    assert second.session_state[cookies.PENDING]["value"] == ""  # the browser is asked to drop it
    assert browser_sessions.resolve(store, token) is None
    assert recent(store)[0].event == "signed_out"

    third = new_tab()  # the old cookie, even if the browser kept it, opens nothing
    assert state.USER not in third.session_state and "Sign in" in titles(third)
    first.run()  # the first tab learns at its next request
    assert state.USER not in first.session_state and "Sign in" in titles(first)
    assert "Your sign-in has ended" in texts(first)


def test_a_deactivated_persons_tabs_are_signed_out(app_db: str, store: st.Store,
                                                  browser_cookie) -> None:  # type: ignore[no-untyped-def]
    person(store, "ana")
    at = sign_in(new_tab(), "ana", "ana-correct-horse")
    from trainer.accounts.service import set_disabled

    set_disabled(store, "ana", True)
    at.run()
    assert state.USER not in at.session_state and "Sign in" in titles(at)


def test_a_role_change_applies_without_signing_in_again(app_db: str, store: st.Store,
                                                       browser_cookie) -> None:  # type: ignore[no-untyped-def]
    person(store, "ana")
    at = sign_in(new_tab(), "ana", "ana-correct-horse")
    assert "Review" not in nav(at)
    from trainer.accounts.service import set_role

    set_role(store, "ana", "supervisor")
    at.run()
    assert at.session_state[state.USER].role == "supervisor" and "Review" in nav(at)


def test_the_sign_in_page_is_throttled_with_one_message(app_db: str, store: st.Store) -> None:
    from trainer.accounts import throttle

    person(store, "ana")
    at = new_tab()
    shown = []
    for login in ("nobody", "ana"):
        at = sign_in(at, login, "wrong password!")
        shown.append([e.value for e in at.error])
    assert shown[0] == shown[1] == ["That username and password do not match an active account."]
    for _ in range(6):  # more failures just now: the next attempt must wait 8 seconds
        throttle.record_failure(store, [throttle.account_key("ana")], datetime.now(UTC))
    at = sign_in(at, "ana", "ana-correct-horse")
    assert "Please wait" in texts(at) and state.USER not in at.session_state


def test_the_account_page_is_titled_account_once_signed_in(app_db: str, store: st.Store) -> None:
    at = new_tab(person(store, "ana"), "Ana")
    at.switch_page("trainer/webapp/pages/sign_in.py").run()
    assert titles(at) == ["Account"] and "12 hours" in texts(at)


def test_a_name_is_remembered_per_browser_and_said_not_to_be_a_password(
    app_db: str, store: st.Store, browser_cookie  # type: ignore[no-untyped-def]
) -> None:
    at = new_tab()
    shown = texts(at)
    assert "Your name is not a password" in shown
    assert "account" in shown and "workshop" in shown and "code" in shown
    at.text_input[0].input("Ana")
    at.button[0].click().run()
    token = at.session_state[TOKEN]
    browser_cookie["token"] = token
    again = new_tab()
    assert again.session_state[state.USER].display_name == "Ana" and "Practice" in titles(again)
    again.sidebar.button(key="sign-out").click().run()  # "Switch person"
    assert "Welcome" in texts(new_tab())
    # once accounts exist, a remembered name is no identity any more
    browser_cookie["token"] = browser_sessions.issue(store, again.session_state.get(
        state.USER, at.session_state[state.USER]).id, "name")
    assert "Practice" in titles(new_tab())
    person(store, "root", "admin")
    assert "Sign in" in titles(new_tab())


def test_a_workshop_seat_keeps_its_workshop_after_a_refresh(app_db: str, store: st.Store,
                                                           browser_cookie) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    fay = person(store, "fay", "facilitator")
    workshop = create_workshop(store, fay, WorkshopSpec(
        title="Thursday lab", date=date(2026, 11, 26), couples=["ruth-harold"],
        rubric_id="eft-first-session", mode="assessment"))
    seat = join_workshop(store, workshop.join_code, "Pia")
    browser_cookie["token"] = browser_sessions.issue(store, seat.viewer.user_id, "seat",
                                                     workshop_id=workshop.id)
    at = new_tab()
    assert at.session_state[state.USER].display_name == "Pia"
    assert at.session_state[WORKSHOP] == workshop.id and "Thursday lab" in texts(at)


def test_settings_show_the_database_to_admins_only(app_db: str, store: st.Store) -> None:
    trainee = new_tab(person(store, "ana"), "Ana")
    trainee.switch_page("trainer/webapp/pages/settings.py").run()
    assert "Database:" not in texts(trainee) and app_db.split("/")[-1] not in texts(trainee)
    assert "Sign-in lasts" in texts(trainee)
    root = new_tab(person(store, "root", "admin"), "Root")
    root.switch_page("trainer/webapp/pages/settings.py").run()
    assert "Database:" in texts(root)


def test_supervisors_see_what_awaits_them_and_why_nothing_does(app_db: str, store: st.Store) -> None:
    sue, ana = person(store, "sue", "supervisor"), person(store, "ana")
    alone = new_tab(sue, "Sue")
    assert "Review" in nav(alone)
    assert "No trainees are assigned to you yet" in texts(alone)
    assign_supervisor(store, sue.user_id, ana.user_id)
    first, _ = played(store, ana), played(store, ana)
    busy = new_tab(sue, "Sue")
    assert "Review (2)" in nav(busy) and "No trainees are assigned" not in texts(busy)
    save_review(store, sue, first, expected_version=0, reviewed=True, overall_comment="Good pacing.")
    assert "Review (1)" in nav(new_tab(sue, "Sue"))

    progress = new_tab(ana, "Ana")
    progress.switch_page("trainer/webapp/pages/progress.py").run()
    assert not progress.exception, progress.exception
    assert "Sue** reviewed your session" in texts(progress)
    column = list(progress.dataframe[0].value["Supervisor"])
    assert sorted(column) == ["Reviewed by Sue", "\u2014"]
