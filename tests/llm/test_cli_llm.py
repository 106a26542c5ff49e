"""`trainer doctor` and `trainer practice --llm` as a user runs them (no server needed)."""

from __future__ import annotations

import io
import json

import pytest
from rich.console import Console
from typer.testing import CliRunner

from trainer.cli import app


def script(*lines: str):  # type: ignore[no-untyped-def]
    """A `read` for run_practice: the lines, then Ctrl-D."""
    queue = list(lines)

    def read(_prompt: str) -> str:
        if not queue:
            raise EOFError
        return queue.pop(0)

    return read


def test_doctor_offline_passes_and_explains() -> None:
    result = CliRunner().invoke(app, ["doctor"])
    assert result.exit_code == 0, result.output
    assert "offline" in result.output and "TRAINER_LLM_BASE_URL" in result.output


def test_doctor_json() -> None:
    result = CliRunner().invoke(app, ["doctor", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["ok"] is True and {c["name"] for c in data["checks"]} >= {"configuration"}


def test_doctor_fails_on_broken_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAINER_LLM_PROVIDER", "bogus")
    result = CliRunner().invoke(app, ["doctor", "--json"])
    assert result.exit_code == 1 and json.loads(result.output)["ok"] is False


def test_practice_llm_with_nothing_configured_says_so_and_plays_offline() -> None:
    from trainer.cli.simulation import run_practice

    console = Console(file=io.StringIO(), width=120, record=True)
    run_practice("marc-belinda", use_llm=True, console=console,
                 read=script("What brings you both in today?"))
    out = console.export_text()
    assert "No LLM configured" in out and "trainer doctor" in out
    assert "Belinda" in out and "Feedback" in out


def test_practice_llm_uses_make_renderer(monkeypatch: pytest.MonkeyPatch) -> None:
    from llm_render_fakes import CoupleFake, renderer

    from trainer.cli.simulation import run_practice
    from trainer.render import llm

    fake = CoupleFake()
    monkeypatch.setattr(llm, "make_renderer", lambda: renderer(fake))
    console = Console(file=io.StringIO(), width=120, record=True)
    run_practice("marc-belinda", use_llm=True, console=console,
                 read=script("Marc, can you tell me about the touch and affection between you two?"))
    assert fake.count == 1 and "This is line 1 from Marc" in console.export_text()
