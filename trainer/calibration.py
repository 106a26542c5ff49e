"""Calibration: does the evaluator score like the programme's supervisors do?

Across reviewed sessions, each criterion yields pairs (evaluator's score,
supervisor's final score: their override, or the evaluator's score they let
stand). Agreement figures come from `trainer.metrics`, so calibration and the
evaluator benchmark compute kappa the same way. A programme reads this to
decide whether to trust unreviewed scores.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from pydantic import BaseModel

from trainer.metrics import Agreement, agreement

LEVELS: tuple[int, ...] = (0, 1, 2, 3)


@dataclass(frozen=True)
class ScorePair:
    """One criterion of one reviewed session: what the evaluator said, what the supervisor kept."""

    session_id: uuid.UUID | str
    criterion_id: str
    evaluator: int
    supervisor: int


class CriterionCalibration(BaseModel):
    criterion_id: str
    title: str | None = None
    agreement: Agreement  # confusion rows: evaluator's score, columns: supervisor's
    overridden: int  # how many sessions the supervisor changed this criterion's score
    mean_difference: float | None  # supervisor minus evaluator; > 0: the evaluator is harsh


class CalibrationReport(BaseModel):
    rubric_id: str | None = None
    levels: list[int]
    sessions: int
    criteria: list[CriterionCalibration]


def calibrate(
    pairs: Iterable[ScorePair],
    *,
    levels: Sequence[int] = LEVELS,
    rubric_id: str | None = None,
    titles: Mapping[str, str] | None = None,
    criterion_order: Sequence[str] = (),
) -> CalibrationReport:
    """Agreement per criterion; criteria keep `criterion_order`, then first-seen order."""
    by_criterion: dict[str, list[ScorePair]] = {cid: [] for cid in criterion_order}
    sessions: set[str] = set()
    allowed = set(levels)
    for pair in pairs:
        if pair.evaluator not in allowed or pair.supervisor not in allowed:
            raise ValueError(f"score outside the scale {list(levels)}: {pair}")
        by_criterion.setdefault(pair.criterion_id, []).append(pair)
        sessions.add(str(pair.session_id))
    results = []
    for criterion_id, items in by_criterion.items():
        first = [p.evaluator for p in items]
        second = [p.supervisor for p in items]
        diff = sum(b - a for a, b in zip(first, second)) / len(items) if items else None
        results.append(
            CriterionCalibration(
                criterion_id=criterion_id,
                title=(titles or {}).get(criterion_id),
                agreement=agreement(first, second, levels),
                overridden=sum(a != b for a, b in zip(first, second)),
                mean_difference=None if diff is None else round(diff, 4),
            )
        )
    return CalibrationReport(
        rubric_id=rubric_id, levels=list(levels), sessions=len(sessions), criteria=results
    )
