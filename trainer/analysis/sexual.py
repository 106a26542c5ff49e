"""Is a turn about the couple's sexual / physical bond, and how does the therapist handle it?

Meaning, not keywords: a mention counts only when a term of the physical bond
(sex, desire, touch, affection, being held, the bedroom, attraction...) is not
one of its look-alikes ("keep in touch", "same-sex", "emotional intimacy") and
is not health information (safe sex, side effects, birth control) with no
reference to the couple. In a one-client session the talk must name the
relationship, because there is no couple in the room.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from trainer.analysis.lexicon import Lexicon
from trainer.analysis.text import Span, clause_bounds, is_question, sentences

_ANAPHORA = r"\b(?:that|this|it|those|these)\b"
_WHY_YOU = re.compile(r"\bwhy (?:are|do|won't|don't|can't|would|did|didn't|must|is it that) (?:you|he|she)\b", re.IGNORECASE)


@dataclass
class SexFeatures:
    """Sexual-topic facts of one turn's text (history-free, cacheable)."""

    sentences: tuple[Span, ...]
    mention_sentences: list[int] = field(default_factory=list)  # indices into `sentences`
    health_only: bool = False  # sexual words present, but only as health information
    inviting: list[int] = field(default_factory=list)  # mention sentences that ask/open/normalize
    normalizing: bool = False
    sideline: str | None = None  # "defer" | "refer" | "minimize"
    sideline_sentence: int | None = None
    shaming_sentence: int | None = None  # a shaming sentence that names the topic
    shaming_any: int | None = None  # a shaming question about a withdrawal, topic named or not
    topic_shift: bool = False
    other_topic_question: bool = False
    question: bool = False
    anaphoric: bool = False

    @property
    def mentions(self) -> bool:
        return bool(self.mention_sentences)

    @property
    def last_sentence_sexual(self) -> bool:
        return bool(self.mention_sentences) and self.mention_sentences[-1] >= len(self.sentences) - 2


def _mention_in(lex: Lexicon, sentence: str, couple: bool) -> tuple[bool, bool]:
    """(relationship mention, health-only mention) for one sentence."""
    excluded = [m.span() for m in lex.finditer("sexual.not_sexual", sentence)]
    hits = [
        m
        for m in lex.finditer("sexual.terms", sentence)
        if not any(s <= m.start() < e or s < m.end() <= e for s, e in excluded)
    ]
    if not hits:
        return False, False
    related = lex.has("sexual.relationship", sentence)
    if lex.has("sexual.health_info", sentence) and not _bond_named(lex, sentence):
        return False, True
    if not couple and not related:
        return False, True
    return True, False


_ADDRESS_ONLY = re.compile(r"^(?:the two of you|you two|you both|both of you)$", re.IGNORECASE)


def _bond_named(lex: Lexicon, sentence: str) -> bool:
    """Health information counts only when the couple's own bond is named ("with each other", "your
    relationship"); "you both" merely addresses the pair ("have you both had the safe-sex leaflet?")."""
    return any(not _ADDRESS_ONLY.match(m.group(0)) for m in lex.finditer("sexual.relationship", sentence))


def _clause_has(lex: Lexicon, concept: str, sentence: str, couple: bool) -> bool:
    """A sidelining cue whose own clause is about the topic (named, or pointed back to)."""
    for match in lex.finditer(concept, sentence):
        start, end = clause_bounds(sentence, match.start())
        clause = sentence[start:end]
        if _mention_in(lex, clause, couple)[0] or re.search(_ANAPHORA, clause, re.IGNORECASE):
            return True
    return False


def sex_features(lex: Lexicon, text: str, couple: bool = True, therapist: bool = True) -> SexFeatures:
    """Scan the (normalized) text of a turn for the sexual topic and how it is handled.

    Client turns only need the mention itself (`therapist=False` skips the rest)."""
    spans = sentences(text)
    feats = SexFeatures(sentences=spans)
    health = False
    for i, span in enumerate(spans):
        mention, health_hit = _mention_in(lex, span.text, couple)
        health = health or health_hit
        if not therapist:
            if mention:
                feats.mention_sentences.append(i)
            continue
        question = is_question(span.text)
        feats.question = feats.question or question
        if question and not mention and lex.has("invite.other_topics", span.text) and not re.search(_ANAPHORA, span.text, re.IGNORECASE):
            feats.other_topic_question = True
        if lex.has("invite.topic_shift", span.text):
            feats.topic_shift = True
        for kind in ("refer", "minimize", "defer"):
            if feats.sideline is None and _clause_has(lex, f"invite.{kind}", span.text, couple):
                feats.sideline, feats.sideline_sentence = kind, i
        if lex.has("invite.shaming", span.text) or (
            _WHY_YOU.search(span.text) and lex.has("protective_move.withdraw", span.text)
        ):
            feats.shaming_any = i if feats.shaming_any is None else feats.shaming_any
            if mention and feats.shaming_sentence is None:
                feats.shaming_sentence = i
        if not mention:
            continue
        feats.mention_sentences.append(i)
        normal = lex.has("invite.normalize", span.text)
        feats.normalizing = feats.normalizing or normal
        if question or normal or lex.has("invite.ask", span.text):
            feats.inviting.append(i)
    feats.anaphoric = bool(re.search(_ANAPHORA, text, re.IGNORECASE))
    feats.health_only = health and not feats.mentions
    return feats
