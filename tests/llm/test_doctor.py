"""Doctor: offline explained, broken config and unreachable servers fail with a fix."""

from __future__ import annotations

import json
import socket

import pytest

from trainer.llm.doctor import doctor_command, run_doctor
from trainer.llm.settings import ProviderProfile

KEY = "sk-test-SECRET-0123456789abcdef"


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_offline_passes_and_explains() -> None:
    report = run_doctor(ProviderProfile())
    assert report.exit_code == 0
    names = [c.name for c in report.checks]
    assert names == ["configuration", "token counting"]
    assert "offline" in report.checks[0].detail and "TRAINER_LLM" in report.checks[0].fix
    assert report.checks[1].status == "ok"


def test_default_run_reads_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAINER_LLM_PROVIDER", "bogus")
    report = run_doctor()
    assert report.exit_code == 1 and "TRAINER_LLM_PROVIDER" in report.checks[0].detail


def test_incomplete_config_fails() -> None:
    report = run_doctor(ProviderProfile(provider="openai_compatible"))
    assert report.exit_code == 1
    assert report.checks[0].status == "fail" and "TRAINER_LLM_BASE_URL" in report.checks[0].detail


def test_unreachable_server_fails_with_fix() -> None:
    url = f"http://127.0.0.1:{closed_port()}/v1"
    report = run_doctor(ProviderProfile(provider="openai_compatible", base_url=url, model="m",
                                        api_key=KEY, timeout=3))
    check = {c.name: c for c in report.checks}["server reachable"]
    assert check.status == "fail" and "TRAINER_LLM_BASE_URL" in check.fix
    assert report.exit_code == 1
    assert KEY not in json.dumps(report.to_json())


def test_doctor_command_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert doctor_command(json_output=True, profile=ProviderProfile()) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is True and data["profile"]["provider"] == "offline"


def test_doctor_command_table_never_prints_key(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"http://127.0.0.1:{closed_port()}/v1"
    code = doctor_command(profile=ProviderProfile(provider="openai_compatible", base_url=url,
                                                  model="m", api_key=KEY, timeout=3))
    out = capsys.readouterr().out
    assert code == 1 and "server reachable" in out and KEY not in out


def test_stalled_chat_advises_raising_the_timeout() -> None:
    from trainer.llm.chat import LLMUnavailable
    from trainer.llm.doctor import _fix

    exc = LLMUnavailable("x", reason="timeout")
    assert "TRAINER_LLM_TIMEOUT (now 30s)" in _fix(exc, ProviderProfile(), "default")
    assert _fix(LLMUnavailable("x", reason="error"), ProviderProfile(), "default") == "default"
