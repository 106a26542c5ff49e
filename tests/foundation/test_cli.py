"""The `trainer` console script as a user runs it: help everywhere, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from trainer.transcript import FORMAT

TRAINER = [sys.executable, "-m", "trainer"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*TRAINER, *args], capture_output=True, text=True, timeout=120)


def test_help_lists_commands() -> None:
    result = run("--help")
    assert result.returncode == 0
    for name in ("personas", "rubrics", "transcript"):
        assert name in result.stdout


@pytest.mark.parametrize("group", ["personas", "rubrics", "transcript"])
def test_group_help(group: str) -> None:
    result = run(group, "--help")
    assert result.returncode == 0
    assert "validate" in result.stdout


def test_rubrics_list_json() -> None:
    result = run("rubrics", "list", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows[0]["id"] == "eft-first-session"
    assert rows[0]["max_total"] == 9


def test_transcript_validate_good_and_bad(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"format": FORMAT, "turns": [{"speaker": "therapist", "text": "Hi"}]}))
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    result = run("transcript", "validate", str(good), str(bad))
    assert result.returncode == 1
    assert f"ok: {good}" in result.stdout
    assert result.stderr.strip() == f"error: {bad}: not valid JSON (line 1, column 2)"
    assert "Traceback" not in result.stderr


def test_unknown_command_is_a_short_usage_error() -> None:
    result = run("frobnicate")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_personas_list_json_follows_the_contract() -> None:
    result = run("personas", "list", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    marc = next(row for row in rows if row["id"] == "marc-belinda")
    assert set(marc) == {"id", "title", "partners", "difficulty"}
    assert marc["partners"] == ["Marc", "Belinda"]
    assert len(rows) >= 6


def test_broken_persona_file_is_one_line_naming_file_and_field(tmp_path: Path) -> None:
    source = Path(__file__).resolve().parents[2] / "personas" / "marc-belinda.yaml"
    broken = tmp_path / "broken.yaml"
    broken.write_text(source.read_text().replace("difficulty:", "difficulty_level:", 1))
    result = run("personas", "validate", str(broken))
    assert result.returncode == 1
    line = result.stderr.strip()
    assert "\n" not in line and str(broken) in line and "difficulty" in line
