"""Signed-in identity for the pages: accounts (local or OIDC) and workshop seats.

Whoever signs in is stored exactly where the practice app keeps its visitor
(`state.USER`, a `UserRecord`), so practice, report and progress work for every
kind of identity without change. Role checks here only decide what to *show*;
the data layer (`trainer.authz`) decides what can be *read*.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import streamlit as st

from trainer.accounts.oidc import identity_from_user_info, is_oidc_configured
from trainer.accounts.service import AccountInfo, account_for_oidc, authenticate
from trainer.store.access import Viewer
from trainer.store.records import UserRecord
from trainer.webapp import state
from trainer.webapp.resources import get_store

WORKSHOP = "trainer_workshop_id"  # workshop a seat (or a joined account) practises in
REJOIN = "trainer_rejoin_code"  # shown once after joining, then forgotten
AUTH_KIND = "trainer_auth_kind"  # "password" | "oidc" | "seat"


def current_user() -> UserRecord | None:
    return st.session_state.get(state.USER)


def current_viewer() -> Viewer | None:
    user = current_user()
    return Viewer(user_id=user.id, role=user.role) if user else None


def _record(user_id: uuid.UUID, display_name: str, role: str) -> UserRecord:
    return UserRecord(id=user_id, display_name=display_name, role=role, created_at=datetime.now(UTC))


def remember(info: AccountInfo, kind: str) -> UserRecord:
    """Make `info` the signed-in user of this browser session."""
    for key in (state.LIVE, state.REPORT, WORKSHOP, REJOIN):
        st.session_state.pop(key, None)
    user = _record(info.user_id, info.display_name, info.role)
    st.session_state[state.USER] = user
    st.session_state[AUTH_KIND] = kind
    if info.workshop_id is not None:
        st.session_state[WORKSHOP] = info.workshop_id
    return user


def remember_seat(viewer: Viewer, display_name: str, workshop_id: uuid.UUID) -> UserRecord:
    for key in (state.LIVE, state.REPORT):
        st.session_state.pop(key, None)
    user = _record(viewer.user_id, display_name, viewer.role)
    st.session_state[state.USER] = user
    st.session_state[AUTH_KIND] = "seat"
    st.session_state[WORKSHOP] = workshop_id
    return user


def sign_in_with_password(login: str, password: str) -> UserRecord | None:
    """The user for a correct login and password (None: a single, non-revealing failure)."""
    info = authenticate(get_store(), login, password)
    return remember(info, "password") if info else None


def sync_oidc_user() -> UserRecord | None:
    """Map the identity-provider sign-in in `st.user` (if any) to the local user, once."""
    if not is_oidc_configured():
        return None
    identity = identity_from_user_info(st.user.to_dict())
    if identity is None:
        return None
    user = current_user()
    if user is not None and st.session_state.get(AUTH_KIND) == "oidc":
        return user
    return remember(account_for_oidc(get_store(), identity), "oidc")


def sign_out() -> None:
    """Forget this browser session's identity (and leave the provider's session too)."""
    kind = st.session_state.get(AUTH_KIND)
    for key in (state.USER, state.LIVE, state.REPORT, WORKSHOP, REJOIN, AUTH_KIND):
        st.session_state.pop(key, None)
    if kind == "oidc" and is_oidc_configured():
        st.logout()


def require_role(*roles: str) -> Viewer:
    """The signed-in viewer if their role is among `roles`; otherwise say so and stop the page."""
    viewer = current_viewer()
    if viewer is None:
        st.info("Please sign in first.", icon=":material/login:")
        st.page_link(str(Path(__file__).resolve().parent / "pages" / "sign_in.py"), label="Sign in", icon=":material/login:")
        st.stop()
    if roles and viewer.role not in roles:
        st.warning("This page is not available to your account.", icon=":material/lock:")
        st.stop()
    return viewer


def active_workshop() -> uuid.UUID | None:
    """The workshop this browser session practises in (set by joining), if any."""
    value = st.session_state.get(WORKSHOP)
    return value if isinstance(value, uuid.UUID) else None
