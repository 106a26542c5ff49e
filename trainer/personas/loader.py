"""Find and load couples from the persona library (`personas/*.yaml`)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from trainer.datafile import load_yaml_model
from trainer.errors import TrainerError
from trainer.paths import personas_dir
from trainer.personas.schema import Couple


def load_couple_file(path: Path | str) -> Couple:
    """Read and validate one persona file; errors are one line naming file and field."""
    return load_yaml_model(Path(path), Couple)


def list_couples(directory: Path | None = None) -> list[Couple]:
    """Every couple in the library, sorted by id; a broken file raises its one-line error."""
    folder = Path(directory) if directory else personas_dir()
    couples = [load_couple_file(path) for path in sorted(folder.glob("*.yaml"))]
    return sorted(couples, key=lambda couple: couple.id)


@lru_cache(maxsize=64)
def _load_by_id(directory: str, couple_id: str) -> Couple:
    folder = Path(directory)
    candidate = folder / f"{couple_id}.yaml"
    if candidate.exists():
        couple = load_couple_file(candidate)
        if couple.id == couple_id:
            return couple
    couples = list_couples(folder)
    for couple in couples:
        if couple.id == couple_id:
            return couple
    known = ", ".join(c.id for c in couples) or "none"
    raise TrainerError(f"unknown persona {couple_id!r} (known: {known})")


def load_couple(couple_id: str, directory: Path | None = None) -> Couple:
    """The couple with this id (cached per folder: files are read once per process)."""
    return _load_by_id(str(directory or personas_dir()), couple_id)
