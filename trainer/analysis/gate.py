"""A cheap word-prefix gate in front of each concept's big regular expression.

Python's `re` tries every alternative of a large alternation at every word
boundary, which made whole-session scoring slow. Each fragment's possible
literal beginnings are computed once from its parse tree; a text that contains
no word starting with any of them cannot match, so the regex is skipped.
"""

from __future__ import annotations

import re
from functools import lru_cache

try:  # Python >= 3.11
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser as P
except ImportError:  # pragma: no cover
    import sre_constants as C  # type: ignore[no-redef]
    import sre_parse as P  # type: ignore[no-redef]

MAX_PREFIX = 10
_LIMIT = 4000
_WORD = re.compile(r"[a-z0-9']+")


class _TooBig(Exception):
    pass


def _walk(items, opened: set[str]) -> tuple[set[str], set[str]]:
    closed: set[str] = set()
    for op, av in items:
        if not opened:
            break
        if op is C.LITERAL:
            char = chr(av).lower()
            if char.isalnum() or char == "'":
                opened = {p + char for p in opened}
            else:  # the first word is complete: that is all the gate needs
                closed |= opened
                opened = set()
        elif op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            continue
        elif op is C.SUBPATTERN:
            opened, sub_closed = _walk(av[-1], opened)
            closed |= sub_closed
        elif op is C.IN and all(kind is C.LITERAL for kind, _ in av) and not any(chr(v).isalnum() for _, v in av):
            closed |= opened
            opened = set()
        elif op is C.BRANCH:
            merged: set[str] = set()
            for branch in av[1]:
                o, c = _walk(branch, opened)
                merged |= o
                closed |= c
            opened = merged
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
            low, high, sub = av
            o, c = _walk(sub, opened)
            closed |= c
            if low == 0:
                if high == 1:
                    opened = opened | o
                else:
                    closed |= o
            elif low == 1 and high == 1:
                opened = o
            else:
                closed |= o
                opened = set()
        else:
            closed |= opened
            opened = set()
        if len(opened) + len(closed) > _LIMIT:
            raise _TooBig
    return opened, closed


def literal_prefixes(fragments: list[str]) -> tuple[str, ...] | None:
    """Lower-case word beginnings every match of some fragment starts with; None = cannot gate."""
    out: set[str] = set()
    for fragment in fragments:
        try:
            opened, closed = _walk(P.parse(fragment, re.IGNORECASE), {""})
        except (_TooBig, re.error):
            return None
        for prefix in opened | closed:
            head = re.match(r"[a-z0-9']*", prefix)
            word = head.group(0)[:MAX_PREFIX] if head else ""
            if not word:
                return None
            out.add(word)
    return tuple(sorted(out))


@lru_cache(maxsize=16384)
def words_of(text: str) -> tuple[str, ...]:
    """Lower-case words of the text, plus the part after each inner apostrophe ("it's" -> "'s")."""
    out: list[str] = []
    for word in _WORD.findall(text.lower()):
        out.append(word)
        if word.startswith("'") and len(word) > 1:
            out.append(word.lstrip("'"))
        if "'" in word[1:]:
            out.extend(word[i:] for i, ch in enumerate(word) if ch == "'" and i > 0)
    return tuple(out)


def gate_open(gate: tuple[str, ...] | None, text: str) -> bool:
    """False only when no word of the text starts like any match of the concept could."""
    return gate is None or any(word.startswith(gate) for word in words_of(text))
