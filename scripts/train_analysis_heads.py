#!/usr/bin/env python
"""Fit the learned heads of the turn analysis on corpus/train and write them next to the code.

Development-time tool (needs scikit-learn from the dev extra for the folds); the product only
reads the `.npz` files it writes. Reproducible: same corpus, same heads.

For every training item the item becomes the last turn of a short transcript,
the rule layer reads it (with the history of its context turns), and each of
its sentences becomes a row of features. A sentence is a positive example of a
label when it holds that label's evidence; other sentences of an item carrying
the label are left out for that label (the label may be spread over them), and
every sentence of an item without the label is a negative. Thresholds are
chosen on out-of-fold predictions at the turn level (max over sentences), so
the held-out split is never looked at.

Beside the heads, a word model (TF-IDF word unigrams and bigrams of the whole
turn, one logistic model per label) is fitted on the same items; the two are
averaged, the word model's share, its regularisation per label and the
thresholds chosen on the same writer-held-out folds. The shipped files: `<role>_heads.npz`, `<role>_lexical.npz`.

    .venv/bin/python scripts/train_analysis_heads.py [--folds 5]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from trainer.analysis.combine import final_labels
from trainer.analysis.history import History, advance
from trainer.analysis.learned.features import client_features, encoder_text, therapist_features
from trainer.analysis.learned.heads import (
    CLIENT_HEAD_LABELS,
    HEADS_DIR,
    THERAPIST_HEAD_LABELS,
    Heads,
)
from trainer.analysis.learned.lexical import LexicalModel
from trainer.analysis.rules import rule_labels
from trainer.corpus import CORPUS_DIR, GROUPS, load_items
from trainer.corpus.predict import item_transcript
from trainer.corpus.schema import CorpusItem

HIDDEN = 256
EPOCHS = 20
BATCH = 128
DROPOUT = 0.2
DECAY = 1e-4
LEARNING_RATE = 1e-3
MEMBERS = 3  # networks averaged in the shipped heads
PROBE_WEIGHT = 4.0  # the regression probes state the rubric's boundaries; they weigh more than one item
LEXICAL_C = (4.0, 20.0)  # inverse regularisation of the word model, chosen per label on out-of-fold F1
BLEND_WEIGHTS = (0.4, 0.5, 0.6)  # the word model's share, chosen on out-of-fold F1
ALIASES = {"invite_sex": "engage_sex", "follow_up_sex": "engage_sex"}
CACHE_PATH = Path("var/train_features.pkl")  # sentence rows per item, keyed by the item's content


def _item_key(item: CorpusItem) -> str:
    return hashlib.sha256(item.model_dump_json().encode("utf-8")).hexdigest()


class FeatureCache:
    """Rows of every item already read (the rules and the encoder are the slow part of a fit);
    an edited item has a new key, so stale rows are never used."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.rows: dict[str, tuple[np.ndarray, list[tuple[int, int]]]] = {}
        if path and path.exists():
            self.rows = pickle.loads(path.read_bytes())
        self.dirty = False

    def get(self, item: CorpusItem) -> tuple[np.ndarray, list[tuple[int, int]]]:
        key = _item_key(item)
        if key not in self.rows:
            self.rows[key] = _rows(item)
            self.dirty = True
        return self.rows[key]

    def save(self) -> None:
        if self.path and self.dirty:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_bytes(pickle.dumps(self.rows))


def writer_of(item: CorpusItem) -> str:
    """The writer an item comes from (the id's prefix): folds that leave whole writers out
    measure what a new writer's phrasing meets, not a neighbour of the same author."""
    return item.id.split("-", 1)[0]


def _rows(item: CorpusItem) -> tuple[np.ndarray, list[tuple[int, int]]]:
    transcript = item_transcript(item)
    names = tuple(item.clients)
    history = History()
    turns = transcript.turns
    for j in range(len(turns) - 1):
        labels, ends = final_labels(turns, j, names, history, learned=False)
        advance(history, turns[j].is_therapist, turns[j].speaker, turns[j].text, labels, ends)
    rule, f = rule_labels(turns, len(turns) - 1, names, history)
    build = therapist_features if item.role == "therapist" else client_features
    feats = build(item.text, rule, f, history, names)
    return feats.matrix, [(s.start, s.end) for s in feats.spans]


def _targets(item: CorpusItem, spans: list[tuple[int, int]], labels: tuple[str, ...]) -> np.ndarray:
    """(n_sentences, L): 1 positive, 0 negative, -1 left out."""
    y = np.zeros((len(spans), len(labels)), dtype=np.int8)
    if item.judged is not None:
        judged = {ALIASES.get(label, label) for label in item.judged}
        for j, head in enumerate(labels):
            if head not in judged:
                y[:, j] = -1
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


