"""Errors a user can act on: one line, naming the file and the problem."""

from __future__ import annotations


class TrainerError(Exception):
    """Base for errors shown to users as a single line (never a traceback)."""


class InputFileError(TrainerError):
    """A file the user gave us cannot be used; says which file and why."""

    def __init__(self, source: str, problem: str) -> None:
        self.source = str(source)
        self.problem = " ".join(str(problem).split())
        super().__init__(f"{self.source}: {self.problem}")
