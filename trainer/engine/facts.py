"""Which fact of the couple's sheet a content question asks about, by meaning.

Each fact's example questions, its topic and its answers are embedded once per
couple; what the therapist asks (each asking sentence, and the whole turn, since
"What happened there?" leans on the sentence before it) is matched to the
closest fact by cosine similarity of sentence embeddings (the same encoder as
the turn analysis), so a question in words the sheet never used still finds its
fact. Words the question shares with a fact (a name, a place, "Miso") add a
little. Below the threshold the question is one the sheet cannot answer, and the
partner says so in character; so is a question closer to one of a fact's
`not_answered` examples (a detail the sheet never gives: Kayla's favourite band,
the name of the restaurant) than to anything the fact answers.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from trainer.analysis.addressee import name_hits
from trainer.analysis.learned.features import encoder_text
from trainer.analysis.text import fold_accents, is_question, normalize, sentences
from trainer.encoder import get_encoder
from trainer.encoder.archive import WEIGHTS_SHA256
from trainer.paths import PROJECT_ROOT
from trainer.personas import Couple

MATCH_THRESHOLD = 0.62  # cosine plus the lexical bonus; below it the sheet has no answer
MIN_MEANING = 0.52  # and the cosine alone must reach this (a guess from shared words is no answer)
MIN_MEANING_WITH_WORDS = 0.45  # ... or this, when the question shares several rare words with the fact
STRONG_OVERLAP = 1.5  # summed rarity of the shared words (1 = a word only this fact uses)
MIRROR_MIN = 0.6  # a partner's fact stands for the other's only this close (the sheets' name-swapped pairs: 0.60-0.92)
THREAD_MAX_WORDS = 12  # a question this short may lean on the one before it
TOPIC_OFFSET = -0.05  # a topic line is short and general: it counts a little less than a question
# One close line is not the whole story: a question near what a fact is about overall (the mean of its
# lines) gains a little, one that only brushes a single line loses a little.
CENTROID_WEIGHT = 0.3
CENTROID_CENTRE = 0.5  # a question this close to a fact's centre neither gains nor loses
NOT_ANSWERED_MARGIN = 0.03  # a not-answered example this close below the best fact's own line already wins


@dataclass(frozen=True)
class FactMatch:
    fact_id: str
    score: float  # closeness in meaning plus the bonus for rare words shared with the fact
    meaning: float  # closeness in meaning alone, line and centre (comparable with the meta prompts)


@dataclass(frozen=True)
class _Index:
    fact_ids: tuple[str, ...]
    vectors: np.ndarray  # (n_lines, 384): every question, the topic and every answer of each fact
    offsets: np.ndarray  # (n_lines,): added to a line's cosine
    stems: dict[str, frozenset[str]]  # fact id -> content-word stems of its id, topic, questions, answers
    rarity: dict[str, float]  # stem -> 1 when one fact uses it, 0 when every fact does
    centroids: dict[str, np.ndarray]  # fact id -> its lines' mean embedding, unit length (what it is about)
    not_answered: np.ndarray  # (n, 384): questions near a fact that ask for a detail the sheet never gives


_STOP = frozenset(["about", "after", "again", "also", "been", "being", "both", "could", "does", "doing", "down", "from", "have", "having", "here", "into", "just", "like", "make", "more", "most", "much", "only", "other", "over", "really", "said", "same", "should", "some", "such", "than", "that", "their", "them", "then", "there", "these", "they", "thing", "things", "this", "those", "very", "want", "well", "were", "what", "when", "where", "which", "while", "with", "would", "your", "yours", "know", "think", "feel", "going", "come", "came", "tell", "does", "didn't", "don't", "alex"])
LEXICAL_BONUS = 0.12  # per shared content word (at most three, weighed by rarity): "Miso" finds the pets fact
LEXICAL_MAX_WORDS = 3
# Requests that ask for facts without a question mark: "walk me through Sunday", "tell me about the kids".
_REQUEST = re.compile(r"^\W*(?:\w+,?\s+)?(?:(?:can|could|would|will) you\s+)?(?:please\s+)?"
                      r"(?:tell me|walk me|talk me|take me|paint me|fill me|describe|explain|help me understand|"
                      r"give me|run me|share|i'?d (?:like|love) to (?:hear|know|understand)|i'?m curious|"
                      r"i wonder(?:ed)? (?:what|how|when|where|who|if)|i'?d like a picture|i'?d love a picture)\b",
                      re.IGNORECASE)


def _stems(text: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[a-z]{4,}", text.lower()) if w not in _STOP}


_INDEXES: dict[tuple[str, int], _Index] = {}
_BUILDING = threading.Lock()  # one build at a time: sessions on other threads wait for it, never repeat it


def _index(couple: Couple) -> _Index:
    key = (couple.id, id(couple))
    if key not in _INDEXES:
        with _BUILDING:
            if key not in _INDEXES:
                _INDEXES[key] = _build_index(couple)
    return _INDEXES[key]


def cache_dir() -> Path:
    """Derived data kept between processes (`TRAINER_CACHE_DIR`, else `var/cache` in the project);
    independent of the data folder, so every app instance and test server shares it."""
    return Path(os.environ.get("TRAINER_CACHE_DIR", PROJECT_ROOT / "var" / "cache"))


def build_fact_indexes() -> int:
    """Embed every couple's sheet into the cache (the test set-up does this once, ahead)."""
    from trainer.personas import list_couples

    couples = list_couples()
    for couple in couples:
        _index(couple)
    return len(couples)


