"""Sentence encoder (trainer/encoder, all-MiniLM-L6-v2 on onnxruntime): load time and latency.

Prints: load time (runtime imports + reading/verifying the zip + building the graph +
opening the session), one-sentence p50/p95 (cache off), per-sentence time in batches of 8
and 64 (cache off), and a cached repeat. Figures only, no assertions.
Run: `.venv/bin/python benchmarks/encoder_latency.py [--reps 200 --threads 2 --max-length 256]`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SENTENCES = [
    "I feel like you never listen to me when I talk about my day.",
    "Can you say more about what happens for you when she walks away?",
    "OK.",
    "We used to be best friends; now we're just roommates who split the bills.",
    "What I'm hearing is that you felt alone at the hospital, and that still hurts.",
    "He always says he's sorry and then nothing changes.",
    "I don't know.",
    (
        "When you check your phone during dinner I feel like I'm not worth your attention,"
        " and I start to wonder whether you even want to be here with me."
    ),
    "Let's slow down for a moment.",
    "Could you turn to him and tell him what you just told me?",
    "She thinks I'm controlling about money, but I'm just scared we'll lose the house.",
    "It sounds like there's a pattern: one of you pursues and the other withdraws.",
    "Whatever.",
    "I want us to try, I really do, but I'm exhausted from being the one who always tries.",
    "How did you two meet?",
    "Sometimes I lie awake and rehearse the argument we'll have in the morning.",
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=200, help="single-sentence calls to time")
    parser.add_argument("--threads", type=int, default=None, help="onnxruntime threads")
    parser.add_argument("--max-length", type=int, default=None, help="word pieces (default 256)")
    args = parser.parse_args()

    start = time.perf_counter()
    from trainer.encoder import load_encoder

    encoder = load_encoder(max_length=args.max_length, threads=args.threads, cache_size=0)
    load_s = time.perf_counter() - start
    threads = encoder.session.get_session_options().intra_op_num_threads
    print(
        f"encoder: all-MiniLM-L6-v2, onnxruntime, {threads} thread(s), max {encoder.max_length} word pieces"
    )
    print(f"  load (imports + zip + sha256 + graph + session): {load_s * 1000:8.0f} ms")

    encoder.encode(SENTENCES)  # warm-up
    single = []
    for i in range(args.reps):
        text = SENTENCES[i % len(SENTENCES)]
        t0 = time.perf_counter()
        encoder.encode([text])
        single.append((time.perf_counter() - t0) * 1000)
    print(
        f"  single sentence, uncached ({args.reps} calls): p50 {statistics.median(single):6.2f} ms"
        f"   p95 {percentile(single, 0.95):6.2f} ms"
    )

    for size in (8, 64):
        batch = [SENTENCES[i % len(SENTENCES)] + f" ({i})" for i in range(size)]
        rounds = max(3, 256 // size)
        timings = []
        for _ in range(rounds):
            t0 = time.perf_counter()
            encoder.encode(batch)
            timings.append((time.perf_counter() - t0) * 1000 / size)
        print(
            f"  batch of {size:2d}, uncached: {statistics.median(timings):6.2f} ms per sentence"
            f" (median of {rounds} batches)"
        )

    cached = load_encoder(max_length=args.max_length, threads=args.threads)
    cached.encode(SENTENCES)
    t0 = time.perf_counter()
    for _ in range(100):
        cached.encode(SENTENCES)
    per = (time.perf_counter() - t0) * 1e6 / (100 * len(SENTENCES))
    print(f"  cached repeat: {per:6.2f} us per sentence")


if __name__ == "__main__":
    main()
