"""Turn the engine's beats into a `RenderPlan`: pick authored variants, add context.

Line choice is recorded in the state (`line_uses`, `last_text`) so variants
spread over a long session and a resumed session picks the same next line.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from trainer.engine.speakers import Beat
from trainer.engine.state import CoupleState, PartnerState
from trainer.personas import LADDER_STAGES, Couple, Line, Partner
from trainer.personas.rules import Rules
from trainer.render.base import HistoryTurn, RenderPlan, SpeakerPlan, persona_facts
from trainer.render.offline import pick_line
from trainer.transcript.model import Turn


def pool_lines(partner: Partner, pool: str, couple: Couple | None = None) -> list[Line]:
    """The authored variants behind a pool name such as `ladder.guarded` or `facts.kids.curt`."""
    group, _, key = pool.partition(".")
    if group == "ladder":
        return list(getattr(partner.ladder, key))
    if group == "reactions":
        reaction = getattr(partner.reactions, key) or partner.reactions.sided_with
        return list(reaction.lines)
    if group == "enactment":
        return list(getattr(partner.enactment, key)) if partner.enactment else list(partner.ladder.guarded)
    if group == "facts" and couple is not None:
        fact_id, _, tone = key.partition(".")
        answers = couple.fact(fact_id).answers.get(partner.name, [])
        toned = [a for a in answers if a.tone == tone]
        return [Line(text=a.text, nonverbal=a.nonverbal) for a in (toned or answers)]
    return list(getattr(partner, group))


# Where to look when a pool has nothing left unsaid: nearby pools, in order.
_FALLBACK = {
    "reactions.closed": ["reactions.closed", "reactions.evocative_unready", "ladder.guarded"],
    "unknown_answers": ["unknown_answers", "reactions.evocative_unready"],
}
_AGAIN = ["Like I said:", "I already told you:", "Same answer as before:", "Again,", "As I said,"]
# Short acknowledgements for a very long session in which a partner has said every authored line
# that fits: better a plain "Mm." than a line said twice.
_LAST_RESORT = ["Mm.", "Yeah.", "Hm.", "I guess.", "Okay.", "Sure.", "Right.", "Maybe.", "I don't know.",
                "Mm-hm.", "Yeah, maybe.", "Sure, I guess.", "Hm. Okay.", "If you say so.", "I suppose.",
                "Could be.", "Not sure.", "Fine.", "Right, yeah.", "Okay...", "I hear you.", "Uh-huh.",
                "Hard to say.", "I guess so.", "Possibly.", "Maybe, yeah.", "I'd have to think.", "Yeah. Okay."]


def _satisfied(line: Line, couple: Couple, state: CoupleState, speaker: str) -> bool:
    """A listener line only once what it reacts to has been said."""
    if line.requires is None:
        return True
    if line.requires == "sex_discussed":
        return state.sex_discussed
    other = state.partners[couple.other(speaker).name]
    need = {"other_move_owned": 1, "other_hurt_beneath": 2, "other_fear_voiced": 3}[line.requires]
    return other.stage >= need


def _choose(couple: Couple, state: CoupleState, beat: Beat, rng: random.Random) -> tuple[str, int, Line]:
    """A line of the beat's pool never said before in this session (then nearby pools)."""
    partner, ps = couple.partner(beat.speaker), state.partners[beat.speaker]
    said = set(ps.said)
    pools = [beat.pool, *[p for p in _fallbacks(beat.pool, ps.stage) if p != beat.pool]]
    for pool in pools:
        lines = pool_lines(partner, pool, couple)
        fresh = [(i, line) for i, line in enumerate(lines)
                 if line.text not in said and _satisfied(line, couple, state, beat.speaker)]
        if fresh:
            if pool == "reactions.closed":  # closed lines escalate: walk them in order
                return pool, *fresh[0]
            index, line = pick_line(pool, [x for _, x in fresh], ps.line_uses, ps.last_text, rng)
            return pool, fresh[index][0], line
        if pool.startswith("facts.") and lines:  # asked again: the same fact, said as a repeat
            for prefix in _AGAIN:
                for line in lines:
                    text = f"{prefix} {line.text}"
                    if text not in said:
                        return pool, -1, Line(text=text, nonverbal=line.nonverbal)
    spare = next((t for t in _LAST_RESORT if t not in said), "...")  # "..." only past every one of them
    return beat.pool, -1, Line(text=spare, nonverbal="")


def _known_facts(couple: Couple, state: CoupleState) -> list[str]:
    """Fact-sheet answers either partner has given so far, as "Name: answer"."""
    answers = {a.text: name for fact in couple.facts for name, lines in fact.answers.items() for a in lines}
    said = [(text, name) for name, ps in state.partners.items() for text in ps.said]
    return [f"{name}: {text}" for text, name in said if answers.get(text.split(": ", 1)[-1]) == name]


def _fallbacks(pool: str, stage: int) -> list[str]:
    if pool in _FALLBACK:
        return _FALLBACK[pool]
    if pool.startswith("ladder."):
        return [f"ladder.{name}" for name in reversed(LADDER_STAGES[: stage + 1])]
    if pool.startswith("facts."):
        fact, _, tone = pool[len("facts."):].partition(".")
        return [f"facts.{fact}.{'plain' if tone == 'curt' else 'curt'}"]
    if pool.startswith(("reactions.", "enactment.")):
        return [f"ladder.{name}" for name in reversed(LADDER_STAGES[: min(stage, 2) + 1])]
    return []


def _remember(ps: PartnerState, pool: str, index: int, line: Line) -> None:
    key = f"{pool}#{index}"
    ps.line_uses[key] = ps.line_uses.get(key, 0) + 1
    ps.last_text = line.text
    ps.said.append(line.text)


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
        pool, index, line = _choose(couple, state, beat, rng)
        _remember(ps, pool, index, line)
        speakers.append(SpeakerPlan(
            speaker=beat.speaker, role=beat.role, reaction=beat.reaction, pool=beat.pool,
            stage=ps.stage, stage_unlocked=beat.unlocked, line=line,
            avoid=_recent_lines(turns, beat.speaker), state=ps.public(),
            facts=persona_facts(partner, ps.stage), known_facts=_known_facts(couple, state),
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
        ps.said.append(line.text)
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
