"""Plain facts about a workshop's sessions: what the dashboard, exports and records compute from.

The database query (`trainer.workshops.service`) fills these once; every
aggregate is then a pure function, cheap to test and to refresh every few
seconds on a live dashboard.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, field_serializer

from trainer.official_scores import official_total


@dataclass(frozen=True)
class Participant:
    user_id: uuid.UUID
    display_name: str
    joined_at: datetime | None = None


@dataclass(frozen=True)
class SessionFacts:
    """One session played in a workshop, with its latest evaluation and any supervisor review."""

    session_id: uuid.UUID
    user_id: uuid.UUID
    participant: str
    couple_id: str
    mode: str
    status: str  # in_progress | completed
    started_at: datetime
    ended_at: datetime | None = None
    last_activity_at: datetime | None = None
    turn_count: int = 0
    rubric_id: str | None = None
    evaluation: dict[str, Any] | None = None  # the `trainer score` contract dict
    supervisor_scores: dict[str, int] = field(default_factory=dict)  # a released review's overrides
    reviewed: bool = False  # the supervisor released their review
    engine: str = "offline"  # who voiced the couple: "offline" or an LLM label
    judge: str = "offline"  # who scored the session
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0  # estimated from the price table; 0 offline and on local servers

    @property
    def used_llm(self) -> bool:
        """Whether a language model took part (else the session is fully offline)."""
        return bool(self.prompt_tokens or self.completion_tokens) or any(
            label != "offline" for label in (self.engine, self.judge)
        )

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    @property
    def completed(self) -> bool:
        return self.status == "completed"

    @property
    def minutes(self) -> float:
        """Time practised: start to end (or to the last turn of an unfinished session)."""
        end = self.ended_at or self.last_activity_at or self.started_at
        return max(0.0, (end - self.started_at).total_seconds() / 60.0)

    @property
    def whole_minutes(self) -> int:
        """Minutes as records show them: whole, and at least one for a session that took any time."""
        return 0 if self.minutes <= 0 else max(1, math.floor(self.minutes + 0.5))

    def criteria(self) -> list[dict[str, Any]]:
        return list((self.evaluation or {}).get("criteria") or [])

    def evaluator_score(self, criterion_id: str) -> int | None:
        for item in self.criteria():
            if item.get("id") == criterion_id and item.get("score") is not None:
                return int(item["score"])
        return None

    def final_score(self, criterion_id: str) -> int | None:
        """The supervisor's override when there is one, else the evaluator's score."""
        if criterion_id in self.supervisor_scores:
            return self.supervisor_scores[criterion_id]
        return self.evaluator_score(criterion_id)

    @property
    def total(self) -> int | None:
        """The official total: the supervisor's scores where they changed them (None: not scored)."""
        return official_total(self.evaluation, self.supervisor_scores)

    @property
    def evaluator_total(self) -> int | None:
        value = (self.evaluation or {}).get("total")
        return None if value is None else int(value)


class Usage(BaseModel):
    """LLM tokens and estimated cost summed over sessions; `llm` False means all offline."""

    model_config = ConfigDict(frozen=True)

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    llm: bool = False

    @field_serializer("llm")
    def _llm_word(self, value: bool) -> str:
        """ "used" or "offline": the same word in every export and record."""
        return "used" if value else "offline"

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    @property
    def cost_label(self) -> str:
        """"offline" when no model took part, else the estimate in dollars."""
        return f"${self.cost_usd:,.4f}" if self.llm else "offline"


def usage_of(sessions: Iterable[SessionFacts]) -> Usage:
    items = list(sessions)
    return Usage(
        prompt_tokens=sum(s.prompt_tokens for s in items),
        completion_tokens=sum(s.completion_tokens for s in items),
        cost_usd=round(sum(s.cost_usd for s in items), 6),
        llm=any(s.used_llm for s in items),
    )
