"""How well the turn analysis reads utterances it was never tuned on.

Runs the analysis over a corpus split (default: the frozen, blind-written
`corpus/heldout`) and prints per-label precision / recall / F1, each group's
macro-F1 (the mean F1 of its labels), confusion tables for the three decisions
the product rests on, shaming recall, abuse false positives and addressee
accuracy. Figures only, no assertions.

    python benchmarks/analysis_generalization.py [--split heldout|train] [--files GLOB] [--json OUT]
    python benchmarks/analysis_generalization.py --predictions before.json   # an older analyzer's output
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

from trainer.corpus import CLIENT_LABELS, CORPUS_DIR, GROUPS, THERAPIST_LABELS, load_items
from trainer.corpus.labels import INTERVENTION_LABELS, SEX_LABELS, STANCE_LABELS
from trainer.corpus.predict import Prediction, predict
from trainer.corpus.scoring import confusion, group_macro_f1, label_scores


def _addressee_kind(text: str, names: list[str]) -> str:
    lowered = text.strip().lower()
    for name in names:
        n = name.lower()
        if lowered.startswith(n + ","):
            return "leading name, comma"
        if lowered.startswith(n + " "):
            return "leading name, no comma"
        if re.search(rf"\b{re.escape(n)}\W*$", lowered):
            return "trailing name"
    return "other"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="heldout")
    parser.add_argument("--files", default="*.jsonl", help="only the split's files matching this pattern")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--predictions", type=Path,
                        help="score these predictions ({id: {labels, addressed}}, e.g. an older analyzer's) "
                             "instead of running the analysis")
    args = parser.parse_args()
    items = load_items((CORPUS_DIR / args.split).glob(args.files))
    if not items:
        print(f"no items in corpus/{args.split}")
        return 1
    started = time.perf_counter()
    if args.predictions:
        given = json.loads(args.predictions.read_text(encoding="utf-8"))
        predictions = [Prediction(frozenset(given[i.id]["labels"]), frozenset(given[i.id]["addressed"]))
                       for i in items]
    else:
        predictions = [predict(item) for item in items]
    elapsed = time.perf_counter() - started
    therapist = [(i, p) for i, p in zip(items, predictions, strict=True) if i.role == "therapist"]
    client = [(i, p) for i, p in zip(items, predictions, strict=True) if i.role == "client"]
    print(f"split: corpus/{args.split}  therapist items: {len(therapist)}  client items: {len(client)}  "
          f"({elapsed:.1f} s, {1000 * elapsed / len(items):.1f} ms per item)")

    truth_t = [frozenset(i.labels) for i, _ in therapist]
    pred_t = [p.labels for _, p in therapist]
    truth_c = [frozenset(i.labels) for i, _ in client]
    pred_c = [p.labels for _, p in client]
    scores = label_scores(truth_t, pred_t, THERAPIST_LABELS) | label_scores(truth_c, pred_c, CLIENT_LABELS)

    print(f"\n{'label':28} {'support':>7} {'prec':>6} {'recall':>6} {'F1':>6}")
    for label, s in scores.items():
        print(f"{label:28} {s.support:7d} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}")
    macro = group_macro_f1(scores)
    print("\nmacro-F1 per group")
    for group, value in macro.items():
        print(f"  {group:32} {value:.3f}   ({', '.join(GROUPS[group])})")

    for title, group in (("sexual topic", SEX_LABELS), ("stance", STANCE_LABELS), ("intervention", INTERVENTION_LABELS)):
        classes, table = confusion(truth_t, pred_t, group)
        print(f"\nconfusion, {title} (rows: truth, columns: analysis)")
        width = max(len(c) for c in classes) + 1
        print(" " * width + "".join(f"{c[:12]:>13}" for c in classes))
        for name, row in zip(classes, table, strict=True):
            print(f"{name:{width}}" + "".join(f"{v:13d}" for v in row))

    shaming = scores["shaming_sex"]
    abuse_fp = sum(1 for t, p in zip(truth_t, pred_t, strict=True) if "abuse" in p and "abuse" not in t)
    hostile = {"abuse", "blame", "shaming_sex", "take_sides"}
    benign = [(t, p) for t, p in zip(truth_t, pred_t, strict=True) if not t & hostile]
    benign_fp = sum(1 for t, p in benign if "abuse" in p)
    print(f"\nshaming recall: {shaming.recall:.3f} ({shaming.tp}/{shaming.support})")
    print(f"abuse false positives on ordinary clinical talk (items with no hostile label): {benign_fp} of {len(benign)}")
    print(f"abuse false positives (items a supervisor would not call abuse): {abuse_fp} of "
          f"{sum(1 for t in truth_t if 'abuse' not in t)}")

    kinds: dict[str, list[bool]] = {}
    for item, pred in therapist:
        if len(item.addressed) != 1:
            continue
        kind = _addressee_kind(item.text, item.clients)
        kinds.setdefault(kind, []).append(pred.addressed == frozenset(item.addressed))
    print("\naddressee accuracy (items spoken to one partner)")
    for kind, hits in sorted(kinds.items()):
        print(f"  {kind:24} {sum(hits) / len(hits):.3f}  ({sum(hits)}/{len(hits)})")
    all_hits = [h for v in kinds.values() for h in v]
    if all_hits:
        print(f"  {'all':24} {sum(all_hits) / len(all_hits):.3f}  ({sum(all_hits)}/{len(all_hits)})")

    if args.json:
        args.json.write_text(json.dumps({
            "split": args.split,
            "labels": {k: {"support": s.support, "precision": s.precision, "recall": s.recall, "f1": s.f1}
                       for k, s in scores.items()},
            "macro_f1": macro,
            "shaming_recall": shaming.recall,
            "abuse_false_positives": abuse_fp,
            "abuse_false_positives_clinical": benign_fp,
            "addressee": {k: sum(v) / len(v) for k, v in kinds.items()},
        }, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
