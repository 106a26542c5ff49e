"""Word pieces for a batch of sentences, padded only as far as the longest one in the batch.

tokenizer.json ships with fixed padding to 128; padding to the batch's longest keeps short
sentences cheap, and mean pooling over the attention mask makes the result padding-free.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from tokenizers import Encoding, Tokenizer


@dataclass(frozen=True)
class TokenBatch:
    """The three (batch, seq) int64 inputs of the BERT graph."""

    input_ids: np.ndarray
    attention_mask: np.ndarray
    token_type_ids: np.ndarray

    def feeds(self) -> dict[str, np.ndarray]:
        return {
            "input_ids": self.input_ids,
            "attention_mask": self.attention_mask,
            "token_type_ids": self.token_type_ids,
        }


class WordPieceTokenizer:
    """The model's own tokenizer.json, truncating like sentence-transformers (longest first)."""

    def __init__(self, tokenizer_json: str, max_length: int) -> None:
        tokenizer = Tokenizer.from_str(tokenizer_json)
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length)  # counts [CLS] and [SEP], as HF does
        self._tokenizer = tokenizer
        self.max_length = max_length

    def encode(self, texts: Sequence[str]) -> list[Encoding]:
        """One encoding per text, [CLS] ... [SEP], at most max_length pieces each."""
        return self._tokenizer.encode_batch(list(texts), add_special_tokens=True)


def pad(encodings: Sequence[Encoding], pad_id: int = 0) -> TokenBatch:
    """Right-pad to the longest encoding; padded positions get mask 0."""
    length = max(len(encoding.ids) for encoding in encodings)
    ids = np.full((len(encodings), length), pad_id, dtype=np.int64)
    mask = np.zeros((len(encodings), length), dtype=np.int64)
    types = np.zeros((len(encodings), length), dtype=np.int64)
    for row, encoding in enumerate(encodings):
        n = len(encoding.ids)
        ids[row, :n] = encoding.ids
        mask[row, :n] = encoding.attention_mask
        types[row, :n] = encoding.type_ids
    return TokenBatch(ids, mask, types)
