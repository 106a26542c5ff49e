"""Rubric evaluators behind one seam: a registry from evaluator name to factory.

`EVALUATORS["offline"]` is the deterministic rule-based evaluator built on the
turn analysis. The LLM judge plugs in with `register_evaluator("llm", factory)`
(a factory takes the rubric and returns `Callable[[Transcript], Evaluation]`);
until it is registered, asking for it raises a one-line `TrainerError`.
"""

from __future__ import annotations

from collections.abc import Callable

from trainer.errors import TrainerError
from trainer.evaluate.result import (
    Coaching,
    CriterionResult,
    Evaluation,
    Evidence,
    find_verbatim,
    verify_evidence,
)
from trainer.rubrics import DEFAULT_RUBRIC_ID, Rubric, load_rubric
from trainer.transcript import Transcript

EvaluatorFn = Callable[[Transcript], Evaluation]
EvaluatorFactory = Callable[[Rubric], EvaluatorFn]


def _offline_factory(rubric: Rubric) -> EvaluatorFn:
    from trainer.evaluate.offline import make_offline_evaluator

    return make_offline_evaluator(rubric)


def _llm_factory(rubric: Rubric) -> EvaluatorFn:
    """Placeholder until the LLM judge registers itself (see `register_evaluator`)."""
    try:  # the LLM judge module, once it exists, registers a real factory on import
        import importlib

        importlib.import_module("trainer.evaluate.llm")
    except ModuleNotFoundError:
        pass
    factory = EVALUATORS.get("llm")
    if factory is None or factory is _llm_factory:
        raise TrainerError("the LLM evaluator is not configured yet; use --evaluator offline")
    return factory(rubric)


EVALUATORS: dict[str, EvaluatorFactory] = {"offline": _offline_factory, "llm": _llm_factory}


def register_evaluator(name: str, factory: EvaluatorFactory) -> None:
    """Add or replace an evaluator (used by the LLM judge module)."""
    EVALUATORS[name] = factory


def make_evaluator(rubric: Rubric, evaluator: str = "offline") -> EvaluatorFn:
    """The scoring function for `evaluator` and `rubric`; unknown names raise `TrainerError`."""
    factory = EVALUATORS.get(evaluator)
    if factory is None:
        known = ", ".join(sorted(EVALUATORS))
        raise TrainerError(f"unknown evaluator {evaluator!r} (known: {known})")
    return factory(rubric)


def llm_available() -> bool:
    """A real LLM judge is registered and a model is configured (no network is touched)."""
    try:
        import importlib

        importlib.import_module("trainer.evaluate.llm")
    except Exception:  # noqa: BLE001, S110 - the judge module is optional
        pass
    if EVALUATORS.get("llm") in (None, _llm_factory):
        return False
    try:
        from trainer.llm import load_profile

        return not load_profile().is_offline
    except Exception:  # noqa: BLE001 - unreadable settings: no LLM
        return False


def default_evaluator() -> str:
    """`llm` when a judge and a model are configured, else the offline evaluator."""
    return "llm" if llm_available() else "offline"


def evaluate(
    transcript: Transcript, rubric_id: str = DEFAULT_RUBRIC_ID, evaluator: str = "offline"
) -> Evaluation:
    """Score one transcript with the named evaluator against the rubric `rubric_id`."""
    return make_evaluator(load_rubric(rubric_id), evaluator)(transcript)


__all__ = [
    "EVALUATORS",
    "Coaching",
    "CriterionResult",
    "Evaluation",
    "Evidence",
    "default_evaluator",
    "evaluate",
    "find_verbatim",
    "llm_available",
    "make_evaluator",
    "register_evaluator",
    "verify_evidence",
]
