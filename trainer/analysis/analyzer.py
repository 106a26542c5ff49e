"""Label transcript turns: what each therapist turn does (and to whom), what each client discloses.

Method: concept lexicons (lexicon.yaml) + composition rules (who speaks to
whom, negation and perception scopes, question vs statement, turn history).
Chosen over a classifier or embeddings because the engine calls
`analyze_turn` after every trainee utterance (target well under 5 ms, no model
start-up, no download), every label must point at the verbatim words that
earned it (evidence for supervisors), and the rubric's boundaries are
compositional (validation = a move AND an understanding frame; a need counts
only in first person and not negated) which rules state directly and a small
classifier trained on a few dozen of our own examples would only approximate.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from trainer.analysis.labels import Disclosure, Move, TurnLabels
from trainer.analysis.lexicon import Lexicon, get_lexicon
from trainer.analysis.protective import client_findings
from trainer.analysis.sexual import SexFeatures, sex_features
from trainer.analysis.text import is_question, normalize
from trainer.transcript import Transcript, Turn

_ENCOURAGER = {"mm-hmm", "mhm", "uh-huh", "go on", "i see", "okay", "ok", "right", "yes", "yeah", "and", "say more", "tell me more"}


@lru_cache(maxsize=4096)
def _sex(text: str, names: tuple[str, ...], couple: bool, therapist: bool = True) -> SexFeatures:
    return sex_features(get_lexicon(names), normalize(text), couple, therapist)


@dataclass
class _SexState:
    """Where the sexual topic stands before the turn being labelled."""

    active: bool = False  # the previous therapist turn invited or followed up the topic
    client_since: bool = False  # a client mentioned it since the last therapist turn
    client_last_sexual: bool = False  # the latest client turn ends on it
    client_ever: bool = False
    invited: bool = False


@dataclass
class _History:
    sex: _SexState = field(default_factory=_SexState)
    previous_speaker: str | None = None
    last_client_text: str = ""
    recent_movers: list[str] = field(default_factory=list)
    last_therapist: int | None = None
    therapist_count: int = 0


def _sex_move(f: SexFeatures, st: _SexState, text: str, last_client: str = "") -> tuple[Move | None, str | None, int | None]:
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
        asked = _says_more(f)
        if asked is not None:
            return Move.INVITE_SEX, "says_more", asked
    return None, None, None


_SAY_MORE = re.compile(
    r"\b(?:tell me|say (?:a bit |a little )?more|more about|talk about|what(?:'s| is| was) (?:that|it|this) (?:been )?like|"
    r"how (?:is|was|has) (?:that|it|this)|what happens|what do you mean|help me understand|go on)\b",
    re.IGNORECASE,
)
_POINTER = re.compile(r"\b(?:that|this|it|those)\b", re.IGNORECASE)


def _says_more(f: SexFeatures) -> int | None:
    """A short request, in one sentence, to say more about what the client just said."""
    for i, span in enumerate(f.sentences):
        if _SAY_MORE.search(span.text) and _POINTER.search(span.text) and len(span.text.split()) <= 14:
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


def _advance(history: _History, turn: Turn, labels_move: Move | None, f: SexFeatures, index: int, movers: list[str]) -> None:
    st = history.sex
    if turn.is_therapist:
        st.active = labels_move in (Move.INVITE_SEX, Move.FOLLOW_UP_SEX)
        st.invited = st.invited or labels_move == Move.INVITE_SEX
        st.client_since = False
        history.previous_speaker = None
        history.recent_movers = []
        history.last_therapist = index
        history.therapist_count += 1
    else:
        st.client_since = st.client_since or f.mentions
        st.client_last_sexual = f.last_sentence_sexual
        st.client_ever = st.client_ever or f.mentions
        history.previous_speaker = turn.speaker
        history.last_client_text = turn.text
        history.recent_movers = [m for m in history.recent_movers if m != turn.speaker] + movers


def _client_movers(lex: Lexicon, turn: Turn) -> list[str]:
    return [turn.speaker] if _owns_move(lex, turn.text) else []


_OWNS: dict[tuple[int, str], bool] = {}


def _owns_move(lex: Lexicon, text: str) -> bool:
    """Did this client text own a protective move or intent? (memoised: history is re-read every turn)"""
    key = (id(lex), text)
    found = _OWNS.get(key)
    if found is None:
        labels = {f.label for f in client_findings(lex, normalize(text))}
        found = bool(labels & {"protective_move_admitted", "protective_intent"})
        if len(_OWNS) > 20_000:
            _OWNS.clear()
        _OWNS[key] = found
    return found


def analyze_turn(turns: Sequence[Turn], index: int, clients: Sequence[str]) -> TurnLabels:
    """Labels of `turns[index]` given the turns before it (later turns are ignored)."""
    names = tuple(clients) or tuple(dict.fromkeys(t.speaker for t in turns if not t.is_therapist))
    history = _History()
    lex = get_lexicon(names)
    couple = len(names) >= 2
    for i in range(index):
        turn = turns[i]
        f = _sex(turn.text, names, couple, turn.is_therapist)
        move = _sex_move(f, history.sex, normalize(turn.text), history.last_client_text)[0] if turn.is_therapist else None
        movers = [] if turn.is_therapist else _client_movers(lex, turn)
        _advance(history, turn, move, f, i, movers)
    return _label(turns, index, names, history, lex, couple)


def analyze_transcript(transcript: Transcript) -> list[TurnLabels]:
    """Labels for every turn, in one forward pass."""
    names = tuple(transcript.client_names)
    lex = get_lexicon(names)
    couple = len(names) >= 2
    history = _History()
    out: list[TurnLabels] = []
    for i, turn in enumerate(transcript.turns):
        labels = _label(transcript.turns, i, names, history, lex, couple)
        out.append(labels)
        sex_move = next((m for m in labels.moves if m in _SEX_MOVES), None)
        movers = [turn.speaker] if labels.has(Disclosure.PROTECTIVE_MOVE) or labels.has(Disclosure.PROTECTIVE_INTENT) else []
        _advance(history, turn, sex_move, _sex(turn.text, names, couple, turn.is_therapist), i, movers)
    return out


_SEX_MOVES = (Move.INVITE_SEX, Move.FOLLOW_UP_SEX, Move.SIDELINE_SEX, Move.SHAMING_SEX)


def _label(turns: Sequence[Turn], index: int, names: tuple[str, ...], history: _History, lex: Lexicon, couple: bool) -> TurnLabels:
    from trainer.analysis.turnlabels import label_client, label_therapist

    turn = turns[index]
    ordinal = history.therapist_count + 1 if turn.is_therapist else None
    if turn.is_therapist:
        f = _sex(turn.text, names, couple)
        sex = _sex_move(f, history.sex, normalize(turn.text), history.last_client_text)
        return label_therapist(turn, index, ordinal, names, history, lex, f, sex)
    previous = turns[history.last_therapist] if history.last_therapist is not None else None
    return label_client(turn, index, names, lex, _sex(turn.text, names, couple, False), previous)


__all__ = ["analyze_transcript", "analyze_turn"]
