"""The couple's state as explicit, JSON-serializable data.

The app stores this after every turn and resumes from it, and supervisors see
it in a debug view, so nothing the engine depends on may live outside it.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from trainer.personas import LADDER_STAGES


class PartnerState(BaseModel):
    """One partner: ladder stage (0 guarded .. 3 fear voiced) and 0-10 numbers."""

    model_config = ConfigDict(extra="forbid")

    stage: int = Field(default=0, ge=0, le=3)
    openness: float
    defensiveness: float
    engagement: float
    validated: bool = False  # protective move validated and not since undone by blame
    credits: int = 0  # opening moves gathered toward the next ladder step (pace by difficulty)
    opening_moves: int = 0  # opening moves received this session (no hesitant "maybe" on the first)
    sided_with: int = 0  # times the therapist took this partner's side
    hesitated_stage: int = -1  # stage at which a hesitant "maybe" was already given
    hesitating: bool = False  # this turn's step came out as a hesitant "maybe"
    alliance: float = 5.0  # trust in the therapist (0-10): up with validation, down with blame
    said: list[str] = Field(default_factory=list)  # texts said this session: never repeated
    line_uses: dict[str, int] = Field(default_factory=dict)  # "pool#index" -> times said
    last_text: str | None = None  # never said twice in a row

    @property
    def stage_name(self) -> str:
        return LADDER_STAGES[self.stage]

    def public(self) -> dict[str, float | int | str]:
        """What a transcript turn carries as `state` (cli.md: openness, defensiveness...)."""
        return {
            "openness": round(self.openness, 2),
            "defensiveness": round(self.defensiveness, 2),
            "engagement": round(self.engagement, 2),
            "stage": self.stage,
            "stage_name": self.stage_name,
        }


class Flag(BaseModel):
    """Something a supervisor must see (abusive or sexualised remark at a client)."""

    model_config = ConfigDict(extra="forbid")

    kind: str
    turn: int  # index into the transcript's turns
    partner: str | None = None
    quote: str = ""


class CoupleState(BaseModel):
    """Whole-session state; `partners` is keyed by partner name."""

    model_config = ConfigDict(extra="forbid")

    couple_id: str
    seed: int = 0
    therapist_turns: int = 0
    opened: bool = False  # the couple's opening lines have been said
    last_speaker: str | None = None
    last_answered_by: str | None = None  # who answered the previous therapist turn first ("say more" goes to them)
    partners: dict[str, PartnerState]
    flags: list[Flag] = Field(default_factory=list)
    last_fact: str | None = None  # the fact the previous therapist turn was answered from ("and you?" asks it again)
    last_question: str | None = None  # the last therapist turn that asked something
    sex_discussed: bool = False  # the therapist has opened the sexual topic (listener lines may refer to it)

    def public(self) -> dict[str, dict[str, float | int | str]]:
        return {name: partner.public() for name, partner in self.partners.items()}
