"""Time of the turn analysis per therapist turn, as the engine calls it, encoder included.

Plays the four trainee styles of `couple_responsiveness.py` with every couple
through the offline engine and times `analyze_turn` on each therapist turn (the
transcript grows as in the app). Prints load time, p50 / p95 / max in ms, for
the layer chosen by TRAINER_ANALYSIS (this script sets `learned` unless told).

    python benchmarks/analysis_latency.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time

os.environ.setdefault("TRAINER_ANALYSIS", "learned")

from couple_responsiveness import STYLES

from trainer.analysis import analyze_turn
from trainer.encoder import get_encoder
from trainer.engine import start_session
from trainer.personas import list_couples


def main() -> int:
    started = time.perf_counter()
    get_encoder().encode(["warm up"])
    print(f"analysis layer: {os.environ['TRAINER_ANALYSIS']}; encoder load {time.perf_counter() - started:.2f} s")
    timings: list[float] = []

    def timed(turns, index, clients):
        t0 = time.perf_counter()
        labels = analyze_turn(turns, index, clients)
        timings.append((time.perf_counter() - t0) * 1000)
        return labels

    for couple in list_couples():
        a, b = couple.names
        for lines in STYLES.values():
            session = start_session(couple, seed=11, analyzer=timed)
            session.opening()
            for line in lines:
                session.respond(line.format(A=a, B=b))
    timings.sort()
    p95 = timings[int(0.95 * (len(timings) - 1))]
    print(f"therapist turns: {len(timings)}  p50 {statistics.median(timings):.1f} ms  p95 {p95:.1f} ms  "
          f"max {timings[-1]:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
