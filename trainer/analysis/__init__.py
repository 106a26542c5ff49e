"""Turn analysis shared by the engine and the evaluator."""

from trainer.analysis.labels import Cue, Disclosure, Move, TurnLabels

__all__ = ["Cue", "Disclosure", "Move", "TurnLabels"]
