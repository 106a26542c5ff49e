"""Schema of a rubric file: criteria, 0-3 anchors, terms and the early window."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Scale(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min: int = 0
    max: int = 3


class Criterion(BaseModel):
    """One scored criterion; `anchors` maps every score on the scale to its description."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str = Field(min_length=1)
    description: str = Field(min_length=1)
    anchors: dict[int, str]
    rules: list[str] = Field(default_factory=list)
    reports_first_raised_turn: bool = False


class Rubric(BaseModel):
    """A rubric file as the evaluator and the UI read it."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    version: int = 1
    scale: Scale = Field(default_factory=Scale)
    early_window: int = Field(default=6, ge=1, le=50)
    terms: dict[str, str] = Field(default_factory=dict)
    criteria: list[Criterion] = Field(min_length=1)

    @model_validator(mode="after")
    def _anchors_cover_scale(self) -> Rubric:
        expected = set(range(self.scale.min, self.scale.max + 1))
        ids: set[str] = set()
        for index, criterion in enumerate(self.criteria):
            if criterion.id in ids:
                raise ValueError(f"criteria.{index}.id: duplicate id {criterion.id!r}")
            ids.add(criterion.id)
            if set(criterion.anchors) != expected:
                raise ValueError(
                    f"criteria.{index}.anchors: must give exactly the scores "
                    f"{sorted(expected)} (found {sorted(criterion.anchors)})"
                )
        return self

    @property
    def max_total(self) -> int:
        return self.scale.max * len(self.criteria)

    def criterion(self, criterion_id: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)
