"""Workshops page (facilitators, admins): create a workshop, with its continuing-education
details, and share its join code."""

from __future__ import annotations

from datetime import date

import streamlit as st
from pydantic import ValidationError

from trainer.practice import md_escape
from trainer.webapp.auth import require_role
from trainer.webapp.components.workshop_form import ce_summary, workshop_form
from trainer.webapp.resources import couples, get_store, rubrics
from trainer.webapp.roles_nav import MINE
from trainer.workshops.service import create_workshop, list_workshops, set_status
from trainer.workshops.spec import InvalidWorkshop, check_against_library, spec_problems

DASHBOARD = MINE["dashboard"]

viewer = require_role("facilitator", "admin")
store = get_store()
library = {c.id: c.title for c in couples()}
rubric_ids = [r.id for r in rubrics()]

st.title("Workshops")
with st.expander("New workshop", expanded=not list_workshops(store, viewer), icon=":material/add:"):
    spec_input, create = workshop_form(library, rubric_ids, today=date.today())
    if create:
        try:
            spec = check_against_library(spec_input(), couples=list(library), rubrics=rubric_ids)
            made = create_workshop(store, viewer, spec)
        except ValidationError as exc:
            for problem in spec_problems(exc):
                st.error(problem)
        except InvalidWorkshop as exc:
            st.error(str(exc))
        else:
            st.success(f"Created. Join code: **{made.join_code}**")

for workshop in list_workshops(store, viewer):
    # keyed by the workshop, so the card and its link stay together when the list changes
    with st.container(border=True, key=f"workshop-{workshop.id}"):
        left, right = st.columns([3, 2], vertical_alignment="center")
        left.markdown(f"### {md_escape(workshop.title)}")
        left.caption(f"{workshop.held_on:%d %b %Y} \u00b7 {workshop.mode} \u00b7 "
                     + ", ".join(md_escape(library.get(c, c)) for c in workshop.couples))
        left.caption(md_escape(ce_summary(workshop)))
        right.metric("Join code", workshop.join_code)
        a, b = st.columns(2)
        # a link carrying the workshop's id: it opens this workshop here, in a new tab or when shared
        a.page_link(DASHBOARD, label="Open the dashboard", icon=":material/monitoring:",
                    query_params={"workshop": str(workshop.id)})
        closed = workshop.status == "closed"
        if b.button("Reopen to new participants" if closed else "Close to new participants",
                    key=f"status-{workshop.id}", type="tertiary"):
            set_status(store, viewer, workshop.id, "open" if closed else "closed")
            st.rerun()
