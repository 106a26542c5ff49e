"""Tell a trainee which sessions their supervisor has reviewed (Progress page)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import streamlit as st

from trainer.practice import md_escape
from trainer.review.status import ReviewedMark
from trainer.webapp.components.timefmt import local

RECENT = timedelta(days=14)


def review_notice(marks: dict[uuid.UUID, ReviewedMark], titles: dict[str, str]) -> None:
    """A note about reviews of the last two weeks (nothing when there are none)."""
    now = datetime.now(UTC)
    fresh = [m for m in marks.values() if m.reviewed_at and now - m.reviewed_at <= RECENT]
    if not fresh:
        return
    lines = [
        f"- **{md_escape(m.reviewer or 'Your supervisor')}** reviewed your session with "
        f"{md_escape(titles.get(m.couple_id, m.couple_id))} ({local(m.reviewed_at, '%d %b')})"
        for m in fresh[:5]
    ]
    st.info("Your supervisor has reviewed your work: open the report below to read the feedback.\n\n"
            + "\n".join(lines), icon=":material/rate_review:")


def review_cell(session_id: uuid.UUID, marks: dict[uuid.UUID, ReviewedMark]) -> str:
    mark = marks.get(session_id)
    if mark is None:
        return "\u2014"
    return f"Reviewed by {mark.reviewer}" if mark.reviewer else "Reviewed"
