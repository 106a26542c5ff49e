"""The learned layer of the turn analysis: sentence embeddings with small heads, and a word model.

Each sentence of a turn is embedded (`trainer.encoder`), joined with the
embedding of the turn it answers and with the rule layer's findings
(`features.py`), and scored by a small network per role (`heads.py`); a word
model over the whole turn (`lexical.py`) is averaged in. Both are fitted on
`corpus/train` by `scripts/train_analysis_heads.py` and shipped as small `.npz`
files next to this module.
"""

from trainer.analysis.learned.heads import (
    CLIENT_HEAD_LABELS,
    THERAPIST_HEAD_LABELS,
    Heads,
    load_heads,
)

__all__ = ["CLIENT_HEAD_LABELS", "THERAPIST_HEAD_LABELS", "Heads", "load_heads"]
