"""What a facilitator decides when creating a workshop, checked before anything is stored."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from trainer.errors import TrainerError

MODES = ("practice", "assessment")
COMPLETION_MODES = ("any", "practice", "assessment")  # which sessions count towards completion


class InvalidWorkshop(TrainerError):
    """A workshop setting that cannot work (unknown couple, empty title...)."""


class WorkshopSpec(BaseModel):
    """Title, date, the couples participants may pick, the rubric, practice/assessment mode,
    and the continuing-education details: hours, provider, approval number, completion rule."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=200)
    date: date
    couples: list[str] = Field(min_length=1)
    rubric_id: str = Field(min_length=1, max_length=100)
    mode: str = "practice"
    ce_hours: float | None = Field(default=None, gt=0, le=100)
    ce_provider: str | None = Field(default=None, max_length=200)
    ce_approval: str | None = Field(default=None, max_length=100)
    completion_sessions: int = Field(default=1, ge=1, le=20)
    completion_mode: str = "any"

    @field_validator("ce_provider", "ce_approval")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        value = " ".join((value or "").split())
        return value or None

    @field_validator("completion_mode")
    @classmethod
    def _known_completion_mode(cls, value: str) -> str:
        if value not in COMPLETION_MODES:
            raise ValueError(f"completion mode must be one of {', '.join(COMPLETION_MODES)}")
        return value

    @model_validator(mode="after")
    def _rule_can_be_met(self) -> WorkshopSpec:
        if self.completion_mode not in ("any", self.mode):
            raise ValueError(
                f"participants play in {self.mode} mode here, so no session could count "
                f"as {self.completion_mode}")
        if self.ce_hours is not None and not self.ce_provider:
            raise ValueError("a workshop that gives CE hours needs the provider's name")
        return self

    @field_validator("title")
    @classmethod
    def _single_spaced(cls, value: str) -> str:
        return " ".join(value.split())

    @field_validator("couples")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        seen: list[str] = []
        for couple in value:
            couple = couple.strip()
            if couple and couple not in seen:
                seen.append(couple)
        if not seen:
            raise ValueError("choose at least one couple")
        return seen

    @field_validator("mode")
    @classmethod
    def _known_mode(cls, value: str) -> str:
        if value not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}")
        return value


# What a facilitator reads when a field is not right, by field (pydantic's words are for developers).
FIELD_MESSAGES = {
    "title": "Please give the workshop a title (up to 200 characters).",
    "date": "Please choose the workshop's date.",
    "couples": "Please choose at least one couple for participants to practise with.",
    "rubric_id": "Please choose a rubric.",
    "mode": "Please choose practice or assessment mode.",
    "ce_hours": "CE hours must be a number above 0 and at most 100, or left empty.",
    "ce_provider": "Please keep the provider's name under 200 characters.",
    "ce_approval": "Please keep the approval number under 100 characters.",
    "completion_sessions": "The number of sessions to complete must be between 1 and 20.",
    "completion_mode": "Please choose which sessions count towards completion.",
}


def spec_problems(error: ValidationError) -> list[str]:
    """One plain sentence per problem in a workshop form, in the form's order."""
    out: list[str] = []
    for item in error.errors():
        field = str(item["loc"][0]) if item.get("loc") else ""
        text = FIELD_MESSAGES.get(field)
        if text is None:  # a rule across fields: its own sentence, without pydantic's prefix
            message = str(item.get("msg", "")).removeprefix("Value error, ")
            text = message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")
        if text not in out:
            out.append(text)
    return out


def check_against_library(
    spec: WorkshopSpec, *, couples: Collection[str], rubrics: Collection[str]
) -> WorkshopSpec:
    """Refuse couples or a rubric the library does not have (a typo would strand the room)."""
    unknown = [c for c in spec.couples if c not in couples]
    if unknown:
        raise InvalidWorkshop(f"unknown couple(s): {', '.join(unknown)}")
    if spec.rubric_id not in rubrics:
        raise InvalidWorkshop(f"unknown rubric: {spec.rubric_id}")
    return spec


def library_ids() -> tuple[list[str], list[str]]:
    """(couple ids, rubric ids) of the installed data libraries."""
    from trainer.personas import list_couples
    from trainer.rubrics import list_rubrics

    return [c.id for c in list_couples()], [r.id for r in list_rubrics()]
