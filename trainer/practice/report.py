"""The report a trainee reads after a session, as plain data every output shares.

The report page, the Markdown and the PDF export all render one `ReportView`,
so they can never disagree about a score, a quote or a missed moment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from trainer.official_scores import ReleasedReview, official_result
from trainer.personas import Couple
from trainer.rubrics import Rubric
from trainer.transcript import Transcript, is_therapist_speaker


@dataclass(frozen=True)
class EvidenceView:
    turn: int
    quote: str
    speaker: str


@dataclass(frozen=True)
class CriterionView:
    id: str
    title: str
    description: str
    score: int
    max_score: int
    anchor: str  # the rubric's words for the score given
    anchors: dict[int, str]
    rationale: str
    evidence: list[EvidenceView]
    first_raised_turn: int | None
    did_well: str | None
    missed_turn: int | None
    missed_moment: str | None
    try_instead: str | None
    flags: list[str] = field(default_factory=list)
    evaluator_score: int | None = None  # set when a supervisor's released score replaced it
    supervisor: str | None = None  # who overrode the score
    supervisor_comment: str | None = None

    @property
    def overridden(self) -> bool:
        return self.evaluator_score is not None


@dataclass(frozen=True)
class TurnView:
    index: int
    speaker: str
    text: str
    nonverbal: str
    is_therapist: bool
    therapist_ordinal: int  # therapist turns so far (0 before the first)
    evidence_for: list[str]  # criterion titles citing this turn
    fallback: bool = False

    @property
    def anchor(self) -> str:
        return f"turn-{self.index}"


@dataclass(frozen=True)
class StatePoint:
    therapist_turn: int
    partner: str
    measure: str  # "openness" | "defensiveness"
    value: float


@dataclass(frozen=True)
class CycleView:
    partner: str
    emotional_cycle: str
    sexual_cycle: str


@dataclass(frozen=True)
class ReportView:
    title: str
    subtitle: str
    source: str
    partners: list[str]
    rubric_id: str
    rubric_title: str
    evaluator: str
    early_window: int
    total: int
    max_total: int
    feedback: str | None
    criteria: list[CriterionView]
    turns: list[TurnView]
    state_points: list[StatePoint]
    cycles: list[CycleView]
    notices: list[str]
    fallback: bool
    flags: list[str]
    mode: str | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    session_id: str | None = None
    trainee: str | None = None  # who held the session
    evaluator_total: int | None = None  # the evaluator's total, when a supervisor changed scores
    reviewer: str | None = None  # set once a supervisor released their review
    reviewed_at: datetime | None = None
    overall_comment: str | None = None

    @property
    def therapist_turns(self) -> int:
        return sum(1 for turn in self.turns if turn.is_therapist)

    @property
    def reviewed(self) -> bool:
        return self.reviewer is not None or self.reviewed_at is not None

    @property
    def overridden(self) -> bool:
        return any(c.overridden for c in self.criteria)


def _state_points(turns: list[dict[str, Any]]) -> list[StatePoint]:
    """Openness/defensiveness per partner after each therapist turn (last state wins)."""
    latest: dict[int, dict[str, Any]] = {}
    ordinal = 0
    for turn in turns:
        if is_therapist_speaker(str(turn.get("speaker", ""))):
            ordinal += 1
            continue
        state = turn.get("state")
        if isinstance(state, dict) and state:
            latest[ordinal] = state
    points: list[StatePoint] = []
    for when in sorted(latest):
        for partner, values in latest[when].items():
            if not isinstance(values, dict):
                continue
            for measure in ("openness", "defensiveness"):
                value = values.get(measure)
                if isinstance(value, int | float):
                    points.append(StatePoint(when, str(partner), measure, float(value)))
    return points


def _flag_text(flag: Any) -> str:
    if isinstance(flag, dict):
        who = f" at {flag['partner']}" if flag.get("partner") else ""
        kind = str(flag.get("kind", "flag")).replace("_", " ")
        turn = f" (turn {flag['turn']})" if flag.get("turn") is not None else ""
        return f"{kind}{who}{turn}"
    return str(flag)


_BARE_SCORE = re.compile(r"^\s*\d+\s*/\s*\d+\s*\.\s*")


def _rationale(text: str, anchors: dict[int, str]) -> str:
    """The evaluator's reasoning without the anchor text the card already shows under it."""
    for level, anchor in anchors.items():
        text = text.replace(f"Anchor {level}: {anchor}", "").replace(anchor, "")
    return " ".join(text.split())


