"""`trainer personas ...` and `trainer rubrics ...`: browse and check the data libraries."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from trainer.errors import InputFileError


def register(app: typer.Typer) -> None:
    personas = typer.Typer(help="Simulated couples (persona files).", no_args_is_help=True)
    rubrics = typer.Typer(help="Rubrics the evaluator scores against.", no_args_is_help=True)
    app.add_typer(personas, name="personas")
    app.add_typer(rubrics, name="rubrics")

    @personas.command("list")
    def personas_list(json_output: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
        """List the couples in the persona library."""
        from trainer.personas import list_couples

        couples = list_couples()
        rows = [
            {
                "id": c.id,
                "title": c.title,
                "partners": [p.name for p in c.partners],
                "difficulty": c.difficulty,
            }
            for c in couples
        ]
        if json_output:
            typer.echo(json.dumps(rows, ensure_ascii=False))
            return
        for row in rows:
            typer.echo(f"{row['id']:<24} {row['difficulty']:<13} {' & '.join(row['partners'])}: {row['title']}")

    @personas.command("validate")
    def personas_validate(paths: list[Path] = typer.Argument(..., help="Persona YAML files.")) -> None:
        """Check persona files; one line per file, non-zero exit if any is invalid."""
        from trainer.personas import load_couple_file

        _validate_each(paths, load_couple_file)

    @rubrics.command("list")
    def rubrics_list(json_output: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
        """List the rubrics in the rubric library."""
        from trainer.rubrics import list_rubrics

        rows = [
            {
                "id": r.id,
                "title": r.title,
                "criteria": [c.id for c in r.criteria],
                "max_total": r.max_total,
                "early_window": r.early_window,
            }
            for r in list_rubrics()
        ]
        if json_output:
            typer.echo(json.dumps(rows, ensure_ascii=False))
            return
        for row in rows:
            typer.echo(f"{row['id']:<24} {row['title']} ({', '.join(row['criteria'])})")

    @rubrics.command("validate")
    def rubrics_validate(paths: list[Path] = typer.Argument(..., help="Rubric YAML files.")) -> None:
        """Check rubric files; one line per file, non-zero exit if any is invalid."""
        from trainer.rubrics import load_rubric_file

        _validate_each(paths, load_rubric_file)


def _validate_each(paths: list[Path], loader) -> None:
    failed = 0
    for path in paths:
        try:
            loaded = loader(path)
        except InputFileError as exc:
            failed += 1
            typer.echo(f"error: {exc}", err=True)
        else:
            typer.echo(f"ok: {path} ({loaded.id})")
    if failed:
        raise typer.Exit(1)
