"""The couple's own words, for coaching that speaks of what this couple actually said and did.

A suggestion names a partner's move by quoting what that partner said about it
("I switch off"); when the session never put it into words, by the persona's
move (`words.yaml`); otherwise it says nothing it cannot back. Every quote
returned here is a client sentence spoken by the partner it is attributed to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from trainer.analysis.labels import Disclosure, TurnLabels

WORDS_PATH = Path(__file__).with_name("words.yaml")


@lru_cache(maxsize=1)
def word_data() -> dict[str, Any]:
    with WORDS_PATH.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return frozenset(word_data()["stopwords"])


@dataclass(frozen=True)
class Quote:
    """A client's own sentence: who said it, in which turn, and the words (end punctuation trimmed)."""

    speaker: str
    turn: int
    text: str


def trimmed(quote: str) -> str:
    """The quote without its closing punctuation, so it can sit inside a sentence."""
    return quote.strip().rstrip(".!?,;:").strip()


def _quotable(quote: str) -> bool:
    text = trimmed(quote)
    return bool(text) and len(text) <= int(word_data()["max_quote_chars"]) and '"' not in text


def names_a_move(quote: str) -> bool:
    """A first-person sentence about what the speaker does ("I go quiet"), not a feeling ("I'm angry")."""
    text = trimmed(quote).lower().replace("\u2019", "'")
    if not re.search(r"\bi\b", text):
        return False
    return re.search(word_data()["feeling_not_move"], text) is None


def speaks_of_the_couple(quote: str) -> bool:
    """A sentence that speaks of the two of them ("we barely touch"), not of the speaker's job."""
    return re.search(word_data()["relational"], trimmed(quote).lower().replace("\u2019", "'")) is not None


def refers_to_someone(quote: str, clients: list[str]) -> bool:
    """The words speak to or of a person (a pronoun or a partner's name), as any blame must."""
    text = quote.lower().replace("\u2019", "'")
    if re.search(word_data()["person"], text):
        return True
    return any(re.search(rf"\b{re.escape(name.lower())}\b", text) for name in clients)


def _cue_quotes(labels: list[TurnLabels], speaker: str, kinds: tuple[str, ...],
                before: int | None = None) -> list[Quote]:
    found: list[Quote] = []
    for turn in labels:
        if turn.is_therapist or turn.speaker != speaker or (before is not None and turn.index >= before):
            continue
        for cue in turn.cues:
            if cue.label in kinds and _quotable(cue.quote):
                item = Quote(speaker, turn.index, trimmed(cue.quote))
                if item not in found:
                    found.append(item)
    return found


MOVE_KINDS = (str(Disclosure.PROTECTIVE_MOVE), str(Disclosure.PROTECTIVE_INTENT))


def move_quote(labels: list[TurnLabels], speaker: str, near: int | None = None) -> Quote | None:
    """The partner's own words for their protective move: the one closest before `near`, else the first."""
    quotes = [q for q in _cue_quotes(labels, speaker, MOVE_KINDS) if names_a_move(q.text)]
    if not quotes:
        return None
    if near is not None:
        earlier = [q for q in quotes if q.turn < near]
        if earlier:
            return earlier[-1]
    return quotes[0]


def sex_quote(labels: list[TurnLabels], turn_index: int) -> Quote | None:
    """What the client said about the physical side in one turn, if it speaks of the couple."""
    turn = labels[turn_index] if 0 <= turn_index < len(labels) else None
    if turn is None or turn.is_therapist:
        return None
    for cue in turn.cues:
        if cue.label == str(Disclosure.MENTIONS_SEX) and _quotable(cue.quote) and speaks_of_the_couple(cue.quote):
            return Quote(turn.speaker, turn.index, trimmed(cue.quote))
    return None


OPENING_KINDS = (str(Disclosure.PROTECTIVE_MOVE), str(Disclosure.PROTECTIVE_INTENT),
                 str(Disclosure.REACTIVE_EMOTION), str(Disclosure.MENTIONS_SEX),
                 str(Disclosure.DEFENSIVENESS), str(Disclosure.HESITANT))


def opening_quote(labels: list[TurnLabels], turn_index: int | None,
                  kinds: tuple[str, ...] = OPENING_KINDS) -> Quote | None:
    """The words of a client turn that made it an opening (a move, a feeling, a hedge)."""
    if turn_index is None or not 0 <= turn_index < len(labels):
        return None
    turn = labels[turn_index]
    if turn.is_therapist:
        return None
    for kind in kinds:
        for cue in turn.cues:
            if cue.label == kind and _quotable(cue.quote):
                return Quote(turn.speaker, turn.index, trimmed(cue.quote))
    return None


def persona_move(persona: str | None, partner: str, form: str) -> str | None:
    """The persona's move of `partner`, phrased to them (`you`) or about them (`they`)."""
    if not persona:
        return None
    moves = (word_data().get("persona_moves") or {}).get(persona) or {}
    entry = moves.get(partner) or {}
    value = entry.get(form)
    return str(value) if value else None


def content_stems(text: str) -> set[str]:
    """5-letter stems of the content words (4+ letters, not common words) of a text."""
    words = re.findall(r"[a-z][a-z']{3,}", text.lower().replace("\u2019", "'"))
    return {w[:5] for w in words if w not in stopwords()}


def picks_up(text: str, other: str) -> bool:
    """Whether `text` picks up a content word of `other` (the same 5-letter stem)."""
    return bool(content_stems(text) & content_stems(other))