def build_report(
    turns: list[dict[str, Any]],
    evaluation: dict[str, Any],
    rubric: Rubric,
    *,
    title: str,
    subtitle: str = "",
    source: str = "",
    couple: Couple | None = None,
    partners: list[str] | None = None,
    flags: list[Any] | None = None,
    review: ReleasedReview | None = None,
    **meta: Any,
) -> ReportView:
    """Join a transcript (turn dicts), an evaluation (model dump) and the rubric; with a released
    `review`, the supervisor's scores are the report's scores and the evaluator's stand beside them."""
    evaluation = official_result(evaluation, review.overrides if review else None)
    comments = review.scores if review else {}
    speakers = {i: str(t.get("speaker", "")) for i, t in enumerate(turns)}
    criteria: list[CriterionView] = []
    cited: dict[int, list[str]] = {}
    for item in evaluation.get("criteria", []):
        try:
            rubric_criterion = rubric.criterion(item["id"])
            description, anchors = rubric_criterion.description, dict(rubric_criterion.anchors)
            title_text = rubric_criterion.title
        except KeyError:
            description, anchors = "", {}
            title_text = item.get("title") or item["id"]
        score = int(item.get("score", 0))
        evidence = [
            EvidenceView(int(e["turn"]), str(e["quote"]), speakers.get(int(e["turn"]), ""))
            for e in item.get("evidence", [])
        ]
        for ev in evidence:
            cited.setdefault(ev.turn, [])
            if title_text not in cited[ev.turn]:
                cited[ev.turn].append(title_text)
        coaching = item.get("coaching") or {}
        criteria.append(
            CriterionView(
                id=item["id"], title=title_text, description=description, score=score,
                max_score=rubric.scale.max, anchor=anchors.get(score, ""), anchors=anchors,
                rationale=_rationale(str(item.get("rationale") or ""), anchors), evidence=evidence,
                first_raised_turn=item.get("first_raised_turn"),
                did_well=coaching.get("did_well"), missed_turn=coaching.get("missed_turn"),
                missed_moment=coaching.get("missed_moment"), try_instead=coaching.get("try_instead"),
                flags=list(item.get("flags") or []),
                evaluator_score=item.get("evaluator_score") if item.get("overridden") else None,
                supervisor=review.reviewer if review and item.get("overridden") else None,
                supervisor_comment=comments[item["id"]].comment if item["id"] in comments else None,
            )
        )
    views: list[TurnView] = []
    ordinal = 0
    for index, turn in enumerate(turns):
        therapist = is_therapist_speaker(speakers[index])
        ordinal += 1 if therapist else 0
        views.append(
            TurnView(
                index=index, speaker=speakers[index], text=str(turn.get("text", "")),
                nonverbal=str(turn.get("nonverbal") or ""), is_therapist=therapist,
                therapist_ordinal=ordinal, evidence_for=cited.get(index, []),
                fallback=bool(turn.get("fallback", False)),
            )
        )
    names = partners or (couple.names if couple else [])
    if not names:
        names = list(dict.fromkeys(t.speaker for t in views if not t.is_therapist))
    cycles = (
        [CycleView(p.name, p.emotional_cycle, p.sexual_cycle) for p in couple.partners]
        if couple else []
    )
    return ReportView(
        title=title, subtitle=subtitle, source=source, partners=names, rubric_id=rubric.id,
        rubric_title=rubric.title, evaluator=str(evaluation.get("evaluator", "")),
        early_window=rubric.early_window, total=int(evaluation.get("total", 0)),
        max_total=int(evaluation.get("max_total", rubric.max_total)),
        feedback=_BARE_SCORE.sub("", str(evaluation.get("feedback") or "")) or None,
        criteria=criteria, turns=views,
        state_points=_state_points(turns), cycles=cycles,
        notices=[str(n) for n in evaluation.get("notices") or []],
        fallback=bool(evaluation.get("fallback", False)),
        flags=[_flag_text(f) for f in flags or []],
        evaluator_total=evaluation.get("evaluator_total"),
        reviewer=(review.reviewer or "your supervisor") if review else None,
        reviewed_at=review.reviewed_at if review else None,
        overall_comment=review.overall_comment if review else None, **meta,
    )


def transcript_turns(transcript: Transcript) -> list[dict[str, Any]]:
    """Turn dicts (with any `state`/`nonverbal` extras) from an uploaded transcript."""
    return [turn.model_dump(mode="json") for turn in transcript.turns]
