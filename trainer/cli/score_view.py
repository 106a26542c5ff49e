"""Readable (rich) views of an evaluation and of the turn labels, for supervisors and trainees."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from trainer.cleantext import terminal_safe

_console = Console(highlight=False)


def print_evaluation(data: dict[str, Any], console: Console | None = None) -> None:
    """One file: total, then per criterion the score, the evidence, why, and the coaching."""
    out = console or _console
    flag = "  [red](LLM failed: offline fallback)[/red]" if data.get("fallback") else ""
    out.print(f"[bold]{_safe(data.get('source'))}[/bold]  {data['rubric']} / {data['evaluator']}"
              f"  [bold]{data['total']}/{data['max_total']}[/bold]{flag}")
    for item in data["criteria"]:
        first = item.get("first_raised_turn")
        where = f"  (first raised at turn {first})" if first is not None else ""
        out.print(f"  [bold]{item['score']}/3  {escape(item.get('title', item['id']))}[/bold]{where}")
        for ev in item.get("evidence", []):
            out.print(f"      turn {ev['turn']}: \"{_safe(ev['quote'])}\"", style="dim")
        why = item.get("rationale", "").split(" Anchor ")[0]
        if why:
            out.print(f"      why: {_safe(why)}")
        coaching = item.get("coaching") or {}
        for key, label, colour in (("did_well", "well", "green"), ("missed_moment", "missed", "yellow"),
                                   ("try_instead", "try", "cyan")):
            if coaching.get(key):
                out.print(f"      [{colour}]{label}:[/{colour}] {_safe(coaching[key])}")
    for notice in data.get("notices", []):
        out.print(f"  [dim]note: {_safe(notice)}[/dim]")
    out.print()


def _safe(text: object) -> str:
    """Markup-escaped and free of escape sequences, NULs and bidi overrides (a transcript is
    anyone's text, and a terminal obeys what it is sent)."""
    return escape(terminal_safe(str(text)))


def print_labels(source: str, transcript, labels, console: Console | None = None) -> None:
    """Per turn: speaker, whom the therapist addresses, and each label with the partner it concerns."""
    out = console or _console
    clients = ", ".join(_safe(name) for name in transcript.client_names) or "-"
    out.print(f"[bold]{_safe(source)}[/bold]  clients: {clients}")
    table = Table(show_header=True, header_style="bold")
    table.add_column("#", justify="right")
    table.add_column("speaker")
    table.add_column("to")
    table.add_column("labels", overflow="fold")
    table.add_column("text", overflow="fold", max_width=70)
    for item in labels:
        tags = [*(str(m) for m in item.moves), *(str(d) for d in item.disclosures)]
        shown = [f"{tag}({', '.join(item.about.get(tag, []))})" if item.about.get(tag) and item.is_therapist else tag
                 for tag in tags]
        shown = [f"{label} {item.confidence[tag]:.2f}" if tag in item.confidence else label
                 for label, tag in zip(shown, tags, strict=True)]
        text = transcript.turns[item.index].text
        table.add_row(str(item.index), _safe(item.speaker), _safe(", ".join(item.addressed)),
                      _safe("\n".join(shown)) or "-", _safe(text if len(text) <= 160 else text[:157] + "..."))
    out.print(table)
