"""`trainer transcript validate`: check transcript files against the v1 contract."""

from __future__ import annotations

from pathlib import Path

import typer

from trainer.errors import InputFileError
from trainer.transcript import load_transcript


def register(app: typer.Typer) -> None:
    transcript = typer.Typer(help="Transcript files (trainer.transcript/v1).", no_args_is_help=True)
    app.add_typer(transcript, name="transcript")

    @transcript.command("validate")
    def validate(paths: list[Path] = typer.Argument(..., help="Transcript JSON files.")) -> None:
        """Check transcripts; one line per file, non-zero exit if any is invalid."""
        failed = 0
        for path in paths:
            try:
                loaded = load_transcript(path)
            except InputFileError as exc:
                failed += 1
                typer.echo(f"error: {exc}", err=True)
            else:
                clients = ", ".join(loaded.client_names) or "no clients"
                typer.echo(f"ok: {path} ({len(loaded.turns)} turns; clients: {clients})")
        if failed:
            raise typer.Exit(1)
