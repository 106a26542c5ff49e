"""Showing text people typed as text: Markdown/HTML in it is never interpreted."""

from __future__ import annotations

import re

# Inline characters Markdown, Streamlit's directives (:red[...], :material/...:),
# LaTeX ($) or raw HTML (<, &) could use; line-start markers are handled apart.
_SPECIAL = re.compile(r"([\\`*_~\[\]<>&$|:])")
# For files people read raw as well as rendered: only what changes meaning.
_LIGHT = re.compile(r"([\\`*_\[\]<>|$])")
_LINE_START = re.compile(r"^(\s*)([#+\-=>]|\d+[.)])", re.MULTILINE)


def md_escape(text: str, *, light: bool = False) -> str:
    """Escape `text` so st.markdown (or, with `light`, a .md file) shows it literally."""
    escaped = (_LIGHT if light else _SPECIAL).sub(r"\\\1", str(text))
    escaped = _LINE_START.sub(_escape_line_start, escaped)
    # Keep line breaks as breaks, not as paragraph-joining soft breaks.
    return escaped.replace("\r\n", "\n").replace("\n", "  \n")


def _escape_line_start(match: re.Match[str]) -> str:
    marker = match.group(2)
    escaped = marker[:-1] + "\\" + marker[-1] if marker[0].isdigit() else "\\" + marker
    return match.group(1) + escaped


def one_line(text: str, limit: int = 160) -> str:
    """Collapse whitespace and shorten for previews and labels."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "\u2026"
