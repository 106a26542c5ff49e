"""`trainer simulate` (scripted, per cli.md) and `trainer practice` (interactive role-play)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from trainer.datafile import read_user_file
from trainer.errors import InputFileError, TrainerError

MAX_SCRIPT_BYTES = 1_000_000
MAX_SCRIPT_LINES = 2_000


def read_script(path: Path) -> list[str]:
    """Therapist utterances, one per line; blank lines and `#` comments are skipped."""
    source = str(path)
    raw = read_user_file(path, "script", MAX_SCRIPT_BYTES)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputFileError(source, "not UTF-8 text") from None
    if "\x00" in text:
        raise InputFileError(source, "binary data, expected one therapist utterance per line")
    from trainer.transcript.model import MAX_TURN_CHARS

    lines = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if len(line) > MAX_TURN_CHARS:
            raise InputFileError(source, f"line {number} is longer than {MAX_TURN_CHARS} characters")
        lines.append(line)
    if not lines:
        raise InputFileError(source, "no therapist utterances (one per line expected)")
    if len(lines) > MAX_SCRIPT_LINES:
        raise InputFileError(source, f"more than {MAX_SCRIPT_LINES} utterances")
    return lines


def run_script(persona: str, lines: list[str], seed: int):
    """Play a script against the offline couple; returns the session."""
    from trainer.engine import start_session

    session = start_session(persona, seed=seed)
    for line in lines:
        session.respond(line)
    return session


def register(app: typer.Typer) -> None:
    @app.command("simulate")
    def simulate(
        persona: str = typer.Option(..., "--persona", help="Persona id (see `trainer personas list`)."),
        script: Path = typer.Option(..., "--script", help="File with one therapist utterance per line."),
        seed: int = typer.Option(0, "--seed", help="Random seed: same seed, same transcript."),
        json_output: bool = typer.Option(False, "--json", help="Compact JSON on one line."),
    ) -> None:
        """Run the offline simulated couple against a scripted trainee; print the transcript."""
        from trainer.personas import load_couple
        from trainer.transcript import dump_transcript

        load_couple(persona)  # unknown persona: one-line error before reading the script
        session = run_script(persona, read_script(script), seed)
        transcript = session.transcript()
        if json_output:
            typer.echo(json.dumps(transcript.to_json_dict(), ensure_ascii=False))
        else:
            typer.echo(dump_transcript(transcript), nl=False)

    @app.command("practice")
    def practice(
        persona: str = typer.Option(..., "--persona", help="Persona id (see `trainer personas list`)."),
        llm: bool = typer.Option(False, "--llm", help="Voice the couple with the configured LLM."),
        seed: int = typer.Option(0, "--seed", help="Random seed."),
        debug: bool = typer.Option(False, "--debug", help="Show the couple's state after each turn."),
    ) -> None:
        """Role-play a first session in the terminal; `/end` or Ctrl-D ends it."""
        run_practice(persona, seed=seed, use_llm=llm, debug=debug)


def _llm_renderer(console):
    """The LLM renderer if it is installed and configured, else None (with a message)."""
    try:
        from trainer.render import llm as llm_module  # written separately; may not exist yet

        factory = getattr(llm_module, "make_renderer", None) or llm_module.renderer_from_env
        renderer = factory()
        if renderer is None:  # nothing configured: say so rather than silently go offline
            console.print("[yellow]No LLM configured (see `trainer doctor`); "
                          "using the offline couple.[/yellow]")
        return renderer
    except Exception as exc:  # noqa: BLE001 - any problem means: not configured
        console.print(f"[yellow]LLM renderer not configured ({exc.__class__.__name__}); "
                      "using the offline couple.[/yellow]")
        return None


def _report(console, transcript) -> None:
    """The evaluator's report (offline rubric scoring), when the evaluator is installed."""
    from rich.markup import escape

    try:
        from trainer.evaluate import evaluate
    except ImportError:
        console.print("[dim](evaluator not available: no report)[/dim]")
        return
    result = evaluate(transcript)
    console.rule(f"Feedback: {result.total}/{result.max_total}")
    for criterion in result.criteria:
        console.print(f"[bold]{escape(criterion.title)}[/bold]: {criterion.score}/3")
        if criterion.rationale:
            console.print(f"  {escape(criterion.rationale)}")
        coaching = criterion.coaching
        if coaching.try_instead:
            console.print(f"  [italic]Try instead:[/italic] {escape(coaching.try_instead)}")
    if result.feedback:
        console.print(f"\n{escape(result.feedback)}")


def run_practice(persona: str, *, seed: int = 0, use_llm: bool = False, debug: bool = False,
                 console=None, read=input) -> None:
    """The terminal role-play loop: trainee types, the couple answers."""
    from rich.console import Console
    from rich.markup import escape

    from trainer.engine import start_session
    from trainer.personas import load_couple

    console = console or Console(highlight=False)
    couple = load_couple(persona)
    renderer = _llm_renderer(console) if use_llm else None
    session = start_session(couple, seed=seed, renderer=renderer)
    console.rule(f"{escape(couple.title)}: {' & '.join(couple.names)}")
    console.print(f"[dim]{escape(couple.setting)}[/dim]")
    console.print("[dim]You are the therapist. Type what you say; /end or Ctrl-D finishes.[/dim]\n")

    def show(replies) -> None:
        for reply in replies:
            cue = f" [dim italic]({escape(reply.nonverbal)})[/dim italic]" if reply.nonverbal else ""
            tag = " [dim](offline fallback)[/dim]" if reply.fallback else ""
            console.print(f"[bold cyan]{escape(reply.speaker)}[/bold cyan]{cue}{tag}")
            console.print(f"  {escape(reply.text)}")
        console.print()

    while True:
        try:
            text = read("You: ").strip()
        except (EOFError, KeyboardInterrupt):
            console.print()
            break
        if text.lower() in ("/end", "/quit", "/exit"):
            break
        if not text:
            continue
        result = session.respond(text)
        if result.render_notice:
            console.print(f"[yellow]{escape(result.render_notice)}[/yellow]")
        show(result.replies)
        for flag in result.flags:
            console.print(f"[red]Flagged for your supervisor: {flag.kind} remark to {flag.partner}.[/red]")
        if debug:
            for name, values in result.state.public().items():
                console.print(f"[dim]  {name}: {values}[/dim]")
    if session.state.therapist_turns:
        _report(console, session.transcript())


__all__ = ["TrainerError", "read_script", "register", "run_script"]
