"""`trainer score` (contract in ../shared/spec/cli.md) and `trainer analyze` (turn labels).

score: one PATH + --json prints one JSON object; several print JSON Lines in
the order given. A file that cannot be read or scored yields
{"source", "error"} (JSON) or a one-line error (text) and the other files are
still scored; the exit status is 1 at the end if any file failed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from trainer.errors import InputFileError, TrainerError

EXIT_BAD_FILE = 1


def _score_one(path: Path, scorer) -> dict[str, Any]:
    from trainer.transcript import load_transcript

    transcript = load_transcript(path)
    return scorer(transcript, str(path))


def register(app: typer.Typer) -> None:
    @app.command("score")
    def score(
        paths: list[Path] = typer.Argument(..., help="Transcript files (trainer.transcript/v1)."),
        rubric: str = typer.Option("eft-first-session", "--rubric", help="Rubric id from the rubric library."),
        evaluator: str | None = typer.Option(
            None, "--evaluator", help="offline | llm (default: llm when configured, else offline)."
        ),
        json_output: bool = typer.Option(False, "--json", help="JSON object (one file) or JSON Lines (several)."),
    ) -> None:
        """Score transcripts against a rubric: 0-3 per criterion with evidence and coaching."""
        from trainer.evaluate import default_evaluator, make_evaluator
        from trainer.rubrics import load_rubric

        name = evaluator or default_evaluator()
        loaded = load_rubric(rubric)
        run = make_evaluator(loaded, name)  # unknown or unconfigured evaluator: one-line error, exit 2

        def scorer(transcript, source: str) -> dict[str, Any]:
            result = run(transcript)
            return result.model_copy(update={"source": source}).to_contract_dict(loaded)

        failed = 0
        for path in paths:
            try:
                data = _score_one(path, scorer)
            except (InputFileError, TrainerError) as exc:
                failed += 1
                problem = exc.problem if isinstance(exc, InputFileError) else str(exc)
                if json_output:
                    typer.echo(json.dumps({"source": str(path), "error": problem}, ensure_ascii=False))
                typer.echo(f"error: {exc}", err=True)
                continue
            if json_output:
                indent = 2 if len(paths) == 1 else None
                typer.echo(json.dumps(data, ensure_ascii=False, indent=indent))
            else:
                from trainer.cli.score_view import print_evaluation

                print_evaluation(data)
        if failed:
            raise typer.Exit(EXIT_BAD_FILE)

    @app.command("analyze")
    def analyze(
        path: Path = typer.Argument(..., help="A transcript file."),
        json_output: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Label every turn: therapist moves (and to whom), client disclosures, with quotes."""
        from trainer.analysis import analyze_transcript
        from trainer.transcript import load_transcript

        transcript = load_transcript(path)
        labels = analyze_transcript(transcript)
        if json_output:
            payload = {
                "source": str(path),
                "clients": transcript.client_names,
                "turns": [item.model_dump(mode="json") for item in labels],
            }
            typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        from trainer.cli.score_view import print_labels

        print_labels(str(path), transcript, labels)
