"""BERT encoder + mean pooling + L2 normalisation as an ONNX graph, assembled in code.

No model file lives in the repo: the graph is written with onnx.helper at load time, its
initializers are the safetensors arrays, and onnxruntime runs it from the serialized bytes.
Batch size and sequence length are dynamic. Standard ops only (opset 17), so onnxruntime's
own fusions (LayerNorm, Erf-GELU) apply and any runtime can check it.
"""

from __future__ import annotations

import math

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from trainer.encoder.config import BertConfig

OPSET = 17  # LayerNormalization is standard from 17 on
IR_VERSION = 8  # the IR that goes with opset 17; newer onnx would otherwise stamp a newer one
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
OUTPUT = "sentence_embedding"
MASK_FILL = float(np.finfo(np.float32).min)  # what HF BERT adds to masked attention scores
POOL_EPS = 1e-9  # sentence-transformers clamps the token count to this
NORM_EPS = 1e-12  # torch.nn.functional.normalize's default


class _Builder:
    """Collects nodes and initializers, naming every intermediate after its op."""

    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self._count = 0

    def const(self, name: str, value: np.ndarray | float | list[int]) -> str:
        if isinstance(value, float):
            value = np.array(value, dtype=np.float32)
        elif isinstance(value, list):
            value = np.array(value, dtype=np.int64)
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def op(self, op_type: str, inputs: list[str], outputs: int = 1, **attrs: object) -> list[str]:
        self._count += 1
        names = [
            f"{op_type}_{self._count}" + (f"_{i}" if outputs > 1 else "") for i in range(outputs)
        ]
        self.nodes.append(
            helper.make_node(op_type, inputs, names, name=f"{op_type}_{self._count}", **attrs)
        )
        return names

    def one(self, op_type: str, inputs: list[str], **attrs: object) -> str:
        return self.op(op_type, inputs, **attrs)[0]


