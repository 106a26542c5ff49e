"""Chat model construction per capability, structured output fallbacks, bounded retries."""

from __future__ import annotations

from typing import Any, Literal

import httpx
import openai
import pytest
from langchain_core.language_models.fake_chat_models import (
    FakeListChatModel,
    FakeMessagesListChatModel,
)
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, Field

from trainer.llm.chat import (
    LLMUnavailable,
    MalformedOutput,
    backoff_delay,
    call_with_retries,
    classify,
    extract_json,
    make_chat_model,
    structured,
)
from trainer.llm.settings import CapabilityOverrides, LLMConfigError, ProviderProfile

KEY = "sk-test-SECRET-0123456789abcdef"


class Verdict(BaseModel):
    score: Literal[0, 1, 2, 3]
    evidence: list[str] = Field(default_factory=list, max_length=3)
    rationale: str = Field(default="", max_length=200)


def local(**caps: Any) -> ProviderProfile:
    return ProviderProfile(provider="openai_compatible", base_url="http://127.0.0.1:9/v1",
                           model="local", overrides=CapabilityOverrides(**caps))


# ---------------------------------------------------------------- chat models


def test_chat_model_for_llama_cpp_caps_output_via_extra_body() -> None:
    model = make_chat_model(local(max_tokens_param="max_tokens_extra_body", stream_usage=False),
                            temperature=0.2, max_tokens=50)
    assert model.max_retries == 0
    assert model.extra_body == {"max_tokens": 50} and model.max_tokens is None
    assert model.openai_api_base == "http://127.0.0.1:9/v1"
    assert model.stream_usage is False
    payload = model._get_request_payload([HumanMessage(content="hi")])
    assert "max_completion_tokens" not in payload and payload["extra_body"] == {"max_tokens": 50}


def test_chat_model_for_openai_uses_max_completion_tokens() -> None:
    profile = ProviderProfile(provider="openai", model="gpt-4.1-mini", api_key=KEY, timeout=9)
    model = make_chat_model(profile, max_tokens=50, streaming=True)
    payload = model._get_request_payload([HumanMessage(content="hi")])
    assert payload["max_completion_tokens"] == 50 and "extra_body" not in payload
    assert model.stream_usage is True and model.request_timeout == 9
    assert model.openai_api_base == "https://api.openai.com/v1"
    assert KEY not in repr(model)


def test_offline_profile_builds_no_model() -> None:
    with pytest.raises(LLMConfigError):
        make_chat_model(ProviderProfile())
    with pytest.raises(LLMConfigError, match="TRAINER_LLM_MODEL"):
        make_chat_model(ProviderProfile(provider="openai_compatible", base_url="http://x/v1"))


# --------------------------------------------------------- structured output


def test_extract_json_tolerates_fences_and_chatter() -> None:
    assert extract_json('Sure! ```json\n{"score": 2}\n``` hope it helps') == {"score": 2}
    assert extract_json('Here: {"score": 1, "x": {"y": 2}} bye') == {"score": 1, "x": {"y": 2}}
    assert extract_json('{bad {"score": 3}') == {"score": 3}
    with pytest.raises(MalformedOutput):
        extract_json("no json here")


def test_json_mode_parses_text_and_adds_schema_instruction() -> None:
    model = FakeListChatModel(responses=['Okay: {"score": 2, "evidence": ["turn 4"]}'])
    seen: list[Any] = []
    original = model._call

    def spy(messages: list, *a: Any, **k: Any) -> str:
        seen.append((messages, k))
        return original(messages, *a, **k)

    object.__setattr__(model, "_call", spy)
    run = structured(model, Verdict, local(structured_method="json_mode"))
    out = run([SystemMessage(content="You judge."), HumanMessage(content="Score it.")])
    assert out.value == Verdict(score=2, evidence=["turn 4"])
    assert out.method == "json_mode"
    messages, kwargs = seen[0]
    assert len([m for m in messages if isinstance(m, SystemMessage)]) == 1  # merged
    assert "JSON schema" in messages[0].content and "You judge." in messages[0].content
    assert kwargs.get("response_format") == {"type": "json_object"}


def test_json_mode_reports_invalid_reply_without_raising() -> None:
    run = structured(FakeListChatModel(responses=['{"score": 7}']), Verdict,
                     local(structured_method="json_mode"))
    out = run([HumanMessage(content="x")])
    assert out.value is None and "Verdict" in (out.error or "")


class ToolFake(FakeMessagesListChatModel):
    """A fake that accepts tools, so the function_calling path can be exercised."""

    def bind_tools(self, tools: Any, **kwargs: Any) -> Any:
        return self.bind(tools=tools, **kwargs)


