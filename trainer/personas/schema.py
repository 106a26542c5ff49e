"""Schema of a simulated couple (one YAML file in `personas/`).

A persona file holds everything the simulator says or knows about a couple:
surface facts, the hidden layers (fears, longings) and the authored lines for
every stage of the disclosure ladder and every typical therapist move. The
engine decides *which* pool a partner answers from; the renderer only voices it.
Numbers for the state rules default to `trainer/engine/rules.yaml`; a persona
may override them (`engine:` for the couple, `effect:` per reaction).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

CycleRole = Literal["pursuer", "withdrawer"]
Difficulty = Literal["beginner", "intermediate", "advanced"]

LADDER_STAGES = ("guarded", "move_owned", "hurt_beneath", "fear_voiced")
Tone = Literal["plain", "curt"]
# What must already have happened before a listener line makes sense.
Precondition = Literal["other_move_owned", "other_hurt_beneath", "other_fear_voiced", "sex_discussed"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Line(_Strict):
    """One authored utterance; `nonverbal` is shown apart from the words."""

    text: str = Field(min_length=1, max_length=600)
    nonverbal: str = ""
    # A listener line may only be said once this has happened ("I didn't know you felt...").
    requires: Precondition | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_plain_string(cls, value: Any) -> Any:
        return {"text": value} if isinstance(value, str) else value


class ScriptedLine(Line):
    """A line with a fixed speaker (the couple's opening)."""

    speaker: str = Field(min_length=1)


class FactAnswer(Line):
    """One partner's answer to a factual question; `curt` variants are used when defended."""

    tone: Tone = "plain"


class Fact(_Strict):
    """A surface fact the couple knows and answers from (never a hidden layer).

    `questions` are example phrasings a trainee might use; the engine matches a
    content question to a fact by meaning, not by these exact words. `not_answered`
    are questions that sound close to it but ask for a detail the answers never give
    (a favourite, a first, an exact figure, a name): they are answered "I don't know",
    not with this fact.
    """

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_]*$")
    topic: str = Field(min_length=1)
    questions: list[str] = Field(min_length=2)
    not_answered: list[str] = Field(default_factory=list)
    answers: dict[str, list[FactAnswer]] = Field(min_length=1)

    @field_validator("answers")
    @classmethod
    def _answers_not_empty(cls, value: dict[str, list[FactAnswer]]) -> dict[str, list[FactAnswer]]:
        for name, lines in value.items():
            if not lines:
                raise ValueError(f"{name}: at least one answer")
        return value


class Enactment(_Strict):
    """What a partner says when asked to turn and speak to the other, by ladder stage.

    Spoken to the partner in the second person; `refuse` is used when too defended.
    """

    guarded: list[Line] = Field(min_length=3)
    move_owned: list[Line] = Field(min_length=3)
    hurt_beneath: list[Line] = Field(min_length=3)
    fear_voiced: list[Line] = Field(min_length=3)
    refuse: list[Line] = Field(min_length=3)
    # Replies when the other partner has just spoken to them directly.
    hears_soft: list[Line] = Field(min_length=3)
    hears_guarded: list[Line] = Field(min_length=3)

    def stage(self, index: int) -> list[Line]:
        return getattr(self, LADDER_STAGES[index])


class Effect(_Strict):
    """How a reaction moves a partner's state. Deltas add; stage moves are capped."""

    openness: float = 0
    defensiveness: float = 0
    engagement: float = 0
    stage_step: int = Field(default=0, ge=-3, le=3)
    max_stage: int = Field(default=3, ge=0, le=3)
    stage_set: int | None = Field(default=None, ge=0, le=3)
    marks_validated: bool = False
    clears_validation: bool = False


class Reaction(_Strict):
    """Authored variants for one reaction, plus an optional per-partner effect override."""

    lines: list[Line] = Field(min_length=2)
    effect: Effect | None = None


class Ladder(_Strict):
    """What the partner says at each disclosure stage (0 guarded .. 3 fear voiced)."""

    guarded: list[Line] = Field(min_length=3)
    move_owned: list[Line] = Field(min_length=2)
    hurt_beneath: list[Line] = Field(min_length=2)
    fear_voiced: list[Line] = Field(min_length=2)

    def stage(self, index: int) -> list[Line]:
        return getattr(self, LADDER_STAGES[index])


