"""Who is practising: the signed-in user, or (before any account exists) a display name.

Pages call `require_user()`. With accounts, the navigation only offers these
pages once someone has signed in (`trainer.webapp.auth`); on a fresh install,
when nobody has given a name in this browser, it shows the welcome form and
stops the page there. The name is remembered per browser like a sign-in
(`trainer.webapp.auth.remember_name`), and the page says plainly that it is
not a password. Signing out is `trainer.webapp.auth.sign_out`.
"""

from __future__ import annotations

import streamlit as st

from trainer.store import InvalidName, UserRecord, get_or_create_user_by_display_name
from trainer.webapp.auth import current_user, remember_name, require_role
from trainer.webapp.resources import get_store
from trainer.webapp.roles_nav import accounts_required


def require_user() -> UserRecord:
    """The visitor's user record, asking for a display name first if needed."""
    user = current_user()
    if user is not None:
        return user
    if accounts_required(get_store()):  # a name is no identity once accounts exist
        require_role()  # asks to sign in, and stops the page
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
                help="Your sessions and progress are kept under this name, in this browser.",
            )
            submitted = st.form_submit_button("Continue", type="primary")
        if submitted:
            try:
                remember_name(get_or_create_user_by_display_name(get_store(), name))
            except InvalidName as exc:
                st.error(str(exc))
            else:
                st.rerun()
        st.warning(
            "**Your name is not a password.** Anyone who types the same name, in any "
            "capitals, sees the sessions kept under it. On a shared computer, ask for an "
            "account or join a workshop with its code to keep your sessions private.",
            icon=":material/info:",
        )
        st.caption("Runs on this computer by default: no account, no key, no network needed. "
                   "This browser remembers you until you choose *Switch person*.")
    st.stop()