def _cached_vectors(texts: list[str]) -> np.ndarray:
    """Embeddings of a sheet's lines, kept on disk by content: a couple's sheet has some
    thousand lines (seconds to embed), so only the first process after an edit pays for it."""
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    key = hashlib.sha256("\n".join([WEIGHTS_SHA256, *texts]).encode("utf-8")).hexdigest()[:32]
    path = cache_dir() / "fact_index" / f"{key}.npy"
    with contextlib.suppress(OSError, ValueError):
        cached = np.load(path)
        if cached.shape == (len(texts), 384):
            return cached
    vectors = get_encoder().encode(texts)
    with contextlib.suppress(OSError):  # a read-only data folder only costs the speed-up
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        with partial.open("wb") as handle:
            np.save(handle, vectors)
        partial.replace(path)
    return vectors


def _build_index(couple: Couple) -> _Index:
    ids: list[str] = []
    texts: list[str] = []
    names = tuple(couple.names)
    offsets: list[float] = []
    for fact in couple.facts:
        lines = [(q, 0.0) for q in fact.questions] + [(fact.topic, TOPIC_OFFSET)]
        lines += [(a.text, 0.0) for answers in fact.answers.values() for a in answers]
        for line, offset in lines:
            ids.append(fact.id)
            texts.append(matching_text(line, names))
            offsets.append(offset)
    unanswered = [matching_text(q, names) for fact in couple.facts for q in fact.not_answered]
    vectors = _cached_vectors(texts + unanswered)
    vectors, not_answered = vectors[:len(texts)], vectors[len(texts):]
    stems = {}
    for fact in couple.facts:
        words = " ".join([fact.id.replace("_", " "), fact.topic, *fact.questions,
                          *(a.text for lines in fact.answers.values() for a in lines)])
        stems[fact.id] = frozenset(_stems(encoder_text(words, names)))
    counts: dict[str, int] = {}
    for words in stems.values():
        for word in words:
            counts[word] = counts.get(word, 0) + 1
    n = max(len(stems), 2)
    rarity = {word: math.log(n / c) / math.log(n) for word, c in counts.items()}
    return _Index(tuple(ids), vectors, np.array(offsets, dtype=np.float32), stems, rarity, _centroids(ids, vectors),
                  not_answered)


def _centroids(ids: list[str], vectors: np.ndarray) -> dict[str, np.ndarray]:
    rows = np.array(ids)
    out = {}
    for fact_id in dict.fromkeys(ids):
        mean = vectors[rows == fact_id].mean(axis=0)
        out[fact_id] = mean / max(float(np.linalg.norm(mean)), 1e-9)
    return out