def build_graph(weights: dict[str, np.ndarray], config: BertConfig) -> onnx.ModelProto:
    """The whole sentence-transformers pipeline for all-MiniLM-L6-v2 as one ModelProto."""
    g = _Builder()
    hidden, heads, head_size = config.hidden_size, config.num_attention_heads, config.head_size
    eps = config.layer_norm_eps

    def param(name: str) -> np.ndarray:
        return np.asarray(weights[name], dtype=np.float32)

    def layer_norm(x: str, prefix: str) -> str:
        scale = g.const(f"{prefix}.weight", param(f"{prefix}.weight"))
        bias = g.const(f"{prefix}.bias", param(f"{prefix}.bias"))
        return g.one("LayerNormalization", [x, scale, bias], axis=-1, epsilon=eps)

    def linear(
        x: str, prefix: str, weight: np.ndarray | None = None, bias: np.ndarray | None = None
    ) -> str:
        # torch Linear keeps weight as (out, in); MatMul wants (in, out)
        w = param(f"{prefix}.weight").T if weight is None else weight
        b = param(f"{prefix}.bias") if bias is None else bias
        return g.one(
            "Add",
            [g.one("MatMul", [x, g.const(f"{prefix}.weight_t", w)]), g.const(f"{prefix}.bias", b)],
        )

    one_f, half_f, sqrt2_f = (
        g.const("one", 1.0),
        g.const("half", 0.5),
        g.const("sqrt2", math.sqrt(2.0)),
    )
    zero_i = g.const("zero_i64", [0])

    # embeddings: word + position (0..seq-1) + token type, then LayerNorm
    word = g.one(
        "Gather",
        [g.const("word_embeddings", param("embeddings.word_embeddings.weight")), "input_ids"],
    )
    seq_len = g.one("Shape", ["input_ids"], start=1, end=2)
    position_table = g.const("position_embeddings", param("embeddings.position_embeddings.weight"))
    positions = g.one("Slice", [position_table, zero_i, seq_len, zero_i])
    types = g.one(
        "Gather",
        [
            g.const("token_type_embeddings", param("embeddings.token_type_embeddings.weight")),
            "token_type_ids",
        ],
    )
    x = layer_norm(g.one("Add", [g.one("Add", [word, positions]), types]), "embeddings.LayerNorm")

    # attention mask -> additive bias (batch, 1, 1, seq): 0 where attended, very negative on padding
    mask = g.one("Cast", ["attention_mask"], to=TensorProto.FLOAT)
    mask_bias = g.one("Mul", [g.one("Sub", [one_f, mask]), g.const("mask_fill", MASK_FILL)])
    mask_bias = g.one("Unsqueeze", [mask_bias, g.const("axes_1_2", [1, 2])])
    split_heads = g.const("split_heads", [0, 0, heads, head_size])
    merge_heads = g.const("merge_heads", [0, 0, hidden])
    scale = 1.0 / math.sqrt(head_size)

    for i in range(config.num_hidden_layers):
        p = f"encoder.layer.{i}"
        # one MatMul for Q, K and V; Q pre-scaled by 1/sqrt(head_size)
        parts = [
            (f"{p}.attention.self.{n}", f) for n, f in (("query", scale), ("key", 1), ("value", 1))
        ]
        w_qkv = np.concatenate([param(f"{name}.weight").T * f for name, f in parts], axis=1)
        b_qkv = np.concatenate([param(f"{name}.bias") * f for name, f in parts])
        qkv = linear(
            x, f"{p}.attention.self.qkv", w_qkv.astype(np.float32), b_qkv.astype(np.float32)
        )
        q, k, v = g.op("Split", [qkv], outputs=3, axis=2)
        q = g.one("Transpose", [g.one("Reshape", [q, split_heads])], perm=[0, 2, 1, 3])  # b h s d
        k = g.one("Transpose", [g.one("Reshape", [k, split_heads])], perm=[0, 2, 3, 1])  # b h d s
        v = g.one("Transpose", [g.one("Reshape", [v, split_heads])], perm=[0, 2, 1, 3])  # b h s d
        probs = g.one("Softmax", [g.one("Add", [g.one("MatMul", [q, k]), mask_bias])], axis=-1)
        context = g.one("Transpose", [g.one("MatMul", [probs, v])], perm=[0, 2, 1, 3])
        context = g.one("Reshape", [context, merge_heads])
        attended = linear(context, f"{p}.attention.output.dense")
        x = layer_norm(g.one("Add", [attended, x]), f"{p}.attention.output.LayerNorm")
        # feed-forward with exact GELU: 0.5 * h * (1 + erf(h / sqrt(2)))
        h = linear(x, f"{p}.intermediate.dense")
        erf = g.one("Erf", [g.one("Div", [h, sqrt2_f])])
        gelu = g.one("Mul", [g.one("Mul", [h, g.one("Add", [erf, one_f])]), half_f])
        out = linear(gelu, f"{p}.output.dense")
        x = layer_norm(g.one("Add", [out, x]), f"{p}.output.LayerNorm")

    # mean over the attended tokens, then unit length
    token_weights = g.one("Unsqueeze", [mask, g.const("axis_2", [2])])  # b s 1
    axis_1 = g.const("axis_1", [1])
    summed = g.one("ReduceSum", [g.one("Mul", [x, token_weights]), axis_1], keepdims=0)  # b h
    count = g.one("ReduceSum", [token_weights, axis_1], keepdims=0)  # b 1
    mean = g.one("Div", [summed, g.one("Max", [count, g.const("pool_eps", POOL_EPS)])])
    norm = g.one("Sqrt", [g.one("ReduceSumSquare", [mean], axes=[1], keepdims=1)])
    g.nodes.append(
        helper.make_node(
            "Div", [mean, g.one("Max", [norm, g.const("norm_eps", NORM_EPS)])], [OUTPUT]
        )
    )

    dims = ["batch", "sequence"]
    graph = helper.make_graph(
        g.nodes,
        "all-MiniLM-L6-v2",
        [helper.make_tensor_value_info(name, TensorProto.INT64, dims) for name in INPUTS],
        [helper.make_tensor_value_info(OUTPUT, TensorProto.FLOAT, ["batch", hidden])],
        initializer=g.initializers,
    )
    return helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET)],
        ir_version=IR_VERSION,
        producer_name="trainer.encoder",
    )
