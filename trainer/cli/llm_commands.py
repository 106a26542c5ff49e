"""`trainer doctor`: is the configured model usable, and if not, what to fix (trainer.llm.doctor)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command("doctor")
    def doctor(
        json_output: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    ) -> None:
        """Check the LLM provider: reachable, model present, chat, streaming, structured output,
        offline token counting. Offline (nothing configured) is a valid state and passes."""
        from trainer.llm.doctor import doctor_command  # deferred: other commands stay fast

        code = doctor_command(json_output=json_output)
        if code:
            raise typer.Exit(code)


__all__ = ["register"]
