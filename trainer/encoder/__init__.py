"""Sentence embeddings (all-MiniLM-L6-v2) on onnxruntime: offline, no torch, cached per text.

    from trainer.encoder import EncoderUnavailable, get_encoder
    vectors = get_encoder().encode(["I feel unheard.", "You never listen."])  # (2, 384) float32

Rows are unit length, so cosine similarity is a dot product. Importing this package needs
none of the runtime packages; loading reports anything missing as EncoderUnavailable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from trainer.encoder.config import EMBEDDING_DIM
from trainer.encoder.errors import EncoderUnavailable
from trainer.encoder.loader import get_encoder, load_encoder
from trainer.encoder.locate import ENV_VAR as MODEL_ZIP_ENV

if TYPE_CHECKING:
    from trainer.encoder.encoder import SentenceEncoder

__all__ = [
    "EMBEDDING_DIM",
    "MODEL_ZIP_ENV",
    "EncoderUnavailable",
    "SentenceEncoder",
    "get_encoder",
    "load_encoder",
]


def __getattr__(name: str) -> object:
    """SentenceEncoder is imported lazily: it needs numpy and onnxruntime."""
    if name == "SentenceEncoder":
        from trainer.encoder.encoder import SentenceEncoder

        return SentenceEncoder
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
