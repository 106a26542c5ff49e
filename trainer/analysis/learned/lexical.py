"""The lexical side of the learned layer: word and word-pair weights per label, over the whole turn.

The sentence encoder hears what a sentence means; it is weaker on the particular
words supervisors key on ("just", "always", "honestly, anyone would"). A
logistic model over TF-IDF word unigrams and bigrams of the whole turn, fitted
on the same corpus, hears those; averaged with the heads it reads new writers'
phrasing better than either alone (writer-held-out folds, see
`scripts/train_analysis_heads.py`). Shipped as a `.npz` of plain arrays and
read here with numpy only: the same tokens, counts and weighting as
scikit-learn's `TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)`.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

import numpy as np

from trainer.analysis.learned.heads import HEADS_DIR, HeadsUnavailable

TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern


def ngrams(text: str) -> list[str]:
    """Lowercased word unigrams and bigrams, as the vectorizer that fitted the weights saw them."""
    words = TOKEN.findall(text.lower())
    return words + [f"{a} {b}" for a, b in pairwise(words)]


@dataclass(frozen=True)
class LexicalModel:
    labels: tuple[str, ...]
    vocabulary: dict[str, int]
    idf: np.ndarray  # (V,)
    coef: np.ndarray  # (V, L)
    intercept: np.ndarray  # (L,)
    weight: float  # the share of this model in the blend with the heads

    def probabilities(self, text: str) -> np.ndarray:
        """(L,) probability per label for the whole turn."""
        counts = Counter(self.vocabulary[g] for g in ngrams(text) if g in self.vocabulary)
        logits = self.intercept.astype(np.float32).copy()
        if counts:
            columns = np.fromiter(counts, dtype=np.int64)
            values = np.array([1.0 + math.log(counts[c]) for c in counts], dtype=np.float32) * self.idf[columns]
            values /= max(float(np.linalg.norm(values)), 1e-12)
            logits += values @ self.coef[columns].astype(np.float32)
        return 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))

    def save(self, path: Path) -> None:
        terms = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        np.savez_compressed(path, labels=np.array(self.labels), terms=np.array(terms), idf=self.idf.astype(np.float32),
                            coef=self.coef.astype(np.float16), intercept=self.intercept.astype(np.float32),
                            weight=np.array(self.weight, dtype=np.float32))


@cache
def load_lexical(role: str) -> LexicalModel:
    """The shipped word model for `therapist` or `client` turns."""
    path = HEADS_DIR / f"{role}_lexical.npz"
    try:
        data = np.load(path, allow_pickle=False)
        terms = [str(t) for t in data["terms"]]
        return LexicalModel(tuple(str(x) for x in data["labels"]), {t: i for i, t in enumerate(terms)},
                            data["idf"], data["coef"], data["intercept"], float(data["weight"]))
    except (OSError, KeyError, ValueError) as exc:
        raise HeadsUnavailable(f"turn-analysis word model {path.name} cannot be read ({exc.__class__.__name__}); "
                               "reinstall the project or run scripts/train_analysis_heads.py") from None
