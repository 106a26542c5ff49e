"""AppTest flows: a supervisor reviews a session; others reach it by URL and find nothing."""

from __future__ import annotations

import pytest

from tests.accounts.dbkit import person, played
from tests.review.apptest_kit import app_as, texts
from trainer import store as st
from trainer.accounts.assignments import assign_supervisor
from trainer.review import load_review, review_history, supervisor_feedback

VPM = "validated_protective_moves"


def _setup(store: st.Store):  # type: ignore[no-untyped-def]
    ana, sue, tom = person(store, "ana"), person(store, "sue", "supervisor"), person(store, "tom", "supervisor")
    assign_supervisor(store, sue.user_id, ana.user_id)
    assign_supervisor(store, tom.user_id, ana.user_id)
    sid = played(store, ana, {"raised_sexual_cycle_early": 1, VPM: 2, "drew_out_underlying_needs": 1})
    return ana, sue, tom, sid


def test_supervisor_reviews_from_the_queue(app_db: str, store: st.Store) -> None:
    ana, sue, _, sid = _setup(store)
    at = app_as(sue, "Sue", page="review")
    assert not at.exception, at.exception
    assert "Ana" in texts(at)
    at.button(key=f"open-{sid}").click().run()
    assert at.query_params["session"] in (str(sid), [str(sid)])
    assert "Review:" in texts(at) and "Evidence" in texts(at)
    at.selectbox(key=f"score-{sid}-0-{VPM}").set_value(3)
    at.text_area(key=f"why-{sid}-0-{VPM}").input("You named Marc's quiet as protection.")
    at.text_area(key=f"overall-{sid}-0").input("Calm, steady first session.")
    at.checkbox(key=f"done-{sid}-0").check()
    at.button(key=f"FormSubmitter:review-{sid}-0-Save review").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    review = load_review(store, sue, sid)
    assert review.reviewed and review.version == 1 and review.final_score(VPM) == 3
    assert review.evaluator_scores[VPM] == 2
    assert [h.action for h in review_history(store, sue, sid)] == ["override", "comment", "mark_reviewed"]
    feedback = supervisor_feedback(store, ana, sid)
    assert feedback and feedback.overall_comment == "Calm, steady first session."


def test_second_supervisor_saving_over_a_newer_review_sees_a_conflict(app_db: str, store: st.Store) -> None:
    _, sue, tom, sid = _setup(store)
    sue_at = app_as(sue, "Sue", page="review", query={"session": str(sid)})
    tom_at = app_as(tom, "Tom", page="review", query={"session": str(sid)})
    sue_at.text_area(key=f"overall-{sid}-0").input("Sue's view.")
    sue_at.button(key=f"FormSubmitter:review-{sid}-0-Save review").click().run()
    tom_at.text_area(key=f"overall-{sid}-0").input("Tom's view.")
    tom_at.button(key=f"FormSubmitter:review-{sid}-0-Save review").click().run()
    assert any("Sue saved this review" in e.value for e in tom_at.error)
    assert load_review(store, sue, sid).overall_comment == "Sue's view."
    tom_at.button(key=f"reload-{sid}").click().run()
    assert tom_at.text_area(key=f"overall-{sid}-1").value == "Sue's view."


def test_others_reaching_a_session_by_url_find_nothing(app_db: str, store: st.Store) -> None:
    ana, _, _, sid = _setup(store)
    stranger = person(store, "sam", "supervisor")
    fay = person(store, "fay", "facilitator")
    at = app_as(stranger, "Sam", page="review", query={"session": str(sid)})
    assert "No such session among those you review." in texts(at)
    assert "Ana" not in texts(at) and "Evidence" not in texts(at)
    queue = app_as(stranger, "Sam", page="review")
    assert "No trainees are assigned to you yet" in texts(queue)  # explained, not an empty queue
    for viewer, name in ((ana, "Ana"), (fay, "Fay"), (None, "")):
        if viewer is None:  # a link opened signed out: the sign-in form, nothing of the session
            signed_out = app_as(None, page="review", query={"session": str(sid)})
            assert "Please sign in first" in texts(signed_out) and "Evidence" not in texts(signed_out)
        else:
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                app_as(viewer, name, page="review")  # not in their navigation at all
        page = app_as(viewer, name, page="review", query={"session": str(sid)}, all_pages=True)
        assert "Evidence" not in texts(page) and "Calm" not in texts(page)
        expected = "Please sign in first." if viewer is None else "not available to your account"
        assert expected in texts(page)


def test_calibration_page_shows_agreement(app_db: str, store: st.Store) -> None:
    _, sue, _, sid = _setup(store)
    empty = app_as(sue, "Sue", page="calibration")
    assert "No reviewed sessions yet" in texts(empty)
    from trainer.review import OverrideChange, save_review

    save_review(store, sue, sid, expected_version=0, reviewed=True, overrides={VPM: OverrideChange(3)})
    at = app_as(sue, "Sue", page="calibration")
    assert not at.exception
    assert at.metric[0].value == "1"
    frame = at.dataframe[0].value
    assert list(frame["Overridden"]) == [0, 1, 0]


def _feedback_script(session_id: str, user_id: str, role: str) -> None:
    import uuid

    from trainer.store.access import Viewer
    from trainer.webapp.components.supervisor_feedback import render_supervisor_feedback
    from trainer.webapp.resources import get_store

    render_supervisor_feedback(get_store(), Viewer(uuid.UUID(user_id), role), session_id,
                               {"validated_protective_moves": "Validated protective moves"})


def test_trainee_report_shows_supervisor_feedback_once_reviewed(app_db: str, store: st.Store) -> None:
    from streamlit.testing.v1 import AppTest

    from trainer.review import OverrideChange, save_review

    ana, sue, _, sid = _setup(store)
    ben = person(store, "ben")

    def render(viewer) -> AppTest:  # type: ignore[no-untyped-def]
        at = AppTest.from_function(_feedback_script, kwargs={
            "session_id": str(sid), "user_id": str(viewer.user_id), "role": viewer.role,
        }, default_timeout=60)
        return at.run()

    save_review(store, sue, sid, expected_version=0, overall_comment="Lovely <b>pacing</b>",
                overrides={VPM: OverrideChange(3, "You named **it**")})
    assert "Feedback from" not in texts(render(ana))  # a draft stays private
    save_review(store, sue, sid, expected_version=1, reviewed=True)
    shown = texts(render(ana))
    assert "Feedback from Sue" in shown and "Validated protective moves" in shown
    assert "Lovely \\<b\\>pacing" in shown and "named \\*\\*it\\*\\*" in shown  # text, never markup
    assert "Feedback from" not in texts(render(ben))  # not his session: nothing at all
