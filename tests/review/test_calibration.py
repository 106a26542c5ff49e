"""Calibration: agreement between evaluator and supervisors, pure and from the database."""

from __future__ import annotations

import pytest

from tests.accounts.dbkit import person, played
from trainer import store as st
from trainer.accounts.assignments import assign_supervisor
from trainer.authz import SYSTEM
from trainer.calibration import ScorePair, calibrate
from trainer.metrics import agreement
from trainer.review import OverrideChange, save_review
from trainer.review.calibration_data import calibration_pairs, calibration_report

RSC, VPM = "raised_sexual_cycle_early", "validated_protective_moves"


def test_calibrate_uses_the_shared_metrics_per_criterion() -> None:
    pairs = [ScorePair(f"s{i}", RSC, e, s) for i, (e, s) in enumerate([(0, 0), (1, 2), (3, 3), (2, 2)])]
    pairs += [ScorePair(f"s{i}", VPM, 2, 2) for i in range(4)]
    report = calibrate(pairs, criterion_order=[VPM, RSC, "drew_out_underlying_needs"])
    assert [c.criterion_id for c in report.criteria] == [VPM, RSC, "drew_out_underlying_needs"]
    rsc = report.criteria[1]
    assert rsc.agreement == agreement([0, 1, 3, 2], [0, 2, 3, 2])
    assert rsc.agreement.exact == 0.75 and rsc.overridden == 1 and rsc.mean_difference == 0.25
    assert rsc.agreement.confusion[1][2] == 1  # evaluator 1, supervisor 2
    assert report.criteria[0].agreement.kappa == 1.0 and report.sessions == 4
    empty = report.criteria[2]
    assert empty.agreement.n == 0 and empty.agreement.kappa is None and empty.mean_difference is None


def test_scores_off_the_scale_are_refused() -> None:
    with pytest.raises(ValueError, match="outside the scale"):
        calibrate([ScorePair("s", RSC, 4, 1)])


def test_pairs_come_from_reviewed_sessions_with_overrides_or_accepted_scores(store: st.Store) -> None:
    ana, sue = person(store, "ana"), person(store, "sue", "supervisor")
    assign_supervisor(store, sue.user_id, ana.user_id)
    reviewed = played(store, ana, {RSC: 1, VPM: 2})
    draft = played(store, ana, {RSC: 0, VPM: 0})
    save_review(store, sue, reviewed, expected_version=0, reviewed=True,
                overrides={RSC: OverrideChange(3, "raised it at turn 2")})
    save_review(store, sue, draft, expected_version=0, overrides={RSC: OverrideChange(2)})
    pairs = sorted(calibration_pairs(store, sue), key=lambda p: p.criterion_id)
    assert [(p.criterion_id, p.evaluator, p.supervisor) for p in pairs] == [(RSC, 1, 3), (VPM, 2, 2)]
    assert calibration_pairs(store, ana) == []  # trainees get no calibration data
    report = calibration_report(store, SYSTEM, rubric_id="eft-first-session")
    by_id = {c.criterion_id: c for c in report.criteria}
    assert report.sessions == 1 and by_id[RSC].overridden == 1 and by_id[VPM].agreement.exact == 1.0
    assert by_id[RSC].title  # titles from the rubric library
