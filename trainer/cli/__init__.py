"""The `trainer` command line. Each command group lives in its own module with `register(app)`."""

from __future__ import annotations

import importlib
import sys

import typer

from trainer.errors import TrainerError

app = typer.Typer(
    help="Practice simulator for couples therapists.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# Modules under trainer.cli that add commands; each defines `register(app)`.
COMMAND_MODULES = [
    "accounts",
    "library",
    "transcripts",
    "simulation",
    "scoring",
    "llm_commands",
]

for _name in COMMAND_MODULES:
    importlib.import_module(f"trainer.cli.{_name}").register(app)


def main() -> None:
    """Entry point: user errors become one line on stderr and a non-zero exit, never a traceback."""
    try:
        app()  # click handles usage errors and exit codes itself
    except TrainerError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - last line of defence
        typer.echo(f"error: unexpected {exc.__class__.__name__}: {exc}", err=True)
        sys.exit(70)
