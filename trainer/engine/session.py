"""A practice session: therapist text in, the couple's replies and new state out.

The session owns the transcript and the `CoupleState`; the `Rulebook` decides
what happens, a renderer voices it. Every random choice is drawn from
`(seed, therapist turn, purpose)`, so a resumed snapshot continues exactly as
the original session would have.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from trainer.analysis.labels import Move, TurnLabels
from trainer.engine.plan import build_plan, opening_plan
from trainer.engine.react import Rulebook
from trainer.engine.state import CoupleState, Flag, PartnerState
from trainer.errors import TrainerError
from trainer.personas import Couple, load_couple
from trainer.personas.rules import Rules, build_rules
from trainer.render.base import ClientReply, Renderer, RenderPlan
from trainer.render.offline import OfflineRenderer
from trainer.transcript.model import MAX_TURN_CHARS, Transcript, Turn

SNAPSHOT_FORMAT = "trainer.session/v1"
Analyzer = Callable[[Sequence[Turn], int, Sequence[str]], TurnLabels]
OPENER_MOVES = {Move.CONTENT_QUESTION, Move.GENERIC_EMPATHY}


class TurnResult(BaseModel):
    """What one therapist turn produced (plan included for the supervisor debug view)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    labels: TurnLabels
    replies: list[ClientReply]
    state: CoupleState
    flags: list[Flag]  # flags raised by this turn
    render_notice: str | None = None
    plan: RenderPlan


def default_analyzer(turns: Sequence[Turn], index: int, clients: Sequence[str]) -> TurnLabels:
    """The shared turn analysis (imported late: it is the evaluator's module)."""
    try:
        from trainer.analysis import analyze_turn
    except ImportError:
        raise TrainerError("turn analysis (trainer.analysis.analyze_turn) is not available") from None
    return analyze_turn(list(turns), index, list(clients))


def initial_state(couple: Couple, rules: Rules, seed: int) -> CoupleState:
    partners = {}
    for p in couple.partners:
        partners[p.name] = PartnerState(
            openness=p.start.openness if p.start.openness is not None else rules.start.openness,
            defensiveness=p.start.defensiveness if p.start.defensiveness is not None else rules.start.defensiveness,
            engagement=p.start.engagement if p.start.engagement is not None else rules.start.engagement,
        )
    return CoupleState(couple_id=couple.id, seed=seed, partners=partners)