def _fit(z: np.ndarray, y: np.ndarray, seed: int, row_weight: np.ndarray | None = None) -> tuple[np.ndarray, ...]:
    """A two-layer network with a masked, multi-label logistic loss (y = -1 is left out)."""
    epochs = EPOCHS
    rng = np.random.default_rng(seed)
    row_weight = np.ones(len(z), np.float32) if row_weight is None else row_weight.astype(np.float32)
    n, d = z.shape
    labels = y.shape[1]
    mask = (y >= 0).astype(np.float32)
    target = np.clip(y, 0, 1).astype(np.float32)
    pos = (target * mask).sum(0)
    neg = ((1 - target) * mask).sum(0)
    pos_weight = np.clip(np.sqrt(neg / np.maximum(pos, 1)), 1.0, 4.0).astype(np.float32)
    params = [rng.normal(0, np.sqrt(2 / d), (d, HIDDEN)).astype(np.float32), np.zeros(HIDDEN, np.float32),
              rng.normal(0, np.sqrt(1 / HIDDEN), (HIDDEN, labels)).astype(np.float32),
              np.log(np.maximum(pos, 1) / np.maximum(neg, 1)).astype(np.float32)]
    moments = [np.zeros_like(p) for p in params]
    velocities = [np.zeros_like(p) for p in params]
    step = 0
    for _ in range(epochs):
        order = rng.permutation(n)
        for start in range(0, n, BATCH):
            idx = order[start:start + BATCH]
            x = z[idx] * (rng.random((len(idx), d)) > DROPOUT) / (1 - DROPOUT)
            w1, b1, w2, b2 = params
            pre = x @ w1 + b1
            hidden = np.maximum(pre, 0)
            prob = 1 / (1 + np.exp(-np.clip(hidden @ w2 + b2, -30, 30)))
            t, m = target[idx], mask[idx]
            weight = m * (1 + (pos_weight - 1) * t) * row_weight[idx, None]
            g = (prob - t) * weight / len(idx)
            grads = [None, None, hidden.T @ g + DECAY * w2, g.sum(0)]
            gh = (g @ w2.T) * (pre > 0)
            grads[0] = x.T @ gh + DECAY * w1
            grads[1] = gh.sum(0)
            step += 1
            for k, (p, gk) in enumerate(zip(params, grads, strict=True)):
                moments[k] = 0.9 * moments[k] + 0.1 * gk
                velocities[k] = 0.999 * velocities[k] + 0.001 * gk * gk
                mhat = moments[k] / (1 - 0.9 ** step)
                vhat = velocities[k] / (1 - 0.999 ** step)
                p -= LEARNING_RATE * mhat / (np.sqrt(vhat) + 1e-8)
    return tuple(params)


def _predict(params: tuple[np.ndarray, ...], z: np.ndarray) -> np.ndarray:
    w1, b1, w2, b2 = params
    hidden = np.maximum(z @ w1 + b1, 0)
    return 1 / (1 + np.exp(-np.clip(hidden @ w2 + b2, -30, 30)))


THRESHOLD_TOLERANCE = 0.01  # out-of-fold F1 this close to the best counts as a tie


