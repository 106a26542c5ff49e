"""Per-text LRU of finished embeddings, so a repeated sentence costs one dict lookup."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import NamedTuple

import numpy as np


class CacheInfo(NamedTuple):
    hits: int
    misses: int
    size: int
    max_items: int


class VectorCache:
    """Thread-safe (the app serves several sessions); stored vectors are read-only."""

    def __init__(self, max_items: int) -> None:
        if max_items < 0:
            raise ValueError("max_items must be >= 0")
        self.max_items = max_items
        self._items: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self._hits = 0
        self._misses = 0

    def get(self, text: str) -> np.ndarray | None:
        with self._lock:
            vector = self._items.get(text)
            if vector is None:
                self._misses += 1
                return None
            self._items.move_to_end(text)
            self._hits += 1
            return vector

    def put(self, text: str, vector: np.ndarray) -> None:
        if self.max_items == 0:
            return
        frozen = np.array(vector, dtype=np.float32, copy=True)
        frozen.setflags(write=False)
        with self._lock:
            self._items[text] = frozen
            self._items.move_to_end(text)
            while len(self._items) > self.max_items:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._hits = self._misses = 0

    def info(self) -> CacheInfo:
        with self._lock:
            return CacheInfo(self._hits, self._misses, len(self._items), self.max_items)
