"""Deterministic offline evaluator: turn analysis + the rubric's anchors applied literally.

No network, no key, same output for the same input. Every non-zero score
carries turn-indexed verbatim quotes, re-checked by `verify_evidence` before
the result leaves this module.
"""

from __future__ import annotations

from collections.abc import Callable

from trainer.analysis import analyze_transcript
from trainer.evaluate.coaching import coach, fill
from trainer.evaluate.result import CriterionResult, Evaluation, verify_evidence
from trainer.evaluate.scorers import SCORERS, Scored
from trainer.rubrics import Rubric
from trainer.transcript import Transcript

EVALUATOR_NAME = "offline"


def make_offline_evaluator(rubric: Rubric) -> Callable[[Transcript], Evaluation]:
    """A scoring function bound to `rubric`; criteria the offline rules do not know score 0, flagged."""

    def evaluate(transcript: Transcript, source: str | None = None) -> Evaluation:
        labels = analyze_transcript(transcript)
        results: list[CriterionResult] = []
        for criterion in rubric.criteria:
            scorer = SCORERS.get(criterion.id)
            if scorer is None:
                results.append(CriterionResult(id=criterion.id, title=criterion.title, score=rubric.scale.min,
                                               rationale="Not scored: the offline evaluator has no rules for this criterion.",
                                               flags=["not_supported_offline"]))
                continue
            scored: Scored = scorer(transcript, labels, rubric)
            rationale, coaching = coach(criterion.id, scored, transcript, labels)
            anchor = criterion.anchors.get(scored.score, "")
            results.append(CriterionResult(
                id=criterion.id, title=criterion.title, score=scored.score,
                first_raised_turn=scored.first_raised_turn if criterion.reports_first_raised_turn else None,
                evidence=scored.evidence, rationale=f"{rationale} Anchor {scored.score}: {anchor}".strip(),
                coaching=coaching))
        total = sum(r.score for r in results)
        evaluation = Evaluation(source=source, rubric=rubric.id, evaluator=EVALUATOR_NAME, criteria=results,
                                total=total, max_total=rubric.max_total, feedback=_feedback(results, total, rubric))
        return verify_evidence(evaluation, transcript)

    return evaluate


def _feedback(results: list[CriterionResult], total: int, rubric: Rubric) -> str:
    weakest = min(results, key=lambda r: r.score)
    text = f"{total}/{rubric.max_total}."
    if weakest.score < rubric.scale.max and weakest.coaching.try_instead:
        where = f" (turn {weakest.coaching.missed_turn})" if weakest.coaching.missed_turn is not None else ""
        text += f" Next step, {weakest.title.lower()}{where}: {weakest.coaching.try_instead}"
    return fill(text, {}) or text
