"""The supervisor's feedback on a trainee's report (shown once the session is marked reviewed).

For the report page: `render_supervisor_feedback(store, viewer, session_id)`
draws nothing when there is no reviewed feedback, so it can be called on every
report.
"""

from __future__ import annotations

import uuid

import streamlit as st

from trainer.practice import md_escape
from trainer.review import supervisor_feedback
from trainer.store.access import NotFound, Viewer
from trainer.store.db import Store


def render_supervisor_feedback(store: Store, viewer: Viewer, session_id: uuid.UUID | str,
                               titles: dict[str, str] | None = None) -> bool:
    """Draw the feedback box; True when there was feedback to show."""
    try:
        feedback = supervisor_feedback(store, viewer, session_id)
    except NotFound:
        return False
    if feedback is None:
        return False
    with st.container(border=True, key="supervisor-feedback"):
        who = md_escape(feedback.reviewer or "Your supervisor")
        when = f" \u00b7 {feedback.reviewed_at:%d %b %Y}" if feedback.reviewed_at else ""
        st.markdown(f"#### :material/supervisor_account: Feedback from {who}")
        st.caption(f"Reviewed{when}")
        if feedback.overall_comment:
            st.markdown(md_escape(feedback.overall_comment))
        for criterion_id, item in feedback.overrides.items():
            title = md_escape((titles or {}).get(criterion_id, criterion_id))
            st.markdown(f"- **{title}**: **{item.score} / 3**, your supervisor's score, counts "
                        f"(the evaluator gave {item.evaluator_score} / 3)"
                        + (f" \u2014 {md_escape(item.comment)}" if item.comment else ""))
        if feedback.overrides:
            st.caption("Where your supervisor changed a score, theirs is your score: in this report, "
                       "your progress and every export.")
    return True
