"""Assemble `TurnLabels` for one turn from the concept detectors, with verbatim cues."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from trainer.analysis.addressee import addressed_partners
from trainer.analysis.history import History
from trainer.analysis.labels import Cue, Disclosure, Move, TurnLabels
from trainer.analysis.lexicon import Lexicon, get_lexicon
from trainer.analysis.needs import (
    EvokeFeatures,
    answer_kind,
    answers_need_question,
    asks_for_need,
    evoke_features,
    need_hits,
)
from trainer.analysis.protective import client_findings, therapist_findings
from trainer.analysis.sexual import SexFeatures
from trainer.analysis.text import is_question, normalize, quote, sentence_quote, sentences
from trainer.transcript import Turn

# "Turn to her and tell her that": a request that one partner speak to the other, not a question about
# what they once said ("did you tell her?").
_ENACT_TO = r"(?:him|her|them|each other|{names})"
_ENACT = (r"\b(?:turn(?:ing)? (?:to|toward|towards|and face)|tell(?:ing)?|say(?:ing)? (?:that|this|it|so|those words) to|"
          r"shar(?:e|ing) (?:that|this|it) with|speak(?:ing)? (?:directly |straight )?to|talk(?:ing)? (?:directly |straight )?to|"
          r"look(?:ing)? at|let) {to}\b")
_REQUEST = re.compile(r"\b(?:can|could|would|will) (?:you|u)\b|\bi'?d (?:like|love) (?:you|u)\b|\bi want (?:you|u) to\b|"
                      r"\b(?:try|maybe|perhaps|let's|please|right now|directly)\b|^\W*(?:\w+,?\s+)?(?:turn|tell|say|look|speak|talk)\b",
                      re.IGNORECASE)
_PAST = re.compile(r"\b(?:did|have|has|do) (?:you|u) (?:ever |already |)(?:tell|told|say|said|talk|talked)|\bwhy (?:didn't|don't|won't)\b",
                   re.IGNORECASE)


def _enactment_sentence(text: str, names: Sequence[str]) -> tuple[int, int] | None:
    to = _ENACT_TO.format(names="|".join(re.escape(n) for n in names) or "x^")
    rx = re.compile(_ENACT.format(to=to), re.IGNORECASE)
    for span in sentences(text):
        if rx.search(span.text) and _REQUEST.search(span.text) and not _PAST.search(span.text):
            return (span.start, span.end)
    return None


_OTHER_CYCLE = re.compile(r"\b(?:money|talk\w*|conversation\w*|emotional\w*|support|listen\w*|understand\w*|finances?)\b", re.IGNORECASE)


class _Builder:
    """Collects moves/disclosures, the partners they concern, and evidence cues."""

    def __init__(self, labels: TurnLabels, original: str) -> None:
        self.labels = labels
        self.original = original

    def add(self, label: Move | Disclosure, partners: Sequence[str], span: tuple[int, int], cue: str | None = None) -> None:
        target = self.labels.moves if isinstance(label, Move) else self.labels.disclosures
        if label not in target:
            target.append(label)
        key = str(label)
        known = self.labels.about.setdefault(key, [])
        for partner in partners:
            if partner not in known:
                known.append(partner)
        self.cue(cue or key, partners, span)

    def cue(self, label: str, partners: Sequence[str], span: tuple[int, int]) -> None:
        text = quote(self.original, *span) if span[1] - span[0] > 0 else ""
        if not text:
            return
        for partner in list(partners) or [None]:
            item = Cue(label=label, quote=text, about=partner)
            if item not in self.labels.cues:
                self.labels.cues.append(item)


def _sentence_span(text: str, f: SexFeatures, index: int | None) -> tuple[int, int]:
    if index is None or index >= len(f.sentences):
        return (0, min(len(text), 120))
    span = f.sentences[index]
    snippet = sentence_quote(text, span)
    start = text.find(snippet, span.start)
    return (start, start + len(snippet)) if start >= 0 else (span.start, span.end)


@lru_cache(maxsize=4096)
def _evoke(text: str, names: tuple[str, ...]) -> EvokeFeatures:
    return evoke_features(get_lexicon(names), text)


def _sentence_of(text: str, pos: int) -> tuple[int, int]:
    for span in sentences(text):
        if span.start <= pos < span.end:
            snippet = sentence_quote(text, span, (pos, pos + 1))
            start = text.find(snippet, span.start)
            return (start, start + len(snippet))
    return (pos, pos + 1)


def label_therapist(turn: Turn, index: int, ordinal: int, names: tuple[str, ...], history: History,
                    lex: Lexicon, f: SexFeatures, sex: tuple) -> TurnLabels:
    text = normalize(turn.text)
    addressed = addressed_partners(text, names, history.previous_speaker)
    labels = TurnLabels(index=index, speaker=turn.speaker, is_therapist=True, therapist_ordinal=ordinal, addressed=addressed)
    b = _Builder(labels, turn.text)
    move, tag, sentence = sex
    if move is not None:
        span = _sentence_span(text, f, sentence)
        b.add(move, addressed, span)
        if tag:
            b.cue(f"sex_{tag}", addressed, span)
    findings = therapist_findings(lex, text, addressed, names, tuple(history.recent_movers), history.previous_speaker)
    kinds = {"validate_protective_move": Move.VALIDATE_PROTECTIVE, "blame": Move.BLAME, "take_sides": Move.TAKE_SIDES,
             "repair": Move.REPAIR, "generic_empathy": Move.GENERIC_EMPATHY}
    for item in findings:
        b.add(kinds[item.label], item.about, _sentence_of(text, item.start))
    for v in (x for x in findings if x.label == "validate_protective_move"):
        for blame in (x for x in findings if x.label in ("blame", "take_sides")):
            same = set(blame.about) & set(v.about)
            if blame.start > v.start and (same or blame.sentence <= v.sentence + 1):
                b.cue("validation_undercut", v.about, _sentence_of(text, blame.start))
    evoke = _evoke(text, names)
    if evoke.evoke:
        b.add(Move.EVOKE_NEED, addressed, _sentence_of(text, evoke.evoke[0]))
        if evoke.need_conjecture:
            b.cue("need_conjecture", addressed, _sentence_of(text, evoke.need_conjecture[0]))
    cycle = lex.search("cycle", text)
    if cycle:
        b.add(Move.FRAME_CYCLE, names, _sentence_of(text, cycle.start()))
    equate = lex.search("equate", text)
    if equate and f.mentions and _OTHER_CYCLE.search(text):
        b.add(Move.EQUATE_CYCLES, names, _sentence_of(text, equate.start()))
    enact = _enactment_sentence(text, names)
    if enact is not None:
        b.add(Move.ENACTMENT, addressed, enact)
    for concept, move_kind in (("advice", Move.ADVICE), ("off_frame", Move.OFF_FRAME), ("abuse", Move.ABUSE)):
        match = lex.search(concept, text)
        if match:
            b.add(move_kind, addressed, _sentence_of(text, match.start()))
    substantive = {Move.INVITE_SEX, Move.FOLLOW_UP_SEX, Move.EVOKE_NEED, Move.VALIDATE_PROTECTIVE, Move.SHAMING_SEX,
                   Move.ENACTMENT, Move.OFF_FRAME}
    if not substantive & set(labels.moves):
        for span in sentences(text):
            if is_question(span.text):
                b.add(Move.CONTENT_QUESTION, addressed, (span.start, span.end))
                break
    return labels


def label_client(turn: Turn, index: int, names: tuple[str, ...], lex: Lexicon, f: SexFeatures,
                 previous: Turn | None) -> TurnLabels:
    text = normalize(turn.text)
    labels = TurnLabels(index=index, speaker=turn.speaker, is_therapist=False)
    b = _Builder(labels, turn.text)
    me = [turn.speaker]
    if f.mentions:
        b.add(Disclosure.MENTIONS_SEX, me, _sentence_span(text, f, f.mention_sentences[0]))
    kinds = {"protective_move_admitted": Disclosure.PROTECTIVE_MOVE, "protective_intent": Disclosure.PROTECTIVE_INTENT,
             "reactive_emotion": Disclosure.REACTIVE_EMOTION, "defensiveness": Disclosure.DEFENSIVENESS}
    for item in client_findings(lex, text):
        b.add(kinds[item.label], me, _sentence_of(text, item.start))
    for hit in need_hits(lex, text, speaker_is_client=True):
        b.add(Disclosure.NEED_OR_FEAR, me, _sentence_of(text, hit.start))
    if previous is not None:
        prev_text = normalize(previous.text)
        declined = answer_kind(lex, text) in ("reject", "hesitant")
        if not labels.has(Disclosure.NEED_OR_FEAR) and not declined and asks_for_need(prev_text) and answers_need_question(text):
            first = sentences(text)
            b.add(Disclosure.NEED_OR_FEAR, me, (first[0].start, first[0].end) if first else (0, len(text)),
                  cue="need_in_answer")
            b.cue(str(Disclosure.NEED_OR_FEAR), me, (first[0].start, first[0].end) if first else (0, len(text)))
        _answer(b, lex, turn, text, previous, names, me)
    return labels


def _answer(b: _Builder, lex: Lexicon, turn: Turn, text: str, previous: Turn, names: tuple[str, ...], me: list[str]) -> None:
    prev_text = normalize(previous.text)
    evoke = _evoke(prev_text, names)
    if not (evoke.conjecture or evoke.need_conjecture):
        return
    extra = turn.model_extra or {}
    nonverbal = str(extra.get("nonverbal") or "")
    kind = answer_kind(lex, text, nonverbal)
    first = sentences(text)
    span = (first[0].start, first[0].end) if first else (0, len(text))
    if kind == "confirm":
        b.add(Disclosure.CONFIRMS_CONJECTURE, me, span)
        if evoke.need_conjecture and evoke.tentative:
            b.cue("confirms_need_conjecture", me, span)
    elif kind == "hesitant":
        b.add(Disclosure.HESITANT, me, span)  # a "maybe" is hesitation, not a clear no
    elif kind == "reject":
        b.add(Disclosure.REJECTS_CONJECTURE, me, span)
