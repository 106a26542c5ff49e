"""Per-label precision / recall / F1, group macro-F1 and confusion tables."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from trainer.corpus.labels import GROUPS


@dataclass(frozen=True)
class LabelScore:
    label: str
    support: int
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def label_scores(truth: Sequence[frozenset[str]], predicted: Sequence[frozenset[str]],
                 labels: Sequence[str]) -> dict[str, LabelScore]:
    out: dict[str, LabelScore] = {}
    for label in labels:
        tp = sum(1 for t, p in zip(truth, predicted, strict=True) if label in t and label in p)
        fp = sum(1 for t, p in zip(truth, predicted, strict=True) if label not in t and label in p)
        fn = sum(1 for t, p in zip(truth, predicted, strict=True) if label in t and label not in p)
        out[label] = LabelScore(label, tp + fn, tp, fp, fn)
    return out


def group_macro_f1(scores: dict[str, LabelScore]) -> dict[str, float]:
    result: dict[str, float] = {}
    for group, labels in GROUPS.items():
        present = [scores[x].f1 for x in labels if x in scores and scores[x].support]
        if present:
            result[group] = sum(present) / len(present)
    return result


def decision(labels: frozenset[str], group: Sequence[str]) -> str:
    """The single decision of a group for one item (first label of the group present, else none)."""
    return next((x for x in group if x in labels), "none")


def confusion(truth: Sequence[frozenset[str]], predicted: Sequence[frozenset[str]],
              group: Sequence[str]) -> tuple[list[str], list[list[int]]]:
    classes = [*group, "none"]
    counts = Counter((decision(t, group), decision(p, group)) for t, p in zip(truth, predicted, strict=True))
    return classes, [[counts[(a, b)] for b in classes] for a in classes]
