"""The `trainer.transcript/v1` data model: a first session as a list of turns."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

FORMAT = "trainer.transcript/v1"
THERAPIST_SPEAKERS = frozenset({"therapist", "trainee"})
MAX_TURN_CHARS = 20_000
MAX_TURNS = 5_000


def is_therapist_speaker(speaker: str) -> bool:
    """`therapist` or `trainee`, in any case, marks a therapist turn."""
    return speaker.strip().lower() in THERAPIST_SPEAKERS


class Turn(BaseModel):
    """One utterance. Unknown fields (`at`, `state`, `nonverbal`, ...) are kept, not used."""

    model_config = ConfigDict(extra="allow")

    speaker: str = Field(min_length=1, max_length=200)
    text: str = Field(max_length=MAX_TURN_CHARS)

    @field_validator("speaker")
    @classmethod
    def _speaker_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("speaker is blank")
        return value.strip()

    @property
    def is_therapist(self) -> bool:
        return is_therapist_speaker(self.speaker)


class Transcript(BaseModel):
    """A whole session; `clients` defaults to the distinct non-therapist speakers."""

    model_config = ConfigDict(extra="allow")

    format: str = FORMAT
    persona: str | None = None
    clients: list[str] | None = None
    turns: list[Turn] = Field(max_length=MAX_TURNS)

    @property
    def client_names(self) -> list[str]:
        if self.clients:
            return list(self.clients)
        seen: list[str] = []
        for turn in self.turns:
            if not turn.is_therapist and turn.speaker not in seen:
                seen.append(turn.speaker)
        return seen

    def therapist_turn_indices(self) -> list[int]:
        """Indices into `turns` of therapist turns, in order."""
        return [i for i, turn in enumerate(self.turns) if turn.is_therapist]

    def therapist_ordinal(self, index: int) -> int:
        """1-based count of therapist turns up to and including `index`."""
        return sum(1 for i in self.therapist_turn_indices() if i <= index)

    def to_json_dict(self) -> dict[str, Any]:
        data = self.model_dump(mode="json", exclude_none=True)
        data["format"] = FORMAT
        return data
