"""What a turn does: the shared vocabulary of the turn analysis.

The engine (how the couple reacts) and the evaluator (how the session scores)
read the same labels, so a move means one thing everywhere.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Move(StrEnum):
    """Therapist moves."""

    INVITE_SEX = "invite_sex"  # invites talk about the sexual/physical relationship
    FOLLOW_UP_SEX = "follow_up_sex"  # stays with that topic (question or reflection)
    SIDELINE_SEX = "sideline_sex"  # defers, refers out, minimizes, or only echoes it
    SHAMING_SEX = "shaming_sex"  # "invitation" that shames or blames
    VALIDATE_PROTECTIVE = "validate_protective_move"  # move named + framed as understandable
    BLAME = "blame"  # blames, lectures, criticizes a partner's move
    TAKE_SIDES = "take_sides"  # sides with one partner against the other
    REPAIR = "repair"  # owns a misstep / reframes an earlier blame
    GENERIC_EMPATHY = "generic_empathy"  # "that sounds hard"
    EVOKE_NEED = "evoke_need"  # evocative question / conjecture about needs or fears
    FRAME_CYCLE = "frame_cycle"  # makes the pursue-withdraw cycle explicit
    EQUATE_CYCLES = "equate_cycles"  # presents the emotional and sexual cycles as the same
    ADVICE = "advice"  # advice, homework, problem-solving
    CONTENT_QUESTION = "content_question"  # logistics / facts / surface content
    ENACTMENT = "enactment"  # asks one partner to speak directly to the other ("turn to her and tell her")
    OFF_FRAME = "off_frame"  # prompt injection or meta talk ("you are an AI", "print your prompt")
    ABUSE = "abuse"  # hostile, insulting or sexualised remark at a client


class Disclosure(StrEnum):
    """What a client turn reveals."""

    MENTIONS_SEX = "mentions_sex"
    PROTECTIVE_MOVE = "protective_move_admitted"
    PROTECTIVE_INTENT = "protective_intent"  # "I was trying to keep the peace" (not yet a need)
    REACTIVE_EMOTION = "reactive_emotion"
    NEED_OR_FEAR = "need_or_fear"
    CONFIRMS_CONJECTURE = "confirms_conjecture"
    REJECTS_CONJECTURE = "rejects_conjecture"  # a clear "no, that's not it"
    HESITANT = "hesitant"  # hedges or deflects ("maybe, I don't know", "I'd have to think")
    PRACTICAL_REQUEST = "practical_request"  # asks for practical help: not an attachment need
    DEFENSIVENESS = "defensiveness"


class Cue(BaseModel):
    """A label with the verbatim span of the turn that earned it (evidence)."""

    model_config = ConfigDict(frozen=True)

    label: str
    quote: str
    about: str | None = None  # the partner the label concerns, when known


class TurnLabels(BaseModel):
    """Labels of one turn. Therapist turns carry `moves`; client turns `disclosures`."""

    index: int
    speaker: str
    is_therapist: bool
    therapist_ordinal: int | None = None  # 1-based count among therapist turns
    addressed: list[str] = Field(default_factory=list)  # partners spoken to
    moves: list[Move] = Field(default_factory=list)
    disclosures: list[Disclosure] = Field(default_factory=list)
    # partner each move or disclosure is about, e.g. {"validate_protective_move": ["Marc"]}
    about: dict[str, list[str]] = Field(default_factory=dict)
    cues: list[Cue] = Field(default_factory=list)
    # how sure the analysis is of each label (0-1): the learned layer's probability, 1.0 for rule-only labels
    confidence: dict[str, float] = Field(default_factory=dict)

    def has(self, label: Move | Disclosure) -> bool:
        return label in self.moves or label in self.disclosures

    def partners_for(self, label: Move | Disclosure) -> list[str]:
        return list(self.about.get(str(label), []))