class Reactions(_Strict):
    """A partner's answers to typical therapist moves (all required: a persona is complete)."""

    raise_sex: Reaction  # therapist opens the sexual/physical relationship
    sideline_sex: Reaction  # therapist defers, refers out or minimizes sex
    shaming_sex: Reaction  # a sex "question" that blames this partner
    validation: Reaction  # protective move validated (no new layer to open)
    evocative_unready: Reaction  # evocative question before it feels safe
    generic_empathy: Reaction  # "that sounds hard"
    blame: Reaction  # therapist blames or lectures this partner
    advice: Reaction  # homework, tips, problem-solving
    sided_against: Reaction  # therapist sides with the other partner
    sided_with: Reaction  # therapist sides with this partner
    equate_cycles: Reaction  # emotional and sexual cycles framed as the same
    frame_cycle: Reaction  # the pursue-withdraw cycle made explicit
    repair: Reaction  # therapist owns a misstep
    content_question: Reaction  # logistics, facts, "what brings you in"
    off_frame: Reaction  # prompt injection / meta talk: confused, in character
    abuse: Reaction  # hostile or sexualised remark aimed at this partner
    partner_attacked: Reaction  # the other partner is insulted or sexualised
    closed: Reaction  # too defensive to say more
    partner_softened: Reaction  # the other just showed something soft: softens too
    partner_tested: Reaction  # ...or tests whether it is real
    defends_partner: Reaction | None = None  # sided with again and again: stands up for the other


class StartState(_Strict):
    """Initial numbers for a partner (0-10); omitted values come from the rules file."""

    openness: float | None = Field(default=None, ge=0, le=10)
    defensiveness: float | None = Field(default=None, ge=0, le=10)
    engagement: float | None = Field(default=None, ge=0, le=10)


class Partner(_Strict):
    """One partner: surface facts, hidden layers, ladder and reactions."""

    name: str = Field(min_length=1, max_length=40)
    pronouns: str = Field(min_length=1)
    age: int = Field(ge=18, le=110)
    background: str = Field(min_length=1)
    speaking_style: str = Field(min_length=1)
    emotional_cycle: CycleRole
    sexual_cycle: CycleRole
    sees_cycles_unequal: bool = False  # protests when the therapist equates the cycles
    surface_complaints: list[str] = Field(min_length=1)
    protective_moves: list[str] = Field(min_length=1)
    reactive_emotions: list[str] = Field(min_length=1)
    underlying_fears: list[str] = Field(min_length=1)
    underlying_longings: list[str] = Field(min_length=1)
    start: StartState = Field(default_factory=StartState)
    ladder: Ladder
    reactions: Reactions
    side_comments: list[Line] = Field(min_length=2)  # mutters while the other is addressed
    interruptions: list[Line] = Field(min_length=2)  # cuts in when stirred up
    enactment: Enactment | None = None  # "turn to her and tell her"
    # A question the fact sheet cannot answer: in character, never an unrelated line.
    unknown_answers: list[Line] = Field(default_factory=list)


class Couple(_Strict):
    """A simulated couple as the library, the engine and the UI read it."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    difficulty: Difficulty
    setting: str = Field(min_length=1)
    partners: list[Partner] = Field(min_length=2, max_length=2)
    opening: list[ScriptedLine] = Field(min_length=1)
    engine: dict[str, Any] = Field(default_factory=dict)  # overrides of trainer/engine/rules.yaml
    facts: list[Fact] = Field(default_factory=list)  # the surface fact sheet

    @field_validator("engine")
    @classmethod
    def _engine_overrides_valid(cls, value: dict[str, Any]) -> dict[str, Any]:
        from trainer.datafile import describe_validation_error
        from trainer.personas.rules import build_rules

        try:
            build_rules(value)
        except ValidationError as exc:
            raise ValueError(describe_validation_error(exc)) from None
        return value

    @model_validator(mode="after")
    def _names_consistent(self) -> Couple:
        names = [p.name for p in self.partners]
        if names[0].lower() == names[1].lower():
            raise ValueError("partners: the two partners need different names")
        for index, line in enumerate(self.opening):
            if line.speaker not in names:
                raise ValueError(f"opening.{index}.speaker: {line.speaker!r} is not a partner")
        seen: set[str] = set()
        for index, fact in enumerate(self.facts):
            if fact.id in seen:
                raise ValueError(f"facts.{index}.id: {fact.id!r} appears twice")
            seen.add(fact.id)
            for name in fact.answers:
                if name not in names:
                    raise ValueError(f"facts.{index}.answers: {name!r} is not a partner")
        return self

    def fact(self, fact_id: str) -> Fact:
        return next(f for f in self.facts if f.id == fact_id)

    def partner(self, name: str) -> Partner:
        for partner in self.partners:
            if partner.name == name:
                return partner
        raise KeyError(name)

    def other(self, name: str) -> Partner:
        return next(p for p in self.partners if p.name != name)

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.partners]
