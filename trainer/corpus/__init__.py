"""The labelled utterance corpus: schema, loading and scoring.

The corpus (top-level `corpus/`) is the ground truth the learned layer of the
turn analysis is fitted on (`corpus/train`) and measured on (`corpus/heldout`,
written blind and frozen).
"""

from trainer.corpus.labels import CLIENT_LABELS, GROUPS, THERAPIST_LABELS
from trainer.corpus.load import CORPUS_DIR, load_items, load_split
from trainer.corpus.schema import ContextTurn, CorpusItem

__all__ = [
    "CLIENT_LABELS",
    "CORPUS_DIR",
    "GROUPS",
    "THERAPIST_LABELS",
    "ContextTurn",
    "CorpusItem",
    "load_items",
    "load_split",
]
