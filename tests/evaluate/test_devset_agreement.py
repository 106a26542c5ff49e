"""Offline evaluator vs the expert-labelled sets (tests/devset, and tests/blindset written blind)."""

from __future__ import annotations

from pathlib import Path

import pytest

DEVSET = Path(__file__).resolve().parents[1] / "devset"
BLINDSET = Path(__file__).resolve().parents[1] / "blindset"


@pytest.fixture(scope="module", params=[DEVSET, BLINDSET], ids=["devset", "blindset"])
def devset(request: pytest.FixtureRequest) -> dict:
    import sys

    sys.path.insert(0, str(DEVSET.parents[1] / "benchmarks"))
    from evaluator_agreement import run_devset

    return run_devset(request.param)


def test_exact_agreement_per_criterion(devset: dict) -> None:
    from trainer.metrics import exact_agreement

    for criterion in devset["rubric"].criteria:
        got, want = devset["pairs"][criterion.id]
        assert got, criterion.id
        assert exact_agreement(got, want) >= 0.9, (criterion.id, devset["mismatches"])


def test_seed_session_scores_3_3_3_with_the_right_evidence_turns() -> None:
    import yaml

    from trainer.evaluate.offline import make_offline_evaluator
    from trainer.rubrics import load_rubric
    from trainer.transcript import load_transcript

    path = DEVSET / "seed_marc_belinda.json"
    assert path.exists(), "the seed transcript belongs in the dev set"
    expected = yaml.safe_load((DEVSET / "labels.yaml").read_text(encoding="utf-8"))[path.name]
    transcript = load_transcript(path)
    result = make_offline_evaluator(load_rubric())(transcript)
    for criterion in result.criteria:
        assert criterion.score == expected[criterion.id]["score"] == 3, criterion.id
        cited = {e.turn for e in criterion.evidence}
        why = expected[criterion.id]["why"]
        assert cited and all(f"turn {turn}" in why for turn in cited), (criterion.id, cited, why)
        for item in criterion.evidence:
            assert item.quote in transcript.turns[item.turn].text
    sexual = result.criterion("raised_sexual_cycle_early")
    assert sexual.first_raised_turn == expected["raised_sexual_cycle_early"]["first_raised_turn"]
