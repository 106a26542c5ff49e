"""LLM judge (`--evaluator llm`): one structured call per transcript, checked like the offline one.

Why it leans on the offline evaluator: the rule-based result is computed
first (fast, deterministic) and serves three purposes: its turn analysis is
given to the model as hints; a criterion whose non-zero LLM score is left
without verifiable evidence is re-scored from it (and flagged); and when the
model fails after bounded retries, it is returned whole with `fallback=True`
and a notice. Importing this module registers the judge as "llm".
"""

from __future__ import annotations

from typing import Any

from trainer.errors import TrainerError
from trainer.evaluate import register_evaluator
from trainer.evaluate.offline import make_offline_evaluator
from trainer.evaluate.result import (
    UNSUPPORTED_SCORE,
    Coaching,
    CriterionResult,
    Evaluation,
    Evidence,
    verify_evidence,
)
from trainer.rubrics import Rubric
from trainer.transcript import Transcript

EVALUATOR_NAME = "llm"
DEFAULT_MAX_TOKENS = 2000  # the bounded schema's worst case is about 1,500 tokens
DEFAULT_PROMPT_BUDGET = 30_000  # tokens; longer transcripts are scored offline, with a notice
RESCORED = "rescored_offline"  # flag: the LLM's score had no verifiable evidence
MISSING = "missing_from_llm"  # flag: the model skipped this criterion
NOT_CONFIGURED = ("the LLM judge needs a model: set TRAINER_LLM_PROVIDER=openai and OPENAI_API_KEY, "
                  "or TRAINER_LLM_BASE_URL and TRAINER_LLM_MODEL (see `trainer doctor`), "
                  "or use --evaluator offline")


class LLMJudge:
    """Callable `(transcript, source=None) -> Evaluation`; `meter` holds its token usage."""

    name = EVALUATOR_NAME

    def __init__(self, rubric: Rubric, client: Any, *,
                 prompt_budget: int = DEFAULT_PROMPT_BUDGET) -> None:
        self.rubric = rubric
        self.client = client  # trainer.llm.LLMClient (temperature 0)
        self.prompt_budget = prompt_budget
        self.offline = make_offline_evaluator(rubric)

    @property
    def meter(self) -> Any:
        return self.client.meter

    def messages(self, transcript: Transcript) -> list[Any]:
        """What the model is sent (tests and the benchmark inspect it)."""
        from trainer.analysis import analyze_transcript
        from trainer.evaluate.llm_prompt import build_messages

        return build_messages(self.rubric, transcript, analyze_transcript(transcript))

    def __call__(self, transcript: Transcript, source: str | None = None) -> Evaluation:
        from trainer.evaluate.llm_prompt import judgement_schema
        from trainer.llm import LLMUnavailable, count_messages

        offline = self.offline(transcript, source)
        messages = self.messages(transcript)
        size = count_messages(messages, self.client.profile.model)
        if size > self.prompt_budget:
            return _fallback(offline, f"transcript too long for the LLM judge ({size:,} tokens "
                                      f"> {self.prompt_budget:,})")
        try:
            judged = self.client.structured(messages, judgement_schema(self.rubric),
                                            label="judge")
        except LLMUnavailable as exc:
            return _fallback(offline, str(exc))
        return to_evaluation(judged, self.rubric, transcript, offline, source)


def _fallback(offline: Evaluation, why: str) -> Evaluation:
    notice = f"LLM judge unavailable ({' '.join(why.split())}); offline evaluator result shown"
    return offline.model_copy(update={"fallback": True, "notices": [*offline.notices, notice]})


def _turn(value: int | None, transcript: Transcript, *, therapist: bool = False) -> int | None:
    """`value` if it indexes a turn (a therapist turn when asked), else None."""
    if value is None or not 0 <= value < len(transcript.turns):
        return None
    if therapist and not transcript.turns[value].is_therapist:
        return None
    return value


def _criterion(got: Any, crit: Any, transcript: Transcript) -> CriterionResult:
    """One judged criterion as a CriterionResult (before evidence verification)."""
    first = None
    flags: list[str] = []
    if crit.reports_first_raised_turn and got.score >= 2:
        first = _turn(got.first_raised_turn, transcript, therapist=True)
        if first is None:  # take the earliest therapist turn the model quoted
            cited = [e.turn for e in got.evidence if _turn(e.turn, transcript, therapist=True)
                     is not None]
            first = min(cited) if cited else None
            flags.append("first_raised_turn_inferred" if first is not None
                         else "first_raised_turn_missing")
    return CriterionResult(
        id=crit.id, title=crit.title, score=got.score, first_raised_turn=first,
        evidence=[Evidence(turn=e.turn, quote=e.quote.strip() or e.quote) for e in got.evidence],
        rationale=" ".join(got.rationale.split()),
        coaching=Coaching(did_well=got.did_well.strip() or None,
                          missed_turn=_turn(got.missed_turn, transcript),
                          missed_moment=got.missed_moment.strip() or None,
                          try_instead=got.try_instead.strip() or None),
        flags=flags,
    )


def to_evaluation(judged: Any, rubric: Rubric, transcript: Transcript, offline: Evaluation,
                  source: str | None = None) -> Evaluation:
    """Map the bounded judgement into the shared Evaluation, verify every quote, re-score gaps."""
    by_id: dict[str, Any] = {}
    for item in judged.criteria:
        by_id.setdefault(item.id, item)
    results: list[CriterionResult] = []
    notices: list[str] = []
    for crit in rubric.criteria:
        got = by_id.get(crit.id)
        if got is None:
            off = offline.criterion(crit.id)
            results.append(off.model_copy(update={"flags": [*off.flags, MISSING, RESCORED]}))
            notices.append(f"{crit.id}: not scored by the LLM judge; offline score used")
            continue
        results.append(_criterion(got, crit, transcript))
    evaluation = verify_evidence(Evaluation(
        source=source, rubric=rubric.id, evaluator=EVALUATOR_NAME, criteria=results,
        total=0, max_total=rubric.max_total, feedback=" ".join(judged.feedback.split()) or None,
        notices=notices), transcript)
    checked: list[CriterionResult] = []
    notices = list(evaluation.notices)
    for result in evaluation.criteria:
        if UNSUPPORTED_SCORE in result.flags and RESCORED not in result.flags:
            off = offline.criterion(result.id)
            checked.append(off.model_copy(update={
                "flags": [*off.flags, *result.flags, RESCORED]}))
            notices.append(f"{result.id}: the LLM's score {result.score} had no verifiable "
                           f"evidence; offline score {off.score} used")
        else:
            checked.append(result)
    return evaluation.model_copy(update={
        "criteria": checked, "total": sum(r.score for r in checked), "notices": notices})


def make_llm_judge(rubric: Rubric, profile: Any = None, *, client: Any = None) -> LLMJudge:
    """The registered factory: a judge on the configured model, or one clear TrainerError."""
    if client is None:
        from trainer.llm import LLMClient, load_profile

        profile = profile or load_profile()
        if profile.is_offline:
            raise TrainerError(NOT_CONFIGURED)
        client = LLMClient.configured(profile, temperature=0, max_tokens=DEFAULT_MAX_TOKENS,
                                      deadline=profile.effective_judge_deadline)
    return LLMJudge(rubric, client)


register_evaluator(EVALUATOR_NAME, make_llm_judge)

__all__ = ["LLMJudge", "make_llm_judge", "to_evaluation"]
