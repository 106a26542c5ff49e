"""The result models: the `trainer score` JSON shape and evidence verification."""

from __future__ import annotations

from trainer.evaluate import Coaching, CriterionResult, Evaluation, Evidence, verify_evidence
from trainer.evaluate.result import EVIDENCE_DROPPED, UNSUPPORTED_SCORE

from .helpers import t, transcript


def _evaluation(evidence: list[Evidence], score: int = 2) -> Evaluation:
    return Evaluation(
        source="x.json", rubric="eft-first-session", evaluator="offline",
        criteria=[
            CriterionResult(id="raised_sexual_cycle_early", title="Raised", score=0, rationale="none"),
            CriterionResult(id="validated_protective_moves", title="Validated", score=score, evidence=evidence,
                            rationale="r", coaching=Coaching(did_well="ok")),
        ],
        total=score, max_total=9,
    )


def test_contract_dict_has_the_cli_md_shape() -> None:
    data = _evaluation([Evidence(turn=0, quote="hello")]).to_contract_dict()
    assert list(data)[:6] == ["source", "rubric", "evaluator", "criteria", "total", "max_total"]
    first, second = data["criteria"]
    assert "first_raised_turn" in first and first["first_raised_turn"] is None
    assert "first_raised_turn" not in second
    assert {"id", "score", "evidence", "rationale"} <= set(second)
    assert second["evidence"] == [{"turn": 0, "quote": "hello"}]
    assert "fallback" not in data


def test_verify_evidence_keeps_verbatim_and_drops_invented_quotes() -> None:
    script = transcript(t("Going quiet\u2019s understandable to me."), ("Nora", "Fine."))
    evaluation = _evaluation([
        Evidence(turn=0, quote="going quiet's understandable"),  # case and apostrophe differ: mapped back
        Evidence(turn=0, quote="words nobody said"),
        Evidence(turn=9, quote="out of range"),
    ])
    checked = verify_evidence(evaluation, script)
    kept = checked.criteria[1].evidence
    assert [e.quote for e in kept] == ["Going quiet\u2019s understandable"]
    assert EVIDENCE_DROPPED in checked.criteria[1].flags
    assert len(checked.notices) == 2


def test_unsupported_score_is_flagged_when_every_quote_is_dropped() -> None:
    script = transcript(t("Hello."), ("Nora", "Hi."))
    checked = verify_evidence(_evaluation([Evidence(turn=1, quote="not there")]), script)
    assert checked.criteria[1].evidence == []
    assert UNSUPPORTED_SCORE in checked.criteria[1].flags
