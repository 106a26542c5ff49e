"""Who is practising: a display name kept in the browser session (accounts come later).

Pages call `require_user()`; when nobody has given a name on this visit it
shows the welcome form and stops the page there.
"""

from __future__ import annotations

import streamlit as st

from trainer.store import InvalidName, UserRecord, get_or_create_user_by_display_name
from trainer.webapp import state
from trainer.webapp.resources import get_store


def current_user() -> UserRecord | None:
    return st.session_state.get(state.USER)


def sign_out() -> None:
    for key in (state.USER, state.LIVE, state.REPORT):
        st.session_state.pop(key, None)


def require_user() -> UserRecord:
    """The visitor's user record, asking for a display name first if needed."""
    user = current_user()
    if user is not None:
        return user
    _, middle, _ = st.columns([1, 2, 1])
    with middle:
        st.space("medium")
        st.title("Welcome")
        st.write(
            "Practise first sessions with simulated couples and get feedback that "
            "points to the exact moments that mattered."
        )
        with st.form("sign-in", border=True):
            name = st.text_input(
                "What should we call you?", max_chars=80, placeholder="Your name",
                help="Your sessions and progress are kept under this name.",
            )
            submitted = st.form_submit_button("Continue", type="primary")
        if submitted:
            try:
                st.session_state[state.USER] = get_or_create_user_by_display_name(get_store(), name)
            except InvalidName as exc:
                st.error(str(exc))
            else:
                st.rerun()
        st.caption("Runs on this computer by default: no account, no key, no network needed.")
    st.stop()