def test_function_calling_result() -> None:
    reply = AIMessage(content="", tool_calls=[
        {"name": "Verdict", "args": {"score": 3, "rationale": "ok"}, "id": "c1"}])
    out = structured(ToolFake(responses=[reply]), Verdict,
                     local(structured_method="function_calling"))([HumanMessage(content="x")])
    assert out.value == Verdict(score=3, rationale="ok")


def test_function_calling_falls_back_to_json_in_text() -> None:
    reply = AIMessage(content='I think {"score": 1} fits.')
    out = structured(ToolFake(responses=[reply]), Verdict,
                     local(structured_method="function_calling"))([HumanMessage(content="x")])
    assert out.value == Verdict(score=1)


def test_function_calling_garbage_gives_clean_none() -> None:
    reply = AIMessage(content="MARC: banana banana")
    out = structured(ToolFake(responses=[reply]), Verdict,
                     local(structured_method="function_calling"))([HumanMessage(content="x")])
    assert out.value is None and out.error


def test_json_schema_rejected_as_bad_request_degrades_to_function_calling() -> None:
    class StrictRefuser(ToolFake):
        def with_structured_output(self, schema: Any, **kwargs: Any) -> Any:
            if kwargs.get("method") == "json_schema":
                raise _status(openai.BadRequestError, 400)
            return super().with_structured_output(schema, **kwargs)

    reply = AIMessage(content="", tool_calls=[{"name": "Verdict", "args": {"score": 0}, "id": "1"}])
    out = structured(StrictRefuser(responses=[reply]), Verdict,
                     local(structured_method="json_schema"))([HumanMessage(content="x")])
    assert out.value == Verdict(score=0) and out.method == "function_calling"


# -------------------------------------------------------------------- retries


def _req() -> httpx.Request:
    return httpx.Request("POST", "http://127.0.0.1:9/v1/chat/completions")


def _status(cls: type, code: int) -> Exception:
    return cls("boom", response=httpx.Response(code, request=_req()), body=None)


@pytest.mark.parametrize("exc, reason", [
    (openai.APITimeoutError(request=_req()), "timeout"),
    (httpx.ReadTimeout("slow"), "timeout"),
    (openai.APIConnectionError(request=_req()), "connection"),
    (httpx.RemoteProtocolError("peer closed"), "connection"),
    (_status(openai.RateLimitError, 429), "rate_limit"),
    (_status(openai.InternalServerError, 500), "server_error"),
    (_status(openai.AuthenticationError, 401), "auth"),
    (_status(openai.NotFoundError, 404), "not_found"),
    (_status(openai.BadRequestError, 400), "bad_request"),
    (MalformedOutput("x"), "malformed_output"),
    (RuntimeError("?"), "error"),
])
def test_classify(exc: Exception, reason: str) -> None:
    assert classify(exc) == reason


def test_retries_transient_errors_then_succeeds() -> None:
    calls, sleeps, seen = [], [], []
    errors = [openai.APITimeoutError(request=_req()), _status(openai.RateLimitError, 429)]

    def fn() -> str:
        calls.append(1)
        if errors:
            raise errors.pop(0)
        return "ok"

    out = call_with_retries(fn, attempts=3, sleep=sleeps.append,
                            on_error=lambda e, n, retry: seen.append((classify(e), n, retry)))
    assert out == "ok" and len(calls) == 3
    assert sleeps == [backoff_delay(1), backoff_delay(2)]
    assert seen == [("timeout", 1, True), ("rate_limit", 2, True)]


def test_gives_up_after_attempts_with_one_line_error() -> None:
    calls = []

    def fn() -> None:
        calls.append(1)
        raise openai.APIConnectionError(message=f"refused with key {KEY}", request=_req())

    with pytest.raises(LLMUnavailable) as info:
        call_with_retries(fn, attempts=3, sleep=lambda s: None)
    err = info.value
    assert len(calls) == 3 and err.attempts == 3 and err.reason == "connection"
    assert "\n" not in str(err) and "3 attempts" in str(err)
    assert KEY not in str(err) and "[redacted]" in str(err)
    assert isinstance(err.__cause__, openai.APIConnectionError)


def test_non_transient_errors_are_not_retried() -> None:
    calls = []

    def fn() -> None:
        calls.append(1)
        raise _status(openai.AuthenticationError, 401)

    with pytest.raises(LLMUnavailable, match="API key rejected"):
        call_with_retries(fn, attempts=5, sleep=lambda s: None)
    assert len(calls) == 1


def test_malformed_output_is_retried() -> None:
    calls = []

    def fn() -> None:
        calls.append(1)
        raise MalformedOutput("not json")

    with pytest.raises(LLMUnavailable) as info:
        call_with_retries(fn, attempts=2, sleep=lambda s: None)
    assert len(calls) == 2 and info.value.reason == "malformed_output"


def test_backoff_is_bounded() -> None:
    assert [backoff_delay(n) for n in range(1, 7)] == [0.5, 1, 2, 4, 4, 4]
