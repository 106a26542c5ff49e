"""Who speaks after a therapist turn, and from which pool of authored lines.

The addressed partner answers; the other joins only when triggered (a hurt, a
protest, a softening to witness, or a seeded chance of a side comment or an
interruption when stirred up). Real couples do not take polite turns.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from trainer.analysis.labels import Move, TurnLabels
from trainer.engine.state import CoupleState, Flag
from trainer.personas import LADDER_STAGES, Couple
from trainer.personas.rules import Rules

# Reaction kinds that hurt: a validation in the same turn is undercut by them.
NEGATIVE = {"blame", "sided_against", "shaming_sex"}
# Partners speak up unprompted after these.
MUST_SPEAK = NEGATIVE | {"equate_protest", "abuse", "partner_attacked", "defends_partner"}
# Kinds a very defensive partner answers with a shut-down line instead.
NEUTRAL = {"idle", "content_question", "generic_empathy", "evocative_unready", "advice", "frame_cycle"}
PRIORITY = [
    "abuse", "partner_attacked", "blame", "sided_against", "shaming_sex", "equate_protest",
    "defends_partner", "raise_sex", "evocative_ready", "follow_up_sex", "evocative_unready", "hesitant", "repair", "sided_with",
    "sideline_sex",
    "equate_accept", "validation", "frame_cycle", "advice", "generic_empathy",
    "partner_softened", "partner_tested", "content_question", "idle",
]
# Reaction kind -> persona reaction field holding its lines.
PERSONA_REACTION = {"equate_protest": "equate_cycles", "equate_accept": "equate_cycles",
                    "follow_up_sex": "raise_sex", "hesitant": "evocative_unready"}


@dataclass
class Beat:
    """One partner's part of the turn, before any words are chosen."""

    speaker: str
    role: str  # addressed | responds | interrupt | side_comment | witness
    reaction: str
    pool: str  # "ladder.<stage>", "reactions.<kind>", "side_comments", "interruptions"
    unlocked: bool = False


@dataclass
class Decision:
    beats: list[Beat]
    flags: list[Flag] = field(default_factory=list)


@dataclass
class Outcome:
    """What the rules did to one partner this turn."""

    kinds: list[str] = field(default_factory=list)
    stepped: bool = False
    closed: bool = False


def role_of(name: str, addressed: list[str]) -> str:
    return "addressed" if name in addressed else "responds"


def primary_speakers(couple: Couple, state: CoupleState, labels: TurnLabels, addressed: list[str],
                     rng: random.Random) -> list[str]:
    """Who answers: the addressed partners, else those a move is about, else a lead."""
    names = couple.names
    if addressed:
        return addressed
    about = [n for n in names if any(n in v for k, v in labels.about.items() if k != Move.OFF_FRAME)]
    if about:
        return about
    if Move.INVITE_SEX in labels.moves or Move.FOLLOW_UP_SEX in labels.moves:
        pursuers = [p.name for p in couple.partners if p.sexual_cycle == "pursuer"]
        if pursuers:
            return pursuers[:1]
    ranked = sorted(names, key=lambda n: (-state.partners[n].engagement, n == state.last_speaker, rng.random()))
    return ranked[:1]


def beat_for(rules: Rules, state: CoupleState, name: str, out: Outcome, role: str) -> Beat:
    """The pool a partner answers from, given what happened to them."""
    ps = state.partners[name]
    if out.stepped:
        return Beat(name, role, "unlock", f"ladder.{ps.stage_name}", unlocked=True)
    kinds = out.kinds or ["idle"]
    kind = min(kinds, key=lambda k: PRIORITY.index(k) if k in PRIORITY else len(PRIORITY))
    if out.closed or (kind in NEUTRAL and ps.defensiveness >= rules.thresholds.closes_at):
        return Beat(name, role, "closed", "reactions.closed")
    if kind == "evocative_ready":
        return Beat(name, role, kind, f"ladder.{ps.stage_name}")
    if kind == "idle":  # "go on": keep talking at the layer reached; the fear itself needs a question
        return Beat(name, role, kind, f"ladder.{LADDER_STAGES[min(ps.stage, 2)]}")
    return Beat(name, role, kind, f"reactions.{PERSONA_REACTION.get(kind, kind)}")


def all_beats(couple: Couple, rules: Rules, state: CoupleState, outcomes: dict[str, Outcome],
              primary: list[str], addressed: list[str], rng: random.Random) -> list[Beat]:
    """The primary speakers, then the other partner when something triggers them."""
    beats = [beat_for(rules, state, n, outcomes[n], role_of(n, addressed)) for n in primary]
    chances, th = rules.chances, rules.thresholds
    for partner in couple.partners:
        name = partner.name
        if name in primary:
            continue
        out, ps = outcomes[name], state.partners[name]
        kinds = set(out.kinds)
        roll = rng.random()
        if out.stepped or kinds & MUST_SPEAK:
            role = "interrupt" if "equate_protest" in kinds else "responds"
            beats.append(beat_for(rules, state, name, out, role))
        elif "raise_sex" in kinds and partner.sexual_cycle == "withdrawer" and roll < chances.withdrawer_tense_on_sex:
            beats.append(beat_for(rules, state, name, out, "responds"))
        elif kinds & {"partner_softened", "partner_tested"} and roll < chances.witness_speaks:
            kind = "partner_softened" if "partner_softened" in kinds else "partner_tested"
            beats.append(Beat(name, "witness", kind, f"reactions.{kind}"))
        elif "sided_with" in kinds and roll < chances.sided_with_speaks:
            beats.append(Beat(name, "responds", "sided_with", "reactions.sided_with"))
        elif (partner.emotional_cycle == "pursuer" and ps.defensiveness >= th.interrupt_min_defensiveness
              and roll < chances.interrupt):
            beats.append(Beat(name, "interrupt", "interrupt", "interruptions"))
        elif roll < (chances.side_comment if ps.defensiveness >= th.side_comment_min_defensiveness
                     else chances.side_comment_calm):
            beats.append(Beat(name, "side_comment", "side_comment", "side_comments"))
    return beats
