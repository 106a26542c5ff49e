"""The rule layer of the turn analysis: concept lexicons plus composition rules.

Rules give structure the learned layer cannot: who is addressed, which partner
a move concerns, negation and hedging, where the sexual topic stands in the
session, and the verbatim words behind every label. Their labels are also
inputs (features) of the learned layer, which has the last word on meaning
(`trainer/analysis/combine.py`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from trainer.analysis.history import History, SexState
from trainer.analysis.labels import Move, TurnLabels
from trainer.analysis.lexicon import get_lexicon
from trainer.analysis.sexual import SexFeatures, sex_features
from trainer.analysis.text import is_question, normalize
from trainer.analysis.turnlabels import label_client, label_therapist
from trainer.transcript import Turn


@lru_cache(maxsize=4096)
def sex_of(text: str, names: tuple[str, ...], couple: bool, therapist: bool = True) -> SexFeatures:
    return sex_features(get_lexicon(names), normalize(text), couple, therapist)


_ENCOURAGER = {"mm-hmm", "mhm", "uh-huh", "go on", "i see", "okay", "ok", "right", "yes", "yeah", "and", "say more", "tell me more"}


def _sex_move(f: SexFeatures, st: SexState, text: str, last_client: str = "",
              names: tuple[str, ...] = ()) -> tuple[Move | None, str | None, int | None]:
    """The sexual-topic move of a therapist turn, a detail tag, and the sentence to quote.

    Named topic: shaming > sidelining > invitation (question, opening, normalizing;
    or a therapist-initiated statement) > reflection (follow-up once invited, an
    echo if a client raised it and it was never invited). Unnamed topic: staying
    with the client's answer right after an invitation is a follow-up; "tell me
    more about that" right after a client raised it is an invitation.
    """
    if f.mentions:
        if f.shaming_sentence is not None:
            return Move.SHAMING_SEX, "shaming", f.shaming_sentence
        if f.sideline:
            return Move.SIDELINE_SEX, f.sideline, f.sideline_sentence
        if f.inviting or not (st.client_ever or st.active):
            move = Move.FOLLOW_UP_SEX if st.active else Move.INVITE_SEX
            asking = [i for i in f.inviting if is_question(f.sentences[i].text)]
            return move, None, (asking or f.inviting or f.mention_sentences)[0]
        if st.active or st.invited:
            return Move.FOLLOW_UP_SEX, "reflection", f.mention_sentences[0]
        asked = _says_more(f, last_client, names) if st.client_last_sexual else None
        if asked is not None:  # "You said you don't sleep together. Tell me more about that?"
            return Move.INVITE_SEX, "says_more", asked
        return Move.SIDELINE_SEX, "echo", f.mention_sentences[0]
    if not (st.client_since or st.active):
        return None, None, None
    if st.client_since and f.shaming_any is not None and not st.active:
        return Move.SHAMING_SEX, "shaming", f.shaming_any
    if st.client_since and f.sideline:
        return Move.SIDELINE_SEX, f.sideline, f.sideline_sentence
    shifted = f.topic_shift or f.other_topic_question or f.sideline
    plain = " ".join(re.findall(r"[\w'-]+", text.lower()))
    related = f.anaphoric or _overlap(text, last_client) or plain in _ENCOURAGER
    if st.active and not shifted and related:
        return Move.FOLLOW_UP_SEX, "continues", _question_sentence(f)
    if not st.active and st.client_last_sexual and not shifted:
        asked = _says_more(f, last_client, names)
        if asked is not None:
            return Move.INVITE_SEX, "says_more", asked
    return None, None, None


_SAY_MORE = re.compile(
    r"\b(?:tell me|(?:say|hear) (?:a bit |a little )?more|more about|keep going|talk about|what(?:'s| is| was) (?:that|it|this) (?:been )?like|"
    r"how (?:is|was|has) (?:that|it|this)|what happens|what do you mean|help me understand|go on)\b",
    re.IGNORECASE,
)
_POINTER = re.compile(r"\b(?:that|this|it|those)\b", re.IGNORECASE)
_BARE_WORDS = frozenset("can could would will you u please a bit little more go on and so okay ok mm hmm yeah then just "
                        "maybe me us tell say about for if want to like i'd i love hear keep going".split())


def _bare(sentence: str, names: tuple[str, ...] = ()) -> bool:
    """A request to say more that names nothing but the partner asked ("Can you tell me more?",
    "Belinda, go on."): it is about what was just said."""
    spoken_to = {n.lower() for n in names}
    return all(w in _BARE_WORDS or w in spoken_to for w in re.findall(r"[\w']+", sentence.lower()))


_RECALLS = re.compile(
    r"\b(?:you (?:mentioned|said|told|brought up|talked about|spoke about|described)|earlier you|going back to)\b",
    re.IGNORECASE,
)


def _recalls_something_else(span_text: str, last_client: str, names: tuple[str, ...]) -> bool:
    """A sentence that recalls something a client said other than their words about sex ("you
    mentioned your mum is living with you"): what follows is about that."""
    if not _RECALLS.search(span_text):
        return False
    f = sex_of(last_client, names, len(names) >= 2, False)
    sexual = " ".join(f.sentences[i].text for i in f.mention_sentences) or last_client
    return not _overlap(span_text, sexual)


def _asks_to_say_more(sentence: str, names: tuple[str, ...] = ()) -> bool:
    """"Tell me about that", "Can you say more?": a request about what was just said."""
    return bool(_SAY_MORE.search(sentence)) and (bool(_POINTER.search(sentence)) and len(sentence.split()) <= 14
                                                  or _bare(sentence, names))


def points_elsewhere(sentences: Sequence[str], last_client: str, client_last_sexual: bool,
                     names: tuple[str, ...]) -> bool:
    """A turn naming no sex that takes up something else a client said: it recalls other words
    of theirs, or asks to hear more about a last client turn that was not about sex."""
    return any(_recalls_something_else(s, last_client, names) or _asks_to_say_more(s, names) and not client_last_sexual
               for s in sentences)


def _says_more(f: SexFeatures, last_client: str, names: tuple[str, ...]) -> int | None:
    """A short request, in one sentence, to say more about what the client just said. A sentence
    before it that recalls something else a client said is what "that" points to, not the
    sexual mention."""
    for i, span in enumerate(f.sentences):
        if _recalls_something_else(span.text, last_client, names):
            return None
        if _asks_to_say_more(span.text, names):
            return i
    return None


_STOP = frozenset(["about", "after", "again", "also", "been", "before", "being", "between", "both", "could", "does", "doing", "down", "from", "have", "having", "here", "into", "just", "like", "made", "make", "more", "most", "much", "only", "other", "over", "really", "said", "same", "should", "some", "such", "than", "that", "their", "them", "then", "there", "these", "they", "thing", "things", "this", "those", "through", "very", "want", "well", "were", "what", "when", "where", "which", "while", "with", "would", "your", "you're", "yours", "know", "think", "feel", "going"])


def _overlap(text: str, other: str) -> bool:
    """The therapist picks up a content word of the client's answer (4+ letters, not a stopword)."""
    words = {w for w in re.findall(r"[a-z]{4,}", text.lower()) if w not in _STOP}
    theirs = {w for w in re.findall(r"[a-z]{4,}", other.lower()) if w not in _STOP}
    stems = {w[:5] for w in theirs}
    return any(w[:5] in stems for w in words)


def _question_sentence(f: SexFeatures) -> int:
    for i, span in enumerate(f.sentences):
        if is_question(span.text):
            return i
    return 0



def rule_labels(turns: Sequence[Turn], index: int, names: tuple[str, ...], history: History) -> tuple[TurnLabels, SexFeatures]:
    """The rule layer's labels of `turns[index]`, read against `history` (the turns before it)."""
    lex = get_lexicon(names)
    couple = len(names) >= 2
    turn = turns[index]
    if turn.is_therapist:
        f = sex_of(turn.text, names, couple)
        ordinal = history.therapist_count + 1
        sex = _sex_move(f, history.sex, normalize(turn.text), history.last_client_text, names)
        return label_therapist(turn, index, ordinal, names, history, lex, f, sex), f
    previous = turns[history.last_therapist] if history.last_therapist is not None else None
    f = sex_of(turn.text, names, couple, False)
    return label_client(turn, index, names, lex, f, previous), f
