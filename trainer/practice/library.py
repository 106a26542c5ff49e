"""The couple library as the app offers it: every couple that loads; broken files set apart.

One broken persona file must not make every couple unpractisable, so each
file is loaded on its own; a broken one is listed with its file, line and
problem (for administrators) and that couple alone is not offered.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from trainer.errors import TrainerError
from trainer.paths import personas_dir
from trainer.personas import Couple
from trainer.personas.loader import load_couple_file

log = logging.getLogger(__name__)
_LINE = re.compile(r"\bline (\d+)\b")


@dataclass(frozen=True)
class BrokenFile:
    """A data file that could not be used: which, where, and what is wrong."""

    path: str
    line: int | None
    problem: str

    @property
    def text(self) -> str:
        where = f", line {self.line}" if self.line else ""
        return f"{self.path}{where}: {self.problem}"


@dataclass(frozen=True)
class CoupleLibrary:
    couples: list[Couple]
    broken: list[BrokenFile] = field(default_factory=list)

    def by_id(self) -> dict[str, Couple]:
        return {couple.id: couple for couple in self.couples}


def load_library(directory: Path | None = None) -> CoupleLibrary:
    """Every couple that loads, sorted by id, and the files that did not (never raises for one file)."""
    folder = Path(directory) if directory else personas_dir()
    couples: list[Couple] = []
    broken: list[BrokenFile] = []
    try:
        paths = sorted(folder.glob("*.yaml"))
    except OSError as exc:
        return CoupleLibrary([], [BrokenFile(str(folder), None, f"cannot read the folder ({exc})")])
    for path in paths:
        try:
            couples.append(load_couple_file(path))
        except TrainerError as exc:
            problem = getattr(exc, "problem", str(exc))
            found = _LINE.search(problem)
            broken.append(BrokenFile(str(path), int(found.group(1)) if found else None, problem))
            log.error("persona file not offered: %s", exc)
    seen: set[str] = set()
    unique = []
    for couple in sorted(couples, key=lambda c: c.id):
        if couple.id in seen:
            broken.append(BrokenFile(couple.id, None, "another file uses the same id"))
            continue
        seen.add(couple.id)
        unique.append(couple)
    return CoupleLibrary(unique, broken)
