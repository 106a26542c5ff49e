"""What a facilitator decides when creating a workshop, checked before anything is stored."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator

from trainer.errors import TrainerError

MODES = ("practice", "assessment")


class InvalidWorkshop(TrainerError):
    """A workshop setting that cannot work (unknown couple, empty title...)."""


class WorkshopSpec(BaseModel):
    """Title, date, the couples participants may pick, the rubric, and practice/assessment mode."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=200)
    date: date
    couples: list[str] = Field(min_length=1)
    rubric_id: str = Field(min_length=1, max_length=100)
    mode: str = "practice"

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
