"""The new-workshop form: what participants practise, and the continuing-education details."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

import streamlit as st

from trainer.workshops.certificates import hours_text
from trainer.workshops.service import WorkshopInfo
from trainer.workshops.spec import WorkshopSpec

COUNTS = {"any": "Any finished session", "practice": "Practice sessions only",
          "assessment": "Assessment sessions only"}


def ce_summary(workshop: WorkshopInfo) -> str:
    """One line for a workshop card: the CE hours and what completes the workshop."""
    rule = f"Completed by {workshop.rule.describe()}"
    if workshop.ce_hours is None:
        return f"{rule} \u00b7 no CE hours"
    provider = f" from {workshop.ce_provider}" if workshop.ce_provider else ""
    approval = f" (approval {workshop.ce_approval})" if workshop.ce_approval else ""
    return f"{rule} \u00b7 {hours_text(workshop.ce_hours)} CE{provider}{approval}"


def workshop_form(library: Mapping[str, str], rubric_ids: Sequence[str], *,
                  today: date) -> tuple[Callable[[], WorkshopSpec], bool]:
    """Draw the form; returns (a builder of the spec, whether it was submitted).

    The builder raises pydantic's ValidationError for the page to turn into plain sentences.
    """
    with st.form("new-workshop", border=False):
        title = st.text_input("Title", max_chars=200, placeholder="EFT first sessions, morning group")
        held_on = st.date_input("Date", value=today)
        chosen = st.multiselect("Couples participants may practise with", list(library),
                                default=list(library)[:1], format_func=lambda c: library[c])
        rubric_id = st.selectbox("Rubric", list(rubric_ids))
        mode = st.radio("Mode", ["practice", "assessment"], horizontal=True,
                        captions=["live hints after each turn", "no hints, scored at the end"])
        st.markdown("**Continuing education**")
        left, right = st.columns(2)
        hours = left.number_input("CE hours (0: none)", min_value=0.0, max_value=100.0, value=0.0,
                                  step=0.5, format="%.2f", key="ce-hours")
        provider = right.text_input("Provider", max_chars=200, key="ce-provider",
                                    placeholder="Northside Institute for Couple Therapy")
        approval = left.text_input("Approval number", max_chars=100, key="ce-approval",
                                   placeholder="e.g. CE-2026-0142")
        sessions = right.number_input("Sessions to complete", min_value=1, max_value=20, value=1, step=1,
                                      key="ce-sessions")
        counts = st.radio("Which sessions count", list(COUNTS), format_func=COUNTS.get, horizontal=True,
                          key="ce-mode")
        st.caption("Participants who complete the sessions earn the hours and a printable certificate; "
                   "the dashboard has the roster and every certificate.")
        create = st.form_submit_button("Create workshop", type="primary")

    def spec() -> WorkshopSpec:
        return WorkshopSpec(
            title=title, date=held_on, couples=chosen, rubric_id=rubric_id or "", mode=mode,
            ce_hours=float(hours) or None, ce_provider=provider, ce_approval=approval,
            completion_sessions=int(sessions), completion_mode=counts,
        )

    return spec, create
