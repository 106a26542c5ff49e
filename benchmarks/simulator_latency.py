"""Offline simulator latency: median and p95 per therapist turn, 40-turn sessions, every couple.

A turn is `Session.respond`: the shared turn analysis + state rules + offline
rendering. Run: `.venv/bin/python benchmarks/simulator_latency.py [--sessions N]`.
Then the LLM renderer's prompt tokens per turn at turns 10/20/40 (benchmarks/llm_prompt_tokens.py).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "engine"))

from sim_conformance import MIXED_40, fill

from trainer.engine import start_session
from trainer.personas import list_couples


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def offline_latency(sessions: int = 5) -> list[tuple[str, float, float, float]]:
    """(couple id, median ms, p95 ms, max ms) over `sessions` 40-turn sessions per couple."""
    rows = []
    for couple in list_couples():
        lines = fill(MIXED_40, couple)
        timings: list[float] = []
        for seed in range(sessions):
            session = start_session(couple, seed=seed)
            for line in lines:
                start = time.perf_counter()
                session.respond(line)
                timings.append((time.perf_counter() - start) * 1000)
        rows.append((couple.id, statistics.median(timings), percentile(timings, 0.95), max(timings)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=5, help="40-turn sessions per couple")
    args = parser.parse_args()
    start_session(list_couples()[0]).respond("What brings you both in today?")  # warm caches
    rows = offline_latency(args.sessions)
    print(f"Offline simulator turn latency ({args.sessions} x 40-turn sessions per couple)")
    print(f"{'couple':<16}{'median ms':>11}{'p95 ms':>10}{'max ms':>10}")
    for couple_id, median, p95, worst in rows:
        print(f"{couple_id:<16}{median:>11.2f}{p95:>10.2f}{worst:>10.2f}")
    medians = [r[1] for r in rows]
    p95s = [r[2] for r in rows]
    print(f"{'all couples':<16}{statistics.median(medians):>11.2f}{max(p95s):>10.2f}")
    print()
    from benchmarks.llm_prompt_tokens import report  # LLM renderer, fake model: turns 10/20/40

    if not report():
        sys.exit(1)


if __name__ == "__main__":
    main()
