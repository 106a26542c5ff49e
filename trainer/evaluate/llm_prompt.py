"""The LLM judge's prompt and bounded output schema, both derived from the Rubric model.

Nothing about the rubric is restated here: criteria, anchors, rules, terms
and the early window are read from the rubric file, so editing the rubric
edits the judge. The schema is bounded (scores as literals, short lists and
strings) so a grammar-constrained reply always fits the output cap.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from string import Template
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from trainer.analysis.labels import TurnLabels
from trainer.rubrics import Rubric
from trainer.transcript import Transcript

MAX_EVIDENCE = 3
MAX_QUOTE = 160
MAX_RATIONALE = 400
MAX_COACHING = 240
MAX_FEEDBACK = 600
MAX_TURN_TEXT = 4000  # longer turns are cut in the prompt (quotes stay verbatim prefixes)
Score = Literal[0, 1, 2, 3]


class JudgedEvidence(BaseModel):
    model_config = ConfigDict(extra="forbid")

    turn: int = Field(ge=0, le=5000, description="0-based index of the turn quoted")
    quote: str = Field(min_length=1, max_length=MAX_QUOTE, description="verbatim words of that turn")


class JudgedCriterionBase(BaseModel):
    """One criterion's verdict; `id` is narrowed to the rubric's ids per rubric."""

    model_config = ConfigDict(extra="forbid")

    score: Score
    first_raised_turn: int | None = Field(default=None, ge=0, le=5000)
    evidence: list[JudgedEvidence] = Field(default_factory=list, max_length=MAX_EVIDENCE)
    rationale: str = Field(max_length=MAX_RATIONALE)
    did_well: str = Field(default="", max_length=MAX_COACHING)
    missed_turn: int | None = Field(default=None, ge=0, le=5000)
    missed_moment: str = Field(default="", max_length=MAX_COACHING)
    try_instead: str = Field(default="", max_length=MAX_COACHING)


def judgement_schema(rubric: Rubric) -> type[BaseModel]:
    """`Judgement` for this rubric: one verdict per criterion id, plus narrative feedback."""
    return _schema(tuple(c.id for c in rubric.criteria))


@cache
def _schema(ids: tuple[str, ...]) -> type[BaseModel]:
    fields = {name: (f.annotation, f) for name, f in JudgedCriterionBase.model_fields.items()}
    criterion = create_model(  # type: ignore[call-overload]  # id first: models write it first
        "JudgedCriterion", __config__=ConfigDict(extra="forbid"), id=(Literal[ids], ...), **fields)
    return create_model(  # type: ignore[call-overload]
        "Judgement",
        __doc__="Scores of one practice session against the rubric, with verbatim evidence.",
        criteria=(list[criterion], Field(min_length=len(ids), max_length=len(ids))),
        feedback=(str, Field(max_length=MAX_FEEDBACK)),
    )


@cache
def _template() -> Template:
    text = resources.files("trainer.evaluate.prompts").joinpath("judge_system.md").read_text("utf-8")
    return Template(text)


def _flat(text: str) -> str:
    return " ".join(str(text).split())


def system_text(rubric: Rubric) -> str:
    """The judge's instructions with the rubric's own words filled in."""
    terms = "\n".join(f"- {k.replace('_', ' ')}: {_flat(v)}" for k, v in rubric.terms.items())
    blocks = []
    for c in rubric.criteria:
        lines = [f"### {c.id}: {c.title}", _flat(c.description), "Anchors:"]
        lines += [f"- {score}: {_flat(c.anchors[score])}" for score in sorted(c.anchors)]
        if c.rules:
            lines.append("Rules:")
            lines += [f"- {_flat(rule)}" for rule in c.rules]
        if c.reports_first_raised_turn:
            lines.append("Reports first_raised_turn.")
        blocks.append("\n".join(lines))
    return _template().substitute(
        rubric_title=rubric.title, rubric_summary=_flat(rubric.summary),
        scale_min=rubric.scale.min, scale_max=rubric.scale.max,
        early_window=rubric.early_window, terms=terms or "-", criteria="\n\n".join(blocks),
        criterion_ids=", ".join(c.id for c in rubric.criteria),
    ).strip()


def transcript_text(transcript: Transcript) -> str:
    """Every turn with its index; therapist turns also carry their therapist-turn count."""
    lines, count = [], 0
    for i, turn in enumerate(transcript.turns):
        text = _flat(turn.text)
        if len(text) > MAX_TURN_TEXT:
            text = text[:MAX_TURN_TEXT] + " [...]"
        if turn.is_therapist:
            count += 1
            lines.append(f"[{i}] Therapist (therapist turn {count}): {text}")
        else:
            lines.append(f"[{i}] {turn.speaker}: {text}")
    return "\n".join(lines)


def hints_text(labels: list[TurnLabels]) -> str:
    """The offline turn analysis, one line per turn that has any label."""
    lines = []
    for item in labels:
        parts = []
        if item.addressed:
            parts.append("addressed " + ", ".join(item.addressed))
        for label in [*item.moves, *item.disclosures]:
            who = item.about.get(str(label))
            parts.append(str(label) + (f" ({', '.join(who)})" if who else ""))
        if parts:
            lines.append(f"[{item.index}] " + "; ".join(parts))
    return "\n".join(lines) or "(no labels)"


def user_text(transcript: Transcript, labels: list[TurnLabels]) -> str:
    names = ", ".join(transcript.client_names) or "the couple"
    return (f"Clients: {names}.\n\n<transcript>\n{transcript_text(transcript)}\n</transcript>\n\n"
            f"<analysis_hints>\n{hints_text(labels)}\n</analysis_hints>\n\n"
            "Score the session now.")


def build_messages(rubric: Rubric, transcript: Transcript, labels: list[TurnLabels]) -> list[Any]:
    """System (rubric) + user (transcript and hints): one call per transcript."""
    from langchain_core.messages import (  # deferred: offline CLI stays fast
        HumanMessage,
        SystemMessage,
    )

    return [SystemMessage(content=system_text(rubric)),
            HumanMessage(content=user_text(transcript, labels))]


__all__ = ["JudgedCriterionBase", "JudgedEvidence", "build_messages", "hints_text",
           "judgement_schema", "system_text", "transcript_text", "user_text"]
