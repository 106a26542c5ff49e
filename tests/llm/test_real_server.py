"""The LLM path end to end against a real OpenAI-compatible server (llama.cpp, loopback).

SmolLM2-135M writes nonsense: these tests assert structure, never content.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Annotated, Literal

import pytest
from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, Field

from trainer.llm.capabilities import cache_path, resolve_capabilities
from trainer.llm.chat import LLMUnavailable
from trainer.llm.client import LLMClient
from trainer.llm.doctor import run_doctor
from trainer.llm.settings import ProviderProfile

MSGS = [SystemMessage(content="You are Marc, a client in couples therapy. Stay in character."),
        HumanMessage(content="Marc, what brings you both here today?")]
LONG = [HumanMessage(content="Tell me a very long story about a lighthouse, in many chapters.")]


class Criterion(BaseModel):
    id: Literal["validated_protective_moves", "drew_out_underlying_needs"]
    score: Literal[0, 1, 2, 3]
    evidence: list[Annotated[str, Field(max_length=40)]] = Field(default_factory=list,
                                                                  max_length=1)


class Judgement(BaseModel):
    """Bounded like the judge's schema, so a grammar-constrained reply fits the cap."""

    criteria: list[Criterion] = Field(min_length=1, max_length=2)
    summary: str = Field(max_length=60)


@pytest.fixture(scope="module")
def resolved(
    llama_server: ProviderProfile, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ProviderProfile]:
    """Capabilities detected once for the module, cached in a temporary folder.

    Module-scoped fixtures run before the function-scoped `isolated_llm_settings`,
    so the cache folder is pointed at a temporary one here too: a test never
    writes to the user's ~/.cache.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TRAINER_LLM_CACHE_DIR", str(tmp_path_factory.mktemp("capabilities")))
        yield resolve_capabilities(llama_server, refresh=True)


@pytest.mark.llm_server
def test_capability_detection_matches_llama_cpp(llama_server: ProviderProfile) -> None:
    profile = resolve_capabilities(llama_server, refresh=True)
    caps = profile.effective_capabilities()
    assert caps.source == "detected"
    assert caps.structured_method == "function_calling"  # json_schema -> HTTP 500 there
    assert caps.max_tokens_param == "max_tokens_extra_body"  # max_completion_tokens ignored
    assert caps.stream_usage is False
    assert cache_path().exists()
    again = resolve_capabilities(llama_server)
    assert again.effective_capabilities().source == "cached"


@pytest.mark.llm_server
def test_chat_works_and_output_cap_is_honoured(resolved: ProviderProfile) -> None:
    client = LLMClient(resolved, temperature=0.7, max_tokens=8)
    text = client.complete(LONG)
    assert isinstance(text, str)
    (call,) = client.meter.calls
    assert call.source == "server" and call.prompt_tokens > 0
    assert 0 < call.completion_tokens <= 8  # the cap reached the server via extra_body
    assert call.cost_usd == 0


@pytest.mark.llm_server
def test_streaming_yields_several_chunks_and_counts_usage(resolved: ProviderProfile) -> None:
    client = LLMClient(resolved, temperature=0.7, max_tokens=40)
    chunks = list(client.stream(LONG))
    assert len(chunks) >= 3 and all(isinstance(c, str) for c in chunks)
    (call,) = client.meter.calls
    assert call.source == "tiktoken"  # llama.cpp never reports usage in streams
    assert call.completion_tokens > 0 and call.prompt_tokens > 0


@pytest.mark.llm_server
def test_structured_output_is_schema_valid_or_clean_fallback(resolved: ProviderProfile) -> None:
    client = LLMClient(resolved, temperature=0.2, max_tokens=200, attempts=1)
    messages = [SystemMessage(content="You grade a therapist's turn."),
                HumanMessage(content="Therapist: 'It makes sense you pull away when it gets "
                             "loud.' Grade validated_protective_moves from 0 to 3.")]
    try:
        result = client.structured(messages, Judgement)
    except LLMUnavailable as exc:  # the judge's fallback signal
        assert exc.reason == "malformed_output" and "\n" not in str(exc)
        fallback = True
    else:
        assert isinstance(result, Judgement)
        Judgement.model_validate(result.model_dump())
        fallback = False
    assert client.meter.calls, "usage recorded even for the structured call"
    print(f"structured fallback={fallback}")


@pytest.mark.llm_server
def test_doctor_passes_against_the_server(resolved: ProviderProfile) -> None:
    report = run_doctor(resolved)  # detection itself is covered above
    statuses = {c.name: c.status for c in report.checks}
    assert report.exit_code == 0, report.to_json()
    for name in ("configuration", "server reachable", "model listed", "capabilities", "chat",
                 "streaming", "structured output", "token counting"):
        assert statuses.get(name) == "ok", (name, report.to_json())


@pytest.mark.llm_server
def test_killing_the_server_mid_run_gives_llm_unavailable(
        start_llama_server: Callable[[], object]) -> None:
    server = start_llama_server()
    profile = server.profile(timeout=120.0, max_retries=1,  # type: ignore[attr-defined]
                             overrides={"structured_method": "function_calling",
                                        "stream_usage": False,
                                        "max_tokens_param": "max_tokens_extra_body"})
    profile = resolve_capabilities(profile)
    assert isinstance(LLMClient(profile, max_tokens=16).complete(MSGS), str)  # session under way
    client = LLMClient(profile, max_tokens=1500, temperature=1.0)  # long: the kill lands mid-way

    failed_mid_stream = False
    pieces: list[str] = []
    try:
        for piece in client.stream(LONG):
            if not pieces:
                server.proc.kill()  # type: ignore[attr-defined]
            pieces.append(piece)
    except LLMUnavailable as exc:
        failed_mid_stream = True
        assert exc.reason in ("connection", "server_error", "timeout"), exc
        assert "\n" not in str(exc) and exc.partial == "".join(pieces)
    assert pieces  # text before the kill was delivered

    if not failed_mid_stream:  # the reply was already buffered; the next turn must fail
        with pytest.raises(LLMUnavailable):
            LLMClient(profile, max_tokens=16).complete(MSGS)
    with pytest.raises(LLMUnavailable) as info:
        list(client.stream(MSGS))
    assert info.value.reason == "connection" and info.value.attempts == 2


def _stalled_profile(url: str) -> ProviderProfile:
    return ProviderProfile(provider="openai_compatible", base_url=url, model="m",
                           timeout=1.0, max_retries=1,
                           overrides={"structured_method": "json_mode", "stream_usage": False,
                                      "max_tokens_param": "max_tokens_extra_body"})


def test_stalled_server_hits_the_timeout(stalled_url: str) -> None:
    client = LLMClient(_stalled_profile(stalled_url), max_tokens=16)
    bound = 2 * 1.0 + 0.5 + 2.0  # attempts x timeout + backoff + slack
    for call in (lambda: client.complete(MSGS), lambda: list(client.stream(MSGS)),
                 lambda: client.structured(MSGS, Judgement)):
        started = time.monotonic()
        with pytest.raises(LLMUnavailable) as info:
            call()
        elapsed = time.monotonic() - started
        assert info.value.reason == "timeout" and info.value.attempts == 2
        assert elapsed < bound, elapsed
        assert "timed out" in str(info.value)


def test_stalled_server_doctor_fails_quickly(stalled_url: str) -> None:
    started = time.monotonic()
    report = run_doctor(_stalled_profile(stalled_url))
    assert report.exit_code == 1
    assert time.monotonic() - started < 5
