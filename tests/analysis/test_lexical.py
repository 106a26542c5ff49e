"""The word model reads a turn exactly as the vectorizer that fitted it did, and is shipped beside the heads."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import (
    TfidfVectorizer,  # a development dependency, like the training script
)

from trainer.analysis.learned.heads import HeadsUnavailable, load_heads
from trainer.analysis.learned.lexical import LexicalModel, load_lexical, ngrams

TEXTS = [
    "Marc, going quiet sounds like your way of keeping the peace.",
    "whats it like for u when she walks out?? idk maybe scary",
    "Honestly, anyone would be fed up with him. She's right.",
    "",
    "Ça va? Tomás, the the the same word again and again.",
]


def test_tokens_and_weights_match_scikit_learn() -> None:
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit(TEXTS)
    labels = ("a", "b")
    rng = np.random.default_rng(0)
    coef = rng.normal(size=(len(vectorizer.vocabulary_), 2)).astype(np.float32)
    model = LexicalModel(labels, dict(vectorizer.vocabulary_), vectorizer.idf_.astype(np.float32),
                         coef, np.array([0.1, -0.2], np.float32), 0.5)
    for sample in TEXTS + ["a new turn with going quiet and unseen words"]:
        expected = 1 / (1 + np.exp(-(vectorizer.transform([sample]).toarray()[0] @ coef + model.intercept)))
        assert np.allclose(model.probabilities(sample), expected, atol=1e-5), sample
    assert ngrams("Go on, say more") == ["go", "on", "say", "more", "go on", "on say", "say more"]


@pytest.mark.parametrize("role", ["therapist", "client"])
def test_shipped_word_model_matches_the_heads(role: str) -> None:
    words, heads = load_lexical(role), load_heads(role)
    assert words.labels == heads.labels
    assert 0.0 < words.weight < 1.0
    assert words.coef.shape == (len(words.vocabulary), len(words.labels))
    scores = words.probabilities("I wonder what happens inside you when she turns away.")
    assert scores.shape == (len(words.labels),) and np.all((scores > 0) & (scores < 1))


def test_a_missing_word_model_is_one_clear_error(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr("trainer.analysis.learned.lexical.HEADS_DIR", tmp_path)
    load_lexical.cache_clear()
    try:
        with pytest.raises(HeadsUnavailable, match="client_lexical.npz cannot be read"):
            load_lexical("client")
    finally:
        load_lexical.cache_clear()
