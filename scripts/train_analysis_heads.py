#!/usr/bin/env python
"""Fit the learned heads of the turn analysis on corpus/train and write them next to the code.

Development-time tool (needs scikit-learn from the dev extra); the product only
reads the `.npz` files it writes. Reproducible: same corpus, same heads.

For every training item the item becomes the last turn of a short transcript,
the rule layer reads it (with the history of its context turns), and each of
its sentences becomes a row of features. A sentence is a positive example of a
label when it holds that label's evidence; other sentences of an item carrying
the label are left out for that label (the label may be spread over them), and
every sentence of an item without the label is a negative. Thresholds are
chosen on out-of-fold predictions at the turn level (max over sentences), so
the held-out split is never looked at.

    .venv/bin/python scripts/train_analysis_heads.py [--folds 5]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from trainer.analysis.combine import _hesitation_as_label
from trainer.analysis.history import History, advance
from trainer.analysis.learned.features import client_features, therapist_features
from trainer.analysis.learned.heads import CLIENT_HEAD_LABELS, HEADS_DIR, THERAPIST_HEAD_LABELS, Heads
from trainer.analysis.combine import final_labels
from trainer.analysis.rules import rule_labels
from trainer.corpus import CORPUS_DIR, load_split
from trainer.corpus.predict import item_transcript
from trainer.corpus.schema import CorpusItem

C_GRID = (0.05, 0.2, 1.0)
ALIASES = {"invite_sex": "engage_sex", "follow_up_sex": "engage_sex"}


def _rows(item: CorpusItem) -> tuple[np.ndarray, list[tuple[int, int]]]:
    transcript = item_transcript(item)
    names = tuple(item.clients)
    history = History()
    turns = transcript.turns
    for j in range(len(turns) - 1):
        labels, ends = final_labels(turns, j, names, history, learned=False)
        advance(history, turns[j].is_therapist, turns[j].speaker, turns[j].text, labels, ends)
    rule, f = rule_labels(turns, len(turns) - 1, names, history)
    rule = _hesitation_as_label(rule)
    build = therapist_features if item.role == "therapist" else client_features
    feats = build(item.text, rule, f, history)
    return feats.matrix, [(s.start, s.end) for s in feats.spans]


def _targets(item: CorpusItem, spans: list[tuple[int, int]], labels: tuple[str, ...]) -> np.ndarray:
    """(n_sentences, L): 1 positive, 0 negative, -1 left out."""
    y = np.zeros((len(spans), len(labels)), dtype=np.int8)
    present: dict[str, list[str]] = {}
    for label in item.labels:
        present.setdefault(ALIASES.get(label, label), []).append(label)
    for j, head in enumerate(labels):
        if head not in present:
            continue
        y[:, j] = -1
        hit = False
        for label in present[head]:
            evidence = item.evidence.get(label, "")
            pos = item.text.find(evidence) if evidence else -1
            if pos < 0:
                continue
            end = pos + len(evidence)
            for i, (s, e) in enumerate(spans):
                if s < end and pos < e:
                    y[i, j], hit = 1, True
        if not hit:
            y[:, j] = 1
    return y


def _fit(x: np.ndarray, y: np.ndarray, c: float) -> LogisticRegression | None:
    keep = y >= 0
    if len(set(y[keep].tolist())) < 2:
        return None
    model = LogisticRegression(C=c, max_iter=3000)
    model.fit(x[keep], y[keep])
    return model


def _best_threshold(scores: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    best = (0.5, -1.0)
    for t in np.arange(0.2, 0.91, 0.025):
        pred = scores >= t
        tp = int((pred & truth).sum())
        fp = int((pred & ~truth).sum())
        fn = int((~pred & truth).sum())
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 > best[1] + 1e-9:
            best = (float(t), f1)
    return best


def train(role: str, labels: tuple[str, ...], items: list[CorpusItem], folds: int) -> tuple[Heads, dict]:
    xs, ys, groups = [], [], []
    for n, item in enumerate(items):
        x, spans = _rows(item)
        xs.append(x)
        ys.append(_targets(item, spans, labels))
        groups.extend([n] * len(spans))
    x = np.vstack(xs).astype(np.float64)
    y = np.vstack(ys)
    groups_arr = np.array(groups)
    mean = x.mean(axis=0)
    scale = np.maximum(x.std(axis=0), 1e-3)
    z = (x - mean) / scale
    truth_turn = np.array([[ALIASES.get(lab, lab) for lab in item.labels] for item in items], dtype=object)
    weights = np.zeros((len(labels), x.shape[1]))
    bias = np.zeros(len(labels))
    thresholds = np.full(len(labels), 0.5)
    report: dict[str, dict] = {}
    splitter = GroupKFold(n_splits=folds)
    for j, label in enumerate(labels):
        truth = np.array([label in t for t in truth_turn])
        best = None
        for c in C_GRID:
            oof = np.zeros(len(z))
            for train_idx, test_idx in splitter.split(z, groups=groups_arr):
                model = _fit(z[train_idx], y[train_idx, j], c)
                oof[test_idx] = model.predict_proba(z[test_idx])[:, 1] if model else 0.0
            per_turn = np.zeros(len(items))
            np.maximum.at(per_turn, groups_arr, oof)
            threshold, f1 = _best_threshold(per_turn, truth)
            if best is None or f1 > best[2]:
                best = (c, threshold, f1)
        c, threshold, f1 = best
        model = _fit(z, y[:, j], c)
        if model is not None:
            weights[j] = model.coef_[0]
            bias[j] = model.intercept_[0]
        else:
            bias[j] = -30.0
        thresholds[j] = threshold
        report[label] = {"C": c, "threshold": round(threshold, 3), "oof_f1": round(f1, 3), "positives": int(truth.sum())}
        print(f"  {role:9} {label:26} positives {int(truth.sum()):4d}  C {c:<5} threshold {threshold:.3f}  out-of-fold F1 {f1:.3f}",
              flush=True)
    return Heads(labels, mean.astype(np.float32), scale.astype(np.float32), weights.astype(np.float32),
                 bias.astype(np.float32), thresholds.astype(np.float32)), report


def main() -> int:
    parser = argparse.ArgumentParser(description="Fit the turn-analysis heads on corpus/train.")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    items = load_split("train")
    digest = hashlib.sha256()
    for path in sorted((CORPUS_DIR / "train").glob("*.jsonl")):
        digest.update(path.read_bytes())
    started = time.perf_counter()
    info: dict = {"corpus_sha256": digest.hexdigest(), "items": len(items)}
    for role, labels in (("therapist", THERAPIST_HEAD_LABELS), ("client", CLIENT_HEAD_LABELS)):
        chosen = [i for i in items if i.role == role]
        print(f"{role}: {len(chosen)} items", flush=True)
        heads, report = train(role, labels, chosen, args.folds)
        heads.save(HEADS_DIR / f"{role}_heads.npz")
        info[role] = report
    (HEADS_DIR / "heads_info.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    print(f"done in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
