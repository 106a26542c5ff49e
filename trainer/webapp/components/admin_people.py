"""The admin's People page, one tab per job: accounts, supervision, cohorts, sign-in log.

Thin: every action calls `trainer.accounts.admin`, which re-checks that the
actor is an admin, refuses what would lock everyone out and writes the audit
log. Outcomes are shown once after the rerun (`FLASH`), errors in place.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pandas as pd
import streamlit as st

from trainer.accounts import admin
from trainer.accounts.audit import recent
from trainer.accounts.passwords import MIN_PASSWORD
from trainer.accounts.roles import ROLES
from trainer.errors import TrainerError
from trainer.practice import md_escape
from trainer.store.access import Viewer
from trainer.store.db import Store
from trainer.webapp.components.timefmt import local

FLASH = "trainer_people_flash"
SIGN_IN_EVENTS = ("sign_in", "sign_in_failed", "sign_in_refused", "locked", "unlocked", "signed_out")


def show_flash() -> None:
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(message, icon=":material/check_circle:")


def _run(action: Callable[[], object], done: str) -> None:
    """Do it; on success say so after a rerun, on refusal say why here."""
    try:
        action()
    except TrainerError as exc:
        st.error(str(exc), icon=":material/error:")
        return
    st.session_state[FLASH] = done
    st.rerun()


def _status(person: admin.PersonRow) -> str:
    if not person.active:
        return "Deactivated"
    if person.locked_until is not None:
        return f"Locked until {local(person.locked_until, '%H:%M')}"
    if person.recent_failures:
        return f"Active ({person.recent_failures} failed sign-in(s))"
    return "Active"


def _label(person: admin.PersonRow) -> str:
    return f"{person.display_name} ({person.login})"


def _passwords_match(first: str, second: str) -> str | None:
    if first != second:
        return "The two passwords differ."
    if len(first) < MIN_PASSWORD:
        return f"Please use a password of at least {MIN_PASSWORD} characters."
    return None


def accounts_tab(store: Store, viewer: Viewer) -> None:
    people = admin.list_people(store, viewer)
    with st.expander("Add a person", icon=":material/person_add:", expanded=not people):
        with st.form("people-create", clear_on_submit=False, border=False):
            cols = st.columns(2)
            login = cols[0].text_input("Username", max_chars=200, help="Letters, digits and . _ - @ +")
            name = cols[1].text_input("Display name", max_chars=80)
            role = cols[0].selectbox("Role", ROLES)
            first = cols[1].text_input("Password", type="password", max_chars=1024,
                                       help=f"At least {MIN_PASSWORD} characters; tell it to the person "
                                            "in private.")
            second = cols[1].text_input("Password again", type="password", max_chars=1024)
            create = st.form_submit_button("Create account", type="primary")
        if create:
            problem = _passwords_match(first, second)
            if problem:
                st.error(problem)
            else:
                _run(lambda: admin.create_person(store, viewer, login=login, display_name=name,
                                                 role=role or "trainee", password=first),
                     f"Created {login.strip()} ({role}).")
    if not people:
        st.info("No accounts yet.")
        return
    st.dataframe(
        pd.DataFrame([{
            "Username": p.login, "Name": p.display_name, "Role": p.role, "Status": _status(p),
            "Signs in with": p.sign_in,
            "Last sign-in": local(p.last_sign_in_at, "%Y-%m-%d %H:%M") if p.last_sign_in_at else "never",
            "Supervised by": ", ".join(p.supervisors), "Cohorts": ", ".join(p.cohorts),
        } for p in people]),
        hide_index=True, width="stretch",
    )
    st.subheader("Change an account")
    by_login = {p.login: p for p in people}
    chosen = st.selectbox("Person", list(by_login), format_func=lambda x: _label(by_login[x]),
                          key="people-person")
    person = by_login[chosen]
    st.caption(f"**{md_escape(_label(person))}** \u00b7 {person.role} \u00b7 {_status(person)}")
    role_col, password_col, state_col = st.columns(3, border=True)
    with role_col:
        new_role = st.selectbox("Role", ROLES, index=ROLES.index(person.role), key=f"people-role-{person.login}")
        if st.button("Save role", key="people-save-role", disabled=new_role == person.role):
            _run(lambda: admin.change_role(store, viewer, person.login, new_role),
                 f"{person.login} is now {new_role}.")
    with password_col, st.form("people-password", border=False, clear_on_submit=True):
        first = st.text_input("New password", type="password", max_chars=1024)
        second = st.text_input("New password again", type="password", max_chars=1024)
        reset = st.form_submit_button("Reset password")
    if reset:
        problem = _passwords_match(first, second)
        if problem:
            with password_col:
                st.error(problem)
        else:
            _run(lambda: admin.reset_password(store, viewer, person.login, first),
                 f"Password reset for {person.login}; their open sessions were signed out.")
    with state_col:
        if person.locked_until is not None or person.recent_failures:
            what = "Unlock" if person.locked_until is not None else "Clear failed sign-ins"
            if st.button(what, key="people-unlock", icon=":material/lock_open:", type="primary"):
                _run(lambda: admin.unlock(store, viewer, person.login),
                     f"{person.login} can sign in again.")
        if person.active:
            if st.button("Deactivate", key="people-deactivate", icon=":material/person_off:"):
                _run(lambda: admin.set_active(store, viewer, person.login, False),
                     f"{person.login} is deactivated and signed out everywhere.")
        elif st.button("Reactivate", key="people-reactivate", icon=":material/person_check:"):
            _run(lambda: admin.set_active(store, viewer, person.login, True),
                 f"{person.login} is active again.")


def _people_choice(people: list[admin.PersonRow], label: str, key: str,
                   roles: tuple[str, ...] | None = None) -> str | None:
    options = [p for p in people if roles is None or p.role in roles]
    if not options:
        st.caption(f"{label}: nobody yet")
        return None
    by_login = {p.login: p for p in options}
    return st.selectbox(label, list(by_login), format_func=lambda x: _label(by_login[x]), key=key)


def supervision_tab(store: Store, viewer: Viewer) -> None:
    st.caption("A supervisor sees and reviews the sessions of the trainees assigned here, "
               "and of every cohort they supervise.")
    people = [p for p in admin.list_people(store, viewer) if p.active]
    rows = admin.list_assignments(store, viewer)
    if rows:
        st.dataframe(pd.DataFrame(
            [{"Supervisor": f"{sn} ({sl})", "Trainee": f"{tn} ({tl})"} for sl, sn, tl, tn in rows]),
            hide_index=True, width="stretch")
    else:
        st.info("No direct assignments yet.")
    cols = st.columns(2)
    with cols[0]:
        supervisor = _people_choice(people, "Supervisor", "sup-supervisor", ("supervisor", "admin"))
    with cols[1]:
        trainee = _people_choice(people, "Trainee", "sup-trainee")
    if supervisor and trainee:
        add, remove, _ = st.columns([1, 1, 3])
        if add.button("Assign", key="sup-assign", type="primary", icon=":material/link:"):
            _run(lambda: admin.assign(store, viewer, supervisor, trainee),
                 f"{supervisor} now supervises {trainee}.")
        if remove.button("Remove", key="sup-remove", icon=":material/link_off:"):
            _run(lambda: admin.unassign(store, viewer, supervisor, trainee),
                 f"{supervisor} no longer supervises {trainee}.")


def cohorts_tab(store: Store, viewer: Viewer) -> None:
    with st.form("cohort-create", border=True, clear_on_submit=True):
        name = st.text_input("New cohort", max_chars=200, placeholder="2026 training year")
        if st.form_submit_button("Create cohort"):
            _run(lambda: admin.create_cohort(store, viewer, name), f"Cohort {' '.join(name.split())} created.")
    cohorts = admin.list_cohorts(store, viewer)
    if not cohorts:
        st.info("No cohorts yet.")
        return
    st.dataframe(pd.DataFrame([{
        "Cohort": c.name,
        "Members": ", ".join(n for _, n in c.members) or "\u2014",
        "Supervisors": ", ".join(n for _, n in c.supervisors) or "\u2014",
    } for c in cohorts]), hide_index=True, width="stretch")
    by_id: dict[uuid.UUID, admin.CohortView] = {c.id: c for c in cohorts}
    cols = st.columns(2)
    cohort_id = cols[0].selectbox("Cohort", list(by_id), format_func=lambda i: by_id[i].name,
                                  key="cohort-choice")
    with cols[1]:
        login = _people_choice([p for p in admin.list_people(store, viewer) if p.active],
                               "Person", "cohort-person")
    if login is None or cohort_id is None:
        return
    buttons = st.columns(4)
    actions = [
        ("Add as member", False, True), ("Remove member", False, False),
        ("Add as supervisor", True, True), ("Remove supervisor", True, False),
    ]
    for column, (label, as_supervisor, add) in zip(buttons, actions, strict=True):
        if column.button(label, key=f"cohort-{label.lower().replace(' ', '-')}"):
            _run(lambda s=as_supervisor, a=add: admin.cohort_change(
                     store, viewer, cohort_id, login, as_supervisor=s, add=a),
                 f"{label}: {login} \u2192 {by_id[cohort_id].name}.")


def log_tab(store: Store) -> None:
    only_sign_ins = st.toggle("Sign-ins only", value=True, key="log-sign-ins")
    lines = recent(store, limit=300, events=SIGN_IN_EVENTS if only_sign_ins else None)
    if not lines:
        st.info("Nothing recorded yet.")
        return
    st.dataframe(pd.DataFrame([
        {"When": local(line.at, "%Y-%m-%d %H:%M:%S"), "What happened": line.sentence()}
        for line in lines
    ]), hide_index=True, width="stretch")
    st.caption(f"Newest first; {len(lines)} line(s).")
