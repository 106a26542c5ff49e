"""Scoring uploaded transcript files: the same report as a practice session, or one clear line."""

from __future__ import annotations

from dataclasses import dataclass

from trainer.errors import TrainerError
from trainer.evaluate import evaluate
from trainer.personas import Couple, load_couple
from trainer.practice.report import ReportView, build_report, transcript_turns
from trainer.rubrics import load_rubric
from trainer.transcript import parse_transcript


@dataclass(frozen=True)
class ScoredFile:
    """One uploaded file: its report, or the reason it could not be scored."""

    name: str
    report: ReportView | None = None
    error: str | None = None


def score_upload(name: str, data: bytes, *, rubric_id: str, evaluator: str = "offline") -> ScoredFile:
    """Parse and score one file; any problem becomes a one-line error, never a traceback."""
    try:
        transcript = parse_transcript(data, name)
        evaluation = evaluate(transcript, rubric_id=rubric_id, evaluator=evaluator)
    except TrainerError as exc:
        return ScoredFile(name, error=str(exc))
    except Exception as exc:  # noqa: BLE001 - a scorer bug must not show a traceback to users
        return ScoredFile(name, error=f"{name}: could not be scored ({exc.__class__.__name__})")
    couple = _couple(transcript.persona)
    title = couple.title if couple else name
    subtitle = " & ".join(transcript.client_names) + f" \u00b7 uploaded as {name}"
    report = build_report(
        transcript_turns(transcript), evaluation.model_dump(mode="json"), load_rubric(rubric_id),
        title=title, subtitle=subtitle, source=name, couple=couple,
        partners=transcript.client_names,
    )
    return ScoredFile(name, report=report)


def _couple(persona: str | None) -> Couple | None:
    if not persona:
        return None
    try:
        return load_couple(persona)
    except TrainerError:
        return None
