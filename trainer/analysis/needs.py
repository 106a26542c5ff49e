"""Underneath the surface: therapist invitations to needs/fears, client disclosures of them.

A need or fear counts in a client's own words when attachment-level content
(afraid of / longing to feel wanted, "she isn't attracted to me", "I'm not
enough", "I'll lose myself") appears in first person (or about the speaker) and
is not negated. A conjecture is confirmed only by a clear yes; "maybe, I don't
know" is hesitation, not confirmation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from trainer.analysis.lexicon import Lexicon
from trainer.analysis.text import clause_bounds, is_question, negated, sentences

_FIRST = re.compile(r"\b(?:I|I'm|I've|I'd|I'll|me|my|myself|we|us|our)\b")
_ACCUSE = re.compile(r"^\s*(?:you|you're|you've)\b", re.IGNORECASE)
_POLITE_AFRAID = re.compile(r"\bafraid (?:I|we) (?:can't|cannot|won't|don't|have to|need to|must)\b", re.IGNORECASE)
_HEAD = re.compile(
    r"(?:afraid|scared|terrified|frightened|petrified|fear|worried|panic|want|need|long|wish|crav|ach|yearn|hop|miss|"
    r"I'm|I am|you're|you are|I feel|you feel|I felt|you felt|feel)",
    re.IGNORECASE,
)
_FEAR_QUESTION = re.compile(
    r"\b(?:afraid|scared|fear|frighten\w*|worr\w+|dread|bracing|protecting yourself|guarding|need most|long for|"
    r"most want|miss most|tell you about yourself|say about you|mean to you|mean for you|hop(?:e|ing) for|"
    r"long(?:ing)? for|wish(?:ing)? for|what do you (?:most )?(?:need|want|miss))\b",
    re.IGNORECASE,
)
_NON_ANSWER = re.compile(r"^\W*(?:I don't know|I dunno|nothing|not really|no idea|dunno|I'm not sure|who knows)\b", re.IGNORECASE)
_ABOUT_PARTNER = re.compile(r"\b(?i:you|your|you're|yourself)\b|[\w,;:]\s+[A-Z][a-z]+")
_SECOND = re.compile(r"\b(?:you|your|you're|yourself)\b", re.IGNORECASE)
_STRONG_YES = re.compile(r"\b(?:exactly|absolutely|definitely|that's it|that's exactly|spot on|precisely|so true)\b", re.IGNORECASE)


@dataclass(frozen=True)
class NeedHit:
    start: int
    end: int
    kind: str  # "need" | "fear" | "self_doubt"


def need_hits(lex: Lexicon, text: str, speaker_is_client: bool = True) -> list[NeedHit]:
    """Attachment-level needs/fears in the text (first person for clients, second for conjectures)."""
    hits: list[NeedHit] = []
    for span in sentences(text):
        sent = span.text
        for kind in ("fear", "need", "self_doubt"):
            for match in lex.finditer(f"need_fear.{kind}", sent):
                if _POLITE_AFRAID.search(sent[match.start() : match.end() + 12]):
                    continue
                if _HEAD.match(match.group(0)) and negated(sent, match.start(), window=2):
                    continue
                c_start, c_end = clause_bounds(sent, match.start())
                clause = sent[c_start:c_end]
                if speaker_is_client:
                    if _ACCUSE.match(sent[c_start:match.start()] or "x") and kind == "self_doubt" and not re.search(r"\bI\b", clause):
                        continue
                    if not (_FIRST.search(clause) or _FIRST.search(match.group(0))):
                        continue

                hits.append(NeedHit(span.start + match.start(), span.start + match.end(), kind))
                break
    return hits


@dataclass
class EvokeFeatures:
    evoke: tuple[int, int] | None = None  # span of the evocative cue
    conjecture: bool = False  # tentative statement or check ("I wonder if", "is that right?")
    need_conjecture: tuple[int, int] | None = None  # conjecture carrying need/fear content
    tentative: bool = False  # the need/fear content is offered tentatively or checked (not asserted)


def evoke_features(lex: Lexicon, text: str) -> EvokeFeatures:
    """Does a therapist turn invite a partner beneath the surface, and with what content?

    Evocative: a question about feelings/needs/what happens inside, a "deeper"
    cue (underneath, part of you) in a question, or a reflection/conjecture that
    carries need or fear content addressed to the partner.
    """
    feats = EvokeFeatures()
    for span in sentences(text):
        sent = span.text
        question = is_question(sent)
        ask = lex.search("evoke.ask", sent)
        deeper = lex.search("evoke.deeper", sent)
        conj = lex.search("evoke.conjecture", sent)
        content = need_hits(lex, sent, speaker_is_client=False) if _ABOUT_PARTNER.search(sent) else []
        cues = [m for m in (ask, deeper if (question or content or conj) else None) if m is not None]
        where = None
        if cues:
            first = min(cues, key=lambda m: m.start())
            where = (span.start + first.start(), span.start + first.end())
        elif content:
            where = (span.start + content[0].start, span.start + content[0].end)
        feats.conjecture = feats.conjecture or bool(conj) or (bool(content) and not question)
        if where is None:
            continue
        feats.evoke = feats.evoke or where
        if content:
            feats.need_conjecture = feats.need_conjecture or where
            feats.tentative = feats.tentative or bool(conj) or question
    if feats.need_conjecture and lex.has("evoke.conjecture", text):
        feats.tentative = True
    return feats


_FILLER = re.compile(r"^(?:\W*(?:well|um+|uh+|oh|hmm+|honestly|I mean|so|okay|ok|look|I guess I'd say)\b[\s,.]*)+", re.IGNORECASE)


def answer_kind(lex: Lexicon, text: str, nonverbal: str = "") -> str | None:
    """'confirm', 'hesitant' or 'reject' for a client's reply to a conjecture, from its opening."""
    spans = sentences(text)
    head = spans[0].text if spans else ""
    opening = " ".join(re.findall(r"[\w'-]+", head)[:8])
    hesitant = lex.search("answer.hesitant", opening) or lex.search("answer.hesitant", nonverbal)
    if hesitant and not _STRONG_YES.search(opening):
        return "hesitant"
    lead = _FILLER.sub("", head).lstrip()
    reject = lex.rx("answer.reject").match(lead)
    confirm = lex.rx("answer.confirm").match(lead) or lex.search("answer.confirm", nonverbal)
    if reject and not confirm:
        return "reject"
    if confirm:
        return "confirm"
    return None


def asks_for_need(text: str) -> bool:
    """A therapist question aimed straight at a fear or need ("what are you afraid of?")."""
    return any(is_question(span.text) and _FEAR_QUESTION.search(span.text) for span in sentences(text))


def answers_need_question(text: str) -> bool:
    """A real, personal answer to such a question (not "I don't know", and about the speaker or the couple)."""
    words = re.findall(r"[\w']+", text)
    return len(words) >= 4 and not _NON_ANSWER.match(text) and bool(_FIRST.search(text))
