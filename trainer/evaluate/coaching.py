"""Per-criterion rationale and coaching, written for this couple from templates in coaching.yaml.

Names come from the transcript; when the transcript names a persona the
persona file (if the persona library has it) tells who pursues sexually, so the
example line speaks to the right partner. A missing or unknown persona falls
back to the transcript's names.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from string import Formatter
from typing import Any

import yaml

from trainer.analysis.labels import Disclosure, TurnLabels
from trainer.evaluate.result import Coaching
from trainer.evaluate.scorers import Scored
from trainer.transcript import Transcript

COACHING_PATH = Path(__file__).with_name("coaching.yaml")


@lru_cache(maxsize=1)
def templates() -> dict[str, Any]:
    with COACHING_PATH.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


class _Safe(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def fill(template: str | None, values: dict[str, Any]) -> str | None:
    if not template:
        return None
    shown = {k: (", ".join(v) if isinstance(v, list) else v) for k, v in values.items() if v is not None}
    return Formatter().vformat(template, (), _Safe(shown))


def _persona_roles(persona_id: str | None) -> dict[str, str]:
    """{'pursuer': name, 'withdrawer': name} from the persona's sexual cycle, if it can be read."""
    if not persona_id:
        return {}
    try:
        from trainer.personas import load_couple

        couple = load_couple(persona_id)
        roles = {}
        for partner in couple.partners:
            role = getattr(partner, "sexual_cycle", None)
            if role in ("pursuer", "withdrawer"):
                roles.setdefault(role, partner.name)
        return roles
    except Exception:  # noqa: BLE001 - persona library absent, unknown id or invalid file
        return {}


def couple_names(transcript: Transcript, labels: list[TurnLabels]) -> dict[str, str]:
    clients = transcript.client_names or ["you"]
    a = clients[0]
    b = clients[1] if len(clients) > 1 else clients[0]
    roles = _persona_roles(transcript.persona)
    mention = next((t.speaker for t in labels if t.has(Disclosure.MENTIONS_SEX)), None)
    pursuer = roles.get("pursuer") or mention or a
    withdrawer = roles.get("withdrawer") or next((c for c in clients if c != pursuer), b)
    both = f"{a} and {b}" if a != b else a
    return {"a": a, "b": b, "both": both, "pursuer": pursuer, "withdrawer": withdrawer}


def _focus_partner(criterion: str, scored: Scored, names: dict[str, str], labels: list[TurnLabels],
                   clients: list[str]) -> str:
    if criterion == "raised_sexual_cycle_early" and scored.facts.get("turn") is not None:
        after = [t for t in labels[int(scored.facts["turn"]) + 1 :] if not t.is_therapist]
        if after:
            return after[0].speaker
    done = scored.facts.get("validated") or scored.facts.get("surfaced") or []
    blamed = scored.facts.get("blamed") or []
    if blamed:
        return str(blamed[0])
    if scored.missed_turn is not None:
        before = [t for t in labels[: scored.missed_turn] if not t.is_therapist and t.speaker not in done]
        if before:
            return before[-1].speaker
    rest = [c for c in clients if c not in done]
    return rest[0] if rest else names["a"]


def _admitted_quote(labels: list[TurnLabels], name: str) -> str | None:
    for t in labels:
        if t.speaker == name:
            for cue in t.cues:
                if cue.label == str(Disclosure.PROTECTIVE_MOVE) and len(cue.quote) <= 90 and re.search(r"\bI\b", cue.quote):
                    return cue.quote.rstrip(".!")
    return None


def coach(criterion: str, scored: Scored, transcript: Transcript, labels: list[TurnLabels]) -> tuple[str, Coaching]:
    """(rationale, coaching) for one criterion."""
    data = templates().get(criterion, {})
    names = couple_names(transcript, labels)
    clients = transcript.client_names
    name = _focus_partner(criterion, scored, names, labels, clients)
    other = next((c for c in clients if c != name), names["b"])
    values: dict[str, Any] = {**names, **scored.facts, "name": name, "other": other, "missed_turn": scored.missed_turn}
    rationale = fill(data.get("rationale", {}).get(scored.reason), values) or ""
    did_well = fill(data.get("did_well", {}).get(scored.score), values) if scored.score > 0 else None
    if scored.score >= 3:
        return rationale, Coaching(did_well=did_well)
    missed = fill(data.get("missed", {}).get(scored.missed or ""), values) if scored.missed_turn is not None else None
    tries = data.get("try_instead", {})
    key = "default"
    if criterion == "raised_sexual_cycle_early":
        key = "no_follow_up" if scored.missed == "no_follow_up" else (
            "client_mention" if scored.facts.get("client_turn") is not None else "default")
    elif criterion == "validated_protective_moves":
        said = _admitted_quote(labels, name)
        if scored.missed == "blame":
            key = "blame"
        elif said:
            key, values["quote"] = "with_quote", said
    elif criterion == "drew_out_underlying_needs" and scored.missed == "hesitant":
        key = "hesitant"
    return rationale, Coaching(did_well=did_well, missed_turn=scored.missed_turn, missed_moment=missed,
                               try_instead=fill(tries.get(key) or tries.get("default"), values))
