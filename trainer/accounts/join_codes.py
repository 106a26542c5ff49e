"""Workshop join codes: short, read aloud or typed from a projector without mistakes.

The alphabet leaves out look-alikes (0/O, 1/I/L, U/V, 5/S) so a code read from
the wall cannot be mistyped into another workshop's code; codes come from
`secrets`, not `random`, because a code is the only key to a workshop.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "2346789ABCDEFGHJKMNPQRTWXYZ"
CODE_LENGTH = 8  # 27**8 ~ 2.8e11 codes: unguessable during a workshop's lifetime


def new_join_code(length: int = CODE_LENGTH) -> str:
    """A fresh random code, e.g. 'K7MX-3QHD' (a dash in the middle for reading)."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(length))
    half = length // 2
    return f"{raw[:half]}-{raw[half:]}"


def normalize_join_code(text: str, length: int = CODE_LENGTH) -> str | None:
    """The canonical 'XXXX-XXXX' form of what someone typed, or None if it cannot be a code.

    Case, spaces and dashes are forgiven; a look-alike character (O, I, L, S, U...)
    is refused rather than guessed, since the alphabet never produces it.
    """
    cleaned = re.sub(r"[\s\-_.]", "", str(text or "")).upper()
    if len(cleaned) != length or any(ch not in ALPHABET for ch in cleaned):
        return None
    half = length // 2
    return f"{cleaned[:half]}-{cleaned[half:]}"
