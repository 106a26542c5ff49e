"""SentenceEncoder: texts in, unit-length all-MiniLM-L6-v2 vectors out, with a per-text cache."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import onnxruntime as ort

from trainer.encoder.batching import plan_batches
from trainer.encoder.cache import CacheInfo, VectorCache
from trainer.encoder.config import EMBEDDING_DIM
from trainer.encoder.graph import OUTPUT
from trainer.encoder.tokens import TokenBatch, WordPieceTokenizer, pad


class SentenceEncoder:
    """Matches sentence-transformers' all-MiniLM-L6-v2 (mean pooling, L2 norm) without torch.

    Build one with trainer.encoder.load_encoder() or share one with get_encoder().
    """

    dimension = EMBEDDING_DIM

    def __init__(
        self,
        session: ort.InferenceSession,
        tokenizer: WordPieceTokenizer,
        *,
        cache_size: int = 4096,
        batch_size: int = 32,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be >= 1")
        self.session = session
        self.tokenizer = tokenizer
        self.batch_size = batch_size
        self._cache = VectorCache(cache_size)

    @property
    def max_length(self) -> int:
        """Word pieces per text, [CLS] and [SEP] included; longer texts are truncated."""
        return self.tokenizer.max_length

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), 384) float32, one unit-length row per text, in order.

        Cached texts are not recomputed; duplicates in one call are computed once.
        """
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of strings: wrap a single text in a list")
        texts = list(texts)
        for text in texts:
            if not isinstance(text, str):
                raise TypeError(f"encode() takes strings, got {type(text).__name__}")
        result = np.empty((len(texts), self.dimension), dtype=np.float32)
        missing: dict[str, list[int]] = {}
        for row, text in enumerate(texts):
            if text in missing:
                missing[text].append(row)
                continue
            cached = self._cache.get(text)
            if cached is None:
                missing[text] = [row]
            else:
                result[row] = cached
        if missing:
            fresh = list(missing)
            for text, vector in zip(fresh, self._compute(fresh), strict=True):
                self._cache.put(text, vector)
                result[missing[text]] = vector
        return result

    def run(self, batch: TokenBatch) -> np.ndarray:
        """Run the graph on already tokenized input: (batch, 384) float32."""
        return self.session.run([OUTPUT], batch.feeds())[0]

    def cache_info(self) -> CacheInfo:
        return self._cache.info()

    def clear_cache(self) -> None:
        self._cache.clear()

    def _compute(self, texts: list[str]) -> np.ndarray:
        """Embed texts in runs of similar length, so little padding is computed."""
        encodings = self.tokenizer.encode(texts)
        vectors = np.empty((len(texts), self.dimension), dtype=np.float32)
        for rows in plan_batches([len(e.ids) for e in encodings], self.batch_size):
            vectors[rows] = self.run(pad([encodings[i] for i in rows]))
        return vectors
