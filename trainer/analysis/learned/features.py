"""Sentence features for the learned heads: what is said, what it answers, what the rules saw.

One row per sentence of the turn: the sentence's embedding, the mean embedding
of the whole turn, the embedding of the end of the turn it follows (the context),
and flags: which rule labels fired in this sentence and in the turn, where the
sexual topic stands, question form and position.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from trainer.analysis.history import History
from trainer.analysis.labels import Disclosure, Move, TurnLabels
from trainer.analysis.sexual import SexFeatures
from trainer.analysis.text import Span, is_question, normalize, sentences
from trainer.encoder import get_encoder

MAX_SENTENCES = 12
RULE_MOVES = tuple(m.value for m in Move)
RULE_DISCLOSURES = tuple(d.value for d in Disclosure)
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|im|i've|i'd|me|my|myself)\b", re.IGNORECASE)
_SECOND_PERSON = re.compile(r"\b(?:you|your|you're|u|ur|yourself)\b", re.IGNORECASE)


@dataclass(frozen=True)
class TurnFeatures:
    spans: tuple[Span, ...]  # the sentences scored (offsets into the turn text)
    matrix: np.ndarray  # (len(spans), D)


def turn_sentences(text: str) -> tuple[Span, ...]:
    spans = sentences(normalize(text))
    if not spans:
        return (Span(0, len(text), text),)
    return spans[:MAX_SENTENCES]


def context_text(text: str) -> str:
    """The end of the turn being answered: its last two sentences (questions sit at the end)."""
    spans = sentences(normalize(text))
    return " ".join(s.text for s in spans[-2:]) if spans else ""


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


def therapist_features(text: str, rule: TurnLabels, f: SexFeatures, history: History) -> TurnFeatures:
    spans = turn_sentences(text)
    context = context_text(history.last_client_text) if history.previous_speaker else ""
    vectors = get_encoder().encode([s.text for s in spans] + [context])
    sent_vecs, ctx_vec = vectors[:-1], vectors[-1]
    turn_vec = sent_vecs.mean(axis=0)
    present = {str(m) for m in rule.moves}
    in_sentence = _cue_sentences(rule, text, spans)
    st = history.sex
    state = [float(st.active), float(st.invited), float(st.client_since), float(st.client_last_sexual),
             float(st.client_ever), float(bool(context))]
    rows = []
    for i, span in enumerate(spans):
        own = [float(is_question(span.text)), float(i == 0), float(i == len(spans) - 1),
               float(i in f.mention_sentences), float(i == f.sideline_sentence), float(i == f.shaming_sentence),
               min(len(spans), 8) / 8, min(len(span.text.split()), 40) / 40,
               float(bool(_SECOND_PERSON.search(span.text)))]
        flags = _flags(RULE_MOVES, present, in_sentence, i)
        rows.append(np.concatenate([sent_vecs[i], turn_vec, ctx_vec, np.array(state + own + flags, dtype=np.float32)]))
    return TurnFeatures(spans, np.vstack(rows))


_PREVIOUS = ("evoke_need", "content_question", "invite_sex", "follow_up_sex", "validate_protective_move", "blame",
             "advice", "enactment", "generic_empathy")


def client_features(text: str, rule: TurnLabels, f: SexFeatures, history: History) -> TurnFeatures:
    spans = turn_sentences(text)
    context = context_text(history.last_therapist_text)
    vectors = get_encoder().encode([s.text for s in spans] + [context])
    sent_vecs, ctx_vec = vectors[:-1], vectors[-1]
    turn_vec = sent_vecs.mean(axis=0)
    present = {str(d) for d in rule.disclosures} | {c.label for c in rule.cues}
    in_sentence = _cue_sentences(rule, text, spans)
    prev = history.last_therapist_labels
    prev_moves = {str(m) for m in prev.moves} if prev else set()
    prev_cues = {c.label for c in prev.cues} if prev else set()
    state = [float(m in prev_moves) for m in _PREVIOUS] + [
        float("need_conjecture" in prev_cues), float(bool(context)), float(history.sex.active)]
    words = len(text.split())
    rows = []
    for i, span in enumerate(spans):
        own = [float(is_question(span.text)), float(i == 0), float(i == len(spans) - 1),
               float(i in f.mention_sentences), min(words, 40) / 40, float(words <= 4),
               float(bool(_FIRST_PERSON.search(span.text))), float(bool(_SECOND_PERSON.search(span.text)))]
        flags = _flags(RULE_DISCLOSURES + ("hesitant", "need_in_answer"), present, in_sentence, i)
        rows.append(np.concatenate([sent_vecs[i], turn_vec, ctx_vec, np.array(state + own + flags, dtype=np.float32)]))
    return TurnFeatures(spans, np.vstack(rows))
