"""The renderer and judge end to end against a real llama.cpp server (SmolLM2-135M, loopback).

The model writes nonsense: these tests assert structure (labelled partner
lines or a visible clean fallback, chunks, tokens, schema), never content.
One practice session is played once per module and inspected by several
tests, so the suite stays lean on a 2-core machine.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from trainer.evaluate.llm import LLMJudge
from trainer.llm import LLMClient, ProviderProfile
from trainer.llm.settings import CapabilityOverrides
from trainer.practice import PracticeService
from trainer.practice import live as live_module
from trainer.practice.config import Backends
from trainer.practice.notices import notice
from trainer.render.llm import LLMRenderer, make_renderer
from trainer.render.llm_parse import off_character
from trainer.rubrics import Rubric, load_rubric
from trainer.store import (
    Store,
    get_or_create_user_by_display_name,
    get_session,
    open_store,
    viewer_for,
)
from trainer.transcript import Transcript

CAPS = CapabilityOverrides(structured_method="function_calling", stream_usage=False,
                           max_tokens_param="max_tokens_extra_body")  # llama.cpp, as detected
LLM = Backends("llm:smollm2", "offline", "openai_compatible", "smollm2", None, False)
TURNS = ["Marc, can you tell me about the touch and affection between the two of you?",
         "Belinda, what is that like for you?"]
NAMES = ("Marc", "Belinda")


def _store(folder: Path) -> Store:
    return open_store(f"sqlite:///{folder / 'trainer.db'}")


def _counting(renderer: LLMRenderer, chunks: list[int]) -> None:
    """Count the raw chunks of every stream the renderer opens (one entry per stream)."""
    inner = renderer.client.stream

    def stream(messages: Any, label: str = "stream", **options: Any) -> Iterator[str]:
        chunks.append(0)
        for piece in inner(messages, label=label, **options):
            chunks[-1] += 1
            yield piece

    renderer.client.stream = stream  # type: ignore[method-assign]


@pytest.fixture(scope="module")
def played(llama_server: ProviderProfile, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[dict[str, Any]]:
    """One LLM practice session through the app's service, streamed, stored in SQLite."""
    profile = llama_server.model_copy(update={"overrides": CAPS})
    renderer = make_renderer(profile, max_tokens=40)
    assert renderer is not None
    chunks: list[int] = []
    _counting(renderer, chunks)
    store = _store(tmp_path_factory.mktemp("stack"))
    deltas: list[list[tuple[str, str]]] = []  # per trainee turn
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(live_module, "make_renderer", lambda label: (renderer, None))
        service = PracticeService(store, LLM)
        user = get_or_create_user_by_display_name(store, "Ana")
        live = service.start(user, "marc-belinda", seed=3)
        outcomes = []
        for text in TURNS:
            deltas.append([])
            sink = deltas[-1]
            outcomes.append(service.send(user, live, text,
                                         on_delta=lambda s, d, sink=sink: sink.append((s, d))))
        record = get_session(store, viewer_for(user), live.id)
    yield {"renderer": renderer, "chunks": chunks, "deltas": deltas, "outcomes": outcomes,
           "record": record, "live": live}
    store.dispose()


@pytest.mark.llm_server
def test_session_yields_labelled_partner_lines_or_a_clean_fallback(played: dict[str, Any]) -> None:
    record, outcomes = played["record"], played["outcomes"]
    assert all(o.accepted for o in outcomes)
    partner_turns = [t for t in record.turns if t.speaker != "therapist"]
    assert partner_turns and {t.speaker for t in partner_turns} <= set(NAMES)
    for turn in partner_turns:
        assert turn.text.strip()
        assert not turn.text.startswith(NAMES)  # labels were parsed off
        if not turn.fallback:
            assert off_character(turn.text) is None
    fell_back = [o for o in outcomes if o.notice]
    for outcome in fell_back:  # visible and clean: one plain sentence, says what happened
        assert outcome.notice in (notice("voice_down"), notice("voice_cut"))
    print(f"fallback turns: {sum(t.fallback for t in partner_turns)}/{len(partner_turns)}")


@pytest.mark.llm_server
def test_streaming_yields_several_chunks(played: dict[str, Any]) -> None:
    chunks = played["chunks"]
    assert len(chunks) >= len(TURNS) and max(chunks) >= 3  # the model's words arrive in pieces
    stored = {t.text for t in played["record"].turns if not t.fallback}
    for deltas, outcome in zip(played["deltas"], played["outcomes"], strict=True):
        streamed: dict[str, str] = {}
        for speaker, delta in deltas:
            assert speaker in NAMES
            streamed[speaker] = streamed.get(speaker, "") + delta
        if outcome.notice is None:  # the words shown are the words stored
            assert streamed and all(text.strip() in stored for text in streamed.values())