def _best_threshold(scores: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    """The threshold with the best out-of-fold F1; among near ties the one nearest 0.5, since a
    new writer's phrasing shifts the scores and an extreme threshold chosen by a hair does not
    carry over."""
    found: list[tuple[float, float]] = []
    for t in np.arange(0.2, 0.91, 0.025):
        pred = scores >= t
        tp = int((pred & truth).sum())
        fp = int((pred & ~truth).sum())
        fn = int((~pred & truth).sum())
        found.append((float(t), 2 * tp / (2 * tp + fp + fn) if tp else 0.0))
    best = max(f1 for _, f1 in found)
    threshold = min((t for t, f1 in found if f1 >= best - THRESHOLD_TOLERANCE), key=lambda t: abs(t - 0.5))
    return threshold, dict(found)[threshold]


def train(role: str, labels: tuple[str, ...], items: list[CorpusItem], folds: int,
          members: int = MEMBERS, cache: FeatureCache | None = None,
          dump_oof: dict | None = None) -> tuple[tuple[Heads, LexicalModel] | None, dict]:
    cache = cache or FeatureCache(None)
    xs, ys, groups, weights = [], [], [], []
    for n, item in enumerate(items):
        x, spans = cache.get(item)
        xs.append(x)
        ys.append(_targets(item, spans, labels))
        groups.extend([n] * len(spans))
        weights.extend([PROBE_WEIGHT if item.judged is not None else 1.0] * len(spans))
    row_weight = np.array(weights, dtype=np.float32)
    x = np.vstack(xs).astype(np.float32)
    y = np.vstack(ys)
    groups_arr = np.array(groups)
    writers = sorted({writer_of(item) for item in items})
    fold_groups = np.array([writers.index(writer_of(items[g])) for g in groups_arr])
    mean = x.mean(axis=0)
    scale = np.maximum(x.std(axis=0), 1e-3)
    z = ((x - mean) / scale).astype(np.float32)
    oof = np.zeros(y.shape, dtype=np.float32)
    for fold, (train_idx, test_idx) in enumerate(GroupKFold(n_splits=folds).split(z, groups=fold_groups)):
        oof[test_idx] = _predict(_fit(z[train_idx], y[train_idx], seed=fold, row_weight=row_weight[train_idx]), z[test_idx])
    per_turn = np.zeros((len(items), len(labels)), dtype=np.float32)
    np.maximum.at(per_turn, groups_arr, oof)
    item_writers = np.array([writers.index(writer_of(item)) for item in items])
    by_c = {}
    for c in LEXICAL_C:
        by_c[c] = np.zeros_like(per_turn)
        for train_idx, test_idx in GroupKFold(n_splits=folds).split(per_turn, groups=item_writers):
            model = fit_lexical([items[k] for k in train_idx], labels, weight=0.0, c=np.full(len(labels), c))
            by_c[c][test_idx] = np.vstack([model.probabilities(_lexical_text(items[k])) for k in test_idx])
    weight, strength = _blend(per_turn, by_c, items, labels)
    lexical_oof = np.stack([by_c[c][:, j] for j, c in enumerate(strength)], axis=1)
    print(f"  {role:9} word model share in the blend: {weight:.2f}", flush=True)
    heads_oof, per_turn = per_turn, (1 - weight) * per_turn + weight * lexical_oof
    if dump_oof is not None:
        dump_oof[role] = {"ids": [item.id for item in items], "labels": labels, "scores": per_turn,
                          "heads": heads_oof, "lexical": lexical_oof, "weight": weight}
    thresholds = np.full(len(labels), 0.5, dtype=np.float32)
    report: dict[str, dict] = {}
    for j, label in enumerate(labels):
        truth, judged = _judged_truth(items, label)
        threshold, f1 = _best_threshold(per_turn[judged, j], truth[judged])
        thresholds[j] = threshold
        report[label] = {"threshold": round(threshold, 3), "oof_f1": round(f1, 3), "positives": int(truth.sum())}
        print(f"  {role:9} {label:26} positives {int(truth.sum()):4d}  threshold {threshold:.3f}  "
              f"out-of-fold F1 {f1:.3f}", flush=True)
    for group, members_of_group in GROUPS.items():
        scores = [report[ALIASES.get(x, x)]["oof_f1"] for x in members_of_group if ALIASES.get(x, x) in report]
        if scores:
            print(f"  {role:9} group {group:32} mean out-of-fold F1 {np.mean(scores):.3f}", flush=True)
    report["word_model_share"] = weight
    report["word_model_c"] = {label: float(c) for label, c in zip(labels, strength, strict=True)}
    if not members:
        return None, report
    fitted = [_fit(z, y, seed=100 + m, row_weight=row_weight) for m in range(members)]
    stack = [np.stack([m[k] for m in fitted]) for k in range(4)]
    lexical = fit_lexical(items, labels, weight, c=strength)
    return (Heads(labels, mean.astype(np.float32), scale.astype(np.float32), *stack, thresholds), lexical), report


def _lexical_text(item: CorpusItem) -> str:
    return encoder_text(item.text, item.clients)


def _judged_truth(items: list[CorpusItem], label: str) -> tuple[np.ndarray, np.ndarray]:
    truth = np.array([label in {ALIASES.get(x, x) for x in item.labels} for item in items])
    judged = np.array([item.judged is None or label in {ALIASES.get(x, x) for x in item.judged} for item in items])
    return truth, judged


def _oof_f1(scores: np.ndarray, items: list[CorpusItem], label: str) -> float:
    truth, judged = _judged_truth(items, label)
    return _best_threshold(scores[judged], truth[judged])[1]


def fit_lexical(items: list[CorpusItem], labels: tuple[str, ...], weight: float, c: np.ndarray) -> LexicalModel:
    """TF-IDF word unigrams and bigrams of the whole turn, one balanced logistic model per label
    (`c`: its inverse regularisation per label)."""
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    x = vectorizer.fit_transform([_lexical_text(item) for item in items])
    sample_weight = np.array([PROBE_WEIGHT if item.judged is not None else 1.0 for item in items])
    coef = np.zeros((x.shape[1], len(labels)), dtype=np.float32)
    intercept = np.zeros(len(labels), dtype=np.float32)
    for j, label in enumerate(labels):
        truth, judged = _judged_truth(items, label)
        if truth[judged].all() or not truth[judged].any():
            intercept[j] = 30.0 if truth[judged].all() else -30.0
            continue
        model = LogisticRegression(C=float(c[j]), max_iter=3000, class_weight="balanced")
        model.fit(x[judged], truth[judged], sample_weight=sample_weight[judged])
        coef[:, j], intercept[j] = model.coef_[0], model.intercept_[0]
    return LexicalModel(labels, {str(t): int(i) for t, i in vectorizer.vocabulary_.items()},
                        vectorizer.idf_.astype(np.float32), coef, intercept, weight)


def _blend(heads: np.ndarray, by_c: dict[float, np.ndarray], items: list[CorpusItem],
           labels: tuple[str, ...]) -> tuple[float, np.ndarray]:
    """The word model's share, and its regularisation per label, that give the best mean
    out-of-fold F1 of the averaged scores (a small grid: the shares of BLEND_WEIGHTS, LEXICAL_C)."""
    def f1(weight: float, c: float, j: int) -> float:
        return _oof_f1((1 - weight) * heads[:, j] + weight * by_c[c][:, j], items, labels[j])

    def best_cs(weight: float) -> tuple[float, np.ndarray]:
        cs = np.array([max(LEXICAL_C, key=lambda c, j=j: f1(weight, c, j)) for j in range(len(labels))])
        return float(np.mean([f1(weight, c, j) for j, c in enumerate(cs)])), cs

    results = {weight: best_cs(weight) for weight in BLEND_WEIGHTS}
    chosen = max(results, key=lambda w: results[w][0])
    alone = {name: float(np.mean([f1(w, LEXICAL_C[0], j) for j in range(len(labels))])) for name, w in (("heads", 0.0), ("words", 1.0))}
    print(f"  mean out-of-fold F1: heads alone {alone['heads']:.3f}, word model alone {alone['words']:.3f} "
          f"(C {LEXICAL_C[0]:g}), averaged {results[chosen][0]:.3f}", flush=True)
    return chosen, results[chosen][1]


def main() -> int:
    global HIDDEN, EPOCHS, DROPOUT
    parser = argparse.ArgumentParser(description="Fit the turn-analysis heads on corpus/train.")
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--hidden", type=int, default=HIDDEN)
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--dropout", type=float, default=DROPOUT)
    parser.add_argument("--role", choices=["therapist", "client"], help="fit one role only")
    parser.add_argument("--dry-run", action="store_true", help="report out-of-fold figures, write nothing")
    parser.add_argument("--files", default="*.jsonl", help="only the training files matching this pattern")
    parser.add_argument("--exclude", nargs="*", default=[], help="leave out files matching these patterns")
    parser.add_argument("--dump-oof", type=Path, help="write out-of-fold turn scores per item (pickle) for review")
    parser.add_argument("--no-cache", action="store_true", help=f"recompute every row (cache: {CACHE_PATH})")
    args = parser.parse_args()
    HIDDEN, EPOCHS, DROPOUT = args.hidden, args.epochs, args.dropout
    paths = sorted(p for p in (CORPUS_DIR / "train").glob(args.files)
                   if not any(p.match(pattern) for pattern in args.exclude))
    items = load_items(paths)
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    started = time.perf_counter()
    cache = FeatureCache(None if args.no_cache else CACHE_PATH)
    info: dict = {"corpus_sha256": digest.hexdigest(), "items": len(items)}
    info["settings"] = {"hidden": HIDDEN, "epochs": EPOCHS, "dropout": DROPOUT, "members": MEMBERS, "folds": args.folds}
    oof: dict = {}
    for role, labels in (("therapist", THERAPIST_HEAD_LABELS), ("client", CLIENT_HEAD_LABELS)):
        if args.role and role != args.role:
            continue
        chosen = [i for i in items if i.role == role]
        print(f"{role}: {len(chosen)} items", flush=True)
        heads, report = train(role, labels, chosen, args.folds, members=0 if args.dry_run else MEMBERS,
                              cache=cache, dump_oof=oof)
        cache.save()
        info[role] = report
        if not args.dry_run:
            heads[0].save(HEADS_DIR / f"{role}_heads.npz")
            heads[1].save(HEADS_DIR / f"{role}_lexical.npz")
    if args.dump_oof:
        args.dump_oof.write_bytes(pickle.dumps(oof))
    if not args.dry_run:
        info_path = HEADS_DIR / "heads_info.json"
        if args.role and info_path.exists():  # one role refitted: keep the other's figures
            kept = json.loads(info_path.read_text(encoding="utf-8"))
            info = {**kept, **{k: v for k, v in info.items() if k in (args.role, "settings")},
                    "corpus_sha256": info["corpus_sha256"], "items": info["items"]}
        info_path.write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    print(f"done in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
