"""Report page: the scored session the trainee just ended (or reopened from Progress),
with their supervisor's feedback once the session has been reviewed."""

from __future__ import annotations

import streamlit as st

from trainer.errors import TrainerError
from trainer.store import NotFound, viewer_for
from trainer.webapp import state
from trainer.webapp.components.report_view import render_report
from trainer.webapp.components.supervisor_feedback import render_supervisor_feedback
from trainer.webapp.identity import require_user
from trainer.webapp.resources import get_service

user = require_user()
service = get_service()

# The address (?session=...) wins, so a refresh, a bookmark or a link to another report shows
# that report; without one, the report this visit last opened. Either way it is read as `user`.
session_id = st.query_params.get("session") or st.session_state.get(state.REPORT)
if session_id:
    st.session_state[state.REPORT] = session_id
if not session_id:
    st.title("Report")
    st.info("End a practice session, or open one from your progress, to see its report.")
    st.page_link(state.PAGES["progress"], label="Your sessions", icon=":material/timeline:")
    st.stop()

try:
    view = service.report(user, session_id)
except (NotFound, TrainerError) as exc:
    st.title("Report")
    st.warning(str(exc) if not isinstance(exc, NotFound) else "No such session among yours.")
    st.stop()

st.query_params["session"] = str(session_id)
flash = st.session_state.pop(state.FLASH, None)  # e.g. the session had moved on in another tab
if flash:
    st.info(flash, icon=":material/info:")
titles = {criterion.id: criterion.title for criterion in view.criteria}
render_report(
    view, transcript=lambda: service.transcript_file(user, session_id), key="report",
    # the supervisor's feedback, once the session is marked reviewed, right under the scores
    after_summary=lambda: render_supervisor_feedback(service.store, viewer_for(user), session_id, titles),
)
st.divider()
left, right, _ = st.columns([1, 1, 2])
left.page_link(state.PAGES["practice"], label="Practise again", icon=":material/play_arrow:")
right.page_link(state.PAGES["progress"], label="All your sessions", icon=":material/timeline:")
