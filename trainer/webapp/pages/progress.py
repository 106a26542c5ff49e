"""Progress page: past sessions with scores, a chart per criterion, reopen or resume."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from trainer.review.status import reviewed_sessions
from trainer.store import criterion_history, list_sessions_for_user, viewer_for
from trainer.webapp import state
from trainer.webapp.components.charts import criterion_history_chart, session_numbers
from trainer.webapp.components.review_marks import review_cell, review_notice
from trainer.webapp.components.timefmt import local
from trainer.webapp.identity import require_user
from trainer.webapp.resources import couples, get_service, rubrics

user = require_user()
service = get_service()
viewer = viewer_for(user)
titles = {couple.id: couple.title for couple in couples()}
criteria = {c.id: c.title for rubric in rubrics() for c in rubric.criteria}

st.title("Your progress")
sessions = list_sessions_for_user(service.store, viewer)
if not sessions:
    st.info("No sessions yet. Your sessions and scores will appear here.")
    st.page_link(state.PAGES["practice"], label="Start practising", icon=":material/play_arrow:")
    st.stop()

reviewed = reviewed_sessions(service.store, viewer)
review_notice(reviewed, titles)
done = [s for s in sessions if s.is_completed and s.latest_evaluation]
open_ = [s for s in sessions if not s.is_completed]
cols = st.columns(3, border=True)
cols[0].metric("Sessions completed", len(done))
cols[1].metric("Unfinished", len(open_))
if done:
    latest = done[0].official() or {}
    cols[2].metric("Latest total", f"{latest.get('total')} / {latest.get('max_total')}",
                   help="Your supervisor's score once they have reviewed the session, else the evaluator's.")

history = criterion_history(service.store, viewer)
if history:
    st.subheader("Each criterion across your sessions")
    st.caption("Square points are your supervisor's scores, which replace the evaluator's once a session is reviewed.")
    numbers = session_numbers(history)
    chart_cols = st.columns(min(3, len({p.criterion_id for p in history})))
    for index, criterion_id in enumerate(dict.fromkeys(p.criterion_id for p in history)):
        with chart_cols[index % len(chart_cols)]:
            st.markdown(f"**{criteria.get(criterion_id, criterion_id)}**")
            points = [p for p in history if p.criterion_id == criterion_id]
            st.altair_chart(criterion_history_chart(points, numbers), width="stretch")

st.subheader("Sessions")
rows = []
for record in sessions:
    evaluation = record.official()
    scores = {c["id"]: c["score"] for c in (evaluation.get("criteria", []) if evaluation else [])}
    by = " (supervisor)" if evaluation and "evaluator_total" in evaluation else ""
    row = {
        "Date": local(record.started_at, "%Y-%m-%d %H:%M"),
        "Couple": titles.get(record.couple_id, record.couple_id),
        "Mode": record.mode.title(),
        "Turns": record.therapist_turns,
        "Status": "Completed" if record.is_completed else "Unfinished",
        "Total": f"{evaluation['total']} / {evaluation['max_total']}{by}" if evaluation else "\u2014",
        "Scores": " \u00b7 ".join(str(v) for v in scores.values()) if scores else "\u2014",
        "Supervisor": review_cell(record.id, reviewed),
    }
    rows.append(row)
order = list(dict.fromkeys(
    c["id"] for s in done for c in s.latest_evaluation.result.get("criteria", [])
))
st.dataframe(
    pd.DataFrame(rows), hide_index=True, width="stretch",
    column_config={
        "Scores": st.column_config.TextColumn(
            "Scores", help="Per criterion, in order: " + "; ".join(criteria.get(c, c) for c in order)),
        "Turns": st.column_config.NumberColumn("Turns", help="Your turns in the session, as its turn counter counts them."),
        "Total": st.column_config.TextColumn(
            "Total", help="Your supervisor's score once they have reviewed the session, else the evaluator's."),
    },
)

labels = {
    str(s.id): f"{local(s.started_at, '%d %b %H:%M')} \u00b7 {titles.get(s.couple_id, s.couple_id)} \u00b7 "
    + ("report" if s.is_completed else "unfinished")
    for s in sessions
}
chosen = st.selectbox("Open a session", options=list(labels), format_func=labels.get, key="open-session")
record = next(s for s in sessions if str(s.id) == chosen)
if record.is_completed:
    if st.button("Open report", type="primary", icon=":material/description:", key="open-report"):
        st.session_state[state.REPORT] = chosen
        st.switch_page(state.PAGES["report"], query_params={"session": chosen})
elif st.button("Resume session", type="primary", icon=":material/replay:", key="resume-session"):
    try:
        st.session_state[state.LIVE] = service.resume(user, chosen)
    except Exception as exc:  # noqa: BLE001 - shown as one line, never a traceback
        st.warning(str(exc))
    else:
        st.switch_page(state.PAGES["practice"])
