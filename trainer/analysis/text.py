"""Small text utilities: sentences, clauses, negation scope, questions, quotes.

Offsets always refer to the original turn text, so every quote handed out as
evidence is a verbatim slice of the turn.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*(?=\s|$)|\n+")
_CLAUSE_BREAK = re.compile(r"[,;:]|\s[-\u2013\u2014]+\s|--|\u2014|\bbut\b|\bthough\b|\balthough\b|\bhowever\b", re.IGNORECASE)
_NEGATORS = re.compile(r"\b(?:not|no|never|nothing|hardly|barely|without|neither|nor)\b|n't\b", re.IGNORECASE)
_QUESTION_START = re.compile(
    r"^\s*(?:\w+,?\s*)?(?:so,?\s*|and,?\s*|but,?\s*|okay,?\s*|well,?\s*)?"
    r"(?:what|whats|what's|how|hows|how's|when|where|wheres|why|who|whos|which|do|does|did|is|are|was|were|can|could|would|will|"
    r"have|has|tell me|help me|say more)\b",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"(?:(?<=\s)|^)['\"][^'\"]+['\"](?=[\s,.;:!?]|$)")
MAX_QUOTE = 160
# Fixed phrases that contain a negator word but negate nothing ("no matter what", "not only").
_IDIOMS = re.compile(r"\b(?:no matter|no doubt|not only|no wonder|nothing but|no longer than|not just)\b", re.IGNORECASE)


def normalize(text: str) -> str:
    """Straight quotes, same length as the input (offsets stay valid)."""
    return text.translate(_APOSTROPHES)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str

    def contains(self, pos: int) -> bool:
        return self.start <= pos < self.end


@lru_cache(maxsize=16384)
def sentences(text: str) -> tuple[Span, ...]:
    """Sentence spans of the (normalized) text, trimmed of surrounding space (cached)."""
    spans: list[Span] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        _add(spans, text, start, match.end())
        start = match.end()
    _add(spans, text, start, len(text))
    return tuple(spans)


def _add(spans: list[Span], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped or not re.search(r"\w", stripped):
        return
    offset = start + chunk.index(stripped)
    spans.append(Span(offset, offset + len(stripped), stripped))


def clause_bounds(text: str, pos: int) -> tuple[int, int]:
    """Start and end of the clause around `pos` (split on commas, dashes, 'but')."""
    start, end = 0, len(text)
    for match in _CLAUSE_BREAK.finditer(text):
        if match.end() <= pos:
            start = match.end()
        elif match.start() > pos:
            end = match.start()
            break
    return start, end


def negated(text: str, pos: int, window: int = 3) -> bool:
    """A negator among the `window` words before `pos`, inside the same clause."""
    start, _ = clause_bounds(text, pos)
    before = _IDIOMS.sub(" ", _QUOTED.sub(" ", text[start:pos]))
    words = re.findall(r"[\w']+", before)[-window:]
    return bool(_NEGATORS.search(" ".join(words)))


def is_question(sentence: str) -> bool:
    return sentence.rstrip().endswith("?") or bool(_QUESTION_START.match(sentence))


def quote(text: str, start: int, end: int, limit: int = MAX_QUOTE) -> str:
    """A short verbatim quote covering text[start:end], widened to whole words, cut to `limit`."""
    start = max(0, start)
    end = min(len(text), max(end, start + 1))
    if end - start > limit:
        end = start + limit
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    if end - start > limit + 20:
        cut = text.rfind(" ", start, start + limit)
        end = cut if cut > start else start + limit
    return text[start:end].strip(" ,;:-")


def sentence_quote(text: str, span: Span, focus: tuple[int, int] | None = None) -> str:
    """The sentence itself if short; otherwise a window around `focus`."""
    if span.end - span.start <= MAX_QUOTE or focus is None:
        return quote(text, span.start, span.end)
    mid = (focus[0] + focus[1]) // 2
    start = max(span.start, mid - MAX_QUOTE // 2)
    return quote(text, start, min(span.end, start + MAX_QUOTE))


def fold_accents(name: str) -> str:
    """"Tomás" -> "Tomas": trainees often type names without their accents."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii") or name
