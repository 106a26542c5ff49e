"""Agreement metrics against hand-computed values."""

from __future__ import annotations

import pytest

from trainer.metrics import agreement, quadratic_weighted_kappa


def test_perfect_agreement() -> None:
    result = agreement([0, 1, 2, 3], [0, 1, 2, 3])
    assert result.exact == 1.0
    assert result.kappa == pytest.approx(1.0)
    assert result.confusion[2][2] == 1


def test_known_value() -> None:
    # By hand: observed weighted disagreement 1/36, expected 1/3, so kappa = 1 - 1/12.
    assert quadratic_weighted_kappa([0, 1, 2, 3], [0, 1, 3, 3], (0, 1, 2, 3)) == pytest.approx(11 / 12)


def test_systematic_disagreement_is_negative() -> None:
    assert quadratic_weighted_kappa([0, 0, 3, 3], [3, 3, 0, 0], (0, 1, 2, 3)) < 0


def test_empty_gives_none() -> None:
    result = agreement([], [])
    assert result.exact is None and result.kappa is None
