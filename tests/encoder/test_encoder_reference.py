"""The ONNX encoder reproduces sentence-transformers, and agrees with a plain numpy forward pass."""

from __future__ import annotations

import numpy as np
import onnx
from numpy_bert import sentence_embeddings

from trainer.encoder import SentenceEncoder
from trainer.encoder.archive import WEIGHTS_SHA256, ModelFiles
from trainer.encoder.graph import build_graph
from trainer.encoder.tokens import pad


def test_reference_was_made_from_the_pinned_weights(reference: dict) -> None:
    assert reference["model_safetensors_sha256"] == WEIGHTS_SHA256
    assert reference["max_seq_length"] == 256
    assert len(reference["items"]) >= 8


def test_matches_sentence_transformers(encoder: SentenceEncoder, reference: dict) -> None:
    texts = [item["sentence"] for item in reference["items"]]
    expected = np.array([item["embedding"] for item in reference["items"]], dtype=np.float64)
    got = encoder.encode(texts).astype(np.float64)
    cosine = (
        (got * expected).sum(1) / np.linalg.norm(expected, axis=1) / np.linalg.norm(got, axis=1)
    )
    worst = int(cosine.argmin())
    assert cosine.min() >= 0.9999, f"cosine {cosine[worst]:.6f} for {texts[worst][:40]!r}"
    assert np.abs(got - expected).max() < 1e-5  # the JSON is rounded to 6 decimals


def test_long_text_is_truncated_like_sentence_transformers(
    encoder: SentenceEncoder, reference: dict
) -> None:
    longest = max((item["sentence"] for item in reference["items"]), key=len)
    assert len(encoder.tokenizer.encode([longest])[0].ids) == encoder.max_length == 256


def test_onnx_graph_agrees_with_numpy_forward_pass(
    encoder: SentenceEncoder, model_files: ModelFiles
) -> None:
    texts = [
        "I feel like you never listen to me when I talk about my day.",
        "OK.",
        "",
        "Je me sens seule même quand tu es là — ça me fait mal.",
        "他总是工作到很晚。 😔 #tired",
        " ".join(["When you check your phone during dinner I feel invisible."] * 5),
    ]
    batch = pad(encoder.tokenizer.encode(texts))  # padded: exercises the attention mask
    assert batch.attention_mask.min() == 0
    got = encoder.run(batch)
    want = sentence_embeddings(
        model_files.weights,
        model_files.config,
        batch.input_ids,
        batch.attention_mask,
        batch.token_type_ids,
    )
    assert got.dtype == np.float32 and got.shape == (len(texts), 384)
    assert np.abs(got - want).max() < 1e-5


def test_built_graph_is_valid_onnx(model_files: ModelFiles) -> None:
    model = build_graph(model_files.weights, model_files.config)
    onnx.checker.check_model(model, full_check=True)
    inputs = [i.name for i in model.graph.input]
    assert inputs == ["input_ids", "attention_mask", "token_type_ids"]
    dims = [d.dim_param for d in model.graph.input[0].type.tensor_type.shape.dim]
    assert dims == ["batch", "sequence"]  # dynamic batch and length
