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
from trainer.evaluate.topic import stays_on_topic
from trainer.evaluate.words import refers_to_someone
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
    missed_turn: int | None = None  # the therapist turn where something else would have served
    missed: str | None = None  # key of the missed-moment template
    focus: str | None = None  # the partner the missed moment and the suggestion are about
    opening_turn: int | None = None  # the client turn that made the missed moment an opening


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
    facts: dict[str, object] = {"window": window, "client_turn": client_first.index if client_first else None,
                                "mention_name": client_first.speaker if client_first else None}
    if invite is not None:
        after = _next_therapist(labels, invite.index)
        followed = (after is not None and after.has(Move.FOLLOW_UP_SEX)
                    and stays_on_topic(transcript, after.index, invite.index))
        inside = (invite.therapist_ordinal or 0) <= window
        evidence: list[Evidence] = []
        _add(evidence, _ev(invite, str(Move.INVITE_SEX)))
        if followed:
            _add(evidence, _ev(after, str(Move.FOLLOW_UP_SEX)))
        facts.update(turn=invite.index, ordinal=invite.therapist_ordinal, follow_turn=after.index if followed else None)
        if inside and followed:
            return Scored(3, evidence, invite.index, facts, "early_followed")
        if not inside:
            chance = _early_chance(labels, client_first, window, before=invite.index)
            mention = client_first is not None and chance is not None and client_first.index < chance
            return Scored(2, evidence, invite.index, facts, "late", chance,
                          "late_after_mention" if mention else "late",
                          focus=client_first.speaker if mention else None,
                          opening_turn=client_first.index if mention else None)
        end = after.index if after is not None else len(labels)
        answer = next((t for t in labels[invite.index + 1 : end] if not t.is_therapist), None)
        focus = answer.speaker if answer else (invite.addressed[0] if invite.addressed else None)
        facts["answer_turn"] = answer.index if answer else None
        if after is None:
            return Scored(2, evidence, invite.index, facts, "in_passing", None, "session_ended", focus=focus)
        return Scored(2, evidence, invite.index, facts, "in_passing", after.index,
                      "no_follow_up" if answer else "no_follow_up_silent", focus=focus,
                      opening_turn=answer.index if answer else None)
    side = [t for t in labels if t.has(Move.SIDELINE_SEX) or t.has(Move.SHAMING_SEX)]
    if side:
        evidence = []
        for t in side:
            _add(evidence, _ev(t, str(Move.SHAMING_SEX if t.has(Move.SHAMING_SEX) else Move.SIDELINE_SEX)))
        kind = next((c.label.removeprefix("sex_") for c in side[0].cues if c.label.startswith("sex_")), "sideline")
        facts.update(turn=side[0].index, kind=kind)
        mention = client_first is not None and client_first.index < side[0].index
        return Scored(1, evidence, None, facts, f"sidelined_{kind}", side[0].index, "sidelined",
                      focus=client_first.speaker if mention else None,
                      opening_turn=client_first.index if mention else None)
    if client_first is not None:
        nxt = _next_therapist(labels, client_first.index)
        return Scored(0, [], None, facts, "passed_over", nxt.index if nxt else None, "client_mention",
                      focus=client_first.speaker, opening_turn=client_first.index)
    return Scored(0, [], None, facts, "never", _early_chance(labels, None, window), "never")


def _early_chance(labels: list[TurnLabels], client_first: TurnLabels | None, window: int,
                  before: int | None = None) -> int | None:
    """The first therapist turn that could naturally have opened the topic, inside the early window
    and before `before` (the late invitation): right after a client's mention, else the second or
    third therapist turn, once the couple have said why they came."""
    therapist = [t for t in labels if t.is_therapist and (before is None or t.index < before)
                 and (t.therapist_ordinal or 0) <= window]
    if not therapist:
        return None
    if client_first is not None:
        nxt = next((t for t in therapist if t.index > client_first.index), None)
        if nxt is not None:
            return nxt.index
    return therapist[min(2, len(therapist)) - 1].index


