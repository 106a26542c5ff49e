"""What people type, made safe to store, show and print, without changing what they meant.

* Control characters (NUL, escape sequences, bells) are removed: PostgreSQL
  refuses NUL outright, and a terminal obeys escape sequences.
* Zero-width and other invisible format characters are kept inside visible
  text (emoji sequences and right-to-left text need them) but a message made
  only of them counts as empty.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# C0/C1 controls and DEL, except tab and newline (carriage returns become newlines).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# A terminal escape sequence: CSI ... final byte, OSC ... BEL/ST, or a lone ESC + one char.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b.?|\x9b[0-?]*[ -/]*[@-~]")
# Bidi overrides/isolates can reorder what a terminal shows (a "Trojan Source" trick).
_BIDI_CONTROLS = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def strip_controls(text: str) -> str:
    """`text` without control characters or escape sequences (tabs and newlines kept)."""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


def is_invisible(char: str) -> bool:
    """Whitespace, or a character that draws nothing (zero-width space, joiners, marks)."""
    return char.isspace() or unicodedata.category(char) in ("Cf", "Cc", "Zs", "Zl", "Zp")


def visible(text: str) -> bool:
    """True when `text` has at least one character a reader can see."""
    return any(not is_invisible(char) for char in str(text))


def trim_invisible(text: str) -> str:
    """Strip whitespace and invisible characters from both ends."""
    chars = str(text)
    start, end = 0, len(chars)
    while start < end and is_invisible(chars[start]):
        start += 1
    while end > start and is_invisible(chars[end - 1]):
        end -= 1
    return chars[start:end]


def clean_message(text: str | None) -> str:
    """A trainee's message as it will be stored: no controls, no invisible edges."""
    return trim_invisible(strip_controls(text or ""))


def terminal_safe(text: str) -> str:
    """Text for a terminal: no controls, escapes or bidi overrides (newlines kept)."""
    return _BIDI_CONTROLS.sub("", strip_controls(text))


def without_nul(value: Any) -> Any:
    """`value` (str, or JSON-like dict/list) with NUL characters removed from every string.

    The last line of defence before the database: PostgreSQL refuses NUL in
    text and JSON, SQLite would keep it; both now store the same thing.
    """
    if isinstance(value, str):
        return value.replace("\x00", "") if "\x00" in value else value
    if isinstance(value, dict):
        return {without_nul(k): without_nul(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [without_nul(v) for v in value]
    return value
