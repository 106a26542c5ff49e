"""The practice conversation: header, turn counter with the early window, chat, hints."""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from trainer.practice import LiveSession, md_escape
from trainer.webapp.components.chat import avatar_for, render_hints, render_turn, words
from trainer.webapp.components.picker import difficulty_badge


def turn_counter(turns: int, early_window: int) -> None:
    """Therapist turns so far against the rubric's early window."""
    if turns <= early_window:
        st.progress(
            turns / early_window,
            text=f"Your turn {turns} of the early window ({early_window})",
        )
    else:
        st.progress(1.0, text=f"Your turn {turns} \u00b7 the early window ({early_window} turns) has passed")


def header(live: LiveSession, *, busy: bool = False) -> bool:
    """Title row with the End button (disabled while a turn is answered); True when clicked."""
    left, right = st.columns([4, 1], vertical_alignment="center")
    with left:
        st.markdown(f"## {md_escape(live.couple.title)}")
        people = " & ".join(live.couple.names)
        mode = "Practice \u00b7 live hints" if live.mode == "practice" else "Assessment \u00b7 no hints"
        st.caption(f"{md_escape(people)} \u00b7 {mode}")
    with right:
        return st.button(
            "End session", type="primary", icon=":material/flag:", key="end-session",
            disabled=busy or live.therapist_turns == 0, width="stretch",
            help="Score the session and open your report.",
        )


def side_panel(live: LiveSession) -> None:
    with st.container(border=True):
        st.markdown("**This session**")
        difficulty_badge(live.couple.difficulty)
        turn_counter(live.therapist_turns, live.rubric.early_window)
        st.caption(f"Scored against: {md_escape(live.rubric.title)}")
    if live.mode == "practice":
        with st.container(border=True, key="hints-panel"):
            st.markdown("**Hints**")
            if live.hints:
                render_hints(live.hints)
            elif live.therapist_turns:
                st.caption("Nothing to point out about that turn.")
            else:
                st.caption("After each of your turns, a note on what it did appears here.")


def conversation(live: LiveSession, start: int = 0, *, upto: int | None = None,
                 reveal: bool = False) -> None:
    """Turns `start` to `upto`; with `reveal`, partners' words appear as a stream (LLM mode)."""
    partners = live.couple.names
    turns = list(live.turns)  # a copy: a turn being answered may be added meanwhile
    for turn in turns[start:upto]:
        stream = words(turn.text) if reveal and turn.speaker in partners else None
        render_turn(turn.speaker, turn.text, turn.nonverbal, partners,
                    fallback=turn.fallback, stream=stream)
    if start == 0 and upto is None and not live.therapist_turns:
        st.caption(
            ":material/lightbulb: This is the first session. Greet them, listen, and see "
            "where the conversation can go."
        )


class ChatStream:
    """Receives (speaker, words) from a streaming model and draws them as they arrive."""

    def __init__(self, slot: DeltaGenerator, partners: list[str]) -> None:
        self.slot, self.box, self.partners = slot, slot.container(), partners
        self.speaker: str | None = None
        self.text, self.streamed = "", False
        self.line: DeltaGenerator | None = None

    def __call__(self, speaker: str, delta: str) -> None:
        if speaker != self.speaker:
            with self.box, st.chat_message(speaker, avatar=avatar_for(speaker, self.partners)):
                st.markdown(f"**{md_escape(speaker)}**")
                self.line = st.empty()
            self.speaker, self.text = speaker, ""
        self.text += delta
        self.streamed = True
        if self.line is not None:
            self.line.markdown(md_escape(self.text) + " \u258c")
