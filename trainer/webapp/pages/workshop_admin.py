"""Workshops page (facilitators, admins): create a workshop and share its join code."""

from __future__ import annotations

from datetime import date

import streamlit as st
from pydantic import ValidationError

from trainer.practice import md_escape
from trainer.webapp.auth import require_role
from trainer.webapp.resources import couples, get_store, rubrics
from trainer.webapp.roles_nav import MINE
from trainer.workshops.service import create_workshop, list_workshops, set_status
from trainer.workshops.spec import InvalidWorkshop, WorkshopSpec, check_against_library

DASHBOARD = MINE["dashboard"]

viewer = require_role("facilitator", "admin")
store = get_store()
library = {c.id: c.title for c in couples()}
rubric_ids = [r.id for r in rubrics()]

st.title("Workshops")
with st.expander("New workshop", expanded=not list_workshops(store, viewer), icon=":material/add:"):
    with st.form("new-workshop", border=False):
        title = st.text_input("Title", max_chars=200, placeholder="EFT first sessions, morning group")
        held_on = st.date_input("Date", value=date.today())
        chosen = st.multiselect("Couples participants may practise with", list(library),
                                default=list(library)[:1], format_func=lambda c: library[c])
        rubric_id = st.selectbox("Rubric", rubric_ids)
        mode = st.radio("Mode", ["practice", "assessment"], horizontal=True,
                        captions=["live hints after each turn", "no hints, scored at the end"])
        create = st.form_submit_button("Create workshop", type="primary")
    if create:
        try:
            spec = check_against_library(
                WorkshopSpec(title=title, date=held_on, couples=chosen, rubric_id=rubric_id or "", mode=mode),
                couples=list(library), rubrics=rubric_ids,
            )
            made = create_workshop(store, viewer, spec)
        except ValidationError as exc:
            st.error("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()))
        except InvalidWorkshop as exc:
            st.error(str(exc))
        else:
            st.success(f"Created. Join code: **{made.join_code}**")

for workshop in list_workshops(store, viewer):
    with st.container(border=True):
        left, right = st.columns([3, 2], vertical_alignment="center")
        left.markdown(f"### {md_escape(workshop.title)}")
        left.caption(f"{workshop.held_on:%d %b %Y} \u00b7 {workshop.mode} \u00b7 "
                     + ", ".join(md_escape(library.get(c, c)) for c in workshop.couples))
        right.metric("Join code", workshop.join_code)
        a, b = st.columns(2)
        a.page_link(DASHBOARD, label="Open the dashboard", icon=":material/monitoring:",
                    query_params={"workshop": str(workshop.id)})
        closed = workshop.status == "closed"
        if b.button("Reopen to new participants" if closed else "Close to new participants",
                    key=f"status-{workshop.id}", type="tertiary"):
            set_status(store, viewer, workshop.id, "open" if closed else "closed")
            st.rerun()
