"""The state rules: what a therapist turn does to each partner, and who speaks.

Input is the shared turn analysis (`TurnLabels`), never the raw text: the
engine and the evaluator must agree on what the therapist did. Numbers come
from the rules file and the persona (`trainer/personas/rules.yaml`).
"""

from __future__ import annotations

import random
import re

from trainer.analysis.addressee import BOTH_ADDRESS, name_hits, only_names
from trainer.analysis.labels import Move, TurnLabels
from trainer.engine.facts import (
    MIN_MEANING,
    FactMatch,
    asks_detail_not_given,
    match_fact,
    mirror_fact,
    question_sentences,
)
from trainer.engine.prompts import (
    DEEPEN_THRESHOLD,
    ENACTMENT_THRESHOLD,
    META_THRESHOLD,
    OPEN_PROMPT_THRESHOLD,
    PASS_THRESHOLD,
    asks_partner_to_speak,
    deepen_score,
    enactment_listeners,
    enactment_score,
    meta_score,
    open_prompt_score,
    pass_score,
)
from trainer.engine.speakers import (
    NEGATIVE,
    Beat,
    Decision,
    Outcome,
    all_beats,
    primary_speakers,
    role_of,
)
from trainer.engine.state import CoupleState, Flag, PartnerState
from trainer.personas import LADDER_STAGES, Couple, Effect, Partner
from trainer.personas.rules import Rules

# "Say more about that": the partner keeps talking about what they just said, no new topic.
_FOLLOW_UP = re.compile(r"\b(?:say (?:a bit |a little )?more|tell me more|more about (?:that|this|it)|"
                        r"what(?:'s| is| was) (?:that|it|this) like|go on|keep going|what do you mean|how so|"
                        r"stay with (?:that|this|it)|what else)\b|\band (?:then|after that)(?: what)?\W*$",
                        re.IGNORECASE)

# Moves that keep the floor with whoever was answering when the turn names nobody ("and underneath
# that?"); a move about a partner (validation, blame) goes where the analysis says.
FLOOR_MOVES = {Move.EVOKE_NEED, Move.CONTENT_QUESTION, Move.GENERIC_EMPATHY, Move.INVITE_SEX, Move.FOLLOW_UP_SEX,
               Move.ENACTMENT}

# Reactions that give way to the answer when the turn also asks for facts: "I'm sorry, I've been
# talking at you. What do you want from coming here?" is answered, the apology taken in silence.
# A hurt, a step on the ladder or the sexual topic keeps its own line.
ANSWERS_QUESTION = {"content_question", "closed", "idle", "generic_empathy", "repair", "evocative_unready", "advice",
                    "frame_cycle"}

# Talk outside the session must read this much closer to the meta prompts than to a fact it is near.
META_MARGIN = 0.05

# "And your hours?" asks something of its own only when it matches a fact this clearly.
OWN_QUESTION_THRESHOLD = 0.8

# A question about feelings answered with the facts it names only when it matches one this well.
SURFACE_THRESHOLD = 0.75

# Moves that leave a question to be answered plainly (no therapeutic move to react to).
PLAIN_MOVES = {Move.CONTENT_QUESTION, Move.GENERIC_EMPATHY}

# Moves that may frame a question without replacing it: "I'm sorry to take you back there, but
# what was said?" is still asked.
FRAMING_MOVES = PLAIN_MOVES | {Move.REPAIR}

# Effect key -> persona reaction whose `effect:` may override it.
OVERRIDE_FIELD = {"equate_protest": "equate_cycles", "equate_accept": "equate_cycles",
                  "raise_sex_pursuer": "raise_sex", "raise_sex_withdrawer": "raise_sex",
                  "sideline_sex_pursuer": "sideline_sex", "sideline_sex_withdrawer": "sideline_sex"}


