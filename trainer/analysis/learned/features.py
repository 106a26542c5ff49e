"""Sentence features for the learned heads: what is said, what it answers, what the rules saw.

One row per sentence of the turn: the sentence's embedding, the mean embedding
of the whole turn, the embedding of the end of the turn it follows (the context),
and flags: which rule labels fired in this sentence and in the turn, question
form and position.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from trainer.analysis.history import History
from trainer.analysis.labels import Disclosure, Move, TurnLabels
from trainer.analysis.sexual import SexFeatures
from trainer.analysis.text import Span, fold_accents, is_question, normalize, sentences
from trainer.encoder import get_encoder

MAX_SENTENCES = 12
RULE_MOVES = tuple(m.value for m in Move)
RULE_DISCLOSURES = tuple(d.value for d in Disclosure)
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|im|i've|i'd|me|my|myself)\b", re.IGNORECASE)
_SECOND_PERSON = re.compile(r"\b(?:you|your|you're|u|ur|yourself)\b", re.IGNORECASE)


# Chat forms spelled out for the encoder only (evidence offsets come from the original text).
_CHAT = [(re.compile(rf"\b{a}\b", re.IGNORECASE), b) for a, b in (
    ("u", "you"), ("ur", "your"), ("ya", "you"), ("r", "are"), ("whats", "what's"), ("hows", "how's"),
    ("wheres", "where's"), ("whos", "who's"), ("dont", "don't"), ("doesnt", "doesn't"), ("didnt", "didn't"),
    ("cant", "can't"), ("wont", "won't"), ("isnt", "isn't"), ("im", "I'm"), ("ive", "I've"), ("abt", "about"),
    ("bc", "because"), ("cuz", "because"), ("tbh", "to be honest"), ("idk", "I don't know"), ("rn", "right now"),
    ("pls", "please"), ("thx", "thanks"), ("wanna", "want to"), ("gonna", "going to"), ("kinda", "kind of"),
    ("w/", "with"), ("wat", "what"), ("wot", "what"), ("b4", "before"), ("2gether", "together"), ("ppl", "people"), ("smth", "something"))]


def encoder_text(text: str, names: Sequence[str]) -> str:
    """What the encoder reads: chat forms spelled out, the partners' names made uniform
    (a name carries no meaning for the move; the rules handle who is who)."""
    for rx, full in _CHAT:
        text = rx.sub(full, text)
    for name in {v for given in names for v in (given, fold_accents(given))}:
        text = re.sub(rf"\b{re.escape(name)}\b", "Alex", text, flags=re.IGNORECASE)
    return text


@dataclass(frozen=True)
class TurnFeatures:
    spans: tuple[Span, ...]  # the sentences scored (offsets into the turn text)
    matrix: np.ndarray  # (len(spans), D)
    words: str  # the whole turn as the word model reads it


def turn_sentences(text: str) -> tuple[Span, ...]:
    spans = sentences(normalize(text))
    if not spans:
        return (Span(0, len(text), text),)
    return spans[:MAX_SENTENCES]


def context_sentences(text: str) -> list[str]:
    """The end of the turn being answered: its last two sentences (questions sit at the end)."""
    return [s.text for s in turn_sentences(text)[-2:]] if text.strip() else []


def _cue_sentences(labels: TurnLabels, text: str, spans: Sequence[Span]) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {}
    for cue in labels.cues:
        pos = text.find(cue.quote) if cue.quote else -1
        index = next((i for i, s in enumerate(spans) if pos >= 0 and s.start <= pos < s.end), None)
        if index is not None:
            found.setdefault(cue.label, set()).add(index)
    return found


def _flags(names: Sequence[str], present: set[str], in_sentence: dict[str, set[int]], i: int) -> list[float]:
    return [float(n in present) for n in names] + [float(i in in_sentence.get(n, ())) for n in names]


def _encode(spans: Sequence[Span], context: list[str], names: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Sentence vectors, and the context vector: the mean of the previous turn's last sentences
    (already encoded when that turn was read, so they come from the cache)."""
    texts = [encoder_text(s.text, names) for s in spans] + [encoder_text(c, names) for c in context]
    vectors = get_encoder().encode(texts)
    sent = vectors[: len(spans)]
    ctx = vectors[len(spans):].mean(axis=0) if context else np.zeros(vectors.shape[1], dtype=np.float32)
    return sent, ctx


