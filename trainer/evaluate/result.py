"""Evaluation results: the one model every evaluator (offline, LLM) fills in.

The CLI, the practice report and the benchmark all read these models, so the
`trainer score` JSON contract (../shared/spec/cli.md) is produced in exactly one
place: `Evaluation.to_contract_dict()`. Quotes are checked against the
transcript by `verify_evidence` so no evaluator can cite words nobody said.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:  # pragma: no cover
    from trainer.rubrics import Rubric
    from trainer.transcript import Transcript

EVIDENCE_DROPPED = "evidence_dropped"  # a quote was not found in its cited turn
UNSUPPORTED_SCORE = "unsupported_score"  # non-zero score left without any evidence


class Evidence(BaseModel):
    """A turn index (0-based into `turns`) and a short verbatim quote from it."""

    model_config = ConfigDict(extra="forbid")

    turn: int = Field(ge=0)
    quote: str = Field(min_length=1)


class Coaching(BaseModel):
    """What the trainee did well, the moment they missed, and what to say instead."""

    did_well: str | None = None
    missed_turn: int | None = None
    missed_moment: str | None = None
    try_instead: str | None = None


class CriterionResult(BaseModel):
    """The score of one rubric criterion with the evidence that earns it."""

    id: str
    title: str
    score: int = Field(ge=0, le=3)
    first_raised_turn: int | None = None
    evidence: list[Evidence] = Field(default_factory=list)
    rationale: str = ""
    coaching: Coaching = Field(default_factory=Coaching)
    flags: list[str] = Field(default_factory=list)


class Evaluation(BaseModel):
    """A scored transcript. `fallback` marks an offline result standing in for a failed LLM."""

    source: str | None = None
    rubric: str
    evaluator: str
    criteria: list[CriterionResult]
    total: int
    max_total: int
    feedback: str | None = None
    fallback: bool = False
    notices: list[str] = Field(default_factory=list)

    def criterion(self, criterion_id: str) -> CriterionResult:
        for result in self.criteria:
            if result.id == criterion_id:
                return result
        raise KeyError(criterion_id)

    def to_contract_dict(self, rubric: Rubric | None = None) -> dict[str, Any]:
        """The `trainer score` JSON object; `first_raised_turn` only where the rubric reports it."""
        reporting = _reporting_ids(rubric, self.rubric)
        criteria = []
        for result in self.criteria:
            item: dict[str, Any] = {"id": result.id, "title": result.title, "score": result.score}
            if result.id in reporting or result.first_raised_turn is not None:
                item["first_raised_turn"] = result.first_raised_turn
            item["evidence"] = [e.model_dump() for e in result.evidence]
            item["rationale"] = result.rationale
            item["coaching"] = result.coaching.model_dump()
            if result.flags:
                item["flags"] = list(result.flags)
            criteria.append(item)
        data: dict[str, Any] = {
            "source": self.source,
            "rubric": self.rubric,
            "evaluator": self.evaluator,
            "criteria": criteria,
            "total": self.total,
            "max_total": self.max_total,
        }
        if self.feedback:
            data["feedback"] = self.feedback
        if self.fallback:
            data["fallback"] = True
        if self.notices:
            data["notices"] = list(self.notices)
        return data


def _reporting_ids(rubric: Rubric | None, rubric_id: str) -> set[str]:
    if rubric is None:
        try:
            from trainer.rubrics import load_rubric

            rubric = load_rubric(rubric_id)
        except Exception:  # noqa: BLE001 - unknown rubric: report only where a value exists
            return set()
    return {c.id for c in rubric.criteria if c.reports_first_raised_turn}


def find_verbatim(quote: str, text: str) -> str | None:
    """The exact span of `text` the quote stands for, or None.

    Exact substrings pass unchanged; a quote differing only in case, spacing or
    straight/curly quote marks is mapped back onto the turn's own characters,
    so the output is always verbatim.
    """
    if not quote.strip():
        return None
    if quote in text:
        return quote
    tokens = re.findall(r"\w+|[^\w\s]", _plain(quote))
    if not tokens:
        return None
    pattern = r"\s*".join(re.escape(tok) for tok in tokens)
    match = re.search(pattern, _plain(text), flags=re.IGNORECASE)
    if match is None:
        return None
    return text[match.start() : match.end()]


_QUOTE_MARKS = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


def _plain(text: str) -> str:
    """Same length as `text` (one char per char) so match offsets map back."""
    return text.translate(_QUOTE_MARKS)


def verify_evidence(evaluation: Evaluation, transcript: Transcript) -> Evaluation:
    """Copy of `evaluation` keeping only quotes found verbatim in their cited turn.

    Dropped quotes flag the criterion (`evidence_dropped`); a non-zero score left
    with no evidence is flagged `unsupported_score` so the caller (e.g. the LLM
    judge) can re-score or fall back.
    """
    turns = transcript.turns
    checked: list[CriterionResult] = []
    notices = list(evaluation.notices)
    for result in evaluation.criteria:
        kept: list[Evidence] = []
        flags = list(result.flags)
        for item in result.evidence:
            span = find_verbatim(item.quote, turns[item.turn].text) if item.turn < len(turns) else None
            if span is None:
                if EVIDENCE_DROPPED not in flags:
                    flags.append(EVIDENCE_DROPPED)
                notices.append(f"{result.id}: dropped a quote not found in turn {item.turn}")
                continue
            if all(not (e.turn == item.turn and e.quote == span) for e in kept):
                kept.append(Evidence(turn=item.turn, quote=span))
        if result.score > 0 and not kept and UNSUPPORTED_SCORE not in flags:
            flags.append(UNSUPPORTED_SCORE)
        checked.append(result.model_copy(update={"evidence": kept, "flags": flags}))
    return evaluation.model_copy(update={"criteria": checked, "notices": notices})
