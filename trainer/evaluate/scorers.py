"""The three eft-first-session criteria, scored literally from the turn labels.

Each scorer returns a `Scored`: the score, the evidence (turn + verbatim cue),
the facts the rationale and coaching are written from, and the missed moment.
Thresholds (the early window) come from the rubric file, never from code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from trainer.analysis.labels import Cue, Disclosure, Move, TurnLabels
from trainer.evaluate.result import Evidence
from trainer.rubrics import Rubric
from trainer.transcript import Transcript

MAX_EVIDENCE = 6


@dataclass
class Scored:
    score: int
    evidence: list[Evidence] = field(default_factory=list)
    first_raised_turn: int | None = None
    facts: dict[str, object] = field(default_factory=dict)  # filled into rationale/coaching templates
    reason: str = ""  # key of the rationale template
    missed_turn: int | None = None
    missed: str | None = None  # key of the missed-moment template


def _cue(labels: TurnLabels, label: str, about: str | None = None) -> Cue | None:
    for cue in labels.cues:
        if cue.label == label and (about is None or cue.about in (about, None)):
            return cue
    return None


def _ev(labels: TurnLabels, label: str, about: str | None = None) -> Evidence | None:
    cue = _cue(labels, label, about)
    return Evidence(turn=labels.index, quote=cue.quote) if cue else None


def _add(evidence: list[Evidence], item: Evidence | None) -> None:
    if item and item not in evidence and len(evidence) < MAX_EVIDENCE:
        evidence.append(item)


def _next_therapist(labels: list[TurnLabels], index: int) -> TurnLabels | None:
    return next((t for t in labels[index + 1 :] if t.is_therapist), None)


def score_sexual(transcript: Transcript, labels: list[TurnLabels], rubric: Rubric) -> Scored:
    """Criterion 1: who opened the physical bond, when, how, and whether they stayed with it."""
    window = rubric.early_window
    client_first = next((t for t in labels if t.has(Disclosure.MENTIONS_SEX)), None)
    invite = next((t for t in labels if t.has(Move.INVITE_SEX)), None)
    facts: dict[str, object] = {"window": window, "client_turn": client_first.index if client_first else None}
    if invite is not None:
        after = _next_therapist(labels, invite.index)
        followed = after is not None and after.has(Move.FOLLOW_UP_SEX)
        inside = (invite.therapist_ordinal or 0) <= window
        evidence: list[Evidence] = []
        _add(evidence, _ev(invite, str(Move.INVITE_SEX)))
        if followed:
            _add(evidence, _ev(after, str(Move.FOLLOW_UP_SEX)))
        facts.update(turn=invite.index, ordinal=invite.therapist_ordinal, follow_turn=after.index if followed else None)
        if inside and followed:
            return Scored(3, evidence, invite.index, facts, "early_followed")
        reason = "late" if not inside else "in_passing"
        missed_at = after.index if inside and after is not None else _early_chance(labels, client_first, window)
        return Scored(2, evidence, invite.index, facts, reason, missed_at, "no_follow_up" if inside else "late")
    side = [t for t in labels if t.has(Move.SIDELINE_SEX) or t.has(Move.SHAMING_SEX)]
    if side:
        evidence = []
        for t in side:
            _add(evidence, _ev(t, str(Move.SHAMING_SEX if t.has(Move.SHAMING_SEX) else Move.SIDELINE_SEX)))
        kind = next((c.label.removeprefix("sex_") for c in side[0].cues if c.label.startswith("sex_")), "sideline")
        facts.update(turn=side[0].index, kind=kind)
        return Scored(1, evidence, None, facts, f"sidelined_{kind}", side[0].index, "sidelined")
    missed_at = _early_chance(labels, client_first, window)
    return Scored(0, [], None, facts, "passed_over" if client_first else "never", missed_at,
                  "client_mention" if client_first else "never")


def _early_chance(labels: list[TurnLabels], client_first: TurnLabels | None, window: int) -> int | None:
    """The therapist turn that best could have opened the topic."""
    if client_first is not None:
        nxt = _next_therapist(labels, client_first.index)
        if nxt is not None:
            return nxt.index
    therapist = [t for t in labels if t.is_therapist]
    if len(therapist) >= 2:
        return therapist[min(2, window, len(therapist)) - 1].index
    return therapist[0].index if therapist else None


def score_validation(transcript: Transcript, labels: list[TurnLabels], rubric: Rubric) -> Scored:
    """Criterion 2: validated moves per partner, undercut validations, unrepaired blame."""
    clients = transcript.client_names
    clean: dict[str, Evidence] = {}
    undercut: list[Evidence] = []
    blames: list[tuple[int, str, Evidence | None]] = []
    repaired: set[int] = set()
    empathy: Evidence | None = None
    for t in (x for x in labels if x.is_therapist):
        cut = {c.about for c in t.cues if c.label == "validation_undercut"}
        for partner in t.partners_for(Move.VALIDATE_PROTECTIVE):
            ev = _ev(t, str(Move.VALIDATE_PROTECTIVE), partner)
            if partner in cut:
                undercut.append(ev) if ev else None
                continue
            clean.setdefault(partner, ev)
            repaired |= {i for i, (turn, who, _) in enumerate(blames) if who == partner and turn < t.index}
        if t.has(Move.REPAIR):
            targets = set(t.partners_for(Move.REPAIR)) or set(clients)
            repaired |= {i for i, (turn, who, _) in enumerate(blames) if who in targets and turn <= t.index}
        for move in (Move.BLAME, Move.TAKE_SIDES):
            for partner in t.partners_for(move):
                blames.append((t.index, partner, _ev(t, str(move), partner)))
        if empathy is None and t.has(Move.GENERIC_EMPATHY):
            empathy = _ev(t, str(Move.GENERIC_EMPATHY))
    open_blames = [b for i, b in enumerate(blames) if i not in repaired]
    validated = [c for c in clients if c in clean]
    evidence: list[Evidence] = []
    for partner in validated:
        _add(evidence, clean[partner])
    for item in undercut:
        _add(evidence, item)
    facts: dict[str, object] = {"validated": validated, "blamed": sorted({b[1] for b in open_blames})}
    unvalidated = [c for c in clients if c not in clean]
    missed_at = _missed_validation(labels, unvalidated)
    if open_blames:
        for _, _, ev in open_blames:
            _add(evidence, ev)
        facts["turn"] = open_blames[0][0]
        if validated or undercut:
            return Scored(1, evidence, None, facts, "blame_capped", open_blames[0][0], "blame")
        return Scored(0, [], None, facts, "blame_only", open_blames[0][0], "blame")
    if len(validated) >= 2:
        return Scored(3, evidence, None, facts, "both")
    if len(validated) == 1:
        return Scored(2, evidence, None, facts, "one", missed_at, "other_partner")
    if undercut:
        return Scored(1, evidence, None, facts, "undercut", undercut[0].turn, "undercut")
    if empathy is not None:
        return Scored(1, [empathy], None, facts, "generic", missed_at, "no_validation")
    return Scored(0, [], None, facts, "none", missed_at, "no_validation")


def _missed_validation(labels: list[TurnLabels], partners: list[str]) -> int | None:
    """First therapist turn right after a partner (not yet validated) owned a protective move."""
    for t in labels:
        if not t.is_therapist and t.speaker in partners and (
            t.has(Disclosure.PROTECTIVE_MOVE) or t.has(Disclosure.PROTECTIVE_INTENT) or t.has(Disclosure.DEFENSIVENESS)
        ):
            nxt = _next_therapist(labels, t.index)
            if nxt is not None:
                return nxt.index
    return None


_DEEPENING = {Move.EVOKE_NEED, Move.VALIDATE_PROTECTIVE, Move.GENERIC_EMPATHY, Move.FRAME_CYCLE,
              Move.EQUATE_CYCLES, Move.INVITE_SEX, Move.FOLLOW_UP_SEX, Move.REPAIR}


def score_needs(transcript: Transcript, labels: list[TurnLabels], rubric: Rubric) -> Scored:
    """Criterion 3: a need or fear voiced (or clearly confirmed) by each partner after an invitation."""
    clients = transcript.client_names
    surfaced: dict[str, list[Evidence]] = {}
    attempted = False
    prompt: TurnLabels | None = None
    hesitant_at: int | None = None
    for t in labels:
        if t.is_therapist:
            prompt = t
            attempted = attempted or t.has(Move.EVOKE_NEED)
            continue
        if t.speaker in surfaced or prompt is None or not attempted:
            continue
        invited = bool(_DEEPENING & set(prompt.moves))
        confirmed = _cue(t, "confirms_need_conjecture") is not None
        if (t.has(Disclosure.NEED_OR_FEAR) and invited) or confirmed:
            items = [_ev(prompt, "need_conjecture" if confirmed else str(Move.EVOKE_NEED))
                     or _ev(prompt, next((str(m) for m in prompt.moves if m in _DEEPENING), ""))]
            items.append(_ev(t, "confirms_need_conjecture") if confirmed else _ev(t, str(Disclosure.NEED_OR_FEAR)))
            surfaced[t.speaker] = [e for e in items if e]
        elif hesitant_at is None and _cue(t, "hesitant") is not None:
            hesitant_at = t.index
    partners = [c for c in clients if c in surfaced]
    evidence: list[Evidence] = []
    for partner in partners:
        for item in surfaced[partner]:
            _add(evidence, item)
    facts: dict[str, object] = {"surfaced": partners}
    missing = [c for c in clients if c not in surfaced]
    missed_at = hesitant_at if hesitant_at is not None else _missed_need(labels, missing)
    if len(partners) >= 2:
        return Scored(3, evidence, None, facts, "both")
    if partners:
        return Scored(2, evidence, None, facts, "one", missed_at, "hesitant" if hesitant_at else "other_partner")
    if attempted:
        first = next(t for t in labels if t.has(Move.EVOKE_NEED))
        return Scored(1, [e for e in [_ev(first, str(Move.EVOKE_NEED))] if e], None, facts, "attempt_only",
                      missed_at, "hesitant" if hesitant_at else "surface_only")
    return Scored(0, [], None, facts, "no_attempt", missed_at, "no_attempt")


def _missed_need(labels: list[TurnLabels], partners: list[str]) -> int | None:
    """First therapist turn after a partner showed a move or reactive emotion worth going beneath."""
    for t in labels:
        if not t.is_therapist and t.speaker in partners and (
            t.has(Disclosure.REACTIVE_EMOTION) or t.has(Disclosure.PROTECTIVE_MOVE) or t.has(Disclosure.MENTIONS_SEX)
        ):
            nxt = _next_therapist(labels, t.index)
            if nxt is not None and not nxt.has(Move.EVOKE_NEED):
                return nxt.index
    return None


Scorer = Callable[[Transcript, list[TurnLabels], Rubric], Scored]

SCORERS: dict[str, Scorer] = {
    "raised_sexual_cycle_early": score_sexual,
    "validated_protective_moves": score_validation,
    "drew_out_underlying_needs": score_needs,
}
