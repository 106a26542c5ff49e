"""The labelled corpus: every file reads, the splits do not leak into each other, the shipped
heads were fitted on the training split as it is now, and the scoring counts what it says."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from trainer.analysis.learned.heads import HEADS_DIR
from trainer.corpus import CORPUS_DIR, CorpusItem, load_items, load_split
from trainer.corpus.load import CorpusError
from trainer.corpus.scoring import confusion, group_macro_f1, label_scores


@pytest.fixture(scope="module")
def train() -> list[CorpusItem]:
    return load_split("train")


@pytest.fixture(scope="module")
def heldout() -> list[CorpusItem]:
    return load_split("heldout")


def test_splits_are_large_enough_and_ids_unique_across_them(train, heldout) -> None:
    assert sum(i.role == "therapist" for i in train) >= 3000
    assert sum(i.role == "client" for i in train) >= 1000
    assert len(heldout) >= 600
    ids = [i.id for i in train + heldout]
    assert len(ids) == len(set(ids))


def test_no_heldout_utterance_is_also_a_training_utterance(train, heldout) -> None:
    """Independent authors write the same stock question now and then ("How long have you two
    been together?"); anything longer appearing in both splits would be a leak."""
    def key(item: CorpusItem) -> str:
        return " ".join(item.text.lower().split())
    seen = {key(i) for i in train}
    shared = [i for i in heldout if key(i) in seen]
    assert not [i.id for i in shared if len(i.text) > 70]
    assert len(shared) <= 0.02 * len(heldout)


def test_shipped_heads_were_fitted_on_the_training_split_as_it_is() -> None:
    """Editing corpus/train without refitting would ship heads that describe other data."""
    digest = hashlib.sha256()
    for path in sorted((CORPUS_DIR / "train").glob("*.jsonl")):
        digest.update(path.read_bytes())
    info = json.loads((HEADS_DIR / "heads_info.json").read_text(encoding="utf-8"))
    assert info["corpus_sha256"] == digest.hexdigest(), "refit: scripts/train_analysis_heads.py"


@pytest.mark.parametrize(("line", "problem"), [
    ("{not json", "not JSON"),
    ('{"id": "x", "role": "therapist", "clients": ["A", "B"], "text": "hi", "labels": ["nonsense"]}', "labels"),
    ('{"id": "x", "role": "therapist", "clients": ["A", "B"], "text": "hi", "labels": ["advice"], '
     + '"evidence": {"advice": "not in the text"}}', "not a substring"),
])
def test_a_bad_line_names_file_line_and_problem(tmp_path: Path, line: str, problem: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "ok", "role": "therapist", "clients": ["A", "B"], "text": "hi", "labels": []}\n'
                    + line + "\n", encoding="utf-8")
    with pytest.raises(CorpusError) as err:
        load_items([path])
    assert "bad.jsonl:2" in str(err.value) and problem in str(err.value)


def test_scores_count_true_and_false_positives_per_label() -> None:
    truth = [frozenset({"advice"}), frozenset({"advice", "blame"}), frozenset(), frozenset({"blame"})]
    predicted = [frozenset({"advice"}), frozenset({"blame"}), frozenset({"advice"}), frozenset()]
    scores = label_scores(truth, predicted, ["advice", "blame"])
    assert (scores["advice"].tp, scores["advice"].fp, scores["advice"].fn) == (1, 1, 1)
    assert scores["advice"].f1 == pytest.approx(0.5)
    assert (scores["blame"].tp, scores["blame"].fn) == (1, 1) and scores["blame"].precision == 1.0
    groups = group_macro_f1(scores)
    assert groups["validation / empathy / blame"] == pytest.approx(scores["blame"].f1)
    classes, table = confusion(truth, predicted, ["advice", "blame"])
    assert classes == ["advice", "blame", "none"]
    # one decision per item, in group order: {advice, blame} decides "advice"
    assert table[0] == [1, 1, 0] and table[1] == [0, 0, 1] and table[2] == [1, 0, 0]
