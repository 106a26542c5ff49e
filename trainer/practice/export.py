"""Downloads: the report as Markdown, the session as a `trainer.transcript/v1` file."""

from __future__ import annotations

from typing import Any

from trainer.practice.report import ReportView
from trainer.practice.text import md_escape as _escape
from trainer.transcript import Transcript, dump_transcript


def md_escape(text: str) -> str:
    return _escape(text, light=True)


def score_line(view: ReportView) -> str:
    """The total that counts, with the evaluator's beside it when a supervisor changed scores."""
    if view.overridden:
        return (f"{view.total} / {view.max_total} (your supervisor's score; "
                f"evaluator {view.evaluator_total} / {view.max_total})")
    return f"{view.total} / {view.max_total}"


def _turn_label(view: ReportView, index: int | None) -> str:
    if index is None or not 0 <= index < len(view.turns):
        return ""
    turn = view.turns[index]
    return f"turn {index} ({turn.speaker})"


def report_markdown(view: ReportView) -> str:
    """A self-contained Markdown report: scores, anchors, evidence, coaching, transcript."""
    out: list[str] = [f"# {md_escape(view.title)}", ""]
    if view.subtitle:
        out += [md_escape(view.subtitle), ""]
    when = view.ended_at or view.started_at
    if view.trainee:
        out.append(f"**Trainee:** {md_escape(view.trainee)}  ")
    if when:
        out.append(f"**Session:** {when:%d %B %Y, %H:%M} UTC  ")
    out += [
        f"**Rubric:** {md_escape(view.rubric_title)}  ",
        f"**Evaluator:** {md_escape(view.evaluator)}  ",
        f"**Total:** {score_line(view)}",
        "",
    ]
    if view.reviewed:
        reviewed = f" on {view.reviewed_at:%d %B %Y}" if view.reviewed_at else ""
        out += [f"## Reviewed by {md_escape(view.reviewer or 'your supervisor')}{reviewed}", ""]
        if view.overall_comment:
            out += [md_escape(view.overall_comment), ""]
    if view.feedback:
        out += [md_escape(view.feedback), ""]
    for notice in view.notices + view.flags:
        out.append(f"> Note: {md_escape(notice)}")
    if view.notices or view.flags:
        out.append("")
    for criterion in view.criteria:
        mark = " (supervisor's score)" if criterion.overridden else ""
        out += [f"## {md_escape(criterion.title)}: {criterion.score} / {criterion.max_score}{mark}", ""]
        if criterion.overridden:
            comment = f": \u201c{md_escape(criterion.supervisor_comment)}\u201d" if criterion.supervisor_comment else ""
            who = md_escape(criterion.supervisor or "Your supervisor")
            line = (f"**{who} scored {criterion.score} / {criterion.max_score}** "
                    f"(the evaluator: {criterion.evaluator_score} / {criterion.max_score}){comment}")
            out += [line, ""]
        if criterion.anchor:
            out += [f"*Rubric anchor for {criterion.score}:* {md_escape(criterion.anchor)}", ""]
        if criterion.rationale:
            out += [md_escape(criterion.rationale), ""]
        if criterion.evidence:
            out.append("**Evidence**")
            out.append("")
            for ev in criterion.evidence:
                out.append(f"- [turn {ev.turn}](#turn-{ev.turn}) {md_escape(ev.speaker)}: "
                           f"\u201c{md_escape(ev.quote)}\u201d")
            out.append("")
        if criterion.did_well:
            out += [f"**What worked:** {md_escape(criterion.did_well)}", ""]
        if criterion.missed_moment:
            where = _turn_label(view, criterion.missed_turn)
            prefix = f"{where}: " if where else ""
            out += [f"**Missed moment:** {md_escape(prefix + criterion.missed_moment)}", ""]
        if criterion.try_instead:
            out += [f"**Try instead:** \u201c{md_escape(criterion.try_instead)}\u201d", ""]
    if view.cycles:
        out += ["## The couple's cycles", ""]
        for cycle in view.cycles:
            out.append(
                f"- {md_escape(cycle.partner)}: {cycle.emotional_cycle} in the emotional cycle, "
                f"{cycle.sexual_cycle} in the sexual cycle"
            )
        out.append("")
    out += ["## Transcript", ""]
    for turn in view.turns:
        mark = f" \u2014 *evidence: {md_escape(', '.join(turn.evidence_for))}*" if turn.evidence_for else ""
        out.append(f'<a id="turn-{turn.index}"></a>**{turn.index}. {md_escape(turn.speaker)}**{mark}  ')
        if turn.nonverbal:
            out.append(f"*({md_escape(turn.nonverbal)})*  ")
        out.append(md_escape(turn.text))
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def transcript_json(
    turns: list[dict[str, Any]], *, persona: str | None, clients: list[str] | None, **extra: Any
) -> str:
    """The session as `trainer.transcript/v1` (turns keep `nonverbal`, `state`, `at`)."""
    data: dict[str, Any] = {"persona": persona, "clients": clients, "turns": turns, **extra}
    return dump_transcript(Transcript.model_validate(data))


def slug(text: str) -> str:
    """A filename-safe slug for downloads."""
    cleaned = "".join(ch.lower() if ch.isalnum() else "-" for ch in text)
    return "-".join(part for part in cleaned.split("-") if part)[:60] or "session"