class Session:
    """One simulated first session with a couple."""

    def __init__(self, couple: Couple, *, seed: int = 0, renderer: Renderer | None = None,
                 analyzer: Analyzer | None = None, state: CoupleState | None = None,
                 turns: Sequence[Turn] | None = None) -> None:
        self.couple = couple
        self.rules = build_rules(couple.engine)
        self.rulebook = Rulebook(couple, self.rules)
        self.renderer: Renderer = renderer or OfflineRenderer()
        self.analyzer: Analyzer = analyzer or default_analyzer
        self.state = state or initial_state(couple, self.rules, seed)
        self._turns: list[Turn] = list(turns or [])

    @property
    def seed(self) -> int:
        return self.state.seed

    def opening(self) -> list[ClientReply]:
        """The couple's opening lines (once; later calls return nothing)."""
        if self.state.opened:
            return []
        self.state.opened = True
        plan = opening_plan(self.couple, self.state, self._turns, self.rules)
        replies, _ = self._render(plan)
        self._record(replies)
        return replies

    def respond(self, therapist_text: str) -> TurnResult:
        """Analyze the therapist turn with the shared analysis, then react to it."""
        index = self._add_therapist_turn(therapist_text)
        labels = self.analyzer(self._turns, index, self.couple.names)
        return self._advance(labels, index)

    def respond_with_labels(self, therapist_text: str, labels: TurnLabels) -> TurnResult:
        """React to a turn whose analysis is already known (tests, replays)."""
        index = self._add_therapist_turn(therapist_text)
        return self._advance(labels, index)

    def _add_therapist_turn(self, text: str) -> int:
        text = " ".join(str(text).split())
        if not text:
            raise TrainerError("the therapist turn is empty")
        if len(text) > MAX_TURN_CHARS:
            raise TrainerError(f"the therapist turn is longer than {MAX_TURN_CHARS} characters")
        self._turns.append(Turn(speaker="therapist", text=text))
        return len(self._turns) - 1

    def _advance(self, labels: TurnLabels, index: int) -> TurnResult:
        self.state.therapist_turns += 1
        count, text = self.state.therapist_turns, self._turns[index].text
        flags: list[Flag] = []
        generic = set(labels.moves) <= OPENER_MOVES and len(labels.addressed) != 1
        generic = generic and not self.rulebook.asks_about_couple(labels, text)
        if not self.state.opened and count == 1 and generic:
            self.state.opened = True
            plan = opening_plan(self.couple, self.state, self._turns, self.rules, therapist_text=text)
        else:
            self.state.opened = True
            rng = random.Random(f"{self.seed}:{count}:decide")
            decision = self.rulebook.decide(self.state, labels, text, index, rng)
            flags = decision.flags
            self.state.flags.extend(flags)
            plan = build_plan(self.couple, self.state, self._turns, self.rules, decision.beats, text)
        replies, notice = self._render(plan)
        self._record(replies)
        if replies:
            self.state.last_answered_by = replies[0].speaker
        return TurnResult(labels=labels, replies=replies, state=self.state.model_copy(deep=True),
                          flags=flags, render_notice=notice, plan=plan)

    def _render(self, plan: RenderPlan) -> tuple[list[ClientReply], str | None]:
        if isinstance(self.renderer, OfflineRenderer):
            return self.renderer.render(plan), None
        try:
            replies = self.renderer.render(plan)
            if [r.speaker for r in replies] != [s.speaker for s in plan.speakers]:
                raise ValueError("renderer returned other speakers than planned")
            return replies, None
        except Exception as exc:  # noqa: BLE001 - any renderer failure falls back, visibly
            offline = OfflineRenderer().render(plan)
            reason = " ".join(str(exc).split())[:200] or exc.__class__.__name__
            name = getattr(self.renderer, "name", "language model")
            notice = f"The {name} renderer failed ({reason}); the offline engine answered this turn."
            return [r.model_copy(update={"fallback": True}) for r in offline], notice

    def _record(self, replies: list[ClientReply]) -> None:
        for reply in replies:
            extra: dict[str, Any] = {"state": self.state.public()}
            if reply.nonverbal:
                extra["nonverbal"] = reply.nonverbal
            if reply.fallback:
                extra["fallback"] = True
            self._turns.append(Turn(speaker=reply.speaker, text=reply.text, **extra))
            self.state.last_speaker = reply.speaker

    def transcript(self) -> Transcript:
        """The session so far as a `trainer.transcript/v1` transcript."""
        return Transcript(persona=self.couple.id, clients=self.couple.names,
                          turns=[t.model_copy(deep=True) for t in self._turns])

    def snapshot(self) -> dict[str, Any]:
        """JSON-ready snapshot; `Session.from_snapshot` resumes from it exactly."""
        return {
            "format": SNAPSHOT_FORMAT,
            "couple_id": self.couple.id,
            "state": self.state.model_dump(mode="json"),
            "turns": [t.model_dump(mode="json") for t in self._turns],
        }

    @classmethod
    def from_snapshot(cls, couple: Couple, snapshot: dict[str, Any] | str, *,
                      renderer: Renderer | None = None, analyzer: Analyzer | None = None) -> Session:
        data = json.loads(snapshot) if isinstance(snapshot, str) else snapshot
        if not isinstance(data, dict) or data.get("format") != SNAPSHOT_FORMAT:
            raise TrainerError(f"session snapshot: expected format {SNAPSHOT_FORMAT!r}")
        if data.get("couple_id") != couple.id:
            raise TrainerError(f"session snapshot is for {data.get('couple_id')!r}, not {couple.id!r}")
        try:
            state = CoupleState.model_validate(data["state"])
            turns = [Turn.model_validate(t) for t in data["turns"]]
        except (KeyError, TypeError, ValidationError) as exc:
            raise TrainerError(f"session snapshot: invalid ({exc.__class__.__name__})") from None
        if set(state.partners) != set(couple.names):
            raise TrainerError("session snapshot: partner names do not match the couple")
        return cls(couple, renderer=renderer, analyzer=analyzer, state=state, turns=turns)


def start_session(couple: Couple | str, seed: int = 0, renderer: Renderer | None = None,
                  analyzer: Analyzer | None = None) -> Session:
    """A fresh session with `couple` (a `Couple` or a persona id)."""
    if isinstance(couple, str):
        couple = load_couple(couple)
    return Session(couple, seed=seed, renderer=renderer, analyzer=analyzer)
