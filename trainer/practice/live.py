"""A practice session held in memory between reruns, and how it is rebuilt from the store.

The engine `Session` lives in the browser session (fast turns); the database
holds every turn and the engine snapshot, so a refresh, a closed tab or a
server restart resumes exactly where it stopped.
"""

from __future__ import annotations

import logging
import random
import uuid
from dataclasses import dataclass, field
from typing import Any

from trainer.engine import Session, start_session
from trainer.personas import Couple
from trainer.practice.hints import Hint
from trainer.practice.notices import notice
from trainer.render import OfflineRenderer, Renderer
from trainer.rubrics import Rubric
from trainer.store import TurnRecord
from trainer.transcript import Turn

log = logging.getLogger(__name__)


@dataclass
class LiveSession:
    """One in-progress session as the practice page holds it."""

    id: uuid.UUID
    couple: Couple
    rubric: Rubric
    mode: str
    engine_label: str
    judge_label: str
    engine: Session
    turns: list[TurnRecord]
    hints: list[Hint] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    version: int = 1  # the stored session's version this copy matches

    @property
    def therapist_turns(self) -> int:
        return sum(1 for t in self.turns if t.speaker.lower() in {"therapist", "trainee"})

    @property
    def is_llm(self) -> bool:
        return not isinstance(self.engine.renderer, OfflineRenderer)

    @property
    def partner_state(self) -> dict[str, Any]:
        return self.engine.state.public()


def new_seed() -> int:
    return random.SystemRandom().randrange(1, 2**31 - 1)


def make_renderer(engine_label: str) -> tuple[Renderer | None, str | None]:
    """The LLM renderer when the engine is an LLM and it can be built; else offline + why."""
    if not engine_label.startswith("llm"):
        return None, None
    try:
        from trainer.render.llm import make_renderer as make_llm_renderer

        renderer = make_llm_renderer()
    except Exception as exc:  # noqa: BLE001 - any failure: practise offline, say so
        log.warning("language model unavailable, practising offline: %s", exc)
        return None, notice("voice_unavailable")
    if renderer is None:
        return None, notice("voice_not_configured")
    return renderer, None


def new_engine(couple: Couple, seed: int, engine_label: str) -> tuple[Session, str | None]:
    renderer, notice = make_renderer(engine_label)
    return start_session(couple, seed=seed, renderer=renderer), notice


def restore_engine(couple: Couple, snapshot: dict[str, Any], engine_label: str) -> tuple[Session, str | None]:
    renderer, notice = make_renderer(engine_label)
    return Session.from_snapshot(couple, snapshot, renderer=renderer), notice


def turn_records(turns: list[Turn], start: int, labels: dict[int, dict[str, Any]] | None = None) -> list[TurnRecord]:
    """Engine transcript turns from `start` on, as rows to store (extras become columns)."""
    records: list[TurnRecord] = []
    for index in range(start, len(turns)):
        turn = turns[index]
        extra = turn.model_extra or {}
        state = extra.get("state")
        records.append(
            TurnRecord(
                index=index, speaker=turn.speaker, text=turn.text,
                nonverbal=extra.get("nonverbal") or None, fallback=bool(extra.get("fallback", False)),
                state=state if isinstance(state, dict) else None,
                labels=(labels or {}).get(index),
            )
        )
    return records


def record_as_turn(record: TurnRecord) -> dict[str, Any]:
    """A stored turn as a transcript turn dict (nonverbal/state/fallback kept as extras)."""
    data: dict[str, Any] = {"speaker": record.speaker, "text": record.text}
    if record.nonverbal:
        data["nonverbal"] = record.nonverbal
    if record.state:
        data["state"] = record.state
    if record.fallback:
        data["fallback"] = True
    if record.created_at:
        data["at"] = record.created_at.isoformat()
    return data
