"""Where the rule layer and the learned layer meet: one place decides a turn's final labels."""

from __future__ import annotations

from collections.abc import Sequence

from trainer.analysis.history import History
from trainer.analysis.labels import TurnLabels
from trainer.analysis.rules import rule_labels
from trainer.transcript import Turn


def final_labels(turns: Sequence[Turn], index: int, names: tuple[str, ...], history: History) -> tuple[TurnLabels, bool]:
    """The turn's labels, and whether a client turn ends on the sexual topic (for the history)."""
    labels, f = rule_labels(turns, index, names, history)
    return labels, f.last_sentence_sexual
