"""Find and load rubric files from the rubric library."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from trainer.datafile import load_yaml_model
from trainer.errors import InputFileError, TrainerError
from trainer.paths import rubrics_dir
from trainer.rubrics.schema import Rubric

DEFAULT_RUBRIC_ID = "eft-first-session"


def load_rubric_file(path: Path) -> Rubric:
    rubric = load_yaml_model(Path(path), Rubric)
    return rubric


def list_rubrics(directory: Path | None = None) -> list[Rubric]:
    """Every rubric in the library, sorted by id; a broken file raises its one-line error."""
    folder = directory or rubrics_dir()
    rubrics = [load_rubric_file(path) for path in sorted(folder.glob("*.yaml"))]
    return sorted(rubrics, key=lambda rubric: rubric.id)


@lru_cache(maxsize=32)
def _load_by_id(directory: str, rubric_id: str) -> Rubric:
    folder = Path(directory)
    candidate = folder / f"{rubric_id}.yaml"
    if candidate.exists():
        rubric = load_rubric_file(candidate)
        if rubric.id == rubric_id:
            return rubric
    for rubric in list_rubrics(folder):
        if rubric.id == rubric_id:
            return rubric
    known = ", ".join(r.id for r in list_rubrics(folder)) or "none"
    raise TrainerError(f"unknown rubric {rubric_id!r} (known: {known})")


def load_rubric(rubric_id: str = DEFAULT_RUBRIC_ID, directory: Path | None = None) -> Rubric:
    """The rubric with this id (cached per folder; files are read once per process)."""
    return _load_by_id(str(directory or rubrics_dir()), rubric_id)


__all__ = ["DEFAULT_RUBRIC_ID", "InputFileError", "list_rubrics", "load_rubric", "load_rubric_file"]
