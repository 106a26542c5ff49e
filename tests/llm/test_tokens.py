"""Token counting offline (shipped, hash-checked encodings), trimming, usage meter."""

from __future__ import annotations

import hashlib
import socket
from pathlib import Path

import pytest
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

from trainer.llm import tokens
from trainer.llm.tokens import (
    UsageMeter,
    count_messages,
    count_tokens,
    encoding_name_for_model,
    price_for,
    trim_history,
)

EXPECTED = {
    "o200k_base": "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    "cl100k_base": "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_shipped_files_match_tiktoken_hashes(name: str) -> None:
    data = (tokens.ENCODINGS_DIR / f"{name}.tiktoken").read_bytes()
    assert hashlib.sha256(data).hexdigest() == EXPECTED[name]


def test_no_socket_is_opened_even_from_cold(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    """Cold load with an empty tiktoken cache: must not touch the network at all."""
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path / "tk"))

    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("token counting tried to open a socket")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    tokens.get_encoding.cache_clear()
    try:
        assert tokens.get_encoding("o200k_base").encode("hello world") == [24912, 2375]
        assert tokens.get_encoding("cl100k_base").encode("hello world") == [15339, 1917]
    finally:
        tokens.get_encoding.cache_clear()


def test_readonly_tiktoken_cache_dir_still_works(monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(blocker / "sub"))
    tokens.get_encoding.cache_clear()
    try:
        assert count_tokens("hello world", "gpt-4o") == 2
    finally:
        tokens.get_encoding.cache_clear()


def test_tampered_file_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bad = tmp_path / "enc"
    bad.mkdir()
    (bad / "cl100k_base.tiktoken").write_bytes(b"aGVsbG8= 0\n")
    monkeypatch.setattr(tokens, "ENCODINGS_DIR", bad)
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path / "tk"))
    tokens.get_encoding.cache_clear()
    try:
        with pytest.raises(ValueError):
            tokens.get_encoding("cl100k_base")
    finally:
        tokens.get_encoding.cache_clear()


@pytest.mark.parametrize("model, name", [
    ("gpt-4o", "o200k_base"), ("gpt-4o-mini-2024-07-18", "o200k_base"),
    ("gpt-4.1-mini", "o200k_base"), ("gpt-5", "o200k_base"), ("o4-mini", "o200k_base"),
    ("o3", "o200k_base"), ("gpt-4", "cl100k_base"), ("gpt-3.5-turbo", "cl100k_base"),
    ("llama3.1:8b", "cl100k_base"), ("smollm2-135m-instruct", "cl100k_base"),
    (None, "cl100k_base"), ("openai/gpt-4o", "o200k_base"),
])
def test_encoding_by_model(model: str | None, name: str) -> None:
    assert encoding_name_for_model(model) == name


def test_count_tokens_and_messages() -> None:
    assert count_tokens("", "gpt-4o") == 0
    assert count_tokens("<|endoftext|>", "gpt-4o") > 1  # user text, not a special token
    msgs = [SystemMessage(content="Be brief."), HumanMessage(content="Hi there")]
    as_dicts = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi there"}]
    n = count_messages(msgs, "gpt-4o")
    assert n > count_tokens("Be brief.Hi there", "gpt-4o")
    assert count_messages(as_dicts, "gpt-4o") == n


def _history(turns: int) -> list:
    msgs: list = [SystemMessage(content="You play Marc and Belinda. " * 5)]
    for i in range(turns):
        msgs.append(HumanMessage(content=f"Therapist turn {i}: how did that feel for you?"))
        msgs.append(AIMessage(content=f"MARC: turn {i} reply. BELINDA: I do not know."))
    return msgs


def test_trim_keeps_system_and_newest_within_budget() -> None:
    msgs = _history(40)
    budget = 400
    trimmed = trim_history(msgs, budget, "gpt-4o")
    assert trimmed[0] is msgs[0]
    assert trimmed[-1] is msgs[-1]
    assert count_messages(trimmed, "gpt-4o") <= budget
    assert trimmed[1:] == msgs[len(msgs) - len(trimmed) + 1:]  # a contiguous newest tail
    assert len(trimmed) < len(msgs)
    # one more message would not have fit
    grown = [msgs[0], msgs[len(msgs) - len(trimmed)], *trimmed[1:]]
    assert count_messages(grown, "gpt-4o") > budget


def test_trim_is_noop_when_it_fits_and_keeps_last_even_if_huge() -> None:
    msgs = _history(2)
    assert trim_history(msgs, 10_000) == msgs
    huge = [SystemMessage(content="s"), HumanMessage(content="word " * 500)]
    assert trim_history(huge, 10) == huge


def test_trim_bounds_prompt_over_a_long_session() -> None:
    sizes = [count_messages(trim_history(_history(n), 600)) for n in (10, 20, 40)]
    assert sizes[2] <= 1.5 * sizes[0]


def test_usage_meter_prefers_server_numbers() -> None:
    meter = UsageMeter(model="gpt-4o-mini", priced=True)
    entry = meter.record([HumanMessage(content="hi")], "hello",
                         {"input_tokens": 1000, "output_tokens": 500, "total_tokens": 1500})
    assert (entry.prompt_tokens, entry.completion_tokens, entry.source) == (1000, 500, "server")
    assert entry.cost_usd == pytest.approx((1000 * 0.15 + 500 * 0.60) / 1e6)


def test_usage_meter_counts_when_server_reports_nothing() -> None:
    meter = UsageMeter(model="local-model", priced=False)
    msgs = [SystemMessage(content="You are Marc."), HumanMessage(content="How are you?")]
    entry = meter.record(msgs, "Fine, I guess.", None, label="turn 1")
    assert entry.source == "tiktoken"
    assert entry.prompt_tokens == count_messages(msgs, "local-model")
    assert entry.completion_tokens == count_tokens("Fine, I guess.", "local-model")
    assert entry.cost_usd == 0
    meter.record(msgs, "ok", {"input_tokens": 0, "output_tokens": 0})  # zeros = not reported
    summary = meter.summary()
    assert summary["calls"] == 2 and summary["per_call"][1]["source"] == "tiktoken"
    assert summary["total_tokens"] == meter.prompt_tokens + meter.completion_tokens


def test_prices() -> None:
    assert price_for("gpt-4o-mini-2024-07-18")["input"] == price_for("gpt-4o-mini")["input"] > 0
    assert price_for("gpt-4o") != price_for("gpt-4o-mini")
    assert price_for("my-local-llama") == {"input": 0.0, "output": 0.0}
    assert price_for("gpt-4o", priced=False) == {"input": 0.0, "output": 0.0}
