"""Signed-in identity for the pages: accounts (local or OIDC) and workshop seats.

Whoever signs in is stored exactly where the practice app keeps its visitor
(`state.USER`, a `UserRecord`), so practice, report and progress work for every
kind of identity without change. Role checks here only decide what to *show*;
the data layer (`trainer.authz`) decides what can be *read*.

A sign-in lasts beyond the tab: it opens a server-side session whose signed
token the browser keeps in a cookie (`trainer.webapp.cookies`). `restore()`
runs first on every script run: it re-checks the session (revoked, expired,
person deactivated or role changed all apply at once) or, in a new tab or
after a refresh, signs the browser back in from its cookie.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import streamlit as st

from trainer.accounts import browser_sessions
from trainer.accounts.audit import log_event
from trainer.accounts.oidc import identity_from_user_info, is_oidc_configured
from trainer.accounts.service import AccountInfo, account_for_oidc
from trainer.accounts.session_settings import session_settings
from trainer.accounts.sign_in import SignInOutcome, attempt_sign_in
from trainer.store.access import Viewer
from trainer.store.records import UserRecord
from trainer.webapp import cookies, state
from trainer.webapp.resources import get_store

WORKSHOP = "trainer_workshop_id"  # workshop a seat (or a joined account) practises in
REJOIN = "trainer_rejoin_code"  # shown once after joining, then forgotten
AUTH_KIND = "trainer_auth_kind"  # "password" | "oidc" | "seat" | "name"
TOKEN = "trainer_session_token"  # signed token of this browser's server-side session
ENDED = "trainer_session_ended"  # one-shot: why the sign-in page is shown again
_DEAD = "trainer_dead_cookie"  # a cookie token already found invalid (not asked again)


def current_user() -> UserRecord | None:
    return st.session_state.get(state.USER)


def current_viewer() -> Viewer | None:
    user = current_user()
    return Viewer(user_id=user.id, role=user.role) if user else None


def _record(user_id: uuid.UUID, display_name: str, role: str) -> UserRecord:
    return UserRecord(id=user_id, display_name=display_name, role=role, created_at=datetime.now(UTC))


def remember(info: AccountInfo, kind: str) -> UserRecord:
    """Make `info` the signed-in user of this browser session."""
    _end_previous_session()
    for key in (state.LIVE, state.REPORT, WORKSHOP, REJOIN, TOKEN):
        st.session_state.pop(key, None)
    user = _record(info.user_id, info.display_name, info.role)
    st.session_state[state.USER] = user
    st.session_state[AUTH_KIND] = kind
    if info.workshop_id is not None:
        st.session_state[WORKSHOP] = info.workshop_id
    if kind == "password":  # OIDC sign-ins last through Streamlit's own cookie
        _start_session(info.user_id, "password", info.workshop_id)
    return user


def _end_previous_session() -> None:
    """Signing in as someone else in this tab ends the session it had."""
    old = st.session_state.pop(TOKEN, None)
    if old is not None:
        browser_sessions.revoke(get_store(), old, "replaced")


def _start_session(user_id: uuid.UUID, kind: str, workshop_id: uuid.UUID | None = None) -> None:
    token = browser_sessions.issue(get_store(), user_id, kind, workshop_id=workshop_id)
    st.session_state[TOKEN] = token
    cookies.queue_set(token, session_settings().max_age)


def remember_name(user: UserRecord) -> UserRecord:
    """No-accounts mode: this browser practises as `user` until it switches person."""
    _end_previous_session()
    st.session_state[state.USER] = user
    st.session_state[AUTH_KIND] = "name"
    _start_session(user.id, "name")
    return user


def client_address() -> str:
    """Where the request comes from, for throttling and the audit log ("local" on loopback)."""
    try:
        address = st.context.ip_address
    except Exception:  # noqa: BLE001 - no client context
        return "local"
    return address if isinstance(address, str) and address else "local"


def _forget_identity() -> None:
    for key in (state.USER, state.LIVE, state.REPORT, WORKSHOP, REJOIN, AUTH_KIND, TOKEN):
        st.session_state.pop(key, None)


def restore() -> UserRecord | None:
    """The signed-in user for this run, checked against the server session on every run.

    An identity put in the session without a token (an OIDC sign-in, a test
    harness) is kept as it is; a token that no longer opens a session (signed
    out elsewhere, idle too long, deactivated) signs this tab out.
    """
    from trainer.webapp.roles_nav import accounts_required

    token = st.session_state.get(TOKEN)
    from_cookie = False
    if token is None:
        if current_user() is not None:
            return current_user()
        token = cookies.read_token()
        if token is None or token == st.session_state.get(_DEAD):
            return None
        from_cookie = True
    store = get_store()
    active = browser_sessions.resolve(store, token)
    if active is not None and active.kind == "name" and accounts_required(store):
        active = None  # a display name is no identity once accounts exist
    if active is None:
        if from_cookie:
            st.session_state[_DEAD] = token
        else:
            was_name = st.session_state.get(AUTH_KIND) == "name"
            _forget_identity()
            if not was_name:  # the welcome page asks for a name again anyway
                st.session_state[ENDED] = (
                    "Your sign-in has ended (signed out elsewhere, or unused for too long). "
                    "Please sign in again."
                )
        return None
    user = current_user()
    if user is None or user.id != active.user_id or user.role != active.role \
            or user.display_name != active.display_name:
        user = UserRecord(id=active.user_id, display_name=active.display_name, role=active.role,
                          created_at=active.user_created_at)
        st.session_state[state.USER] = user
    st.session_state[TOKEN] = token
    st.session_state[AUTH_KIND] = active.kind
    if active.workshop_id is not None and WORKSHOP not in st.session_state:
        st.session_state[WORKSHOP] = active.workshop_id
    return user


def remember_workshop(workshop_id: uuid.UUID) -> None:
    """Practise in this workshop from now on, in this tab and after a refresh."""
    st.session_state[WORKSHOP] = workshop_id
    browser_sessions.set_workshop(get_store(), st.session_state.get(TOKEN), workshop_id)


def remember_seat(viewer: Viewer, display_name: str, workshop_id: uuid.UUID) -> UserRecord:
    _end_previous_session()
    for key in (state.LIVE, state.REPORT):
        st.session_state.pop(key, None)
    user = _record(viewer.user_id, display_name, viewer.role)
    st.session_state[state.USER] = user
    st.session_state[AUTH_KIND] = "seat"
    st.session_state[WORKSHOP] = workshop_id
    _start_session(viewer.user_id, "seat", workshop_id)
    return user


def sign_in_with_password(login: str, password: str) -> SignInOutcome:
    """One attempt, throttled and audited; on success this browser is signed in."""
    outcome = attempt_sign_in(get_store(), login, password, client=client_address())
    if outcome.account is not None:
        remember(outcome.account, "password")
    return outcome


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
    store = get_store()
    info = account_for_oidc(store, identity)
    log_event(store, "sign_in", login=info.login or info.email, user_id=info.user_id,
              client=client_address(), detail="identity provider")
    return remember(info, "oidc")


def sign_out() -> None:
    """End this browser's session on the server, drop its cookie, forget the identity here
    (and leave the identity provider's session too)."""
    kind = st.session_state.get(AUTH_KIND)
    token = st.session_state.get(TOKEN)
    user = current_user()
    if token is not None:
        store = get_store()
        if browser_sessions.revoke(store, token) and user is not None and kind != "name":
            log_event(store, "signed_out", user_id=user.id, client=client_address())
        st.session_state[_DEAD] = token
    cookies.queue_delete()
    _forget_identity()
    if kind == "oidc" and is_oidc_configured():
        st.logout()


def require_role(*roles: str) -> Viewer:
    """The signed-in viewer if their role is among `roles`; otherwise say so and stop the page.

    Nobody signed in (a link opened after signing out, or after the session
    expired): the sign-in form in place of the page, which opens once signed in.
    """
    viewer = current_viewer()
    if viewer is None:
        from trainer.webapp.components.sign_in_form import render_sign_in

        _, middle, _ = st.columns([1, 2, 1])
        with middle:
            st.title("Sign in")
            st.info("Please sign in first. This page opens once you have.", icon=":material/login:")
            render_sign_in(stay_here=True)
        st.stop()
    if roles and viewer.role not in roles:
        st.warning("This page is not available to your account.", icon=":material/lock:")
        st.stop()
    return viewer


def active_workshop() -> uuid.UUID | None:
    """The workshop this browser session practises in (set by joining), if any."""
    value = st.session_state.get(WORKSHOP)
    return value if isinstance(value, uuid.UUID) else None
