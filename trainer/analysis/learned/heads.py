"""Linear heads over sentence features: one logistic regression per label, with its threshold."""

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
    """Standardise features, then one logistic regression per label."""

    labels: tuple[str, ...]
    mean: np.ndarray  # (D,)
    scale: np.ndarray  # (D,)
    weights: np.ndarray  # (L, D)
    bias: np.ndarray  # (L,)
    thresholds: np.ndarray  # (L,)

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """(n, D) features -> (n, L) probabilities."""
        z = ((features - self.mean) / self.scale) @ self.weights.T + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def threshold(self, label: str) -> float:
        return float(self.thresholds[self.labels.index(label)])

    def save(self, path: Path) -> None:
        np.savez_compressed(path, labels=np.array(self.labels), mean=self.mean.astype(np.float32),
                            scale=self.scale.astype(np.float32), weights=self.weights.astype(np.float32),
                            bias=self.bias.astype(np.float32), thresholds=self.thresholds.astype(np.float32))


class HeadsUnavailable(TrainerError):
    """The trained heads file is missing or unreadable."""


@cache
def load_heads(role: str) -> Heads:
    """The shipped heads for `therapist` or `client` turns."""
    path = HEADS_DIR / f"{role}_heads.npz"
    try:
        data = np.load(path, allow_pickle=False)
        return Heads(tuple(str(x) for x in data["labels"]), data["mean"], data["scale"], data["weights"],
                     data["bias"], data["thresholds"])
    except (OSError, KeyError, ValueError) as exc:
        raise HeadsUnavailable(f"turn-analysis heads {path.name} cannot be read ({exc.__class__.__name__}); "
                               "reinstall the project or run scripts/train_analysis_heads.py") from None
