"""Who a line is spoken to, over the addressee development set (corpus/addressee): a floor
that keeps later changes from undoing what it taught."""

from __future__ import annotations

import json

from trainer.corpus import CORPUS_DIR
from trainer.corpus.predict import predict
from trainer.corpus.schema import CorpusItem


def test_the_addressee_development_set_is_read_as_its_author_labelled_it() -> None:
    lines = (CORPUS_DIR / "addressee" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    misses = []
    for line in lines:
        row = json.loads(line)
        item = CorpusItem(id=row["id"], role="therapist", clients=row["clients"], context=row.get("context", []),
                          text=row["text"], addressed=row["addressed"])
        got = sorted(predict(item).addressed)
        if got != sorted(item.addressed):
            misses.append(f"{item.id}: {item.text!r} -> {got}, labelled {item.addressed}")
    assert len(lines) == 240
    assert len(misses) <= 0.04 * len(lines), "\n".join(misses)
