"""Calibration input from the database: evaluator vs supervisor scores of reviewed sessions."""

from __future__ import annotations

from sqlalchemy import select

from trainer.authz import Principal, SystemPrincipal, session_filter
from trainer.calibration import CalibrationReport, ScorePair, calibrate
from trainer.store.db import Store
from trainer.store.models import CriterionScoreRow, EvaluationRow, PracticeSession
from trainer.store.review_models import Review, ReviewOverride


def calibration_pairs(
    store: Store, viewer: Principal, *, rubric_id: str | None = None
) -> list[ScorePair]:
    """One pair per criterion of every reviewed session the viewer may see.

    The evaluator's side is the evaluation the review was made against; the
    supervisor's side is their override, or the evaluator's score they let stand.
    """
    if viewer.role not in ("supervisor", "admin") and not isinstance(viewer, SystemPrincipal):
        return []
    query = (
        select(Review.id, Review.session_id, CriterionScoreRow.criterion_id, CriterionScoreRow.score)
        .join(PracticeSession, PracticeSession.id == Review.session_id)
        .join(EvaluationRow, EvaluationRow.id == Review.evaluation_id)
        .join(CriterionScoreRow, CriterionScoreRow.evaluation_id == EvaluationRow.id)
        .where(Review.reviewed.is_(True), session_filter(viewer))
        .order_by(Review.id, CriterionScoreRow.id)
    )
    if rubric_id:
        query = query.where(EvaluationRow.rubric_id == rubric_id)
    with store.transaction() as db:
        rows = db.execute(query).all()
        review_ids = sorted({row[0] for row in rows})
        overrides = {
            (rid, cid): score
            for rid, cid, score in db.execute(
                select(ReviewOverride.review_id, ReviewOverride.criterion_id, ReviewOverride.score)
                .where(ReviewOverride.review_id.in_(review_ids))
            )
        } if review_ids else {}
    return [
        ScorePair(
            session_id=sid, criterion_id=cid, evaluator=int(score),
            supervisor=int(overrides.get((rid, cid), score)),
        )
        for rid, sid, cid, score in rows
    ]


def calibration_report(
    store: Store, viewer: Principal, *, rubric_id: str | None = None
) -> CalibrationReport:
    """Per-criterion agreement, criteria in the rubric's order when the rubric is known."""
    order, titles = _rubric_layout(rubric_id)
    pairs = calibration_pairs(store, viewer, rubric_id=rubric_id)
    return calibrate(pairs, rubric_id=rubric_id, titles=titles, criterion_order=order)


def _rubric_layout(rubric_id: str | None) -> tuple[list[str], dict[str, str]]:
    """Criterion order and titles: the named rubric's, else every installed rubric's titles."""
    from trainer.rubrics import list_rubrics

    try:
        rubrics = list_rubrics()
    except Exception:  # noqa: BLE001 - a broken library must not hide calibration figures
        return [], {}
    titles = {c.id: c.title for r in rubrics for c in r.criteria}
    order = [c.id for r in rubrics if r.id == rubric_id for c in r.criteria]
    return order, titles