def matching_text(text: str, names: Sequence[str]) -> str:
    """The words that say what is asked: a name spoken to ("Rosa, ...", "..., Harold?") says who
    answers, not what about, so it is dropped before the encoder reads the sentence."""
    for name in {v for given in names for v in (given, fold_accents(given))}:
        n = re.escape(name)
        text = re.sub(rf"^\W*{n}\b[,:]?\s*", "", text, flags=re.IGNORECASE)
        text = re.sub(rf",?\s*\b{n}\s*(?=[?.!]*\s*$)", "", text, flags=re.IGNORECASE)
    return encoder_text(text, names)


# A question typed without its "?" after a lead-in clause: "and the clock you bought, wat did it cost".
_ASKED_AFTER_COMMA = re.compile(r"[,;:]\s*(?:what|wat|wot|how|when|where|why|who|which)\s+"
                                r"(?:is|was|are|were|do|did|does|has|have|had|can|could|would|will)\b", re.IGNORECASE)


def question_sentences(text: str) -> list[str]:
    """The sentences of a therapist turn that ask something (the last one first): questions,
    and requests for an account ("Walk me through last Tuesday.")."""
    spans = sentences(normalize(text))
    return list(reversed([s.text for s in spans
                          if is_question(s.text) or _REQUEST.search(s.text) or _ASKED_AFTER_COMMA.search(s.text)]))


def _queries(text: str) -> list[str]:
    """What is matched against the sheet: the asking sentences, and the whole turn when it has
    more than one sentence (the question may lean on what was said before it)."""
    # A question typed without its "?" ("dana whats ur job") reads to the encoder as a statement.
    asked = [q if q.rstrip().endswith("?") or not is_question(q) else q.rstrip(" .!") + "?"
             for q in question_sentences(text)[:3]]
    for sentence in list(asked):
        request = _REQUEST.search(sentence)
        rest = sentence[request.end():].strip(" ,:") if request else ""
        if len(rest.split()) >= 3:
            asked.append(re.sub(r"^(?:about|through|of|with|why|on)\s+", "", rest))  # "what happened with your heart"
    if asked and len(sentences(normalize(text))) > 1:
        asked.append(normalize(text))
    return asked


def match_fact(couple: Couple, text: str, addressed: Sequence[str] = (), threshold: float = MATCH_THRESHOLD,
               margin: float = 0.12, thread: Sequence[str] = ()) -> FactMatch | None:
    """The fact a therapist turn asks about, or None when the sheet has no answer.

    "What do you do for work?" asked of Belinda is her job, not Marc's: among facts scoring
    within `margin` of the best, one about the partner the question is about wins (the partner
    named in it, else the one spoken to). A short question stays on the `thread` (the fact just
    answered) when that scores within `margin` too: "And Rosa, your schedule?" after Jen's hours
    asks for Rosa's shifts, not her Christmas rota."""
    named = [n for n, _, _, vocative in name_hits(text, couple.names) if not vocative]
    addressed = named[:1] or list(addressed)
    index = _index(couple)
    if not len(index.fact_ids):
        return None
    asked = [matching_text(s, couple.names) for s in _queries(text)]
    if not asked:
        return None
    asked_vectors = get_encoder().encode(asked)
    scores = (asked_vectors @ index.vectors.T).max(axis=0) + index.offsets
    meaning: dict[str, float] = {}
    for fact_id, score in zip(index.fact_ids, scores.tolist(), strict=True):
        meaning[fact_id] = max(meaning.get(fact_id, -1.0), score)
    centres = (asked_vectors @ np.stack([index.centroids[f] for f in meaning]).T).max(axis=0)
    words = set().union(*(_stems(a) for a in asked))
    per_fact, overlap, gain = {}, {}, {}
    for (fact_id, score), centre in zip(meaning.items(), centres.tolist(), strict=True):
        shared = sorted((index.rarity.get(w, 0.0) for w in words & index.stems[fact_id]), reverse=True)
        overlap[fact_id] = sum(shared[:LEXICAL_MAX_WORDS])
        per_fact[fact_id] = score + LEXICAL_BONUS * overlap[fact_id]
        gain[fact_id] = CENTROID_WEIGHT * (centre - CENTROID_CENTRE)
    best_id = max(per_fact, key=lambda f: per_fact[f] + gain[f])  # which fact: its closest line and its centre
    best = per_fact[best_id]  # whether the sheet answers at all: its closest line
    meaning_alone = max(meaning[f] + gain[f] for f in meaning)
    # Shared words alone do not make "what's your favourite film?" a fact question; several rare
    # words in common ("your heart last spring") let a looser paraphrase through.
    floor = MIN_MEANING_WITH_WORDS if overlap[best_id] >= STRONG_OVERLAP else MIN_MEANING
    if best < threshold or meaning[best_id] < min(threshold, floor):
        return None
    if _asks_beyond(index, asked_vectors, max(meaning.values())):
        return None
    on_thread = [f for f in thread if f in per_fact and per_fact[f] >= best - margin]
    if on_thread and len(text.split()) <= THREAD_MAX_WORDS:
        best_id = max(on_thread, key=per_fact.__getitem__)
        if len(addressed) == 1:
            best_id = mirror_fact(couple, best_id, addressed[0])
        return FactMatch(best_id, best, meaning_alone)
    if len(addressed) == 1:
        who = _id_word(addressed[0])
        other = next((_id_word(n) for n in couple.names if _id_word(n) != who), "")
        if other in best_id.split("_"):  # names are made uniform for the encoder: "Marc's job" asked of Belinda
            mirrored = _mirror(couple, best_id, who)
            close = [f for f, v in per_fact.items() if v >= best - margin and who in f.split("_")]
            if mirrored != best_id:
                best_id = mirrored
            elif close:
                best_id = max(close, key=per_fact.__getitem__)
    return FactMatch(best_id, max(per_fact[best_id], best), meaning_alone)


