"""Join page: a participant enters the workshop code and a display name; no password."""

from __future__ import annotations

import streamlit as st

from trainer.practice import md_escape
from trainer.webapp.auth import (
    AUTH_KIND,
    REJOIN,
    current_user,
    current_viewer,
    remember_seat,
    remember_workshop,
)
from trainer.webapp.resources import get_store
from trainer.webapp.roles_nav import app_page
from trainer.workshops.service import (
    JoinRefused,
    join_with_account,
    join_workshop,
    rejoin_workshop,
)

PRACTICE = app_page("practice")

_, middle, _ = st.columns([1, 2, 1])
with middle:
    st.title("Join a workshop")
    user = current_user()
    if user is not None and st.session_state.get(AUTH_KIND) == "seat":
        st.success(f"Welcome, **{md_escape(user.display_name)}**. You are in.", icon=":material/celebration:")
        code_shown = st.session_state.get(REJOIN)
        if code_shown:
            st.markdown("Your personal code to come back later (another device, or after closing this tab):")
            st.code(code_shown, language=None)
            st.caption("Keep it to yourself: with the workshop code and your name it opens your seat.")
        st.page_link(PRACTICE, label="Start practising", icon=":material/play_arrow:")
        st.stop()

    typed_code = st.query_params.get("code", "")
    if user is not None:  # signed in with an account: join under it, no new identity
        with st.form("join-account", border=True):
            code = st.text_input("Workshop code", value=typed_code, max_chars=20, placeholder="ABCD-EFGH")
            joined = st.form_submit_button("Join", type="primary")
        if joined:
            try:
                workshop = join_with_account(get_store(), current_viewer(), code)
            except JoinRefused as exc:
                st.error(str(exc))
            else:
                remember_workshop(workshop.id)
                st.success(f"You joined **{md_escape(workshop.title)}** as {md_escape(user.display_name)}.")
                st.page_link(PRACTICE, label="Start practising", icon=":material/play_arrow:")
        st.stop()
    join_tab, rejoin_tab = st.tabs(["Join", "I have joined before"])
    with join_tab, st.form("join", border=True):
        code = st.text_input("Workshop code", value=typed_code, max_chars=20, placeholder="ABCD-EFGH")
        name = st.text_input("Your name, as the facilitator will see it", max_chars=80)
        joined = st.form_submit_button("Join", type="primary")
    if joined:
        try:
            seat = join_workshop(get_store(), code, name)
        except JoinRefused as exc:
            st.error(str(exc))
        else:
            remember_seat(seat.viewer, seat.display_name, seat.workshop.id)
            st.session_state[REJOIN] = seat.rejoin_code
            st.rerun()
    with rejoin_tab, st.form("rejoin", border=True):
        code = st.text_input("Workshop code", value=typed_code, max_chars=20, key="rejoin-code")
        name = st.text_input("Your name", max_chars=80, key="rejoin-name")
        personal = st.text_input("Your personal code", type="password", max_chars=20)
        back = st.form_submit_button("Continue", type="primary")
    if back:
        try:
            seat = rejoin_workshop(get_store(), code, name, personal)
        except JoinRefused as exc:
            st.error(str(exc))
        else:
            remember_seat(seat.viewer, seat.display_name, seat.workshop.id)
            st.rerun()
