"""Once a supervisor releases a review, their score is the score: in the report headline and
cards, the PDF and Markdown, the progress chart and table, workshop exports, completion records
and calibration. A draft changes nothing the trainee or an export sees."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, date, datetime

import pyarrow as pa
import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from tests.accounts.dbkit import person, played
from tests.accounts.test_app_wiring import app
from tests.review.apptest_kit import app_as, texts
from trainer import store as st
from trainer.accounts.assignments import assign_supervisor
from trainer.practice import PracticeService, report_markdown, report_pdf
from trainer.practice.config import Backends
from trainer.review import OverrideChange, review_history, save_review
from trainer.review.audit_text import audit_sentence
from trainer.review.calibration_data import calibration_pairs
from trainer.store.records import UserRecord
from trainer.webapp.roles_nav import app_page
from trainer.workshops.queries import workshop_completion, workshop_dashboard, workshop_export
from trainer.workshops.service import create_workshop, join_with_account, tag_session
from trainer.workshops.spec import WorkshopSpec

RSC, VPM, NEEDS = "raised_sexual_cycle_early", "validated_protective_moves", "drew_out_underlying_needs"
OFFLINE = Backends("offline", "offline", "offline", None, None, False)
WHY = "You asked once, then went straight back to the chores."


def _release(store: st.Store, sue, sid, *, reviewed: bool = True) -> None:  # type: ignore[no-untyped-def]
    save_review(store, sue, sid, expected_version=0, overall_comment="Warm and steady.",
                overrides={RSC: OverrideChange(1, WHY)}, reviewed=reviewed)


@pytest.fixture
def reviewed(store: st.Store):  # type: ignore[no-untyped-def]
    """Ana's session: the evaluator gave 3 + 3 + 2 = 8; Sue released 1 for the first criterion: 6."""
    ana, sue = person(store, "ana"), person(store, "sue", "supervisor")
    assign_supervisor(store, sue.user_id, ana.user_id)
    sid = played(store, ana, {RSC: 3, VPM: 3, NEEDS: 2})
    _release(store, sue, sid)
    return ana, sue, sid


def _user(viewer, name: str = "Ana") -> UserRecord:  # type: ignore[no-untyped-def]
    return UserRecord(id=viewer.user_id, display_name=name, role=viewer.role, created_at=datetime.now(UTC))


def test_report_headline_and_cards_show_the_supervisors_score(app_db: str, store: st.Store, reviewed) -> None:  # type: ignore[no-untyped-def]
    ana, _, sid = reviewed
    at = app(ana, "Ana")
    at.query_params["session"] = str(sid)
    at.switch_page(app_page("report")).run()
    assert not at.exception, at.exception
    headline = next(m for m in at.metric if m.label.startswith("Total"))
    assert (headline.label, headline.value) == ("Total (your supervisor's)", "6 / 9")
    shown = texts(at)
    assert "The evaluator (offline) gave 8 / 9; Sue reviewed the session." in shown
    assert f"Sue's score: 1 / 3** \u2014 \u201c{WHY}\u201d" in shown
    assert "The evaluator scored 3 / 3" in shown


def test_a_draft_changes_nothing_the_trainee_sees(app_db: str, store: st.Store) -> None:
    ana, sue = person(store, "ana"), person(store, "sue", "supervisor")
    assign_supervisor(store, sue.user_id, ana.user_id)
    sid = played(store, ana, {RSC: 3, VPM: 3, NEEDS: 2})
    _release(store, sue, sid, reviewed=False)
    view = PracticeService(store, OFFLINE).report(_user(ana), sid)
    assert (view.total, view.overridden, view.reviewed) == (8, False, False)
    assert st.criterion_history(store, ana)[0].score == 3
    at = app(ana, "Ana")
    at.query_params["session"] = str(sid)
    at.switch_page(app_page("report")).run()
    assert [(m.label, m.value) for m in at.metric if m.label.startswith("Total")] == [("Total", "8 / 9")]


def test_pdf_and_markdown_carry_the_supervisors_score_comment_and_name(store: st.Store, reviewed) -> None:  # type: ignore[no-untyped-def]
    ana, _, sid = reviewed
    view = PracticeService(store, OFFLINE).report(_user(ana), sid)
    pdf = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(report_pdf(view))).pages)
    assert "Total 6 / 9 (your supervisor's score; evaluator 8 / 9)" in pdf
    assert "Reviewed by Sue on" in pdf and "Warm and steady." in pdf
    assert "Sue scored 1 / 3 (the evaluator: 3 / 3)" in pdf and WHY in pdf
    assert "Trainee: Ana" in pdf and f"Session: {view.ended_at:%d %B %Y}" in pdf
    markdown = report_markdown(view)
    assert "**Total:** 6 / 9 (your supervisor's score; evaluator 8 / 9)" in markdown
    assert "## Reviewed by Sue on" in markdown and WHY in markdown
    assert "**Trainee:** Ana" in markdown and f"**Session:** {view.ended_at:%d %B %Y}" in markdown


def _chart_frames(at: AppTest) -> list:  # type: ignore[type-arg]
    frames = []
    for chart in at.get("vega_lite_chart"):
        for dataset in chart.proto.datasets:
            frames.append(pa.ipc.open_stream(dataset.data.data).read_pandas())
    return frames


