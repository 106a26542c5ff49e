"""Build small transcripts in the tests' own words."""

from __future__ import annotations

from trainer.transcript import Transcript

CLIENTS = ["Nora", "Felix"]


def transcript(*turns: tuple[str, str], clients: list[str] | None = None, persona: str | None = None) -> Transcript:
    return Transcript(
        clients=clients or CLIENTS,
        persona=persona,
        turns=[{"speaker": speaker, "text": text} for speaker, text in turns],
    )


def t(text: str) -> tuple[str, str]:
    return ("therapist", text)


def filler(n: int) -> list[tuple[str, str]]:
    """n therapist content questions, each answered, with nothing physical, validating or evocative."""
    out: list[tuple[str, str]] = []
    for i in range(n):
        out.append(t(f"How many years have you lived in that flat, question {i + 1}?"))
        out.append(("Nora" if i % 2 == 0 else "Felix", "About six years, in the east of town."))
    return out