def score_validation(transcript: Transcript, labels: list[TurnLabels], rubric: Rubric) -> Scored:
    """Criterion 2: validated moves per partner, undercut validations, unrepaired blame."""
    clients = transcript.client_names
    clean: dict[str, Evidence] = {}
    undercut: list[tuple[str, Evidence]] = []
    blames: list[tuple[int, str, Evidence | None]] = []
    repaired: set[int] = set()
    empathy: Evidence | None = None
    for t in (x for x in labels if x.is_therapist):
        cut = {c.about for c in t.cues if c.label == "validation_undercut"}
        for partner in t.partners_for(Move.VALIDATE_PROTECTIVE):
            ev = _ev(t, str(Move.VALIDATE_PROTECTIVE), partner)
            if partner in cut:
                if ev:
                    undercut.append((partner, ev))
                continue
            clean.setdefault(partner, ev)
            repaired |= {i for i, (turn, who, _) in enumerate(blames) if who == partner and turn < t.index}
        if t.has(Move.REPAIR):
            targets = set(t.partners_for(Move.REPAIR)) or set(clients)
            repaired |= {i for i, (turn, who, _) in enumerate(blames) if who in targets and turn <= t.index}
        for move in (Move.BLAME, Move.TAKE_SIDES):
            for partner in t.partners_for(move):
                ev = _ev(t, str(move), partner)
                if ev is not None and refers_to_someone(ev.quote, clients):
                    blames.append((t.index, partner, ev))
        if empathy is None and t.has(Move.GENERIC_EMPATHY):
            empathy = _ev(t, str(Move.GENERIC_EMPATHY))
    open_blames = [b for i, b in enumerate(blames) if i not in repaired]
    validated = [c for c in clients if c in clean]
    evidence: list[Evidence] = []
    for partner in validated:
        _add(evidence, clean[partner])
    for _, item in undercut:
        _add(evidence, item)
    facts: dict[str, object] = {"validated": validated, "blamed": sorted({b[1] for b in open_blames}),
                                "validated_turn": clean[validated[0]].turn if validated and clean[validated[0]] else None}
    unvalidated = [c for c in clients if c not in clean]
    missed_at, opening, partner = _missed_validation(labels, unvalidated)
    if open_blames:
        for _, _, ev in open_blames:
            _add(evidence, ev)
        turn = open_blames[0][0]
        at_turn = [who for when, who, _ in open_blames if when == turn]
        blamed = next((who for who in at_turn if who in labels[turn].addressed), at_turn[0])
        facts.update(turn=turn, blamed_name=blamed)
        if validated or undercut:
            return Scored(1, evidence, None, facts, "blame_capped", turn, "blame", focus=blamed)
        return Scored(0, evidence, None, facts, "blame_only", turn, "blame", focus=blamed)
    if len(validated) >= 2:
        return Scored(3, evidence, None, facts, "both")
    if len(validated) == 1:
        return Scored(2, evidence, None, facts, "one", missed_at, "other_partner" if missed_at is not None else None,
                      focus=partner or (unvalidated[0] if unvalidated else None), opening_turn=opening)
    if undercut:
        who, item = undercut[0]
        return Scored(1, evidence, None, facts, "undercut", item.turn, "undercut", focus=who)
    if empathy is not None:
        return Scored(1, [empathy], None, facts, "generic", missed_at, "no_validation" if missed_at is not None else None,
                      focus=partner, opening_turn=opening)
    return Scored(0, [], None, facts, "none", missed_at, "no_validation" if missed_at is not None else None,
                  focus=partner, opening_turn=opening)


def _missed_validation(labels: list[TurnLabels], partners: list[str]) -> tuple[int | None, int | None, str | None]:
    """(therapist turn, client turn, partner): the first therapist turn right after a partner not yet
    validated owned a protective move, where the therapist did not validate that partner."""
    for t in labels:
        if not t.is_therapist and t.speaker in partners and (
            t.has(Disclosure.PROTECTIVE_MOVE) or t.has(Disclosure.PROTECTIVE_INTENT) or t.has(Disclosure.DEFENSIVENESS)
        ):
            nxt = _next_therapist(labels, t.index)
            if nxt is not None and t.speaker not in nxt.partners_for(Move.VALIDATE_PROTECTIVE) and not _busy(nxt):
                return nxt.index, t.index, t.speaker
    return None, None, None


