"""Which fact of the couple's sheet a content question asks about, by meaning.

Each fact's example questions and topic are embedded once per couple; a
therapist sentence is matched to the closest fact by cosine similarity of
sentence embeddings (the same encoder as the turn analysis), so a question in
words the sheet never used still finds its fact. Below the threshold the
question is one the sheet cannot answer, and the partner says so in character.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from trainer.analysis.addressee import name_hits
from trainer.analysis.learned.features import encoder_text
from trainer.analysis.text import is_question, normalize, sentences
from trainer.encoder import get_encoder
from trainer.personas import Couple

MATCH_THRESHOLD = 0.55  # cosine; below it the sheet has no answer
OPEN_PROMPT_THRESHOLD = 0.6
ENACTMENT_THRESHOLD = 0.65
META_THRESHOLD = 0.45  # meta prompts are far from any fact question (those score ~0.25-0.3)


@dataclass(frozen=True)
class FactMatch:
    fact_id: str
    score: float


@dataclass(frozen=True)
class _Index:
    fact_ids: tuple[str, ...]
    vectors: np.ndarray  # (n_questions, 384)
    stems: dict[str, frozenset[str]]  # fact id -> content-word stems of its id, topic, questions, answers


_STOP = frozenset(["about", "after", "again", "also", "been", "being", "both", "could", "does", "doing", "down", "from", "have", "having", "here", "into", "just", "like", "make", "more", "most", "much", "only", "other", "over", "really", "said", "same", "should", "some", "such", "than", "that", "their", "them", "then", "there", "these", "they", "thing", "things", "this", "those", "very", "want", "well", "were", "what", "when", "where", "which", "while", "with", "would", "your", "yours", "know", "think", "feel", "going", "come", "came", "tell", "does", "didn't", "don't", "alex"])
LEXICAL_BONUS = 0.05  # per shared content word (at most two): "holiday" finds the holidays fact


def _stems(text: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[a-z]{4,}", text.lower()) if w not in _STOP}


_INDEXES: dict[tuple[str, int], _Index] = {}


def _index(couple: Couple) -> _Index:
    key = (couple.id, id(couple))
    if key not in _INDEXES:
        _INDEXES[key] = _build_index(couple)
    return _INDEXES[key]


def _build_index(couple: Couple) -> _Index:
    ids: list[str] = []
    texts: list[str] = []
    names = tuple(couple.names)
    for fact in couple.facts:
        for question in fact.questions:
            ids.append(fact.id)
            texts.append(encoder_text(question, names))
    vectors = get_encoder().encode(texts) if texts else np.zeros((0, 384), dtype=np.float32)
    stems = {}
    for fact in couple.facts:
        words = " ".join([fact.id.replace("_", " "), fact.topic, *fact.questions,
                          *(a.text for lines in fact.answers.values() for a in lines)])
        stems[fact.id] = frozenset(_stems(encoder_text(words, names)))
    return _Index(tuple(ids), vectors, stems)


def question_sentences(text: str) -> list[str]:
    """The sentences of a therapist turn that ask something (the last one first)."""
    spans = sentences(normalize(text))
    return list(reversed([s.text for s in spans if is_question(s.text)]))


def match_fact(couple: Couple, text: str, addressed: Sequence[str] = (), threshold: float = MATCH_THRESHOLD,
               margin: float = 0.12) -> FactMatch | None:
    """The fact a therapist turn asks about, or None when the sheet has no answer.

    "What do you do for work?" asked of Belinda is her job, not Marc's: among facts scoring
    within `margin` of the best, one about the partner the question is about wins (the partner
    named in it, else the one spoken to)."""
    named = [n for n, _, _, vocative in name_hits(text, couple.names) if not vocative]
    addressed = named[:1] or list(addressed)
    index = _index(couple)
    if not len(index.fact_ids):
        return None
    asked = [encoder_text(s, couple.names) for s in question_sentences(text)][:3]
    if not asked:
        return None
    scores = (get_encoder().encode(asked) @ index.vectors.T).max(axis=0)
    per_fact: dict[str, float] = {}
    for fact_id, score in zip(index.fact_ids, scores.tolist(), strict=True):
        per_fact[fact_id] = max(per_fact.get(fact_id, -1.0), score)
    words = set().union(*(_stems(a) for a in asked))
    for fact_id in per_fact:
        per_fact[fact_id] += LEXICAL_BONUS * min(2, len(words & index.stems[fact_id]))
    best_id = max(per_fact, key=per_fact.__getitem__)
    best = per_fact[best_id]
    if best < threshold:
        return None
    if len(addressed) == 1:
        who = addressed[0].lower()
        close = [f for f, v in per_fact.items() if v >= best - margin and _about(couple, f, who)]
        if close:
            best_id = max(close, key=per_fact.__getitem__)
        else:
            best_id = _mirror(couple, best_id, who)
    return FactMatch(best_id, per_fact[best_id])


def _mirror(couple: Couple, fact_id: str, who: str) -> str:
    """`marc_job` asked of Belinda is `belinda_job`, when the sheet has it."""
    other = next((n.lower() for n in couple.names if n.lower() != who), "")
    parts = fact_id.split("_")
    if other and other in parts:
        mirrored = "_".join(who if p == other else p for p in parts)
        if any(f.id == mirrored for f in couple.facts):
            return mirrored
    return fact_id


def _about(couple: Couple, fact_id: str, who: str) -> bool:
    fact = couple.fact(fact_id)
    return who in fact.id.split("_") or any(who in q.lower() for q in fact.questions)


def open_prompt_score(text: str, prompts: Sequence[str]) -> float:
    """How much the turn reads as a broad "what brings you in?" question (cosine, 0 when none)."""
    return _closest(question_sentences(text)[:2], prompts)


def enactment_score(text: str, prompts: Sequence[str], names: Sequence[str] = ()) -> float:
    """How much any sentence of the turn reads as asking one partner to speak to the other
    (the partner spoken to is dropped, the other becomes "her": names carry no meaning here)."""
    said = [s.text for s in sentences(normalize(text))][:4]
    for name in names:
        said = [re.sub(rf"\b{re.escape(name)}\b,?", "her", re.sub(rf"^\W*{re.escape(name)}\b[,:]?\s*", "", x, flags=re.IGNORECASE),
                       flags=re.IGNORECASE) for x in said]
    return _closest(said, prompts)


def meta_score(text: str, prompts: Sequence[str]) -> float:
    """How much any sentence of the turn reads as talk outside the session (cosine)."""
    return _closest([s.text for s in sentences(normalize(text))][:4], prompts)


def _closest(asked: Sequence[str], prompts: Sequence[str]) -> float:
    if not asked or not prompts:
        return 0.0
    return float((get_encoder().encode(list(asked)) @ get_encoder().encode(list(prompts)).T).max())
