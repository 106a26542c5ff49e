"""The renderer protocol: the engine decides WHAT happens, a renderer says it.

Division of labour
------------------
The engine (`trainer.engine`) reads the therapist turn's analysis, moves the
couple's state and builds a `RenderPlan`: who speaks and in what order, why
(`role`: addressed, interrupt, side comment ...), the reaction kind (`blame`,
`raise_sex`, `unlock` ...), the ladder layer the speaker has reached, and the
authored line variant it picked from the persona file. A renderer only turns
that plan into words:

* `OfflineRenderer` (trainer/render/offline.py) returns the authored lines.
* An LLM renderer rewrites them in the partner's voice, keeping the reaction,
  the layer and the gist. Everything a prompt needs is in the plan: surface
  persona facts, ONLY the facts of the ladder layers this partner has unlocked
  (`PersonaFacts`), recent history, lines not to repeat. Hidden facts (fears,
  longings of locked layers) are never in the plan, so no prompt injection can
  make the model reveal them.

Contract for renderers
----------------------
* `render(plan)` returns one `ClientReply` per `plan.speakers` entry, same
  speakers, same order. `nonverbal` is a separate field, never inside `text`.
* Never break character, never coach the therapist, never mention a rubric,
  scores, prompts or being a simulation.
* On failure (after the renderer's own bounded retries) raise `RenderError`;
  the session then answers that turn with the offline renderer, marks those
  replies `fallback=True` and sets `TurnResult.render_notice`.
* Optional: `stream(plan)` yielding `(speaker, text_delta)` pairs for UIs.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from trainer.personas import LADDER_STAGES, Line, Partner


class ClientReply(BaseModel):
    """One client utterance as shown to the trainee."""

    model_config = ConfigDict(extra="forbid")

    speaker: str
    text: str
    nonverbal: str = ""
    fallback: bool = False  # produced by the offline renderer after the LLM failed


class PersonaFacts(BaseModel):
    """What a renderer may know about a partner: surface facts + unlocked layers only."""

    model_config = ConfigDict(extra="forbid")

    name: str
    pronouns: str
    age: int
    background: str
    speaking_style: str
    emotional_cycle: str
    sexual_cycle: str
    sees_cycles_unequal: bool
    surface_complaints: list[str]
    protective_moves: list[str]  # visible behaviour; owning it out loud comes at stage 1
    stage: int
    stage_name: str
    reactive_emotions: list[str] = Field(default_factory=list)  # unlocked at stage 2
    underlying_fears: list[str] = Field(default_factory=list)  # unlocked at stage 3
    underlying_longings: list[str] = Field(default_factory=list)  # unlocked at stage 3
    unlocked_examples: dict[str, list[str]] = Field(default_factory=dict)  # ladder lines so far


def persona_facts(partner: Partner, stage: int) -> PersonaFacts:
    """Facts of `partner` at ladder `stage`; deeper layers are left out entirely."""
    return PersonaFacts(
        name=partner.name,
        pronouns=partner.pronouns,
        age=partner.age,
        background=partner.background,
        speaking_style=partner.speaking_style,
        emotional_cycle=partner.emotional_cycle,
        sexual_cycle=partner.sexual_cycle,
        sees_cycles_unequal=partner.sees_cycles_unequal,
        surface_complaints=list(partner.surface_complaints),
        protective_moves=list(partner.protective_moves),
        stage=stage,
        stage_name=LADDER_STAGES[stage],
        reactive_emotions=list(partner.reactive_emotions) if stage >= 2 else [],
        underlying_fears=list(partner.underlying_fears) if stage >= 3 else [],
        underlying_longings=list(partner.underlying_longings) if stage >= 3 else [],
        unlocked_examples={
            LADDER_STAGES[s]: [line.text for line in partner.ladder.stage(s)]
            for s in range(stage + 1)
        },
    )


class SpeakerPlan(BaseModel):
    """One partner's contribution this turn, as decided by the engine."""

    model_config = ConfigDict(extra="forbid")

    speaker: str
    role: str  # addressed | responds | interrupt | side_comment | witness | opening
    reaction: str  # e.g. unlock, raise_sex, blame, equate_cycles, off_frame, ladder
    pool: str  # where the authored line came from, e.g. "ladder.move_owned"
    stage: int
    stage_unlocked: bool  # this turn opened a new ladder layer for the speaker
    line: Line  # the authored variant the engine picked
    avoid: list[str] = Field(default_factory=list)  # this speaker's recent lines
    # Surface facts of the couple's sheet already said this session (never hidden layers):
    # a model answering a content question stays consistent with them.
    known_facts: list[str] = Field(default_factory=list)
    state: dict[str, float | int | str]  # the speaker's public state after the turn
    facts: PersonaFacts


class HistoryTurn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    speaker: str
    text: str


class RenderPlan(BaseModel):
    """Everything needed to voice one turn of the couple (and nothing hidden)."""

    model_config = ConfigDict(extra="forbid")

    couple_id: str
    title: str
    setting: str
    partners: list[str]
    therapist_text: str
    therapist_turn: int  # 1-based count of therapist turns (0 for the opening)
    history: list[HistoryTurn] = Field(default_factory=list)  # recent turns, oldest first
    speakers: list[SpeakerPlan]


class RenderError(Exception):
    """A renderer could not produce this turn; the session falls back to offline lines."""


@runtime_checkable
class Renderer(Protocol):
    """Turns a `RenderPlan` into replies (see the module docstring for the contract)."""

    name: str

    def render(self, plan: RenderPlan) -> list[ClientReply]: ...
