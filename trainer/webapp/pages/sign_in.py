"""Sign-in page (the Account page once signed in): the identity provider when one is
configured, else a local account, throttled against guessing."""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitAPIException

from trainer.accounts.oidc import is_oidc_configured, oidc_status
from trainer.accounts.session_settings import session_settings
from trainer.practice import md_escape
from trainer.webapp.auth import (
    ENDED,
    current_user,
    sign_in_with_password,
    sign_out,
    sync_oidc_user,
)
from trainer.webapp.roles_nav import MINE, landing_page

JUST_SIGNED_IN = "trainer_just_signed_in"

user = sync_oidc_user() or current_user()
if user is not None and st.session_state.pop(JUST_SIGNED_IN, False):
    try:
        st.switch_page(landing_page(user.role))
    except StreamlitAPIException:
        pass  # the app's navigation does not offer that page: stay here

_, middle, _ = st.columns([1, 2, 1])
with middle:
    if user is not None:
        st.title("Account")
        st.success(f"Signed in as **{md_escape(user.display_name)}** ({user.role}).",
                   icon=":material/verified_user:")
        hours = session_settings().idle_hours
        st.caption(f"You stay signed in on this browser, across refreshes and new tabs, until you "
                   f"sign out or leave it unused for {hours:g} hours.")
        if st.button("Sign out", icon=":material/logout:", key="sign-out-here"):
            sign_out()
            st.rerun()
        st.stop()

    st.title("Sign in")
    ended = st.session_state.pop(ENDED, None)
    if ended:
        st.info(ended, icon=":material/schedule:")
    if is_oidc_configured():
        providers = oidc_status().providers
        for provider in providers:
            label = "Sign in with your organisation" if provider == "default" else f"Sign in with {provider.title()}"
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
                st.session_state[JUST_SIGNED_IN] = True
                st.rerun()

    st.divider()
    st.markdown("**In a workshop?** Join with the code your facilitator shows you; no account needed.")
    st.page_link(MINE["join"], label="Join a workshop", icon=":material/group_add:")