_DEEPENING = {Move.EVOKE_NEED, Move.VALIDATE_PROTECTIVE, Move.GENERIC_EMPATHY, Move.FRAME_CYCLE,
              Move.EQUATE_CYCLES, Move.INVITE_SEX, Move.FOLLOW_UP_SEX, Move.REPAIR}


def score_needs(transcript: Transcript, labels: list[TurnLabels], rubric: Rubric) -> Scored:
    """Criterion 3: a need or fear voiced (or clearly confirmed) by each partner after an invitation."""
    clients = transcript.client_names
    surfaced: dict[str, list[Evidence]] = {}
    attempted = False
    prompt: TurnLabels | None = None
    hesitant: TurnLabels | None = None
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
        elif hesitant is None and _cue(t, "hesitant") is not None:
            hesitant = t
    partners = [c for c in clients if c in surfaced]
    evidence: list[Evidence] = []
    for partner in partners:
        for item in surfaced[partner]:
            _add(evidence, item)
    facts: dict[str, object] = {"surfaced": partners}
    attempt = next((t for t in labels if t.has(Move.EVOKE_NEED)), None)
    facts["attempt_turn"] = attempt.index if attempt else None
    missing = [c for c in clients if c not in surfaced]
    missed_at, opening, focus = _missed_need(labels, missing)
    kind = None
    if hesitant is not None and hesitant.speaker in missing:
        nxt = _next_therapist(labels, hesitant.index)
        if nxt is not None and not _evokes(nxt, hesitant.speaker):
            missed_at, opening, focus, kind = nxt.index, hesitant.index, hesitant.speaker, "hesitant"
    focus = focus or (missing[0] if missing else None)
    if len(partners) >= 2:
        return Scored(3, evidence, None, facts, "both")
    if partners:
        return Scored(2, evidence, None, facts, "one", missed_at,
                      (kind or "other_partner") if missed_at is not None else None, focus=focus, opening_turn=opening)
    if attempted:
        first = next(t for t in labels if t.has(Move.EVOKE_NEED))
        return Scored(1, [e for e in [_ev(first, str(Move.EVOKE_NEED))] if e], None, facts, "attempt_only",
                      missed_at, (kind or "surface_only") if missed_at is not None else None,
                      focus=focus, opening_turn=opening)
    return Scored(0, [], None, facts, "no_attempt", missed_at, "no_attempt" if missed_at is not None else None,
                  focus=focus, opening_turn=opening)


_KEY_MOVES = {Move.EVOKE_NEED, Move.INVITE_SEX, Move.FOLLOW_UP_SEX, Move.VALIDATE_PROTECTIVE, Move.REPAIR}


def _busy(turn: TurnLabels) -> bool:
    """The turn already made one of the moves the rubric asks for: no place to suggest another instead."""
    return bool(_KEY_MOVES & set(turn.moves))


def _evokes(turn: TurnLabels, partner: str) -> bool:
    """The therapist turn already invites this partner beneath the surface."""
    return turn.has(Move.EVOKE_NEED) and (not turn.addressed or partner in turn.addressed)


def _missed_need(labels: list[TurnLabels], partners: list[str]) -> tuple[int | None, int | None, str | None]:
    """(therapist turn, client turn, partner): the first therapist turn after a partner showed a move
    or a reactive emotion worth going beneath, where the therapist did not invite that partner deeper."""
    for t in labels:
        if not t.is_therapist and t.speaker in partners and (
            t.has(Disclosure.REACTIVE_EMOTION) or t.has(Disclosure.PROTECTIVE_MOVE) or t.has(Disclosure.MENTIONS_SEX)
        ):
            nxt = _next_therapist(labels, t.index)
            # the opening question of a first session is for hearing why they came
            if nxt is not None and (nxt.therapist_ordinal or 0) > 1 and not _evokes(nxt, t.speaker) and not _busy(nxt):
                return nxt.index, t.index, t.speaker
    return None, None, None


Scorer = Callable[[Transcript, list[TurnLabels], Rubric], Scored]

SCORERS: dict[str, Scorer] = {
    "raised_sexual_cycle_early": score_sexual,
    "validated_protective_moves": score_validation,
    "drew_out_underlying_needs": score_needs,
}
