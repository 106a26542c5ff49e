"""encode(): shapes, unit length, batch == single, empty input, the per-text cache, loading."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from trainer.encoder import EMBEDDING_DIM, SentenceEncoder, get_encoder, loader
from trainer.encoder.archive import ModelFiles
from trainer.encoder.batching import plan_batches
from trainer.encoder.cache import VectorCache
from trainer.encoder.tokens import WordPieceTokenizer

ROOT = Path(__file__).resolve().parents[2]
TEXTS = [
    "You always do this.",
    "Can you tell her what you need right now?",
    "I'm tired.",
    "We had a good weekend, actually, the first one in months.",
    "Ich fühle mich nicht gehört.",
    "?!",
    "It feels like I'm talking to a wall whenever money comes up, and I don't know how to reach you.",
    "ok",
    "She said she'd call and she didn't.",
]


def fresh(encoder: SentenceEncoder, **options: int) -> SentenceEncoder:
    """Same session and tokenizer, own cache and batch size: no second two-second load."""
    return SentenceEncoder(encoder.session, encoder.tokenizer, **options)


def test_rows_are_unit_length_float32(encoder: SentenceEncoder) -> None:
    vectors = encoder.encode(TEXTS)
    assert vectors.shape == (len(TEXTS), EMBEDDING_DIM) == (len(TEXTS), 384)
    assert vectors.dtype == np.float32
    assert np.abs(np.linalg.norm(vectors, axis=1) - 1).max() < 1e-5


def test_batch_equals_one_at_a_time(encoder: SentenceEncoder) -> None:
    uncached = fresh(encoder, cache_size=0, batch_size=4)
    batched = uncached.encode(TEXTS)
    singles = np.stack([uncached.encode([text])[0] for text in TEXTS])
    assert np.abs(batched - singles).max() < 1e-5


def test_order_and_duplicates(encoder: SentenceEncoder) -> None:
    vectors = fresh(encoder, cache_size=0).encode(["a fight", "a hug", "a fight"])
    assert np.array_equal(vectors[0], vectors[2])
    assert not np.allclose(vectors[0], vectors[1])


def test_empty_string_and_empty_list(encoder: SentenceEncoder, reference: dict) -> None:
    (vector,) = encoder.encode([""])
    assert np.isfinite(vector).all() and abs(np.linalg.norm(vector) - 1) < 1e-5
    (expected,) = [item["embedding"] for item in reference["items"] if item["sentence"] == ""]
    assert float(vector @ np.array(expected)) >= 0.9999
    assert encoder.encode([]).shape == (0, 384)
    assert encoder.encode(["   "]).shape == (1, 384)


def test_similar_sentences_are_closer(encoder: SentenceEncoder) -> None:
    a, b, c = encoder.encode(
        ["You never listen to me.", "You don't hear me.", "The bus leaves at six."]
    )
    assert a @ b > a @ c + 0.2


def test_repeated_sentences_are_served_from_the_cache(
    encoder: SentenceEncoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    cached = fresh(encoder)
    first = cached.encode(TEXTS)
    assert cached.cache_info().size == len(TEXTS)

    def no_model_runs(batch: object) -> np.ndarray:
        raise AssertionError("a cached sentence went through the model again")

    monkeypatch.setattr(cached, "run", no_model_runs)
    again = cached.encode(list(reversed(TEXTS)))
    assert np.array_equal(again, first[::-1])
    assert cached.cache_info().hits >= len(TEXTS)
    again[:] = 0  # callers get copies: the cache is untouched
    assert np.array_equal(cached.encode(TEXTS[:1])[0], first[0])


def test_cache_is_lru_and_bounded() -> None:
    cache = VectorCache(2)
    cache.put("a", np.ones(3))
    cache.put("b", np.ones(3))
    assert cache.get("a") is not None  # a is now most recent
    cache.put("c", np.ones(3))
    assert cache.get("b") is None and cache.get("a") is not None and cache.get("c") is not None
    assert cache.info().size == 2
    with pytest.raises(ValueError):
        cache.get("a")[0] = 5.0  # stored vectors are read-only


def test_truncating_to_128_changes_only_long_texts(
    encoder: SentenceEncoder, model_files: ModelFiles, reference: dict
) -> None:
    tokenizer = WordPieceTokenizer(model_files.tokenizer_json, 128)
    short = SentenceEncoder(encoder.session, tokenizer, cache_size=0)
    longest = max((item["sentence"] for item in reference["items"]), key=len)
    assert len(short.tokenizer.encode([longest])[0].ids) == short.max_length == 128
    assert np.abs(short.encode(TEXTS) - encoder.encode(TEXTS)).max() < 1e-5
    assert float(short.encode([longest])[0] @ encoder.encode([longest])[0]) < 0.9999


def test_rejects_a_bare_string_and_non_strings(encoder: SentenceEncoder) -> None:
    with pytest.raises(TypeError, match="wrap a single text in a list"):
        encoder.encode("hello")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        encoder.encode([None])  # type: ignore[list-item]


def test_max_length_outside_the_model_limit_is_refused() -> None:
    with pytest.raises(ValueError, match="max_length"):
        loader.load_encoder(max_length=512)


def test_session_uses_at_most_two_threads(encoder: SentenceEncoder) -> None:
    assert 1 <= encoder.session.get_session_options().intra_op_num_threads <= 2


def test_get_encoder_loads_once(monkeypatch: pytest.MonkeyPatch, encoder: SentenceEncoder) -> None:
    calls = []
    monkeypatch.setattr(loader, "_shared", None)
    monkeypatch.setattr(loader, "load_encoder", lambda: calls.append(1) or encoder)
    assert get_encoder() is get_encoder() is encoder
    assert calls == [1]


@pytest.mark.parametrize(
    ("lengths", "max_batch"),
    [
        ([], 8),
        ([5], 8),
        ([3, 40, 4, 39, 5, 41, 6], 8),
        ([10] * 70, 32),
        (list(range(2, 200, 3)), 16),
    ],
)
def test_batch_plan_covers_every_text_once(lengths: list[int], max_batch: int) -> None:
    runs = plan_batches(lengths, max_batch)
    assert sorted(i for run in runs for i in run) == list(range(len(lengths)))
    assert all(1 <= len(run) <= max_batch for run in runs)


def test_batch_plan_keeps_short_texts_away_from_long_ones() -> None:
    runs = plan_batches([4, 200, 5, 6, 210, 3], 32)
    assert sorted(map(sorted, runs)) == [[0, 2, 3, 5], [1, 4]]


def test_import_and_locate_run_neither_onnxruntime_nor_the_model_package() -> None:
    code = (
        "import sys\n"
        "import trainer.encoder\n"
        "from trainer.encoder.locate import locate_model_zip\n"
        "assert locate_model_zip().path.name == 'model.zip'\n"
        "print(sorted(m for m in ('onnxruntime', 'onnx', 'all_minilm_l6_v2') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout == "[]\n"  # the model package prints on import: nothing else may appear
