"""Choosing whom to practise with: couple cards and the mode. No spoilers about the cycles."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from trainer.personas import Couple
from trainer.practice import md_escape
from trainer.store import SessionRecord
from trainer.webapp.components.timefmt import local

DIFFICULTY = {
    "beginner": ("Beginner", "green", ":material/signal_cellular_1_bar:"),
    "intermediate": ("Intermediate", "orange", ":material/signal_cellular_3_bar:"),
    "advanced": ("Advanced", "red", ":material/signal_cellular_4_bar:"),
}
MODES = {
    "practice": "Practice \u00b7 hints after each turn",
    "assessment": "Assessment \u00b7 no hints",
}


def difficulty_badge(level: str) -> None:
    label, color, icon = DIFFICULTY.get(level, (level.title(), "gray", None))
    st.badge(label, icon=icon, color=color)


def choose_mode(default: str) -> str:
    mode = st.segmented_control(
        "Mode", options=list(MODES), format_func=MODES.get, default=default, required=True,
        key="mode-choice", help="Assessment mode is for a clean run: feedback only at the end.",
    )
    return mode or default


def couple_cards(couples: Sequence[Couple], *, columns: int = 2) -> str | None:
    """Cards with title, difficulty, who they are and a summary; returns the couple chosen."""
    chosen: str | None = None
    rows = [couples[i : i + columns] for i in range(0, len(couples), columns)]
    for row in rows:
        cols = st.columns(columns, gap="medium")
        for col, couple in zip(cols, row, strict=False):
            with col, st.container(border=True, height="stretch"):
                st.markdown(f"#### {md_escape(couple.title)}")
                difficulty_badge(couple.difficulty)
                people = " & ".join(f"{p.name} ({p.age})" for p in couple.partners)
                st.caption(md_escape(people))
                st.write(couple.summary)
                if st.button("Start session", key=f"start-{couple.id}", icon=":material/play_arrow:",
                             type="secondary", width="stretch"):
                    chosen = couple.id
    return chosen


def resume_banner(unfinished: SessionRecord, couple: Couple | None) -> str | None:
    """Offer the newest unfinished session; returns 'resume' or 'dismiss' when clicked."""
    who = couple.title if couple else unfinished.couple_id
    started = local(unfinished.started_at, "%d %b, %H:%M")
    with st.container(border=True):
        st.markdown(f"**:material/history: Unfinished session: {md_escape(who)}**")
        st.caption(f"{unfinished.mode.title()} \u00b7 {unfinished.turn_count} turns so far \u00b7 started {started}")
        row = st.container(horizontal=True, gap="small")
        if row.button("Resume", type="primary", key="resume-latest", icon=":material/replay:"):
            return "resume"
        if row.button("Start another", key="dismiss-resume"):
            return "dismiss"
    return None