class Rulebook:
    """Applies the rules for one couple; mutates the `CoupleState` it is given."""

    def __init__(self, couple: Couple, rules: Rules) -> None:
        self.couple = couple
        self.rules = rules
        self.pace = rules.pace_for(couple.difficulty)
        self._rng = random.Random(0)

    def asks_for_facts(self, labels: TurnLabels, text: str, any_question: bool = False) -> bool:
        """A content question, or a question the analysis left unlabelled in a turn that makes
        no other move: either is answered from the sheet (or honestly not known)."""
        plain_question = not (set(labels.moves) - FRAMING_MOVES) and bool(any_question or question_sentences(text))
        if only_names(text, self.couple.names):
            return False  # "Marc?" hands him the floor; it asks for no fact
        return bool(self.couple.facts) and (Move.CONTENT_QUESTION in labels.moves or plain_question)

    def asks_fact(self, labels: TurnLabels, text: str, any_question: bool = False) -> FactMatch | None:
        """The fact of the couple's sheet a content question asks about, if any; an overview
        question ("what brings you in?") is answered by the couple's general lines instead."""
        if not self.asks_for_facts(labels, text, any_question):
            return None
        match = match_fact(self.couple, text, self._spoken_to(labels))
        if match is not None and self.is_overview(text, match):
            return None
        return match

    def asks_about_couple(self, labels: TurnLabels, text: str) -> bool:
        """A question about the couple themselves: a fact of the sheet, or a detail it never gives
        ("what's the name of Tessa's club?"), as opposed to a greeting or a broad opener."""
        if self.asks_fact(labels, text) is not None:
            return True
        return self.asks_for_facts(labels, text) and asks_detail_not_given(self.couple, text)

    def _spoken_to(self, labels: TurnLabels) -> list[str]:
        """The partners the analysis says the turn addresses (who a fact question is about)."""
        return [n for n in labels.addressed if n in self.couple.names]

    def is_overview(self, text: str, match: FactMatch | None) -> bool:
        overview = open_prompt_score(text, self.rules.open_prompts)
        return overview >= OPEN_PROMPT_THRESHOLD and (match is None or overview >= match.score)

    # -- effects --------------------------------------------------------------

    def effect(self, partner: Partner, key: str) -> Effect:
        """The persona's override for this reaction if it has one, else the rules file's.

        Overrides apply to the reaction they are written for (not to sex follow-ups)."""
        field_name = OVERRIDE_FIELD.get(key, key)
        reaction = getattr(partner.reactions, field_name, None)
        if reaction is not None and reaction.effect is not None:
            return reaction.effect
        return self.rules.effect(key)

    def apply(self, ps: PartnerState, eff: Effect, steps_left: int) -> bool:
        """Add the deltas, then move the ladder; returns True when a new layer opened."""
        lo, hi = self.rules.scale.min, self.rules.scale.max
        ps.openness = min(hi, max(lo, ps.openness + eff.openness))
        ps.defensiveness = min(hi, max(lo, ps.defensiveness + eff.defensiveness))
        ps.engagement = min(hi, max(lo, ps.engagement + eff.engagement))
        if eff.clears_validation:
            ps.validated = False
        if eff.marks_validated:
            ps.validated = True
        if eff.stage_set is not None:
            ps.stage = min(ps.stage, eff.stage_set)
        can_step = ps.defensiveness < self.rules.thresholds.closes_at and steps_left > 0
        if eff.stage_step > 0 and can_step and ps.stage < eff.max_stage and self._earned(ps):
            ps.stage = min(eff.max_stage, ps.stage + eff.stage_step)
            return True
        return False

    def _earned(self, ps: PartnerState) -> bool:
        """Pace by difficulty: enough opening moves for this step, and no hesitant "maybe" first."""
        ps.credits += 1
        ps.opening_moves += 1
        if ps.credits < self.pace.credits[min(ps.stage, 2)]:
            return False
        if ps.opening_moves > 1 and ps.hesitated_stage != ps.stage and self._rng.random() < self.pace.hesitant:
            ps.hesitated_stage = ps.stage
            ps.hesitating = True
            return False
        ps.credits = 0
        return True

    def _ally(self, ps: PartnerState, kind: str) -> None:
        delta = self.rules.alliance.deltas.get(kind, 0.0)
        ps.alliance = min(10.0, max(0.0, ps.alliance + delta))

    # -- the turn ---------------------------------------------------------------

    def decide(self, state: CoupleState, labels: TurnLabels, text: str, turn_index: int,
               rng: random.Random) -> Decision:
        names = self.couple.names
        moves = set(labels.moves)
        self._rng = rng
        state.sex_discussed = state.sex_discussed or bool(moves & {Move.INVITE_SEX, Move.FOLLOW_UP_SEX})
        for ps in state.partners.values():
            ps.hesitating = False
        addressed = [n for n in labels.addressed if n in names]
        follow_up = bool(_FOLLOW_UP.search(text))
        passed = self._passed_fact(state, labels, text)
        previous_fact, state.last_fact = state.last_fact, None
        if question_sentences(text) and not passed:
            state.last_question = text
        if passed and not name_hits(text, names) and state.last_answered_by in names:
            addressed = [self.couple.other(state.last_answered_by).name]  # "and you?" is for the other partner
        elif (addressed == [state.last_speaker] and state.last_answered_by in names
                and state.last_answered_by != state.last_speaker and moves <= FLOOR_MOVES
                and not name_hits(text, names) and not BOTH_ADDRESS.search(text)):
            # A turn with no name ("and underneath that?") is for whoever was answering; the other
            # partner's aside or interruption does not take the floor.
            addressed = [state.last_answered_by]
        primary = primary_speakers(self.couple, state, labels, addressed, rng)
        if Move.ABUSE in moves:
            return self._abuse(state, labels, text, turn_index, addressed)
        if Move.OFF_FRAME in moves or self._reads_as_meta(labels, text):
            for name in primary:
                self.apply(state.partners[name], self.effect(self.couple.partner(name), "off_frame"), 0)
            return Decision([Beat(n, role_of(n, addressed), "off_frame", "reactions.off_frame")
                             for n in primary])
        hurts = moves & {Move.BLAME, Move.TAKE_SIDES, Move.SHAMING_SEX}
        asked_to_speak = Move.ENACTMENT in moves or asks_partner_to_speak(text, names) or (
            len(addressed) <= 1 and enactment_score(text, self.rules.enactment_prompts, names) >= (
                ENACTMENT_THRESHOLD + (0.1 if moves & {Move.EVOKE_NEED, Move.VALIDATE_PROTECTIVE} else 0.0)))
        if asked_to_speak and not hurts and all(p.enactment for p in self.couple.partners):
            return self._enactment(state, labels, text, addressed, primary)
        events = self._events(state, labels, addressed, primary, follow_up=follow_up)
        outcomes = {name: self._apply_events(state, name, events[name]) for name in names}
        self._couple_across(state, outcomes)
        beats = all_beats(self.couple, self.rules, state, outcomes, primary, addressed, rng)
        return Decision(self._answer_facts(state, beats, labels, text, primary, passed, previous_fact))

    def _passed_fact(self, state: CoupleState, labels: TurnLabels, text: str) -> str | None:
        """The fact just answered, when this turn hands it to the other partner ("and you?"),
        asks nothing of its own and makes no therapeutic move."""
        if set(labels.moves) - {Move.EVOKE_NEED, *PLAIN_MOVES} or not (state.last_fact or state.last_question):
            return None
        handed = pass_score(text, self.rules.pass_prompts, self.couple.names)
        if handed < PASS_THRESHOLD or deepen_score(text, self.rules.deepen_prompts) >= handed:
            return None  # "and what happens for you then?" asks the same partner to go deeper
        last = state.last_fact
        if last is None:  # the question was not answered from the sheet: does the sheet answer it?
            asked = match_fact(self.couple, state.last_question or "")
            last = asked.fact_id if asked is not None and not self.is_overview(state.last_question or "", asked) else None
        if last is None:
            return None
        # A short turn shares words with many facts; only a clear question of its own outweighs the hand-on.
        own = match_fact(self.couple, text, self._spoken_to(labels),
                         threshold=OWN_QUESTION_THRESHOLD)
        same = {last} | {mirror_fact(self.couple, last, n) for n in self.couple.names}
        return last if own is None or own.fact_id in same else None

    def _reads_as_meta(self, labels: TurnLabels, text: str) -> bool:
        """Meta talk or trivia the analysis did not mark: closer in meaning to the meta prompts
        than to any fact of the sheet, and no therapeutic move in the turn."""
        if set(labels.moves) - PLAIN_MOVES:
            return False
        meta = meta_score(text, self.rules.meta_prompts)
        if meta < META_THRESHOLD:
            return False
        best = match_fact(self.couple, text, labels.addressed, threshold=0.0)
        # Compared by meaning alone (a place the sheet names, "is it raining in Bolton?", adds no
        # meaning); near a fact, meta must clearly win, far from every fact it only has to be closer.
        margin = META_MARGIN if best is not None and best.meaning >= MIN_MEANING else 0.0
        return best is None or meta > best.meaning + margin

    def _thread(self, last: str | None) -> list[str]:
        """The fact just answered, as it concerns either partner: what a short follow-up leans on."""
        return [] if last is None else list(dict.fromkeys([last, *(mirror_fact(self.couple, last, n)
                                                                     for n in self.couple.names)]))

    def _answer_facts(self, state: CoupleState, beats: list[Beat], labels: TurnLabels, text: str,
                      primary: list[str], passed: str | None = None, previous_fact: str | None = None) -> list[Beat]:
        """A content question is answered from the fact sheet (or honestly not known), in the
        voice of the partner's current state: curt when defended."""
        if passed is not None:
            return self._answer_passed(state, beats, passed, primary)
        if not self.asks_for_facts(labels, text):
            return beats if _FOLLOW_UP.search(text) else self._answer_surface(state, beats, labels, text, primary)
        if Move.CONTENT_QUESTION not in labels.moves and (
                deepen_score(text, self.rules.deepen_prompts) >= DEEPEN_THRESHOLD):
            return beats  # "what's underneath that?": the partner stays with it, at their layer
        match = match_fact(self.couple, text, self._spoken_to(labels), thread=self._thread(previous_fact))
        if _FOLLOW_UP.search(text) and (match is None or match.score < OWN_QUESTION_THRESHOLD):
            return beats  # "say more about that": the partner keeps to what they just said
        if self.is_overview(text, match):
            return beats  # an overview question: the general surface lines answer it
        out = []
        for beat in beats:
            answering = beat.speaker in primary and beat.reaction in ANSWERS_QUESTION
            if not answering:
                out.append(beat)
                continue
            partner = self.couple.partner(beat.speaker)
            if match is not None and beat.speaker in self.couple.fact(match.fact_id).answers:
                out.append(self._fact_beat(state, beat.speaker, beat.role, match.fact_id))
            elif match is not None:
                out.append(self._fact_beat(state, self.couple.other(beat.speaker).name, "responds", match.fact_id,
                                           voice_of=beat.speaker))
            elif partner.unknown_answers:
                out.append(Beat(beat.speaker, beat.role, "unknown", "unknown_answers"))
            else:
                out.append(beat)
        return out

    def _answer_surface(self, state: CoupleState, beats: list[Beat], labels: TurnLabels, text: str,
                        primary: list[str]) -> list[Beat]:
        """A question about feelings that is also plainly about a fact of the sheet ("what was home
        like when you were a boy?"), put to a partner not ready to go deeper: they answer the
        surface, the facts, rather than deflect. A ready partner answers at their layer."""
        unready = [b for b in beats if b.speaker in primary and b.reaction == "evocative_unready"]
        if not unready or set(labels.moves) - {Move.EVOKE_NEED, *PLAIN_MOVES} or not question_sentences(text):
            return beats
        if deepen_score(text, self.rules.deepen_prompts) >= DEEPEN_THRESHOLD:
            return beats
        match = match_fact(self.couple, text, self._spoken_to(labels),
                           threshold=SURFACE_THRESHOLD)
        if match is None:
            return beats
        out = []
        for beat in beats:
            if beat in unready and beat.speaker in self.couple.fact(match.fact_id).answers:
                out.append(self._fact_beat(state, beat.speaker, beat.role, match.fact_id))
            else:
                out.append(beat)
        return out

    def _answer_passed(self, state: CoupleState, beats: list[Beat], fact_id: str, primary: list[str]) -> list[Beat]:
        """ "And you?": the partner handed the question answers the same fact in their own words
        (their side of it, or the same fact as it concerns them: "and your hours?")."""
        speaker = primary[0] if primary else beats[0].speaker if beats else None
        if speaker is None:
            return beats
        fact = mirror_fact(self.couple, fact_id, speaker)
        if speaker not in self.couple.fact(fact).answers:
            return beats
        return [self._fact_beat(state, speaker, "addressed", fact)] + [b for b in beats if b.speaker != speaker][:1]

    def _fact_beat(self, state: CoupleState, speaker: str, role: str, fact_id: str, voice_of: str | None = None) -> Beat:
        """An answer from the sheet, curt when the partner (or the one asked) is defended; the
        first fact answered in a turn is the one "and you?" hands on."""
        defended = state.partners[voice_of or speaker].defensiveness
        curt = defended >= self.rules.thresholds.side_comment_min_defensiveness
        state.last_fact = state.last_fact or fact_id
        return Beat(speaker, role, "fact", f"facts.{fact_id}.{'curt' if curt else 'plain'}")

    def _enactment(self, state: CoupleState, labels: TurnLabels, text: str, addressed: list[str],
                   primary: list[str]) -> Decision:
        """ "Turn to her and tell her": the asked partner speaks to the other at their layer
        (or declines when defended or not trusting the therapist); the other answers them.
        "Say that to Ruth" names the listener, so the speaker is the other partner."""
        listeners = enactment_listeners(text, self.couple.names)
        speaker = (addressed or primary)[0]
        if speaker in listeners and len(listeners) == 1:
            speaker = self.couple.other(speaker).name
        listener = self.couple.other(speaker).name
        ps = state.partners[speaker]
        refuses = ps.defensiveness >= self.rules.enactment_refuse_at or ps.alliance < self.rules.alliance.min_for_enactment
        if refuses:
            return Decision([Beat(speaker, "addressed", "enactment_refused", "enactment.refuse")])
        beats = [Beat(speaker, "addressed", "enactment", f"enactment.{LADDER_STAGES[ps.stage]}")]
        if ps.stage >= 2:
            self.apply(state.partners[listener], self.effect(self.couple.partner(listener), "enactment_heard_soft"), 0)
            beats.append(Beat(listener, "responds", "hears_soft", "enactment.hears_soft"))
        else:
            beats.append(Beat(listener, "responds", "hears_guarded", "enactment.hears_guarded"))
        return Decision(beats)

    def _events(self, state: CoupleState, labels: TurnLabels, addressed: list[str],
                primary: list[str], follow_up: bool = False) -> dict[str, list[str]]:
        names = self.couple.names
        moves = set(labels.moves)
        ev: dict[str, list[str]] = {n: [] for n in names}

        def targets(move: Move, fallback: list[str]) -> list[str]:
            return [n for n in labels.partners_for(move) if n in names] or addressed or fallback

        if Move.BLAME in moves:
            for n in targets(Move.BLAME, primary):
                ev[n].append("blame")
        if Move.TAKE_SIDES in moves:
            against = targets(Move.TAKE_SIDES, primary)
            for n in names:
                if n in against:
                    ev[n].append("sided_against")
                    continue
                state.partners[n].sided_with += 1
                protective = state.partners[n].sided_with >= self.rules.siding.protective_after
                ev[n].append("defends_partner" if protective else "sided_with")
        if Move.SHAMING_SEX in moves:
            withdrawers = [p.name for p in self.couple.partners if p.sexual_cycle == "withdrawer"]
            for n in [x for x in labels.partners_for(Move.SHAMING_SEX) if x in names] or withdrawers or primary:
                ev[n].append("shaming_sex")
        if Move.VALIDATE_PROTECTIVE in moves:
            for n in targets(Move.VALIDATE_PROTECTIVE, []):
                ev[n].append("validation")
        if Move.EVOKE_NEED in moves:
            for n in targets(Move.EVOKE_NEED, names):
                ev[n].append("evocative")
        for move, kind in ((Move.INVITE_SEX, "raise_sex"), (Move.FOLLOW_UP_SEX, "follow_up_sex"),
                           (Move.SIDELINE_SEX, "sideline_sex"), (Move.EQUATE_CYCLES, "equate"),
                           (Move.FRAME_CYCLE, "frame_cycle")):
            if move in moves:
                for n in names:
                    if kind not in ev[n]:
                        ev[n].append(kind)
        for move, kind, fallback in ((Move.REPAIR, "repair", names), (Move.ADVICE, "advice", primary),
                                     (Move.GENERIC_EMPATHY, "generic_empathy", primary),
                                     (Move.CONTENT_QUESTION, "idle" if follow_up else "content_question", primary)):
            if move in moves:
                for n in targets(move, fallback):
                    ev[n].append(kind)
        return ev

    def _apply_events(self, state: CoupleState, name: str, kinds: list[str]) -> Outcome:
        partner, ps = self.couple.partner(name), state.partners[name]
        out = Outcome()
        undercut = any(k in NEGATIVE for k in kinds)
        steps = self.rules.max_steps_per_turn
        # Hurts land first, so a "validation, but..." in the same breath opens nothing.
        ordered = sorted(kinds, key=lambda k: (k not in NEGATIVE, k != "validation", k != "evocative"))
        for kind in ordered:
            key = kind
            if kind == "validation" and undercut:
                continue
            if kind == "evocative":
                ready = ps.validated and ps.defensiveness <= self.rules.thresholds.deepen_max_defensiveness
                key = kind = "evocative_ready" if ready and not undercut else "evocative_unready"
            elif kind in ("raise_sex", "follow_up_sex", "sideline_sex"):
                key = f"{kind}_{partner.sexual_cycle}"
            elif kind == "equate":
                key = kind = "equate_protest" if partner.sees_cycles_unequal else "equate_accept"
            if self.apply(ps, self.effect(partner, "sided_with" if key == "defends_partner" else key), steps):
                out.stepped, steps = True, steps - 1
            self._ally(ps, kind)
            out.kinds.append(kind)
        if ps.hesitating and not out.stepped:
            out.kinds.append("hesitant")
        hurt = undercut or "equate_protest" in out.kinds
        if hurt and ps.defensiveness >= self.rules.thresholds.closes_at and ps.stage > 0 and not out.stepped:
            ps.stage -= 1  # a hurtful move on top of high defensiveness closes a layer again
            ps.validated = False
            out.closed = True
        elif not hurt:
            self._settle(ps, partner)
        return out

    def _settle(self, ps: PartnerState, partner: Partner) -> None:
        """Without new hurts, defensiveness drifts slowly back toward the partner's baseline."""
        base = partner.start.defensiveness
        base = self.rules.start.defensiveness if base is None else base
        step = self.rules.settle_per_turn
        if ps.defensiveness > base:
            ps.defensiveness = max(base, ps.defensiveness - step)

    def _couple_across(self, state: CoupleState, outcomes: dict[str, Outcome]) -> None:
        """When one partner shows something soft, the other softens or tests it."""
        for name, out in list(outcomes.items()):
            if not (out.stepped and state.partners[name].stage >= 2):
                continue
            other = self.couple.other(name)
            if outcomes[other.name].stepped:
                continue
            soft = state.partners[other.name].defensiveness <= self.rules.thresholds.witness_soften_max_defensiveness
            kind = "partner_softened" if soft else "partner_tested"
            self.apply(state.partners[other.name], self.effect(other, kind), 0)
            outcomes[other.name].kinds.append(kind)

    def _abuse(self, state: CoupleState, labels: TurnLabels, text: str, turn_index: int,
               addressed: list[str]) -> Decision:
        names = self.couple.names
        targets = [n for n in labels.partners_for(Move.ABUSE) if n in names] or addressed or names
        quote = next((c.quote for c in labels.cues if c.label == Move.ABUSE), text)[:200]
        beats, flags = [], []
        for name in targets:
            self.apply(state.partners[name], self.effect(self.couple.partner(name), "abuse"), 0)
            beats.append(Beat(name, role_of(name, addressed), "abuse", "reactions.abuse"))
            flags.append(Flag(kind="abuse", turn=turn_index, partner=name, quote=quote))
        for name in [n for n in names if n not in targets]:
            self.apply(state.partners[name], self.effect(self.couple.partner(name), "partner_attacked"), 0)
            beats.append(Beat(name, "responds", "partner_attacked", "reactions.partner_attacked"))
        return Decision(beats, flags)
