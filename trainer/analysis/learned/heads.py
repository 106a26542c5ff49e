"""The learned heads: a small two-layer network over sentence features, one output per label.

Shipped as a `.npz` of plain arrays (standardisation, one hidden ReLU layer,
one sigmoid output per label, a threshold per label); inference is two matrix
products in numpy. Several independently trained networks may be stacked
(`members`); their probabilities are averaged.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from trainer.errors import TrainerError

HEADS_DIR = Path(__file__).resolve().parent

# The sexual-topic invitation and follow-up share one head ("engages the topic"); which of
# the two it is depends on where the topic stands in the session, which the rules know.
THERAPIST_HEAD_LABELS = (
    "engage_sex", "sideline_sex", "shaming_sex",
    "validate_protective_move", "generic_empathy", "blame", "take_sides", "repair",
    "evoke_need", "content_question", "advice",
    "frame_cycle", "equate_cycles", "enactment", "off_frame", "abuse",
)
CLIENT_HEAD_LABELS = (
    "mentions_sex", "protective_move_admitted", "protective_intent", "reactive_emotion",
    "need_or_fear", "practical_request", "hesitant", "confirms_conjecture", "rejects_conjecture",
    "defensiveness",
)


@dataclass(frozen=True)
class Heads:
    """Standardise, then per member: relu(x W1 + b1) W2 + b2 -> sigmoid; members averaged."""

    labels: tuple[str, ...]
    mean: np.ndarray  # (D,)
    scale: np.ndarray  # (D,)
    w1: np.ndarray  # (M, D, H)
    b1: np.ndarray  # (M, H)
    w2: np.ndarray  # (M, H, L)
    b2: np.ndarray  # (M, L)
    thresholds: np.ndarray  # (L,)

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """(n, D) features -> (n, L) probabilities."""
        z = ((features - self.mean) / self.scale).astype(np.float32)
        total = np.zeros((z.shape[0], len(self.labels)), dtype=np.float32)
        for m in range(self.w1.shape[0]):
            hidden = np.maximum(z @ self.w1[m] + self.b1[m], 0.0)
            logits = hidden @ self.w2[m] + self.b2[m]
            total += 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))
        return total / self.w1.shape[0]

    def threshold(self, label: str) -> float:
        return float(self.thresholds[self.labels.index(label)])

    def save(self, path: Path) -> None:
        np.savez_compressed(path, labels=np.array(self.labels), mean=self.mean.astype(np.float32),
                            scale=self.scale.astype(np.float32), w1=self.w1.astype(np.float16),
                            b1=self.b1.astype(np.float32), w2=self.w2.astype(np.float32),
                            b2=self.b2.astype(np.float32), thresholds=self.thresholds.astype(np.float32))


class HeadsUnavailable(TrainerError):
    """The trained heads file is missing or unreadable."""


@cache
def load_heads(role: str) -> Heads:
    """The shipped heads for `therapist` or `client` turns."""
    path = HEADS_DIR / f"{role}_heads.npz"
    try:
        data = np.load(path, allow_pickle=False)
        return Heads(tuple(str(x) for x in data["labels"]), data["mean"], data["scale"],
                     data["w1"].astype(np.float32), data["b1"], data["w2"], data["b2"], data["thresholds"])
    except (OSError, KeyError, ValueError) as exc:
        raise HeadsUnavailable(f"turn-analysis heads {path.name} cannot be read ({exc.__class__.__name__}); "
                               "reinstall the project or run scripts/train_analysis_heads.py") from None
