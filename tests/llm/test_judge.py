"""LLM judge with fake chat models: prompt from the rubric, schema mapping, evidence checks, fallback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest
from langchain_core.language_models.fake_chat_models import (
    FakeListChatModel,
    FakeMessagesListChatModel,
)
from langchain_core.messages import AIMessage
from llm_render_fakes import profile
from pydantic import ValidationError
from typer.testing import CliRunner

from trainer.errors import TrainerError
from trainer.evaluate import EVALUATORS, Evaluation, make_evaluator
from trainer.evaluate.llm import RESCORED, LLMJudge, make_llm_judge
from trainer.evaluate.llm_prompt import MAX_QUOTE, judgement_schema
from trainer.llm import LLMClient
from trainer.rubrics import load_rubric
from trainer.transcript import load_transcript

DEVSET = Path(__file__).resolve().parents[1] / "devset"
RUBRIC = load_rubric()
T01 = load_transcript(DEVSET / "01_mb_textbook_early.json")  # turns quoted below


def crit(cid: str, score: int, evidence: list[tuple[int, str]] | None = None, **kw: Any) -> dict:
    return {"id": cid, "score": score, "rationale": f"why {cid}",
            "evidence": [{"turn": t, "quote": q} for t, q in (evidence or [])], **kw}


GOOD = {
    "criteria": [
        crit("raised_sexual_cycle_early", 3, [(4, "Can you say more about the physical side")],
             first_raised_turn=4, did_well="You stayed with touch.", missed_turn=None),
        crit("validated_protective_moves", 3, [(10, "snippiness might be your way"),
                                               (12, "it makes a lot of sense that you'd protect yourself there")]),
        crit("drew_out_underlying_needs", 3, [(7, "she doesn't find me attractive anymore"),
                                              (13, "I need to know he's in this with me")],
             missed_turn=2, missed_moment="an early chance", try_instead="Marc, what is that like?"),
    ],
    "feedback": "A warm, focused first session.",
}


def judge(*replies: str, **kw: Any) -> LLMJudge:
    client = LLMClient(kw.pop("prof", profile()), temperature=0, chat_model=FakeListChatModel(
        responses=list(replies)), sleep=lambda s: None, **kw)
    return make_llm_judge(RUBRIC, client=client)


# ------------------------------------------------------------------ prompt


def test_prompt_is_built_from_the_rubric_file_with_transcript_and_hints() -> None:
    system, user = (str(m.content) for m in judge().messages(T01))
    for c in RUBRIC.criteria:
        assert c.id in system and c.title in system
        for anchor in c.anchors.values():
            assert " ".join(anchor.split()) in system
        for rule in c.rules:
            assert " ".join(rule.split()) in system
    assert "first 6 therapist turns" in system
    for term in RUBRIC.terms.values():
        assert " ".join(term.split()) in system
    assert "[4] Therapist (therapist turn 3): You said you barely touch" in user
    assert "[7] Marc: Honestly?" in user
    assert "invite_sex" in user and "<analysis_hints>" in user  # offline analysis as hints


def test_prompt_follows_rubric_edits() -> None:
    wider = RUBRIC.model_copy(update={"early_window": 9})
    system = str(make_llm_judge(wider, client=judge().client).messages(T01)[0].content)
    assert "first 9 therapist turns" in system


def test_schema_is_bounded() -> None:
    schema = judgement_schema(RUBRIC)
    with pytest.raises(ValidationError):  # score outside 0-3
        schema.model_validate({**GOOD, "criteria": [crit("validated_protective_moves", 4)] * 3})
    with pytest.raises(ValidationError):  # unknown criterion id
        schema.model_validate({**GOOD, "criteria": [crit("charm", 1)] * 3})
    with pytest.raises(ValidationError):  # too much evidence, too long quote
        schema.model_validate({**GOOD, "criteria": [
            crit("validated_protective_moves", 1, [(1, "x" * (MAX_QUOTE + 1))])] * 3})
    js = json.dumps(schema.model_json_schema())
    assert '"maxItems": 3' in js and '"enum": [0, 1, 2, 3]' in js


# ------------------------------------------------------------------ mapping


def test_valid_judgement_maps_into_the_shared_evaluation() -> None:
    j = judge(json.dumps(GOOD))
    result = j(T01, "t01.json")
    assert isinstance(result, Evaluation)
    assert result.evaluator == "llm" and not result.fallback and result.source == "t01.json"
    assert [c.score for c in result.criteria] == [3, 3, 3] and result.total == 9
    first = result.criterion("raised_sexual_cycle_early")
    assert first.first_raised_turn == 4 and first.coaching.did_well == "You stayed with touch."
    assert result.feedback == "A warm, focused first session."
    needs = result.criterion("drew_out_underlying_needs")
    assert needs.coaching.missed_turn == 2 and needs.coaching.try_instead
    contract = result.to_contract_dict(RUBRIC)
    assert contract["evaluator"] == "llm" and contract["criteria"][0]["first_raised_turn"] == 4
    assert j.meter.calls and j.meter.calls[0].label == "judge"
    assert j.client.temperature == 0


def test_quote_not_in_cited_turn_is_dropped_and_lone_score_rescored_offline() -> None:
    bad = json.loads(json.dumps(GOOD))
    bad["criteria"][1]["evidence"] = [{"turn": 3, "quote": "snippiness might be your way"}]  # wrong turn
    bad["criteria"][2]["evidence"].append({"turn": 13, "quote": "words nobody said"})
    result = judge(json.dumps(bad))(T01)
    validated = result.criterion("validated_protective_moves")
    assert RESCORED in validated.flags and "evidence_dropped" in validated.flags
    offline = make_evaluator(RUBRIC, "offline")(T01).criterion("validated_protective_moves")
    assert validated.score == offline.score and validated.evidence == offline.evidence
    needs = result.criterion("drew_out_underlying_needs")
    assert needs.score == 3 and "evidence_dropped" in needs.flags and RESCORED not in needs.flags
    assert all("words nobody said" != e.quote for e in needs.evidence)
    assert any("no verifiable evidence" in n for n in result.notices)
    assert result.total == sum(c.score for c in result.criteria)


def test_missing_first_raised_turn_is_inferred_from_evidence() -> None:
    data = json.loads(json.dumps(GOOD))
    data["criteria"][0]["first_raised_turn"] = 5  # a client turn: not valid
    first = judge(json.dumps(data))(T01).criterion("raised_sexual_cycle_early")
    assert first.first_raised_turn == 4 and "first_raised_turn_inferred" in first.flags


def test_function_calling_reply_is_mapped() -> None:
    class ToolFake(FakeMessagesListChatModel):
        def bind_tools(self, tools: Any, **kwargs: Any) -> Any:
            return self.bind(tools=tools, **kwargs)

    reply = AIMessage(content="", tool_calls=[{"name": "Judgement", "args": GOOD, "id": "1"}])
    prof = profile(overrides={"structured_method": "function_calling", "stream_usage": False,
                              "max_tokens_param": "max_tokens_extra_body"})
    client = LLMClient(prof, temperature=0, chat_model=ToolFake(responses=[reply]))
    assert make_llm_judge(RUBRIC, client=client)(T01).total == 9


# ---------------------------------------------------------------- fallback


def test_malformed_output_is_retried_then_falls_back_with_a_notice() -> None:
    j = judge("not json", '{"criteria": []}', "still not json")
    result = j(T01)
    assert result.fallback and result.evaluator == "offline"
    assert len(j.meter.calls) == 2  # profile: 1 retry
    assert any("LLM judge unavailable" in n and "malformed output" in n for n in result.notices)
    assert result.to_contract_dict(RUBRIC)["fallback"] is True


def test_malformed_then_valid_uses_the_llm() -> None:
    assert judge("oops", json.dumps(GOOD))(T01).evaluator == "llm"


@pytest.mark.parametrize("error", [
    openai.APITimeoutError(request=httpx.Request("POST", "http://127.0.0.1:9/v1")),
    openai.RateLimitError("slow down", response=httpx.Response(
        429, request=httpx.Request("POST", "http://127.0.0.1:9/v1")), body=None),
])
def test_timeouts_and_rate_limits_fall_back_after_bounded_retries(error: Exception) -> None:
    class Failing(FakeListChatModel):
        calls: int = 0

        def _call(self, *args: Any, **kwargs: Any) -> str:
            self.calls += 1
            raise error

    model = Failing(responses=["x"])
    j = make_llm_judge(RUBRIC, client=LLMClient(profile(), chat_model=model, sleep=lambda s: None))
    result = j(T01)
    assert model.calls == 2 and result.fallback
    assert "\n" not in result.notices[-1] and "LLM judge unavailable" in result.notices[-1]


def test_too_long_transcript_is_scored_offline_without_a_call() -> None:
    j = judge(json.dumps(GOOD))
    j.prompt_budget = 500
    result = j(T01)
    assert result.fallback and "too long" in result.notices[-1] and not j.meter.calls


# ------------------------------------------------------------------ registry


def test_registered_as_llm_and_unconfigured_is_one_clear_error() -> None:
    import trainer.evaluate.llm  # noqa: F401 - registers

    assert EVALUATORS["llm"] is make_llm_judge
    with pytest.raises(TrainerError, match="TRAINER_LLM_BASE_URL") as info:
        make_evaluator(RUBRIC, "llm")
    assert "\n" not in str(info.value)


def test_cli_score_with_llm_and_nothing_configured() -> None:
    from trainer.cli import app

    result = CliRunner().invoke(app, ["score", str(DEVSET / "01_mb_textbook_early.json"),
                                      "--evaluator", "llm", "--json"])
    assert result.exit_code != 0
    assert isinstance(result.exception, TrainerError) and "--evaluator offline" in str(result.exception)
