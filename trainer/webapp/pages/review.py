"""Review page (supervisors, admins): the queue, then one session with overrides."""

from __future__ import annotations

import streamlit as st

from trainer.practice import build_report, md_escape
from trainer.practice.live import record_as_turn
from trainer.review import review_queue, review_subject, reviewable_trainees
from trainer.rubrics import load_rubric
from trainer.store.access import NotFound
from trainer.webapp.auth import require_role
from trainer.webapp.components.review_form import review_form
from trainer.webapp.resources import couples, get_store

viewer = require_role("supervisor", "admin")
store = get_store()
titles = {c.id: c.title for c in couples()}
chosen = st.query_params.get("session")

if chosen:
    if st.button("Back to the queue", icon=":material/arrow_back:", type="tertiary", key="back"):
        del st.query_params["session"]
        st.rerun()
    try:
        record, trainee_name = review_subject(store, viewer, chosen)
    except NotFound:
        st.title("Review")
        st.warning("No such session among those you review.")
        st.stop()
    evaluation = record.latest_evaluation
    if evaluation is None:
        st.warning("This session has no evaluation yet.")
        st.stop()
    view = build_report(
        [record_as_turn(t) for t in record.turns], evaluation.result,
        load_rubric(evaluation.rubric_id), title=titles.get(record.couple_id, record.couple_id),
        session_id=str(record.id),
    )
    st.title(f"Review: {md_escape(view.title)}")
    ended = record.ended_at.strftime("%d %b %Y, %H:%M UTC") if record.ended_at else ""
    st.caption(f"**{md_escape(trainee_name)}** \u00b7 {record.mode} session \u00b7 {ended} \u00b7 evaluator {md_escape(view.evaluator)}"
               f" \u00b7 total {view.total} / {view.max_total}")
    review_form(store, viewer, view, record.id)
    st.stop()

st.title("Sessions to review")
people = dict(reviewable_trainees(store, viewer))
if not people and viewer.role == "supervisor":
    st.info(
        "**No trainees are assigned to you yet**, so there is nothing to review. An administrator "
        "assigns trainees to you, directly or through a cohort you supervise (People page, or "
        "`trainer users assign` on the command line). Their completed sessions will then "
        "appear here.", icon=":material/person_search:")
    st.stop()
with st.container(border=True):
    cols = st.columns(4)
    trainee = cols[0].selectbox("Trainee", [None, *people], format_func=lambda i: "Everyone" if i is None else people[i],
                                key="q-trainee")
    couple = cols[1].selectbox("Couple", [None, *titles], format_func=lambda c: "All couples" if c is None else titles[c],
                               key="q-couple")
    dates = cols[2].date_input("Ended between", value=[], key="q-dates")
    low, high = cols[3].slider("Total score", 0, 9, (0, 9), key="q-score")
    include = st.toggle("Include reviewed sessions", key="q-reviewed")
since, until = (tuple(dates) + (None, None))[:2] if dates else (None, None)
items = review_queue(store, viewer, trainee_id=trainee, couple_id=couple, since=since, until=until,
                     min_total=low or None, max_total=None if high == 9 else high,
                     include_reviewed=include)
if not items:
    st.info("Nothing waiting for review with these filters.", icon=":material/inbox:")
for item in items:
    with st.container(border=True):
        left, middle, right = st.columns([3, 2, 1], vertical_alignment="center")
        left.markdown(f"**{md_escape(item.trainee)}** \u00b7 {md_escape(titles.get(item.couple_id, item.couple_id))}")
        ended = item.ended_at.strftime("%d %b %Y %H:%M") if item.ended_at else ""
        total = f"{item.total} / {item.max_total}" if item.total is not None else "not scored"
        middle.caption(f"{item.mode} \u00b7 {ended} \u00b7 {total}" + (" \u00b7 reviewed" if item.reviewed else ""))
        if right.button("Review", key=f"open-{item.session_id}", icon=":material/rate_review:"):
            st.query_params["session"] = str(item.session_id)
            st.rerun()
