"""Sign-in page (the Account page once signed in): the identity provider when one is
configured, else a local account, throttled against guessing."""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitAPIException

from trainer.accounts.session_settings import session_settings
from trainer.practice import md_escape
from trainer.webapp.auth import current_user, sign_out, sync_oidc_user
from trainer.webapp.components.sign_in_form import JUST_SIGNED_IN, render_sign_in
from trainer.webapp.roles_nav import MINE, landing_page

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
    render_sign_in(stay_here=False)
    st.divider()
    st.markdown("**In a workshop?** Join with the code your facilitator shows you; no account needed.")
    st.page_link(MINE["join"], label="Join a workshop", icon=":material/group_add:")