def prewarm(texts: Sequence[str], names: Sequence[str]) -> None:
    """Encode every sentence of a whole transcript in one batch (much faster than turn by turn)."""
    batch = [encoder_text(s.text, names) for text in texts for s in turn_sentences(text)]
    if batch:
        get_encoder().encode(batch)


def therapist_features(text: str, rule: TurnLabels, f: SexFeatures, history: History,
                       names: Sequence[str] = ()) -> TurnFeatures:
    spans = turn_sentences(text)
    context = context_sentences(history.last_client_text) if history.previous_speaker else []
    sent_vecs, ctx_vec = _encode(spans, context, names)
    turn_vec = sent_vecs.mean(axis=0)
    present = {str(m) for m in rule.moves}
    in_sentence = _cue_sentences(rule, text, spans)
    # Where the sexual topic stands is left to the rules (invitation vs follow-up): as a feature it
    # taught the heads that anything said after an invitation continues it.
    state = [float(bool(context))]
    rows = []
    for i, span in enumerate(spans):
        own = [float(is_question(span.text)), float(i == 0), float(i == len(spans) - 1),
               float(i in f.mention_sentences), float(i == f.sideline_sentence), float(i == f.shaming_sentence),
               min(len(spans), 8) / 8, min(len(span.text.split()), 40) / 40,
               float(bool(_SECOND_PERSON.search(span.text)))]
        flags = _flags(RULE_MOVES, present, in_sentence, i)
        rows.append(np.concatenate([sent_vecs[i], turn_vec, ctx_vec, np.array(state + own + flags, dtype=np.float32)]))
    return TurnFeatures(spans, np.vstack(rows), encoder_text(text, names))


_PREVIOUS = ("evoke_need", "content_question", "invite_sex", "follow_up_sex", "validate_protective_move", "blame",
             "advice", "enactment", "generic_empathy")


def client_features(text: str, rule: TurnLabels, f: SexFeatures, history: History,
                    names: Sequence[str] = ()) -> TurnFeatures:
    spans = turn_sentences(text)
    context = context_sentences(history.last_therapist_text)
    sent_vecs, ctx_vec = _encode(spans, context, names)
    turn_vec = sent_vecs.mean(axis=0)
    present = {str(d) for d in rule.disclosures} | {c.label for c in rule.cues}
    in_sentence = _cue_sentences(rule, text, spans)
    prev = history.last_therapist_labels
    prev_moves = {str(m) for m in prev.moves} if prev else set()
    prev_cues = {c.label for c in prev.cues} if prev else set()
    state = [float(m in prev_moves) for m in _PREVIOUS] + [
        float("need_conjecture" in prev_cues), float(bool(context))]
    words = len(text.split())
    rows = []
    for i, span in enumerate(spans):
        own = [float(is_question(span.text)), float(i == 0), float(i == len(spans) - 1),
               float(i in f.mention_sentences), min(words, 40) / 40, float(words <= 4),
               float(bool(_FIRST_PERSON.search(span.text))), float(bool(_SECOND_PERSON.search(span.text)))]
        flags = _flags(RULE_DISCLOSURES + ("hesitant", "need_in_answer"), present, in_sentence, i)
        rows.append(np.concatenate([sent_vecs[i], turn_vec, ctx_vec, np.array(state + own + flags, dtype=np.float32)]))
    return TurnFeatures(spans, np.vstack(rows), encoder_text(text, names))
