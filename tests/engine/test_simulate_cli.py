"""`trainer simulate` per cli.md, and the `trainer practice` loop."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console
from sim_conformance import MIXED_40, fill

from trainer.cli.simulation import run_practice
from trainer.personas import load_couple
from trainer.transcript.io import transcript_from_data


def _subprocess(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "trainer", *args], check=False,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def _trainer(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """The `trainer` entry point in-process (fast); returns code, stdout, stderr."""
    from trainer.cli import main

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        monkeypatch.setattr(sys, "argv", ["trainer", *args])
        code = 0
        try:
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out = capsys.readouterr()
        return subprocess.CompletedProcess(list(args), code, out.out, out.err)

    return run


@pytest.fixture
def script(tmp_path: Path) -> Path:
    path = tmp_path / "script.txt"
    lines = fill(MIXED_40[:12], load_couple("marc-belinda"))
    path.write_text("# a comment line is skipped\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_simulate_prints_a_v1_transcript_with_state(script: Path) -> None:
    done = _subprocess("simulate", "--persona", "marc-belinda", "--script", str(script), "--seed", "3", "--json")
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.strip().splitlines()) == 1
    data = json.loads(done.stdout)
    transcript = transcript_from_data(data, "stdout")
    assert data["persona"] == "marc-belinda" and transcript.client_names == ["Marc", "Belinda"]
    assert sum(t.is_therapist for t in transcript.turns) == 12
    for turn in data["turns"]:
        if turn["speaker"] == "therapist":
            continue
        assert set(turn["state"]) == {"Marc", "Belinda"}
        for values in turn["state"].values():
            assert isinstance(values["openness"], (int, float)) and isinstance(values["defensiveness"], (int, float))


def test_simulate_same_seed_same_output(_trainer, script: Path) -> None:
    a = _trainer("simulate", "--persona", "marc-belinda", "--script", str(script), "--seed", "9")
    b = _trainer("simulate", "--persona", "marc-belinda", "--script", str(script), "--seed", "9")
    assert a.returncode == 0 and a.stdout == b.stdout
    assert json.loads(a.stdout)["format"] == "trainer.transcript/v1"


@pytest.mark.parametrize(
    ("content", "problem"),
    [(None, "no such file"), (b"", "no therapist utterances"), (b"\n# only a comment\n", "no therapist utterances"),
     (b"\xff\xfe\x00bad", "not UTF-8"), (b"hello\x00world", "binary"), ("dir", "directory")],
)
def test_simulate_bad_script_is_one_line_error(_trainer, tmp_path: Path, content, problem: str) -> None:
    path = tmp_path / "script.txt"
    if content == "dir":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    done = _trainer("simulate", "--persona", "marc-belinda", "--script", str(path))
    assert done.returncode != 0 and not done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and problem in lines[0] and str(path) in lines[0], done.stderr


def test_simulate_unknown_persona_is_one_line_error(_trainer, script: Path) -> None:
    done = _trainer("simulate", "--persona", "nobody", "--script", str(script))
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "unknown persona 'nobody'" in lines[0]


def test_practice_loop_shows_names_cues_and_ends_with_a_report() -> None:
    inputs = iter(["What brings you both in today?", "Marc, tell me about the touch and sex between you.", "/end"])
    console = Console(file=io.StringIO(), width=100, record=True)
    run_practice("marc-belinda", seed=1, console=console, read=lambda prompt: next(inputs))
    out = console.export_text()
    assert "Marc" in out and "Belinda" in out
    assert "(sits forward, handbag still on her lap)" in out
    assert "Feedback" in out or "evaluator not available" in out


def test_practice_ends_on_eof_and_llm_flag_degrades_clearly() -> None:
    def eof(prompt: str) -> str:
        raise EOFError

    console = Console(file=io.StringIO(), width=100, record=True)
    run_practice("ruth-harold", use_llm=True, console=console, read=eof)
    out = console.export_text()
    assert "Ruth & Harold" in out
