"""Deterministic offline evaluator: turn analysis + the rubric's anchors applied literally.

No network, no key, same output for the same input. Every non-zero score
carries turn-indexed verbatim quotes, re-checked by `verify_evidence` before
the result leaves this module.
"""

from __future__ import annotations

from collections.abc import Callable

from trainer.analysis import analyze_transcript
from trainer.evaluate.coaching import Coached, coach, summary
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
        coached: list[tuple[int, str, Coached]] = []
        for criterion in rubric.criteria:
            scorer = SCORERS.get(criterion.id)
            if scorer is None:
                results.append(CriterionResult(id=criterion.id, title=criterion.title, score=rubric.scale.min,
                                               rationale="Not scored: the offline evaluator has no rules for this criterion.",
                                               flags=["not_supported_offline"]))
                continue
            scored: Scored = scorer(transcript, labels, rubric)
            words = coach(criterion.id, scored, transcript, labels, rubric.scale.max)
            coached.append((scored.score, criterion.title, words))
            results.append(CriterionResult(
                id=criterion.id, title=criterion.title, score=scored.score,
                first_raised_turn=scored.first_raised_turn if criterion.reports_first_raised_turn else None,
                evidence=scored.evidence, rationale=words.rationale, coaching=words.coaching))
        total = sum(r.score for r in results)
        evaluation = Evaluation(source=source, rubric=rubric.id, evaluator=EVALUATOR_NAME, criteria=results,
                                total=total, max_total=rubric.max_total,
                                feedback=summary(coached, transcript, rubric.scale.max))
        return verify_evidence(evaluation, transcript)

    return evaluate
