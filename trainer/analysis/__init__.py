"""Turn analysis shared by the engine and the evaluator.

`analyze_turn(turns, index, clients)` labels one turn from the turns before it
(the simulator calls it after every trainee utterance); `analyze_transcript`
labels a whole session in one pass. See `analyzer.py` for the method.
"""

from trainer.analysis.analyzer import analyze_transcript, analyze_turn
from trainer.analysis.labels import Cue, Disclosure, Move, TurnLabels

__all__ = ["Cue", "Disclosure", "Move", "TurnLabels", "analyze_transcript", "analyze_turn"]
