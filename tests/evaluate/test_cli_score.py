"""Contract of `trainer score` and `trainer analyze` (../shared/spec/cli.md), via the console script."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import skip_unless_available
from trainer.transcript import dump_transcript

from .helpers import t, transcript

TRAINER = shutil.which("trainer", path=str(Path(sys.executable).parent)) or shutil.which("trainer")


@pytest.fixture(autouse=True)
def _console_script() -> None:
    if TRAINER is None:
        skip_unless_available("the trainer console script is not installed")  # fails in CI


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The console script with no LLM configured (none of the developer's settings leak in)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRAINER_LLM_", "OPENAI_"))}
    env.update(PYTHONWARNINGS="ignore", TRAINER_SECRETS_FILE=str(cwd / "no-secrets.toml"))
    return subprocess.run([TRAINER, *args], cwd=cwd, capture_output=True, text=True, timeout=120, env=env, check=False)


@pytest.fixture()
def files(tmp_path: Path) -> dict[str, Path]:
    good = transcript(t("How are touch and affection going for you two?"), ("Nora", "Not much of either."),
                      t("Not much. What has that been like for you, Nora?"), ("Nora", "Lonely."))
    other = transcript(t("What brings you in?"), ("Felix", "Money."))
    paths = {"good": tmp_path / "good.json", "other": tmp_path / "other.json", "bad": tmp_path / "bad.json"}
    paths["good"].write_text(dump_transcript(good), encoding="utf-8")
    paths["other"].write_text(dump_transcript(other), encoding="utf-8")
    paths["bad"].write_text("{not json", encoding="utf-8")
    return paths


def test_single_file_json_is_one_object(files: dict[str, Path], tmp_path: Path) -> None:
    done = run("score", "good.json", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["source"] == "good.json" and data["rubric"] == "eft-first-session"
    assert data["evaluator"] == "offline" and data["max_total"] == 9
    assert [c["id"] for c in data["criteria"]] == [
        "raised_sexual_cycle_early", "validated_protective_moves", "drew_out_underlying_needs"]
    first = data["criteria"][0]
    assert first["score"] == 3 and first["first_raised_turn"] == 0
    assert "first_raised_turn" not in data["criteria"][1]
    assert data["total"] == sum(c["score"] for c in data["criteria"])
    good = json.loads(files["good"].read_text())
    for criterion in data["criteria"]:
        for item in criterion["evidence"]:
            assert item["quote"] in good["turns"][item["turn"]]["text"]


def test_several_files_are_json_lines_in_order_and_bad_files_fail_at_the_end(files, tmp_path: Path) -> None:
    done = run("score", "other.json", "bad.json", "good.json", "--json", cwd=tmp_path)
    assert done.returncode != 0
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["source"] for line in lines] == ["other.json", "bad.json", "good.json"]
    assert "error" in lines[1] and "criteria" not in lines[1] and "JSON" in lines[1]["error"]
    assert "criteria" in lines[0] and "criteria" in lines[2]
    assert "Traceback" not in done.stderr and "bad.json" in done.stderr


def test_missing_file_and_text_output(files, tmp_path: Path) -> None:
    done = run("score", "good.json", "missing.json", cwd=tmp_path)
    assert done.returncode != 0
    assert "good.json" in done.stdout and "/9" in done.stdout
    assert "missing.json: no such file" in done.stderr and "Traceback" not in done.stderr


def test_llm_without_configuration_is_a_one_line_error(files, tmp_path: Path) -> None:
    done = run("score", "good.json", "--evaluator", "llm", "--json", cwd=tmp_path)
    assert done.returncode != 0
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_analyze_prints_labels_per_turn(files, tmp_path: Path) -> None:
    done = run("analyze", "good.json", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert [turn["index"] for turn in data["turns"]] == [0, 1, 2, 3]
    assert "invite_sex" in data["turns"][0]["moves"] and "follow_up_sex" in data["turns"][2]["moves"]
    text = run("analyze", "good.json", cwd=tmp_path)
    assert text.returncode == 0 and "invite_sex" in text.stdout
