"""Run the turn analysis on corpus items: the item becomes the last turn of a short transcript."""

from __future__ import annotations

from dataclasses import dataclass

from trainer.analysis import analyze_transcript
from trainer.analysis.labels import TurnLabels
from trainer.corpus.schema import CorpusItem
from trainer.transcript import Transcript, Turn


@dataclass(frozen=True)
class Prediction:
    labels: frozenset[str]
    addressed: frozenset[str]


def item_transcript(item: CorpusItem) -> Transcript:
    turns = [Turn(speaker=t.speaker, text=t.text) for t in item.context]
    turns.append(Turn(speaker=item.speaker_name, text=item.text))
    if not any(t.is_therapist for t in turns):
        turns.insert(0, Turn(speaker="therapist", text="Go on."))
    return Transcript(clients=list(item.clients), turns=turns)


def corpus_labels(labels: TurnLabels) -> frozenset[str]:
    """The analysis labels in the corpus's vocabulary."""
    return frozenset({str(m) for m in labels.moves} | {str(d) for d in labels.disclosures})


def predict(item: CorpusItem) -> Prediction:
    labels = analyze_transcript(item_transcript(item))[-1]
    return Prediction(corpus_labels(labels), frozenset(labels.addressed))