def test_progress_chart_and_table_show_the_supervisors_score(app_db: str, store: st.Store, reviewed) -> None:  # type: ignore[no-untyped-def]
    ana, _, _ = reviewed
    points = {p.criterion_id: p for p in st.criterion_history(store, ana)}
    assert (points[RSC].score, points[RSC].evaluator_score) == (1, 3)
    assert (points[VPM].score, points[VPM].evaluator_score) == (3, None)
    at = app(ana, "Ana")
    at.switch_page(app_page("progress")).run()
    assert not at.exception, at.exception
    frames = _chart_frames(at)
    first = next(f for f in frames if "Scored by" in f and list(f["Scored by"]) == ["supervisor"])
    assert list(first["Score"]) == [1] and list(first["Evaluator"]) == [3]
    table = at.dataframe[0].value
    assert list(table["Total"]) == ["6 / 9 (supervisor)"] and list(table["Scores"]) == ["1 \u00b7 3 \u00b7 2"]
    assert next(m for m in at.metric if m.label == "Latest total").value == "6 / 9"


def test_workshop_exports_records_and_dashboard_use_the_supervisors_score(store: st.Store) -> None:
    fay, ana, sue = person(store, "fay", "facilitator"), person(store, "ana"), person(store, "sue", "supervisor")
    assign_supervisor(store, sue.user_id, ana.user_id)
    room = create_workshop(store, fay, WorkshopSpec(title="Lab", date=date(2026, 11, 26),
                                                    couples=["marc-belinda"], rubric_id="eft-first-session"))
    join_with_account(store, ana, room.join_code)
    sid = played(store, ana, {RSC: 3, VPM: 3, NEEDS: 2})
    tag_session(store, ana, sid, room.id)
    draft = {r["criterion_id"]: r for r in csv.DictReader(io.StringIO(workshop_export(store, fay, room.id, "csv")))}
    save_review(store, sue, sid, expected_version=0, overrides={RSC: OverrideChange(1, WHY)})
    assert draft[RSC]["final_score"] == "3"  # before any review
    unchanged = {r["criterion_id"]: r for r in csv.DictReader(io.StringIO(workshop_export(store, fay, room.id, "csv")))}
    assert unchanged[RSC]["final_score"] == "3" and unchanged[RSC]["supervisor_score"] == ""  # a draft
    save_review(store, sue, sid, expected_version=1, reviewed=True)
    rows = {r["criterion_id"]: r for r in csv.DictReader(io.StringIO(workshop_export(store, fay, room.id, "csv")))}
    assert (rows[RSC]["evaluator_score"], rows[RSC]["supervisor_score"], rows[RSC]["final_score"]) == ("3", "1", "1")
    assert (rows[RSC]["session_total"], rows[RSC]["evaluator_total"], rows[RSC]["reviewed"]) == ("6", "8", "True")
    import json

    session = json.loads(workshop_export(store, fay, room.id, "json"))["sessions"][0]
    assert (session["total"], session["evaluator_total"], session["criteria"][0]["final_score"]) == (6, 8, 1)
    record = workshop_completion(store, fay, room.id)[0]
    assert record.sessions[0].total == 6 and record.sessions[0].criteria[RSC] == 1
    board = workshop_dashboard(store, fay, room.id)
    assert board.distributions[RSC]["1"] == 1 and board.people[0].last_total == 6
    pairs = {p.criterion_id: p for p in calibration_pairs(store, sue)}
    assert (pairs[RSC].evaluator, pairs[RSC].supervisor) == (3, 1)


def test_the_audit_trail_reads_as_sentences(store: st.Store, reviewed) -> None:  # type: ignore[no-untyped-def]
    _, sue, sid = reviewed
    save_review(store, sue, sid, expected_version=1, overrides={RSC: OverrideChange(None)}, reviewed=False)
    titles = {RSC: "Raised the sexual cycle early"}
    lines = [audit_sentence(entry, titles) for entry in review_history(store, sue, sid)]
    assert lines[0].endswith(f"Sue changed \u201cRaised the sexual cycle early\u201d from the evaluator's "
                             f"3/3 to 1/3, because \u201c{WHY}\u201d")
    assert lines[1].endswith("Sue changed the overall comment to \u201cWarm and steady.\u201d")
    assert "Sue marked the session reviewed" in lines[2]
    assert lines[3].endswith("Sue went back to the evaluator's score for "
                             "\u201cRaised the sexual cycle early\u201d: 1/3 -> 3/3.")
    assert "Sue reopened the review" in lines[4]
    assert all(" UTC: Sue " in line and "{" not in line and "\\" not in line for line in lines)
    assert all(str(uuid.UUID(int=0))[:4] not in line for line in lines)


def test_the_review_page_shows_the_audit_sentences(app_db: str, store: st.Store, reviewed) -> None:  # type: ignore[no-untyped-def]
    from trainer.rubrics import load_rubric

    _, sue, sid = reviewed
    title = load_rubric().criterion(RSC).title
    at = app_as(sue, "Sue", page="review", query={"session": str(sid)})
    assert not at.exception, at.exception
    history = texts(at).split("History of this review")[-1]
    assert f"Sue changed \u201c{title}\u201d from the evaluator's 3/3 to 1/3" in texts(at)
    assert RSC not in history and "{'score'" not in history
