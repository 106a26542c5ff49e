"""Admins manage people from the app: the service rules, then the People page as an admin uses it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.accounts.dbkit import person, played
from tests.review.apptest_kit import app_as, texts
from trainer import store as st
from trainer.accounts import admin, browser_sessions
from trainer.accounts.audit import recent
from trainer.accounts.service import authenticate, get_account
from trainer.accounts.sign_in import attempt_sign_in
from trainer.review.status import awaiting_review


def test_only_an_active_admin_manages_people(store: st.Store) -> None:
    sue, root = person(store, "sue", "supervisor"), person(store, "root", "admin")
    for actor in (sue,):
        with pytest.raises(admin.AccountError, match="Only an administrator"):
            admin.list_people(store, actor)
        with pytest.raises(admin.AccountError):
            admin.create_person(store, actor, login="x", display_name="X", role="admin",
                                password="a long password")
    admin.change_role(store, root, "sue", "admin")
    admin.set_active(store, sue, "root", False)  # sue is an admin now
    with pytest.raises(admin.AccountError, match="Only an administrator"):
        admin.list_people(store, root)  # a deactivated admin is no admin


def test_nobody_locks_every_admin_out(store: st.Store) -> None:
    root = person(store, "root", "admin")
    with pytest.raises(admin.AccountError, match="last active administrator"):
        admin.change_role(store, root, "root", "trainee")
    with pytest.raises(admin.AccountError, match="your own account"):
        admin.set_active(store, root, "root", False)
    person(store, "ada", "admin")
    admin.change_role(store, root, "root", "supervisor")  # another admin exists: fine
    assert get_account(store, "root").role == "supervisor"


def test_reset_password_and_deactivation_sign_the_person_out_everywhere(store: st.Store) -> None:
    ana, root = person(store, "ana"), person(store, "root", "admin")
    tokens = [browser_sessions.issue(store, ana.user_id, "password") for _ in range(2)]
    assert admin.reset_password(store, root, "ana", "a brand new secret") == 2
    assert all(browser_sessions.resolve(store, t) is None for t in tokens)
    assert authenticate(store, "ana", "a brand new secret") is not None
    token = browser_sessions.issue(store, ana.user_id, "password")
    admin.set_active(store, root, "ana", False)
    assert browser_sessions.resolve(store, token) is None
    assert authenticate(store, "ana", "a brand new secret") is None
    admin.set_active(store, root, "ana", True)
    events = [line.event for line in recent(store)]
    assert events[:3] == ["reactivated", "deactivated", "password_reset"]
    assert recent(store)[2].sentence().startswith("Root: Ana had their password reset")


def test_supervision_and_cohorts(store: st.Store) -> None:
    root, sue = person(store, "root", "admin"), person(store, "sue", "supervisor")
    ana, ben = person(store, "ana"), person(store, "ben")
    admin.assign(store, root, "sue", "ana")
    assert admin.list_assignments(store, root) == [("sue", "Sue", "ana", "Ana")]
    with pytest.raises(admin.AccountError, match="not a supervisor"):
        admin.assign(store, root, "ben", "ana")
    cohort = admin.create_cohort(store, root, "  Year   2026 ")
    admin.cohort_change(store, root, cohort, "ben", as_supervisor=False, add=True)
    admin.cohort_change(store, root, cohort, "sue", as_supervisor=True, add=True)
    (view,) = admin.list_cohorts(store, root)
    assert view.name == "Year 2026" and view.members == [("ben", "Ben")]
    assert view.supervisors == [("sue", "Sue")]
    played(store, ben)
    played(store, ana)
    assert awaiting_review(store, sue) == 2
    admin.cohort_change(store, root, cohort, "ben", as_supervisor=False, add=False)
    admin.unassign(store, root, "sue", "ana")
    assert awaiting_review(store, sue) == 0
    people = {p.login: p for p in admin.list_people(store, root)}
    assert people["ana"].supervisors == [] and people["ben"].cohorts == []


# --- the People page ---------------------------------------------------------------------


def _lock(store: st.Store, login: str) -> None:
    now = datetime.now(UTC) - timedelta(minutes=5)
    for _ in range(10):
        outcome = attempt_sign_in(store, login, "not the password", client="10.1.1.1", now=now)
        now += timedelta(seconds=outcome.wait_seconds if not outcome.locked else 0)
    assert outcome.locked


def test_an_admin_unlocks_an_account_from_the_app(app_db: str, store: st.Store) -> None:
    root = person(store, "root", "admin")
    person(store, "ana")
    _lock(store, "ana")
    at = app_as(root, "Root", page="people")
    assert not at.exception, at.exception
    statuses = dict(zip(at.dataframe[0].value["Username"], at.dataframe[0].value["Status"], strict=True))
    assert statuses["ana"].startswith("Locked until") and statuses["root"] == "Active"
    at.selectbox(key="people-person").set_value("ana").run()
    at.button(key="people-unlock").click().run()
    assert "ana can sign in again." in texts(at)
    assert attempt_sign_in(store, "ana", "ana-correct-horse", client="10.1.1.2").account is not None
    assert recent(store, events=("unlocked",))[0].sentence() == "Root: Ana was unlocked"


def test_an_admin_creates_changes_and_deactivates_people_in_the_app(app_db: str, store: st.Store) -> None:
    root = person(store, "root", "admin")
    at = app_as(root, "Root", page="people")
    form = {t.label: t for t in at.text_input}
    form["Username"].input("Ben")
    form["Display name"].input("Ben Okafor")
    at.selectbox[0].set_value("supervisor")
    form["Password"].input("short")
    form["Password again"].input("short")
    at.button(key="FormSubmitter:people-create-Create account").click().run()
    assert "at least 10 characters" in texts(at)
    form = {t.label: t for t in at.text_input}
    form["Password"].input("ben's long secret")
    form["Password again"].input("ben's long secret")
    at.button(key="FormSubmitter:people-create-Create account").click().run()
    assert "Created Ben (supervisor)." in texts(at), texts(at)
    assert authenticate(store, "ben", "ben's long secret").role == "supervisor"

    at.selectbox(key="people-person").set_value("ben").run()
    at.selectbox(key="people-role-ben").set_value("trainee").run()
    at.button(key="people-save-role").click().run()
    assert "ben is now trainee." in texts(at) and get_account(store, "ben").role == "trainee"
    at.selectbox(key="people-person").set_value("ben").run()
    at.button(key="people-deactivate").click().run()
    assert get_account(store, "ben").disabled
    # refusing what would lock everyone out shows the reason, no traceback
    at.selectbox(key="people-person").set_value("root").run()
    at.button(key="people-deactivate").click().run()
    assert not at.exception and "cannot deactivate your own account" in texts(at)


def test_the_people_page_is_for_admins_only(app_db: str, store: st.Store) -> None:
    sue = person(store, "sue", "supervisor")
    at = app_as(sue, "Sue", all_pages=True, page="people")
    assert "not available to your account" in texts(at) and not at.dataframe