def asks_detail_not_given(couple: Couple, text: str) -> bool:
    """A question plainly about a detail the sheet never gives (close to one of its `not_answered`
    examples): it is still a question about the couple, to be answered "I don't know"."""
    index = _index(couple)
    asked = [matching_text(s, couple.names) for s in _queries(text)]
    if not asked or not len(index.not_answered):
        return False
    return float((get_encoder().encode(asked) @ index.not_answered.T).max()) >= MATCH_THRESHOLD


def _asks_beyond(index: _Index, asked_vectors: np.ndarray, fact_meaning: float) -> bool:
    """The question is closer to a detail the sheet never gives than to what its best fact answers."""
    if not len(index.not_answered):
        return False
    return float((asked_vectors @ index.not_answered.T).max()) >= fact_meaning - NOT_ANSWERED_MARGIN


def _id_word(name: str) -> str:
    """A name as fact ids spell it: "Tomás" -> "tomas"."""
    return fold_accents(name).lower()


def mirror_fact(couple: Couple, fact_id: str, name: str) -> str:
    """The same fact as it concerns `name` (`marc_job` for Belinda is `belinda_job`), when the
    sheet has it, or their fact closest in meaning (a question handed on: "and yours?"); else the
    fact itself."""
    return _mirror(couple, fact_id, _id_word(name), closest=True)


def _mirror(couple: Couple, fact_id: str, who: str, closest: bool = False) -> str:
    """`marc_job` asked of Belinda is `belinda_job`, when the sheet has it; else, with `closest`,
    her fact closest in meaning, when one is close enough (Jen's hours are Rosa's shift pattern)."""
    other = next((_id_word(n) for n in couple.names if _id_word(n) != who), "")
    parts = fact_id.split("_")
    if not other or other not in parts:
        return fact_id
    mirrored = "_".join(who if p == other else p for p in parts)
    if any(f.id == mirrored for f in couple.facts):
        return mirrored
    centroids = _index(couple).centroids
    theirs = [f for f in centroids if who in f.split("_")]
    if not closest or fact_id not in centroids or not theirs:
        return fact_id
    nearest = max(theirs, key=lambda f: float(centroids[f] @ centroids[fact_id]))
    return nearest if float(centroids[nearest] @ centroids[fact_id]) >= MIRROR_MIN else fact_id
