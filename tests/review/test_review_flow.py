"""Supervisor review: overrides beside the evaluator's scores, audit, reviewed flag, feedback."""

from __future__ import annotations

import pytest

from tests.accounts.dbkit import person, played
from trainer import store as st
from trainer.accounts.assignments import assign_supervisor
from trainer.review import (
    OverrideChange,
    ReviewConflict,
    ReviewError,
    load_review,
    review_history,
    review_queue,
    save_review,
    supervisor_feedback,
)
from trainer.store.access import NotFound

VPM = "validated_protective_moves"
RSC = "raised_sexual_cycle_early"


@pytest.fixture
def setup(store: st.Store):  # type: ignore[no-untyped-def]
    ana, sue = person(store, "ana"), person(store, "sue", "supervisor")
    assign_supervisor(store, sue.user_id, ana.user_id)
    sid = played(store, ana, {RSC: 1, VPM: 2, "drew_out_underlying_needs": 0})
    return ana, sue, sid


def test_override_keeps_evaluator_score_and_audits_every_change(store: st.Store, setup) -> None:  # type: ignore[no-untyped-def]
    _, sue, sid = setup
    view = load_review(store, sue, sid)
    assert view.version == 0 and view.evaluator_scores[VPM] == 2 and not view.overrides
    view = save_review(store, sue, sid, expected_version=0,
                       overrides={VPM: OverrideChange(3, "Named Marc's withdrawal as protection")},
                       overall_comment="Warm, steady pacing.")
    assert view.version == 1 and view.final_score(VPM) == 3 and view.final_score(RSC) == 1
    assert view.overrides[VPM].evaluator_score == 2 and view.overrides[VPM].updated_by == "Sue"
    view = save_review(store, sue, sid, expected_version=1,
                       overrides={VPM: OverrideChange(None), RSC: OverrideChange(2, "early enough")},
                       reviewed=True)
    assert view.reviewed and view.reviewed_by == "Sue" and set(view.overrides) == {RSC}
    assert view.final_score(VPM) == 2  # back to the evaluator's
    history = review_history(store, sue, sid)
    assert [(h.action, h.criterion_id) for h in history] == [
        ("override", VPM), ("comment", None), ("clear_override", VPM), ("override", RSC),
        ("mark_reviewed", None),
    ]
    assert history[0].before == {"score": 2} and history[0].after["score"] == 3
    assert history[2].before["score"] == 3 and all(h.actor == "Sue" for h in history)


def test_trainee_sees_feedback_only_once_reviewed(store: st.Store, setup) -> None:  # type: ignore[no-untyped-def]
    ana, sue, sid = setup
    save_review(store, sue, sid, expected_version=0, overall_comment="Draft thoughts",
                overrides={VPM: OverrideChange(3, "nice")})
    assert supervisor_feedback(store, ana, sid) is None
    save_review(store, sue, sid, expected_version=1, reviewed=True)
    feedback = supervisor_feedback(store, ana, sid)
    assert feedback and feedback.overall_comment == "Draft thoughts"
    assert feedback.reviewer == "Sue" and feedback.overrides[VPM].score == 3


def test_stale_version_gets_a_clear_conflict_and_changes_nothing(store: st.Store, setup) -> None:  # type: ignore[no-untyped-def]
    _, sue, sid = setup
    save_review(store, sue, sid, expected_version=0, overrides={VPM: OverrideChange(3, "a")})
    with pytest.raises(ReviewConflict, match="Sue saved this review") as caught:
        save_review(store, sue, sid, expected_version=0, overrides={VPM: OverrideChange(0, "b")})
    assert "not saved" in str(caught.value)
    assert load_review(store, sue, sid).overrides[VPM].comment == "a"


def test_bad_input_is_refused(store: st.Store, setup) -> None:  # type: ignore[no-untyped-def]
    ana, sue, sid = setup
    with pytest.raises(ReviewError, match="0, 1, 2 or 3"):
        save_review(store, sue, sid, expected_version=0, overrides={VPM: OverrideChange(4)})
    with pytest.raises(ReviewError, match="unknown criterion"):
        save_review(store, sue, sid, expected_version=0, overrides={"made_up": OverrideChange(1)})
    with pytest.raises(ReviewError, match="under"):
        save_review(store, sue, sid, expected_version=0, overall_comment="x" * 5000)
    with pytest.raises(NotFound):
        save_review(store, ana, sid, expected_version=0, overall_comment="I reviewed myself")
    assert load_review(store, sue, sid).version == 0


def test_unfinished_and_own_sessions_are_not_reviewable(store: st.Store, setup) -> None:  # type: ignore[no-untyped-def]
    ana, sue, _ = setup
    unfinished = played(store, ana, complete=False)
    own = played(store, sue)
    for sid in (unfinished, own):
        with pytest.raises(NotFound):
            load_review(store, sue, sid)


def test_queue_filters(store: st.Store, setup) -> None:  # type: ignore[no-untyped-def]
    _, sue, first = setup
    ben = person(store, "ben")
    assign_supervisor(store, sue.user_id, ben.user_id)
    high = played(store, ben, {RSC: 3, VPM: 3, "drew_out_underlying_needs": 3}, couple="other-couple")
    assert [i.session_id for i in review_queue(store, sue)] == [first, high]
    assert [i.session_id for i in review_queue(store, sue, trainee_id=ben.user_id)] == [high]
    assert [i.session_id for i in review_queue(store, sue, couple_id="other-couple")] == [high]
    assert [i.session_id for i in review_queue(store, sue, min_total=5)] == [high]
    assert [i.session_id for i in review_queue(store, sue, max_total=5)] == [first]
    today = review_queue(store, sue)[0].ended_at.date()
    assert len(review_queue(store, sue, since=today, until=today)) == 2
    assert review_queue(store, sue, until=today.replace(year=today.year - 1)) == []
    save_review(store, sue, first, expected_version=0, reviewed=True)
    assert [i.session_id for i in review_queue(store, sue)] == [high]
    assert len(review_queue(store, sue, include_reviewed=True)) == 2
