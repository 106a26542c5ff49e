"""Split texts into runs so padding and per-run overhead cost the least.

Compute grows with batch x longest sequence, and each onnxruntime run has a fixed cost
(about a dozen tokens' worth here). Lengths are sorted, then cut where the sum of
(overhead + rows x longest) is smallest -- a short dynamic programme over the sorted list.
"""

from __future__ import annotations

from collections.abc import Sequence

RUN_OVERHEAD_TOKENS = 12  # one run's fixed cost, measured in tokens of compute (2 cores)


def plan_batches(lengths: Sequence[int], max_batch: int) -> list[list[int]]:
    """Indices into `lengths`, grouped into runs of at most max_batch, shortest first."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    sizes = [lengths[i] for i in order]
    n = len(sizes)
    best = [0.0] + [float("inf")] * n  # best[j]: cheapest cost of the first j sorted texts
    cut = [0] * (n + 1)
    for end in range(1, n + 1):
        for start in range(max(0, end - max_batch), end):
            cost = best[start] + RUN_OVERHEAD_TOKENS + (end - start) * sizes[end - 1]
            if cost < best[end]:
                best[end], cut[end] = cost, start
    runs: list[list[int]] = []
    end = n
    while end > 0:
        runs.append(order[cut[end] : end])
        end = cut[end]
    return runs[::-1]
