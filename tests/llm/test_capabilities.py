"""Capability resolution: overrides > known > cache (memory, disk) > detection."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trainer.llm import capabilities
from trainer.llm.capabilities import cache_path, clear_cache, resolve_capabilities
from trainer.llm.settings import Capabilities, CapabilityOverrides, ProviderProfile


def local(**caps: object) -> ProviderProfile:
    return ProviderProfile(provider="openai_compatible", base_url="http://127.0.0.1:9/v1",
                           model="m", overrides=CapabilityOverrides(**caps))


LLAMA_CPP = Capabilities(structured_method="function_calling", stream_usage=False,
                         max_tokens_param="max_tokens_extra_body", source="detected")


@pytest.fixture
def fake_detect(monkeypatch: pytest.MonkeyPatch) -> list[ProviderProfile]:
    calls: list[ProviderProfile] = []

    def detect(profile: ProviderProfile, log: object = None) -> Capabilities:
        calls.append(profile)
        return LLAMA_CPP

    monkeypatch.setattr(capabilities, "detect_capabilities", detect)
    return calls


def test_offline_is_untouched(fake_detect: list) -> None:
    assert resolve_capabilities(ProviderProfile()).capabilities is None
    assert fake_detect == []


def test_openai_is_known_without_probing(fake_detect: list) -> None:
    p = resolve_capabilities(ProviderProfile(provider="openai", model="gpt-4o", api_key="k"))
    caps = p.effective_capabilities()
    assert caps.structured_method == "json_schema" and caps.stream_usage
    assert caps.max_tokens_param == "max_completion_tokens" and caps.source == "known"
    assert fake_detect == []


def test_complete_overrides_skip_detection(fake_detect: list) -> None:
    p = resolve_capabilities(local(structured_method="json_mode", stream_usage=True,
                                   max_tokens_param="max_completion_tokens"))
    assert p.effective_capabilities().source == "override"
    assert p.effective_capabilities().structured_method == "json_mode"
    assert fake_detect == []


def test_detects_once_then_caches_in_memory_and_on_disk(fake_detect: list) -> None:
    first = resolve_capabilities(local())
    assert first.effective_capabilities().structured_method == "function_calling"
    resolve_capabilities(local())
    assert len(fake_detect) == 1  # in-process cache
    stored = json.loads(cache_path().read_text())
    entry = stored["entries"]["http://127.0.0.1:9/v1|m"]
    assert entry["structured_method"] == "function_calling" and "detected_at" in entry

    clear_cache(disk=False)  # a new process: memory empty, disk remembers
    again = resolve_capabilities(local())
    assert again.effective_capabilities().source == "cached"
    assert len(fake_detect) == 1

    resolve_capabilities(local(), refresh=True)
    assert len(fake_detect) == 2


def test_partial_override_wins_over_cache(fake_detect: list) -> None:
    resolve_capabilities(local())
    p = resolve_capabilities(local(structured_method="json_mode"))
    caps = p.effective_capabilities()
    assert caps.structured_method == "json_mode" and caps.max_tokens_param == "max_tokens_extra_body"


def test_cache_is_per_base_url_and_model(fake_detect: list) -> None:
    resolve_capabilities(local())
    resolve_capabilities(local().model_copy(update={"model": "other"}))
    assert len(fake_detect) == 2


def test_no_detect_gives_conservative_defaults(fake_detect: list) -> None:
    caps = resolve_capabilities(local(), detect=False).effective_capabilities()
    assert caps.structured_method == "json_mode" and caps.stream_usage is False
    assert caps.max_tokens_param == "max_tokens_extra_body"
    assert fake_detect == []


def test_corrupt_or_unwritable_cache_is_harmless(fake_detect: list, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    cache_path().parent.mkdir(parents=True, exist_ok=True)
    cache_path().write_text("{not json")
    assert resolve_capabilities(local()).effective_capabilities().source == "detected"
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    monkeypatch.setenv("TRAINER_LLM_CACHE_DIR", str(blocker / "sub"))
    clear_cache(disk=False)
    assert resolve_capabilities(local()).effective_capabilities().source == "detected"


def test_detection_failure_falls_back_without_caching(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(profile: ProviderProfile, log: object = None) -> Capabilities:
        raise ConnectionError("refused")

    monkeypatch.setattr(capabilities, "detect_capabilities", boom)
    notes: list[str] = []
    caps = resolve_capabilities(local(), log=notes.append).effective_capabilities()
    assert "failed" in caps.source and caps.structured_method == "json_mode"
    assert notes and not cache_path().exists()


def test_detection_against_closed_port_is_clean() -> None:
    """Real probes against a loopback port nobody listens on: defaults, no traceback."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    p = ProviderProfile(provider="openai_compatible", base_url=f"http://127.0.0.1:{port}/v1",
                        model="m", timeout=2)
    caps = resolve_capabilities(p).effective_capabilities()
    assert "failed" in caps.source


def test_resolving_twice_costs_nothing(fake_detect: list) -> None:
    once = resolve_capabilities(local())
    assert resolve_capabilities(once) is once
    resolve_capabilities(once, refresh=True)
    assert len(fake_detect) == 2
