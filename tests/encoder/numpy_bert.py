"""Plain numpy forward pass of the same model, written straight from HF BertModel + pooling.

Independent of trainer/encoder/graph.py (no fused QKV, no pre-scaled queries, float64,
exact erf) so the tests can check the ONNX graph against it.
"""

from __future__ import annotations

import math

import numpy as np

from trainer.encoder.config import BertConfig

_erf = np.frompyfunc(math.erf, 1, 1)


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)).astype(np.float64))


def sentence_embeddings(
    weights: dict[str, np.ndarray],
    config: BertConfig,
    input_ids: np.ndarray,
    attention_mask: np.ndarray,
    token_type_ids: np.ndarray,
) -> np.ndarray:
    """(batch, hidden) float64: BERT -> masked mean pooling -> L2 normalisation."""
    w = {name: np.asarray(value, dtype=np.float64) for name, value in weights.items()}
    eps = config.layer_norm_eps
    batch, seq = input_ids.shape
    heads, size = config.num_attention_heads, config.head_size

    def linear(x: np.ndarray, prefix: str) -> np.ndarray:
        return x @ w[f"{prefix}.weight"].T + w[f"{prefix}.bias"]

    x = (
        w["embeddings.word_embeddings.weight"][input_ids]
        + w["embeddings.position_embeddings.weight"][np.arange(seq)][None]
        + w["embeddings.token_type_embeddings.weight"][token_type_ids]
    )
    x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
    bias = (1.0 - attention_mask[:, None, None, :].astype(np.float64)) * np.finfo(np.float32).min

    def heads_first(t: np.ndarray) -> np.ndarray:
        return t.reshape(batch, seq, heads, size).transpose(0, 2, 1, 3)

    for i in range(config.num_hidden_layers):
        p = f"encoder.layer.{i}"
        q = heads_first(linear(x, f"{p}.attention.self.query"))
        k = heads_first(linear(x, f"{p}.attention.self.key"))
        v = heads_first(linear(x, f"{p}.attention.self.value"))
        scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(size) + bias
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        probs = scores / scores.sum(-1, keepdims=True)
        context = (probs @ v).transpose(0, 2, 1, 3).reshape(batch, seq, heads * size)
        x = _layer_norm(
            linear(context, f"{p}.attention.output.dense") + x,
            w[f"{p}.attention.output.LayerNorm.weight"],
            w[f"{p}.attention.output.LayerNorm.bias"],
            eps,
        )
        hidden = _gelu(linear(x, f"{p}.intermediate.dense"))
        x = _layer_norm(
            linear(hidden, f"{p}.output.dense") + x,
            w[f"{p}.output.LayerNorm.weight"],
            w[f"{p}.output.LayerNorm.bias"],
            eps,
        )

    mask = attention_mask[:, :, None].astype(np.float64)
    mean = (x * mask).sum(1) / np.maximum(mask.sum(1), 1e-9)
    return mean / np.maximum(np.linalg.norm(mean, axis=1, keepdims=True), 1e-12)