@pytest.mark.llm_server
def test_token_usage_is_recorded_on_the_session(played: dict[str, Any]) -> None:
    record, summary = played["record"], played["renderer"].usage_summary()
    assert summary["calls"] >= 3 and summary["cost_usd"] == 0  # opening + 2 turns; local is free
    assert record.prompt_tokens == summary["prompt_tokens"] > 0
    assert record.completion_tokens == summary["completion_tokens"] > 0
    sources = {c["source"] for c in summary["per_call"]}
    assert "tiktoken" in sources  # llama.cpp streams never report usage: counted offline


def _mini_rubric() -> Rubric:
    """One criterion of the real rubric, so prompt and reply fit a 2k-context model."""
    full = load_rubric()
    criterion = full.criterion("validated_protective_moves").model_copy(update={"rules": []})
    return full.model_copy(update={"criteria": [criterion], "terms": {}})


TRANSCRIPT = Transcript(clients=list(NAMES), turns=[
    {"speaker": "therapist", "text": "Marc, it makes sense you go quiet when it gets loud."},
    {"speaker": "Marc", "text": "Yeah. I just don't want it to blow up."},
])


@pytest.mark.llm_server
def test_llm_judge_returns_a_schema_valid_result_or_flags_the_fallback(
        llama_server: ProviderProfile) -> None:
    profile = llama_server.model_copy(update={"overrides": CAPS})
    judge = LLMJudge(_mini_rubric(), LLMClient(profile, temperature=0, max_tokens=64, attempts=1))
    result = judge(TRANSCRIPT, "mini.json")
    (criterion,) = result.criteria
    assert criterion.id == "validated_protective_moves" and 0 <= criterion.score <= 3
    if result.fallback:
        assert result.evaluator == "offline" and "LLM judge unavailable" in result.notices[-1]
    else:
        assert result.evaluator == "llm"
        for item in criterion.evidence:  # only verified quotes survive
            assert item.quote in TRANSCRIPT.turns[item.turn].text
    assert judge.meter.calls
    print(f"judge fallback={result.fallback}")


@pytest.mark.llm_server
def test_killing_the_server_mid_session_falls_back_and_loses_nothing(
        start_llama_server: Callable[[], Any], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    server = start_llama_server()
    renderer = make_renderer(server.profile(timeout=60.0, max_retries=1, overrides=CAPS),
                             max_tokens=16)
    monkeypatch.setattr(live_module, "make_renderer", lambda label: (renderer, None))
    store = _store(tmp_path)
    service = PracticeService(store, LLM)
    user = get_or_create_user_by_display_name(store, "Ana")
    killer = threading.Timer(1.0, server.proc.kill)  # lands while the opening is being written
    killer.start()
    live = service.start(user, "marc-belinda", seed=3)
    killer.join()
    server.proc.wait(timeout=30)
    assert renderer.last_error or renderer.meter.calls  # the model was in use when it died
    started = time.monotonic()
    first = service.send(user, live, TURNS[0])
    second = service.send(user, live, TURNS[1])
    assert time.monotonic() - started < 15  # refused connections are quick
    for outcome in (first, second):
        assert outcome.accepted and outcome.notice == notice("voice_down")
    record = get_session(store, viewer_for(user), live.id)
    assert [t.text for t in record.turns] == [t.text for t in live.turns]  # nothing lost
    assert sum(1 for t in record.turns if t.speaker == "therapist") == 2
    answers = [t for t in record.turns[-4:] if t.speaker != "therapist"]
    assert answers and all(t.fallback for t in answers)
    assert "connection failed" in (renderer.last_error or "")
    store.dispose()


def test_a_stalled_server_hits_the_timeout_and_the_turn_falls_back(stalled_url: str) -> None:
    from trainer.engine import start_session

    profile = ProviderProfile(provider="openai_compatible", base_url=stalled_url, model="m",
                              timeout=1.0, max_retries=0, overrides=CAPS)
    renderer = make_renderer(profile, max_tokens=16)
    session = start_session("marc-belinda", seed=1, renderer=renderer)
    started = time.monotonic()
    result = session.respond(TURNS[0])
    assert time.monotonic() - started < 4  # one 1 s timeout, not a hang
    assert result.render_notice and all(r.fallback for r in result.replies)
    assert "timed out" in (renderer.last_error or "")
    started = time.monotonic()
    assert session.respond(TURNS[1]).render_notice
    waited = time.monotonic() - started
    assert 0.8 < waited < 4  # the model is tried again on the next turn, within the deadline
    judge = LLMJudge(_mini_rubric(), LLMClient(profile, temperature=0, max_tokens=32))
    started = time.monotonic()
    verdict = judge(TRANSCRIPT)
    assert verdict.fallback and "timed out" in verdict.notices[-1]
    assert time.monotonic() - started < 4
