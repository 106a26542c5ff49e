"""Numbers of the state rules: defaults in `rules.yaml`, partial overrides per couple.

The rules are data so a supervisor can tune a couple (a harder couple closes
sooner, a chattier partner interrupts more) without touching engine code.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from trainer.personas.schema import Effect

DEFAULT_RULES_PATH = Path(__file__).with_name("rules.yaml")

EFFECT_KEYS = (
    "validation", "evocative_ready", "evocative_unready", "generic_empathy",
    "raise_sex_pursuer", "raise_sex_withdrawer", "follow_up_sex_pursuer", "follow_up_sex_withdrawer",
    "sideline_sex_pursuer", "sideline_sex_withdrawer",
    "shaming_sex", "blame", "sided_against", "sided_with", "advice", "equate_protest",
    "equate_accept", "frame_cycle", "repair", "content_question", "idle", "off_frame", "abuse",
    "partner_attacked", "partner_softened", "partner_tested", "enactment_heard_soft",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Numbers(_Strict):
    openness: float = Field(ge=0, le=10)
    defensiveness: float = Field(ge=0, le=10)
    engagement: float = Field(ge=0, le=10)


class Scale(_Strict):
    min: float = 0
    max: float = 10


class Thresholds(_Strict):
    closes_at: float
    deepen_max_defensiveness: float
    witness_soften_max_defensiveness: float
    interrupt_min_defensiveness: float
    side_comment_min_defensiveness: float


class Chances(_Strict):
    withdrawer_tense_on_sex: float = Field(ge=0, le=1)
    witness_speaks: float = Field(ge=0, le=1)
    sided_with_speaks: float = Field(ge=0, le=1)
    interrupt: float = Field(ge=0, le=1)
    side_comment: float = Field(ge=0, le=1)
    side_comment_calm: float = Field(ge=0, le=1)


class Pace(_Strict):
    """How much a couple needs before a partner opens a layer, by difficulty.

    `credits[i]` is how many opening moves (validations, ready evocative questions)
    it takes to step from stage i to i+1; `hesitant` is the chance that a step
    that was earned comes out as a hesitant "maybe" first (never on the first
    opening move of the session).
    """

    credits: list[int] = Field(min_length=3, max_length=3)
    hesitant: float = Field(ge=0, le=1)


class Siding(_Strict):
    """Siding with a partner: uneasy at first, then protective of the other."""

    protective_after: int = Field(ge=1)  # times sided with before defending the partner


class Alliance(_Strict):
    """Each partner's trust in the therapist (0-10) and what moves it."""

    start: float = Field(ge=0, le=10)
    deltas: dict[str, float]  # reaction kind -> change
    min_for_enactment: float = Field(ge=0, le=10)  # below it, "tell her" is refused


class Rules(_Strict):
    """Everything numeric the engine uses."""

    start: Numbers
    scale: Scale
    max_steps_per_turn: int = Field(ge=1, le=3)
    settle_per_turn: float = Field(ge=0, le=10)
    history_turns: int = Field(ge=0, le=100)
    thresholds: Thresholds
    chances: Chances
    effects: dict[str, Effect]
    pace: dict[str, Pace]
    siding: Siding
    enactment_refuse_at: float = Field(ge=0, le=10)  # defensiveness at which "tell her" is refused
    alliance: Alliance
    open_prompts: list[str] = Field(default_factory=list)  # overview questions, not fact questions
    meta_prompts: list[str] = Field(default_factory=list)  # talk outside the session frame
    enactment_prompts: list[str] = Field(default_factory=list)  # "turn to her and tell her"
    deepen_prompts: list[str] = Field(default_factory=list)  # "what's underneath that?": stay, not a fact
    pass_prompts: list[str] = Field(default_factory=list)  # "and you?": the other partner answers the same fact

    def pace_for(self, difficulty: str) -> Pace:
        return self.pace.get(difficulty) or Pace(credits=[1, 1, 1], hesitant=0)

    def effect(self, key: str) -> Effect:
        return self.effects.get(key) or Effect()


@lru_cache(maxsize=1)
def _default_data() -> dict[str, Any]:
    return yaml.safe_load(DEFAULT_RULES_PATH.read_text(encoding="utf-8"))


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def build_rules(overrides: dict[str, Any] | None = None) -> Rules:
    """Defaults merged with a couple's `engine:` overrides (raises pydantic ValidationError)."""
    data = _merge(_default_data(), overrides or {})
    rules = Rules.model_validate(data)
    unknown = sorted(set(rules.effects) - set(EFFECT_KEYS))
    if unknown:
        raise ValueError(f"effects.{unknown[0]}: unknown effect (known: {', '.join(EFFECT_KEYS)})")
    return rules
