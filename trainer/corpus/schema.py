"""One labelled utterance of the corpus."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from trainer.corpus.labels import CLIENT_LABELS, THERAPIST_LABELS


class ContextTurn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    speaker: str = Field(min_length=1)
    text: str


class CorpusItem(BaseModel):
    """A therapist or client utterance with the labels a careful supervisor gives it."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    role: Literal["therapist", "client"]
    speaker: str | None = None
    clients: list[str] = Field(min_length=1, max_length=2)
    context: list[ContextTurn] = Field(default_factory=list)
    text: str = Field(min_length=1)
    labels: list[str] = Field(default_factory=list)
    about: dict[str, list[str]] = Field(default_factory=dict)
    addressed: list[str] = Field(default_factory=list)
    evidence: dict[str, str] = Field(default_factory=dict)
    # Labels a partially labelled item was judged on (None: every label). Regression probes
    # assert one decision each; their other labels are unknown, not absent.
    judged: list[str] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> CorpusItem:
        known = THERAPIST_LABELS if self.role == "therapist" else CLIENT_LABELS
        for label in self.labels:
            if label not in known:
                raise ValueError(f"labels: {label!r} is not a {self.role} label")
        if self.role == "client" and self.speaker not in self.clients:
            raise ValueError(f"speaker: {self.speaker!r} is not one of clients")
        for label, span in self.evidence.items():
            if span and span not in self.text:
                raise ValueError(f"evidence.{label}: not a substring of text")
        return self

    @property
    def speaker_name(self) -> str:
        return "therapist" if self.role == "therapist" else str(self.speaker)
