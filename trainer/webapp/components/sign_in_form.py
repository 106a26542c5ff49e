"""The sign-in form: on the Sign in page, and in place of any page a signed-out visitor opens.

Opened from a link (a report, a review) by someone not signed in, a page shows
this form instead of its content; after signing in the same address opens,
so a link from yesterday still leads where it pointed.
"""

from __future__ import annotations

import streamlit as st

from trainer.accounts.oidc import is_oidc_configured, oidc_status
from trainer.webapp.auth import ENDED, sign_in_with_password

JUST_SIGNED_IN = "trainer_just_signed_in"  # the Sign in page then moves on to the role's start page


def render_sign_in(*, stay_here: bool) -> None:
    """Identity-provider buttons when configured, else (or also) the local form.

    `stay_here`: after signing in, rerun the page that asked (its address is
    kept); otherwise the Sign in page sends the person to their start page.
    """
    ended = st.session_state.pop(ENDED, None)
    if ended:
        st.info(ended, icon=":material/schedule:")
    if is_oidc_configured():
        for provider in oidc_status().providers:
            label = ("Sign in with your organisation" if provider == "default"
                     else f"Sign in with {provider.title()}")
            if st.button(label, type="primary", icon=":material/badge:", key=f"oidc-{provider}",
                         width="stretch"):
                st.login(provider)
        local = st.expander("Sign in with a local account instead")
    else:
        local = st.container()
    with local:
        with st.form("local-sign-in", border=True):
            login = st.text_input("Username", max_chars=200, autocomplete="username")
            password = st.text_input("Password", type="password", max_chars=1024,
                                     autocomplete="current-password")
            submitted = st.form_submit_button("Sign in", type="primary")
        if submitted:
            outcome = sign_in_with_password(login, password)
            if outcome.account is None:
                st.error(outcome.message or "Sign-in failed.", icon=":material/error:")
            else:
                if not stay_here:
                    st.session_state[JUST_SIGNED_IN] = True
                st.rerun()
