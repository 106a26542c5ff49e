"""The BERT shape the graph is built for, read from the model's config.json and checked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

EMBEDDING_DIM = 384  # all-MiniLM-L6-v2's sentence vector size


@dataclass(frozen=True)
class BertConfig:
    """Only the fields the forward pass needs; anything unsupported is rejected at load."""

    vocab_size: int
    hidden_size: int
    num_hidden_layers: int
    num_attention_heads: int
    intermediate_size: int
    max_position_embeddings: int
    type_vocab_size: int
    layer_norm_eps: float

    @property
    def head_size(self) -> int:
        return self.hidden_size // self.num_attention_heads

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BertConfig:
        """Build from config.json's contents; ValueError names the first field we cannot use."""
        if data.get("model_type", "bert") != "bert":
            raise ValueError(f"model_type is {data.get('model_type')!r}, not 'bert'")
        if data.get("hidden_act", "gelu") != "gelu":
            raise ValueError(f"hidden_act is {data.get('hidden_act')!r}, not 'gelu'")
        if data.get("position_embedding_type", "absolute") != "absolute":
            raise ValueError("only absolute position embeddings are supported")
        try:
            config = cls(
                vocab_size=int(data["vocab_size"]),
                hidden_size=int(data["hidden_size"]),
                num_hidden_layers=int(data["num_hidden_layers"]),
                num_attention_heads=int(data["num_attention_heads"]),
                intermediate_size=int(data["intermediate_size"]),
                max_position_embeddings=int(data["max_position_embeddings"]),
                type_vocab_size=int(data.get("type_vocab_size", 2)),
                layer_norm_eps=float(data.get("layer_norm_eps", 1e-12)),
            )
        except KeyError as exc:
            raise ValueError(f"field {exc.args[0]!r} is missing") from None
        if config.hidden_size % config.num_attention_heads:
            raise ValueError("hidden_size is not a multiple of num_attention_heads")
        return config
