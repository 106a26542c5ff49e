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

from trainer.analysis.text import is_question, normalize, sentences
from trainer.encoder import get_encoder
from trainer.personas import Couple

MATCH_THRESHOLD = 0.55  # cosine; below it the sheet has no answer
OPEN_PROMPT_THRESHOLD = 0.6
_NAMES_CACHE: dict[str, re.Pattern[str]] = {}


@dataclass(frozen=True)
class FactMatch:
    fact_id: str
    score: float


@dataclass(frozen=True)
class _Index:
    fact_ids: tuple[str, ...]
    vectors: np.ndarray  # (n_questions, 384)


def _strip_names(text: str, names: tuple[str, ...]) -> str:
    """Names carry no meaning for the match ("Rosa, how long..." is the question about how long)."""
    key = "|".join(names)
    rx = _NAMES_CACHE.get(key)
    if rx is None:
        rx = _NAMES_CACHE[key] = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b,?\s*", re.IGNORECASE)
    return rx.sub("", text).strip() or text


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
            texts.append(_strip_names(question, names))
    vectors = get_encoder().encode(texts) if texts else np.zeros((0, 384), dtype=np.float32)
    return _Index(tuple(ids), vectors)


def question_sentences(text: str) -> list[str]:
    """The sentences of a therapist turn that ask something (the last one first)."""
    spans = sentences(normalize(text))
    return list(reversed([s.text for s in spans if is_question(s.text)]))


def match_fact(couple: Couple, text: str, addressed: Sequence[str] = (), threshold: float = MATCH_THRESHOLD,
               margin: float = 0.12) -> FactMatch | None:
    """The fact a therapist turn asks about, or None when the sheet has no answer.

    "What do you do for work?" asked of Belinda is her job, not Marc's: among facts scoring
    within `margin` of the best, one about the partner spoken to wins."""
    index = _index(couple)
    if not len(index.fact_ids):
        return None
    asked = [_strip_names(s, tuple(couple.names)) for s in question_sentences(text)][:3]
    if not asked:
        return None
    scores = (get_encoder().encode(asked) @ index.vectors.T).max(axis=0)
    per_fact: dict[str, float] = {}
    for fact_id, score in zip(index.fact_ids, scores.tolist(), strict=True):
        per_fact[fact_id] = max(per_fact.get(fact_id, -1.0), score)
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
    asked = question_sentences(text)[:2]
    if not asked or not prompts:
        return 0.0
    return float((get_encoder().encode(asked) @ get_encoder().encode(list(prompts)).T).max())
