"""Chat presentation: who is speaking is told by name AND by avatar shape, never colour alone."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from html import escape

import streamlit as st

from trainer.practice import Hint, md_escape
from trainer.transcript import is_therapist_speaker

THERAPIST_AVATAR = ":material/psychology:"
# Partner 1: a circle; partner 2: a rounded square. Initials inside, distinct tints.
_SHAPES = (
    '<circle cx="20" cy="20" r="19" fill="{fill}"/>',
    '<rect x="1.5" y="1.5" width="37" height="37" rx="9" fill="{fill}"/>',
)
_FILLS = ("#3D6B73", "#9A5B3F")
# Tone is told by the icon's shape first; colour only adds to it.
HINT_ICONS = {
    "good": ":green[:material/check_circle:]",
    "note": ":gray[:material/info:]",
    "caution": ":orange[:material/error:]",
}


def initials(name: str, others: Sequence[str] = ()) -> str:
    """One letter, or two when another partner shares the first letter."""
    clean = "".join(ch for ch in name if ch.isalnum()) or "?"
    clash = any(o != name and o[:1].upper() == clean[:1].upper() for o in others)
    return (clean[:2] if clash else clean[:1]).upper()


@st.cache_data(show_spinner=False)
def partner_avatar(name: str, position: int, partners: tuple[str, ...]) -> str:
    """An SVG avatar for a partner: shape by position, initials from the name."""
    shape = _SHAPES[position % 2].format(fill=_FILLS[position % 2])
    letters = escape(initials(name, partners))
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40" width="40" height="40">'
        f'{shape}<text x="20" y="25.5" text-anchor="middle" font-family="Helvetica, Arial, sans-serif" '
        f'font-size="15" font-weight="600" fill="#ffffff">{letters}</text></svg>'
    )


def avatar_for(speaker: str, partners: Sequence[str]) -> str:
    if is_therapist_speaker(speaker):
        return THERAPIST_AVATAR
    names = tuple(partners)
    position = names.index(speaker) if speaker in names else len(names)
    return partner_avatar(speaker, position, names)


def speaker_label(speaker: str) -> str:
    return "You" if is_therapist_speaker(speaker) else speaker


def render_turn(
    speaker: str, text: str, nonverbal: str | None, partners: Sequence[str], *,
    fallback: bool = False, stream: Iterator[str] | None = None,
) -> None:
    """One message: the name, the nonverbal cue apart (italic caption), then the words."""
    with st.chat_message(speaker_label(speaker), avatar=avatar_for(speaker, partners)):
        st.markdown(f"**{md_escape(speaker_label(speaker))}**")
        if nonverbal:
            st.caption(f"*{md_escape(nonverbal)}*")
        if stream is not None:
            st.write_stream(stream)
        else:
            st.markdown(md_escape(text))
        if fallback:
            st.caption(":material/sync_problem: authored line (the language model did not answer)")


def words(text: str) -> Iterator[str]:
    """Reveal a reply word by word (escaped), the way a streamed answer arrives."""
    for index, word in enumerate(md_escape(text).split(" ")):
        yield word if index == 0 else " " + word


def render_hints(hints: Sequence[Hint]) -> None:
    for hint in hints:
        st.markdown(f"{HINT_ICONS.get(hint.tone, '')} {md_escape(hint.text)}")
