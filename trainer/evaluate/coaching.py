"""Per-criterion rationale and coaching, written for this couple from templates in coaching.yaml.

The scorer says what happened and where (the missed therapist turn, the client
turn that made it an opening, the partner it concerns); this module puts it
into words. Suggestions speak to the partner the moment is about, name their
move in their own words when they said it (`words.py`), and a template is used
only when every placeholder can be filled from the session, so no text carries
a gap or a generic stand-in like "(or push)".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from string import Formatter
from typing import Any

import yaml

from trainer.analysis.labels import Move, TurnLabels
from trainer.evaluate.result import Coaching
from trainer.evaluate.scorers import Scored
from trainer.evaluate.words import Quote, move_quote, opening_quote, persona_move, sex_quote
from trainer.transcript import Transcript

COACHING_PATH = Path(__file__).with_name("coaching.yaml")


@lru_cache(maxsize=1)
def templates() -> dict[str, Any]:
    with COACHING_PATH.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _shown(value: Any) -> Any:
    return ", ".join(str(v) for v in value) if isinstance(value, list) else value


def fill(template: str | None, values: dict[str, Any]) -> str | None:
    """The template filled in, or None when a placeholder has no value (never a gap)."""
    if not template:
        return None
    shown = {k: _shown(v) for k, v in values.items() if v is not None and v != [] and v != ""}
    try:
        return Formatter().vformat(template, (), shown)
    except (KeyError, IndexError):
        return None


def first_filled(options: str | list[str] | None, values: dict[str, Any]) -> str | None:
    """The first of the templates that can be filled completely."""
    if options is None:
        return None
    for option in [options] if isinstance(options, str) else options:
        text = fill(option, values)
        if text:
            return text
    return None


def couple_names(transcript: Transcript) -> dict[str, str]:
    clients = transcript.client_names or ["you"]
    a = clients[0]
    b = clients[1] if len(clients) > 1 else clients[0]
    return {"a": a, "b": b, "both": f"{a} and {b}" if a != b else a}


@dataclass(frozen=True)
class Coached:
    """What the report says about one criterion, and the next step it offers the summary."""

    rationale: str
    coaching: Coaching
    next_step: str | None = None


def _said_by(quote: Quote | None, name: str | None) -> str | None:
    """The quote's words, only when `name` said them."""
    return quote.text if quote is not None and name and quote.speaker == name else None


def _suggestion(criterion: str, scored: Scored, values: dict[str, Any], labels: list[TurnLabels],
                transcript: Transcript) -> str | None:
    tries = templates().get(criterion, {}).get("try_instead", {})
    name, missed = values.get("name"), scored.missed
    if criterion == "raised_sexual_cycle_early":
        if missed in ("no_follow_up", "no_follow_up_silent", "session_ended"):
            answer = values.get("answer_turn")
            quote = sex_quote(labels, answer) if answer is not None else None
            return first_filled(tries.get("follow_up"), {**values, "quote": _said_by(quote, name)})
        if scored.focus is None:
            return first_filled(tries.get("invite_fresh"), values)
        quote = sex_quote(labels, scored.opening_turn) if scored.opening_turn is not None else None
        return first_filled(tries.get("invite"), {**values, "quote": _said_by(quote, name)})
    if criterion == "validated_protective_moves":
        quote = move_quote(labels, name, near=scored.missed_turn) if name else None
        move = persona_move(transcript.persona, name, "you") if name else None
        key = "repair" if missed == "blame" else "validate"
        return first_filled(tries.get(key), {**values, "quote": _said_by(quote, name), "move": move})
    if criterion == "drew_out_underlying_needs":
        if missed == "hesitant":
            quote = opening_quote(labels, scored.opening_turn, ("hesitant",))
            return first_filled(tries.get("hesitant"), {**values, "quote": _said_by(quote, name)})
        quote = opening_quote(labels, scored.opening_turn)
        other = values.get("other")
        move = persona_move(transcript.persona, other, "they") if other else None
        return first_filled(tries.get("evoke"), {**values, "quote": _said_by(quote, name), "move": move})
    return None


def _kind_text(data: dict[str, Any], scored: Scored, labels: list[TurnLabels], transcript: Transcript) -> str | None:
    kind = scored.facts.get("kind")
    if not kind:
        return None
    turn = scored.facts.get("turn")
    return fill((data.get("kind_text") or {}).get(str(kind)), {"shamed": _shamed(turn, labels, transcript) or "a partner"})


def _shamed(turn: object, labels: list[TurnLabels], transcript: Transcript) -> str | None:
    """The partner a shaming question was put to: the name it opens with, or the only one it concerns."""
    if not isinstance(turn, int) or not 0 <= turn < len(labels):
        return None
    opening = re.match(r"^\W*([\w'-]+)\s*,", transcript.turns[turn].text)
    if opening and opening.group(1) in transcript.client_names:
        return opening.group(1)
    about = labels[turn].partners_for(Move.SHAMING_SEX)
    return about[0] if len(about) == 1 else None


def coach(criterion: str, scored: Scored, transcript: Transcript, labels: list[TurnLabels],
          max_score: int = 3) -> Coached:
    """The rationale, coaching and next step for one criterion."""
    data = templates().get(criterion, {})
    clients = transcript.client_names
    names = couple_names(transcript)
    name = scored.focus
    other = next((c for c in clients if c != name), None) if name else None
    values: dict[str, Any] = {
        **names, **scored.facts, "name": name, "other": other,
        "missed_turn": scored.missed_turn, "opening_turn": scored.opening_turn,
        "kind_text": _kind_text(data, scored, labels, transcript),
    }
    rationale = fill(data.get("rationale", {}).get(scored.reason), values) or ""
    did_well = fill(data.get("did_well", {}).get(scored.score), values) if scored.score > 0 else None
    if scored.score >= max_score:
        return Coached(rationale, Coaching(did_well=did_well))
    missed = first_filled(data.get("missed", {}).get(scored.missed or ""), values)
    nexts = data.get("next", {})
    kind = str(scored.facts.get("kind") or "")
    next_step = (fill((data.get("next_sidelined") or {}).get(kind), values) if scored.missed == "sidelined" else None) \
        or fill(nexts.get(scored.missed or ""), values) or fill(nexts.get("none"), values)
    return Coached(
        rationale,
        Coaching(did_well=did_well, missed_turn=scored.missed_turn if missed else None, missed_moment=missed,
                 try_instead=_suggestion(criterion, scored, values, labels, transcript)),
        next_step,
    )


def summary(coached: list[tuple[int, str, Coached]], transcript: Transcript, max_score: int = 3) -> str:
    """Two sentences: what went well (the best criterion) and the one thing to try next (the
    weakest one that has a concrete next step). `coached` holds (score, title, coaching) in
    rubric order."""
    texts = templates()["summary"]
    names = couple_names(transcript)
    best = max(coached, key=lambda item: item[0], default=None)
    went_well = best[2].coaching.did_well if best and best[0] > 0 else None
    first = went_well or fill(texts["nothing_yet"], names) or ""
    short = sorted((item for item in coached if item[0] < max_score), key=lambda item: item[0])
    step = next((item[2].next_step for item in short if item[2].next_step), None)
    if step:
        second = fill(texts["next"], {"next": step})
    elif short:
        second = fill(texts["next_generic"], {"criterion": short[0][1].lower()})
    else:
        second = texts["all_met"]
    return f"{first} {second or ''}".strip()
