"""Workshop dashboard (facilitators, admins): refreshes itself while the room practises."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import streamlit as st

from trainer.practice import md_escape
from trainer.store.access import NotFound
from trainer.webapp.auth import require_role
from trainer.webapp.components.workshop_board import render_board
from trainer.webapp.components.workshop_certificates import render_completion
from trainer.webapp.resources import get_store
from trainer.webapp.roles_nav import MINE
from trainer.workshops.queries import (
    workshop_completion,
    workshop_dashboard,
    workshop_export,
    workshop_roster,
)
from trainer.workshops.service import get_workshop, list_workshops

REFRESH_SECONDS = 5

viewer = require_role("facilitator", "admin")
store = get_store()
mine = list_workshops(store, viewer)
wanted = st.query_params.get("workshop")
if not wanted:
    if not mine:
        st.title("Workshop dashboard")
        st.info("Create a workshop first.")
        st.page_link(MINE["workshops"], label="Workshops", icon=":material/groups:")
        st.stop()
    wanted = str(mine[0].id)
    st.query_params["workshop"] = wanted  # the address names the workshop: refresh and links agree
names = {str(w.id): w.title for w in mine}
if len(names) > 1 and wanted in names:
    chosen = st.selectbox("Workshop", list(names), index=list(names).index(wanted), format_func=names.get,
                          key=f"dash-workshop-{wanted}")
    if chosen != wanted:
        st.query_params["workshop"] = chosen
        st.rerun()
try:
    workshop = get_workshop(store, viewer, wanted)
except NotFound:
    st.title("Workshop dashboard")
    st.warning("No such workshop among yours.")
    st.stop()

st.title(md_escape(workshop.title))
st.caption(f"{workshop.held_on:%d %b %Y} \u00b7 {workshop.mode} \u00b7 join code **{workshop.join_code}**"
           f"{' (closed)' if workshop.status == 'closed' else ''}")


@st.fragment(run_every=REFRESH_SECONDS)
def live() -> None:
    """Re-read the room every few seconds; only this part of the page reruns."""
    render_board(workshop_dashboard(store, viewer, workshop.id))
    st.caption(f"Updated {datetime.now(UTC):%H:%M:%S} UTC \u00b7 refreshes every {REFRESH_SECONDS} s")


live()

stem = f"workshop-{workshop.held_on:%Y%m%d}-{str(workshop.id)[:8]}"
terms, entries = workshop_roster(store, viewer, workshop.id)
render_completion(terms, entries, stem)

st.subheader("Exports")
a, b, c = st.columns(3)
a.download_button("Scores (CSV)", lambda: workshop_export(store, viewer, workshop.id, "csv"),
                  file_name=f"{stem}.csv", mime="text/csv", icon=":material/download:",
                  on_click="ignore", width="stretch", key="export-csv")
b.download_button("Sessions (JSON)", lambda: workshop_export(store, viewer, workshop.id, "json"),
                  file_name=f"{stem}.json", mime="application/json", icon=":material/download:",
                  on_click="ignore", width="stretch", key="export-json")
c.download_button(
    "Completion records (JSON)",
    lambda: json.dumps([r.model_dump(mode="json") for r in workshop_completion(store, viewer, workshop.id)],
                       indent=2, ensure_ascii=False),
    file_name=f"{stem}-completion.json", mime="application/json", icon=":material/workspace_premium:",
    on_click="ignore", width="stretch", key="export-completion",
)
