"""Turn the engine's beats into a `RenderPlan`: pick authored variants, add context.

Line choice is recorded in the state (`line_uses`, `last_text`) so variants
spread over a long session and a resumed session picks the same next line.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from trainer.engine.speakers import Beat
from trainer.engine.state import CoupleState, PartnerState
from trainer.personas import Couple, Line, Partner
from trainer.personas.rules import Rules
from trainer.render.base import HistoryTurn, RenderPlan, SpeakerPlan, persona_facts
from trainer.render.offline import pick_line
from trainer.transcript.model import Turn


def pool_lines(partner: Partner, pool: str) -> list[Line]:
    """The authored variants behind a pool name such as `ladder.guarded`."""
    group, _, key = pool.partition(".")
    if group == "ladder":
        return list(getattr(partner.ladder, key))
    if group == "reactions":
        return list(getattr(partner.reactions, key).lines)
    return list(getattr(partner, group))


def _remember(ps: PartnerState, pool: str, index: int, line: Line) -> None:
    key = f"{pool}#{index}"
    ps.line_uses[key] = ps.line_uses.get(key, 0) + 1
    ps.last_text = line.text


def _history(turns: Sequence[Turn], rules: Rules, upto: int) -> list[HistoryTurn]:
    recent = list(turns[:upto])[-rules.history_turns:] if rules.history_turns else []
    return [HistoryTurn(speaker=t.speaker, text=t.text) for t in recent]


def _recent_lines(turns: Sequence[Turn], speaker: str, count: int = 3) -> list[str]:
    return [t.text for t in turns if t.speaker == speaker][-count:]


def build_plan(couple: Couple, state: CoupleState, turns: Sequence[Turn], rules: Rules,
               beats: list[Beat], therapist_text: str) -> RenderPlan:
    """Pick a variant per beat (deterministic for seed and turn) and package the turn."""
    count = state.therapist_turns
    speakers = []
    for beat in beats:
        partner, ps = couple.partner(beat.speaker), state.partners[beat.speaker]
        rng = random.Random(f"{state.seed}:{count}:{beat.speaker}:line")
        index, line = pick_line(beat.pool, pool_lines(partner, beat.pool), ps.line_uses, ps.last_text, rng)
        _remember(ps, beat.pool, index, line)
        speakers.append(SpeakerPlan(
            speaker=beat.speaker, role=beat.role, reaction=beat.reaction, pool=beat.pool,
            stage=ps.stage, stage_unlocked=beat.unlocked, line=line,
            avoid=_recent_lines(turns, beat.speaker), state=ps.public(),
            facts=persona_facts(partner, ps.stage),
        ))
    return RenderPlan(
        couple_id=couple.id, title=couple.title, setting=couple.setting, partners=couple.names,
        therapist_text=therapist_text, therapist_turn=count,
        history=_history(turns, rules, len(turns) - 1), speakers=speakers,
    )


def opening_plan(couple: Couple, state: CoupleState, turns: Sequence[Turn], rules: Rules,
                 therapist_text: str = "") -> RenderPlan:
    """The couple's authored opening, as a plan like any other turn."""
    speakers = []
    for line in couple.opening:
        partner, ps = couple.partner(line.speaker), state.partners[line.speaker]
        plain = Line(text=line.text, nonverbal=line.nonverbal)
        ps.last_text = line.text
        speakers.append(SpeakerPlan(
            speaker=line.speaker, role="opening", reaction="opening", pool="opening",
            stage=ps.stage, stage_unlocked=False, line=plain, avoid=[], state=ps.public(),
            facts=persona_facts(partner, ps.stage),
        ))
    upto = len(turns) - 1 if therapist_text else len(turns)
    return RenderPlan(
        couple_id=couple.id, title=couple.title, setting=couple.setting, partners=couple.names,
        therapist_text=therapist_text, therapist_turn=state.therapist_turns,
        history=_history(turns, rules, upto), speakers=speakers,
    )
