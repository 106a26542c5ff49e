"""Offline evaluator vs expert labels (tests/devset) and a robustness run over AnnoMI.

Prints, per criterion: exact agreement, quadratic-weighted Cohen's kappa
(trainer.metrics, the same maths as supervisor calibration), and for the
sexual-cycle criterion how often `first_raised_turn` matches; then throughput.
Then reads the AnnoMI counselling sessions (converted to transcripts at run
time, never copied into the repo): read errors (must be 0), sessions where a
couple's sexual cycle is found "raised" (score >= 2; must be 0), time taken.

    python benchmarks/evaluator_agreement.py [--devset DIR] [--annomi CSV] [--verbose]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import defaultdict
from pathlib import Path

import yaml

from trainer.errors import TrainerError
from trainer.evaluate.offline import make_offline_evaluator
from trainer.metrics import agreement
from trainer.rubrics import load_rubric
from trainer.transcript import FORMAT, load_transcript
from trainer.transcript.io import transcript_from_data

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT / "tests" / "devset"
ANNOMI = ROOT / ".." / "shared" / "data" / "annomi" / "AnnoMI-simple.csv"
SEXUAL = "raised_sexual_cycle_early"


def load_expected(devset: Path) -> dict[str, dict]:
    with (devset / "labels.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def run_devset(devset: Path, verbose: bool = False) -> dict:
    """Score every labelled file; returns per-criterion pairs, mismatches and timing."""
    rubric = load_rubric()
    evaluate = make_offline_evaluator(rubric)
    expected = load_expected(devset)
    pairs: dict[str, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    turn_hits = turn_total = 0
    mismatches: list[str] = []
    transcripts = {name: load_transcript(devset / name) for name in expected}
    started, cpu = time.perf_counter(), time.process_time()
    results = {name: evaluate(t, source=name) for name, t in transcripts.items()}
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    for name, labels in expected.items():
        result = results[name]
        for criterion in rubric.criteria:
            want = labels.get(criterion.id)
            if want is None:
                continue
            got = result.criterion(criterion.id)
            pairs[criterion.id][0].append(got.score)
            pairs[criterion.id][1].append(int(want["score"]))
            if got.score != int(want["score"]):
                mismatches.append(f"{name} {criterion.id}: got {got.score}, expected {want['score']}")
            if criterion.id == SEXUAL:
                turn_total += 1
                if got.first_raised_turn == want.get("first_raised_turn"):
                    turn_hits += 1
                elif got.score == int(want["score"]):
                    mismatches.append(f"{name} first_raised_turn: got {got.first_raised_turn}, "
                                      f"expected {want.get('first_raised_turn')}")
    return {"pairs": pairs, "turn_rate": turn_hits / turn_total if turn_total else None,
            "mismatches": mismatches, "n": len(results), "seconds": elapsed, "cpu": cpu, "rubric": rubric}


def annomi_transcripts(path: Path) -> dict[str, dict]:
    """AnnoMI rows grouped into trainer.transcript/v1 data, in utterance order."""
    sessions: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            speaker = "therapist" if row["interlocutor"].strip().lower() == "therapist" else "client"
            sessions[row["transcript_id"]].append((int(row["utterance_id"]), speaker, row["utterance_text"]))
    return {
        tid: {"format": FORMAT, "clients": ["client"],
              "turns": [{"speaker": s, "text": t} for _, s, t in sorted(rows)]}
        for tid, rows in sessions.items()
    }


def run_annomi(path: Path) -> dict:
    evaluate = make_offline_evaluator(load_rubric())
    started, cpu = time.perf_counter(), time.process_time()
    errors: list[str] = []
    raised: list[str] = []
    sessions = annomi_transcripts(path)
    for tid, data in sessions.items():
        try:
            result = evaluate(transcript_from_data(data, f"annomi:{tid}"), source=f"annomi:{tid}")
        except TrainerError as exc:
            errors.append(str(exc))
            continue
        if result.criterion(SEXUAL).score >= 2:
            raised.append(tid)
    return {"sessions": len(sessions), "errors": errors, "raised": raised,
            "seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devset", type=Path, default=DEVSET)
    parser.add_argument("--annomi", type=Path, default=ANNOMI)
    parser.add_argument("--verbose", action="store_true", help="list every disagreement")
    args = parser.parse_args(argv)
    ok = True
    if (args.devset / "labels.yaml").exists():
        dev = run_devset(args.devset)
        print(f"Development set: {dev['n']} transcripts ({args.devset})")
        print(f"{'criterion':<30} {'exact':>6} {'kappa':>6}")
        for criterion in dev["rubric"].criteria:
            got, want = dev["pairs"][criterion.id]
            stats = agreement(got, want)
            kappa = f"{stats.kappa:.3f}" if stats.kappa is not None else "n/a"
            print(f"{criterion.id:<30} {stats.exact:>6.3f} {kappa:>6}")
            ok = ok and (stats.exact or 0) >= 0.9
        if dev["turn_rate"] is not None:
            print(f"first_raised_turn match ({SEXUAL}): {dev['turn_rate']:.3f}")
        print(f"throughput: {dev['n'] / dev['seconds']:.1f} transcripts/second "
              f"({dev['n'] / max(dev['cpu'], 1e-9):.1f}/s of CPU time; includes one-off lexicon compiles)")
        if args.verbose:
            for line in dev["mismatches"]:
                print("  mismatch:", line)
    else:
        print(f"Development set: not found at {args.devset}")
    if args.annomi.exists():
        ann = run_annomi(args.annomi)
        print(f"AnnoMI: {ann['sessions']} sessions, read errors {len(ann['errors'])}, "
              f"sexual cycle 'raised' in {len(ann['raised'])}, {ann['seconds']:.2f} s ({ann['cpu']:.2f} s CPU)")
        for line in ann["errors"][:5] + [f"raised: {t}" for t in ann["raised"][:5]]:
            print("  ", line)
        ok = ok and not ann["errors"] and not ann["raised"]
    else:
        print(f"AnnoMI: not found at {args.annomi}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
