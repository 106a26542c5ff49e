"""The official score of a session: the supervisor's, once they released their review.

An evaluation is kept as the evaluator gave it; a released review (marked
reviewed) puts the supervisor's score on top for each criterion they
overrode. Every place a trainee, a facilitator or an export reads a score
(report, PDF, Markdown, progress, workshop exports, completion records) goes
through `official_result`, so none can show the evaluator's score as the
headline once a supervisor has decided otherwise. Drafts stay private to
reviewers until released.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class SupervisorScore:
    """A supervisor's score for one criterion, with the evaluator's kept beside it."""

    criterion_id: str
    score: int
    evaluator_score: int | None
    comment: str | None = None


@dataclass(frozen=True)
class ReleasedReview:
    """A review the supervisor marked reviewed: what the trainee and exports now go by."""

    reviewer: str | None
    reviewed_at: datetime | None
    overall_comment: str | None
    scores: dict[str, SupervisorScore] = field(default_factory=dict)

    @property
    def overrides(self) -> dict[str, int]:
        return {cid: item.score for cid, item in self.scores.items()}


def official_result(result: Mapping[str, Any] | None, overrides: Mapping[str, int] | None) -> dict[str, Any]:
    """A copy of the evaluation dict with the supervisor's scores as `score` and a recomputed `total`.

    Overridden criteria keep the evaluator's score as `evaluator_score` and carry
    `overridden: true`; `evaluator_total` keeps the evaluator's total.
    """
    data = copy.deepcopy(dict(result or {}))
    criteria = data.get("criteria") or []
    evaluator_total = data.get("total")
    changed = False
    for item in criteria:
        cid = str(item.get("id"))
        if overrides and cid in overrides:
            item["evaluator_score"] = item.get("score")
            item["score"] = int(overrides[cid])
            item["overridden"] = True
            changed = True
    if changed:
        data["evaluator_total"] = evaluator_total
        data["total"] = sum(int(item.get("score") or 0) for item in criteria)
    return data


def official_total(result: Mapping[str, Any] | None, overrides: Mapping[str, int] | None) -> int | None:
    """The official total, or None when there is no evaluation."""
    if not result:
        return None
    total = official_result(result, overrides).get("total")
    return None if total is None else int(total)
