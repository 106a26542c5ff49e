"""Agreement between two raters on an ordinal scale (evaluator vs expert or supervisor)."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel


class Agreement(BaseModel):
    """Agreement figures for one criterion."""

    n: int
    exact: float | None
    kappa: float | None  # quadratic-weighted Cohen's kappa
    confusion: list[list[int]]  # rows: first rater's score, columns: second rater's


def confusion_matrix(first: Sequence[int], second: Sequence[int], levels: Sequence[int]) -> list[list[int]]:
    position = {level: i for i, level in enumerate(levels)}
    table = [[0] * len(levels) for _ in levels]
    for a, b in zip(first, second, strict=True):
        table[position[a]][position[b]] += 1
    return table


def exact_agreement(first: Sequence[int], second: Sequence[int]) -> float | None:
    if not first:
        return None
    return sum(a == b for a, b in zip(first, second, strict=True)) / len(first)


def quadratic_weighted_kappa(first: Sequence[int], second: Sequence[int], levels: Sequence[int]) -> float | None:
    """Cohen's kappa with quadratic weights; 1.0 when both raters agree on a single level."""
    n = len(first)
    if n == 0:
        return None
    k = len(levels)
    observed = confusion_matrix(first, second, levels)
    row_totals = [sum(row) for row in observed]
    col_totals = [sum(observed[i][j] for i in range(k)) for j in range(k)]
    weight = lambda i, j: ((i - j) ** 2) / ((k - 1) ** 2) if k > 1 else 0.0
    disagreement_observed = sum(weight(i, j) * observed[i][j] for i in range(k) for j in range(k)) / n
    disagreement_expected = (
        sum(weight(i, j) * row_totals[i] * col_totals[j] for i in range(k) for j in range(k)) / (n * n)
    )
    if disagreement_expected == 0:
        return 1.0 if disagreement_observed == 0 else 0.0
    return 1.0 - disagreement_observed / disagreement_expected


def agreement(first: Sequence[int], second: Sequence[int], levels: Sequence[int] = (0, 1, 2, 3)) -> Agreement:
    return Agreement(
        n=len(first),
        exact=exact_agreement(first, second),
        kappa=quadratic_weighted_kappa(first, second, levels),
        confusion=confusion_matrix(first, second, levels),
    )
