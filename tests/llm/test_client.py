"""LLMClient with fake chat models: usage recording, streaming, retries, fallbacks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

import httpx
import openai
import pytest
from langchain_core.language_models.fake_chat_models import (
    FakeListChatModel,
    FakeMessagesListChatModel,
    GenericFakeChatModel,
)
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from langchain_core.outputs import ChatGenerationChunk
from pydantic import BaseModel, Field

from trainer.llm.chat import LLMUnavailable
from trainer.llm.client import LLMClient
from trainer.llm.settings import CapabilityOverrides, LLMConfigError, ProviderProfile
from trainer.llm.tokens import count_messages, count_tokens

MSGS = [SystemMessage(content="You play Marc and Belinda."),
        HumanMessage(content="What brings you in?")]


def profile(**caps: Any) -> ProviderProfile:
    return ProviderProfile(provider="openai_compatible", base_url="http://127.0.0.1:9/v1",
                           model="local", max_retries=2,
                           overrides=CapabilityOverrides(**caps))


def client(model: Any, **kw: Any) -> LLMClient:
    return LLMClient(kw.pop("prof", profile(structured_method="json_mode")), chat_model=model,
                     sleep=lambda s: None, **kw)


class Judge(BaseModel):
    score: Literal[0, 1, 2, 3]
    notes: list[str] = Field(default_factory=list, max_length=2)


def test_complete_records_server_usage_when_reported() -> None:
    reply = AIMessage(content="MARC: Fine.", usage_metadata={
        "input_tokens": 42, "output_tokens": 7, "total_tokens": 49})
    c = client(GenericFakeChatModel(messages=iter([reply])))
    assert c.complete(MSGS) == "MARC: Fine."
    (call,) = c.meter.calls
    assert (call.prompt_tokens, call.completion_tokens, call.source) == (42, 7, "server")
    assert call.cost_usd == 0  # local server


def test_complete_counts_with_tiktoken_when_server_is_silent() -> None:
    c = client(FakeListChatModel(responses=["BELINDA: We fight."]))
    c.complete(MSGS, label="turn 1")
    (call,) = c.meter.calls
    assert call.source == "tiktoken" and call.label == "turn 1"
    assert call.prompt_tokens == count_messages(MSGS, "local")
    assert call.completion_tokens == count_tokens("BELINDA: We fight.", "local")


def test_openai_usage_is_priced() -> None:
    p = ProviderProfile(provider="openai", model="gpt-4o-mini", api_key="k")
    reply = AIMessage(content="x", usage_metadata={
        "input_tokens": 1_000_000, "output_tokens": 0, "total_tokens": 1_000_000})
    c = LLMClient(p, chat_model=GenericFakeChatModel(messages=iter([reply])))
    c.complete(MSGS)
    assert c.meter.cost_usd == pytest.approx(0.15)


def test_stream_yields_several_chunks_and_records_usage() -> None:
    text = "MARC: I do not know what to say. BELINDA: You never do."
    c = client(GenericFakeChatModel(messages=iter([text])))
    chunks = list(c.stream(MSGS))
    assert len(chunks) > 3 and "".join(chunks) == text
    (call,) = c.meter.calls
    assert call.source == "tiktoken" and call.completion_tokens == count_tokens(text, "local")


class FlakyStream(FakeListChatModel):
    """Fails before the first chunk ``fail_first`` times, then streams normally."""

    fail_first: int = 0
    failures: int = 0

    def _stream(self, *args: Any, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        if self.failures < self.fail_first:
            self.failures += 1
            raise openai.APITimeoutError(request=httpx.Request("POST", "http://127.0.0.1:9"))
        yield from super()._stream(*args, **kwargs)


def test_stream_retries_before_first_chunk() -> None:
    model = FlakyStream(responses=["hello"], fail_first=2)
    notices: list[tuple[int, bool]] = []
    c = client(model, on_error=lambda e, n, retry: notices.append((n, retry)))
    assert "".join(c.stream(MSGS)) == "hello"
    assert notices == [(1, True), (2, True)]


def test_stream_failing_mid_way_is_not_retried_and_keeps_partial() -> None:
    model = FakeListChatModel(responses=["abcdefgh"], error_on_chunk_number=3)
    c = client(model)
    got: list[str] = []
    with pytest.raises(LLMUnavailable) as info:
        for piece in c.stream(MSGS):
            got.append(piece)  # noqa: PERF402 - must see pieces before the error
    assert "".join(got) == "abc" and info.value.partial == "abc"
    assert info.value.attempts == 1 and "\n" not in str(info.value)
    assert c.meter.calls == []


def test_stream_gives_up_after_attempts() -> None:
    c = client(FlakyStream(responses=["x"], fail_first=99))
    with pytest.raises(LLMUnavailable) as info:
        list(c.stream(MSGS))
    assert info.value.attempts == 3 and info.value.reason == "timeout"


def test_structured_success_and_usage() -> None:
    c = client(FakeListChatModel(responses=['{"score": 3, "notes": ["good"]}']))
    assert c.structured(MSGS, Judge) == Judge(score=3, notes=["good"])
    assert c.meter.calls[0].completion_tokens > 0


def test_structured_retries_malformed_then_succeeds() -> None:
    model = FakeListChatModel(responses=["MARC: banana", '{"score": 1}'])
    c = client(model)
    assert c.structured(MSGS, Judge).score == 1
    assert len(c.meter.calls) == 2  # both calls cost tokens


def test_structured_gives_clean_fallback_signal() -> None:
    model = FakeListChatModel(responses=['{"score": 9}', "nonsense", '{"notes": [1,2,3]}'])
    c = client(model)
    with pytest.raises(LLMUnavailable) as info:
        c.structured(MSGS, Judge)
    assert info.value.reason == "malformed_output" and info.value.attempts == 3


def test_structured_function_calling_with_tool_fake() -> None:
    class ToolFake(FakeMessagesListChatModel):
        def bind_tools(self, tools: Any, **kwargs: Any) -> Any:
            return self.bind(tools=tools, **kwargs)

    reply = AIMessage(content="", tool_calls=[{"name": "Judge", "args": {"score": 2}, "id": "1"}])
    c = client(ToolFake(responses=[reply]), prof=profile(structured_method="function_calling"))
    assert c.structured(MSGS, Judge).score == 2
    assert c.meter.calls[0].completion_tokens > 0  # tool args counted


def test_offline_profile_client_raises_llm_unavailable() -> None:
    c = LLMClient(ProviderProfile())
    with pytest.raises(LLMUnavailable, match="offline"):
        c.complete(MSGS)
    with pytest.raises(LLMUnavailable):
        list(c.stream(MSGS))


def test_unknown_exceptions_become_llm_unavailable() -> None:
    class Broken(FakeListChatModel):
        def _call(self, *a: Any, **k: Any) -> str:
            raise KeyError("choices")

    c = client(Broken(responses=["x"]))
    with pytest.raises(LLMUnavailable) as info:
        c.complete(MSGS)
    assert info.value.attempts == 1  # unknown errors are not retried blindly


def test_configured_client(monkeypatch: pytest.MonkeyPatch) -> None:
    assert LLMClient.configured() is None  # nothing configured: offline
    monkeypatch.setenv("TRAINER_LLM_PROVIDER", "openai_compatible")
    with pytest.raises(LLMConfigError, match="TRAINER_LLM_BASE_URL"):
        LLMClient.configured()
    monkeypatch.setenv("TRAINER_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("TRAINER_LLM_MODEL", "m")
    c = LLMClient.configured(detect=False, temperature=0.1)
    assert c is not None and c.profile.capabilities is not None and c.temperature == 0.1
    assert c.meter.priced is False


def test_error_names_the_server_but_not_credentials() -> None:
    p = ProviderProfile(provider="openai_compatible", model="m",
                        base_url="http://user:hunter2@127.0.0.1:9/v1")
    c = LLMClient(p, chat_model=FlakyStream(responses=["x"], fail_first=99), attempts=1)
    with pytest.raises(LLMUnavailable) as info:
        list(c.stream(MSGS))
    assert "127.0.0.1:9" in str(info.value) and "hunter2" not in str(info.value)
