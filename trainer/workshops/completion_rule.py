"""What completes a workshop for continuing education, e.g. "two sessions in assessment mode"."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from trainer.workshops.facts import SessionFacts

_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


@dataclass(frozen=True)
class CompletionRule:
    """`sessions` finished sessions, of `mode` ("any", "practice" or "assessment")."""

    sessions: int = 1
    mode: str = "any"

    def counts(self, facts: SessionFacts) -> bool:
        """A session counts once it is finished (scored) and, if the rule says so, in its mode."""
        return facts.completed and (self.mode == "any" or facts.mode == self.mode)

    def counted(self, sessions: Iterable[SessionFacts]) -> int:
        return sum(1 for facts in sessions if self.counts(facts))

    def met(self, sessions: Iterable[SessionFacts]) -> bool:
        return self.counted(sessions) >= self.sessions

    def describe(self) -> str:
        """ "two finished sessions in assessment mode", for forms, rosters and certificates."""
        count = _NUMBERS[self.sessions] if self.sessions < len(_NUMBERS) else str(self.sessions)
        noun = "session" if self.sessions == 1 else "sessions"
        where = "" if self.mode == "any" else f" in {self.mode} mode"
        return f"{count} finished {noun}{where}"
