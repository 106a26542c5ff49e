"""Workshop aggregates, completion records and exports, from plain facts."""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from pydantic import ValidationError

from trainer.workshops import (
    InvalidWorkshop,
    Participant,
    SessionFacts,
    WorkshopSpec,
    build_dashboard,
    check_against_library,
    completion_records,
    to_csv,
    to_json,
)
from trainer.workshops.certificates import WorkshopTerms
from trainer.workshops.completion_rule import CompletionRule
from trainer.workshops.dashboard import missed_moments

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
RSC, VPM = "raised_sexual_cycle_early", "validated_protective_moves"
ANA, BEN, CY = (Participant(uuid.uuid4(), n) for n in ("Ana", "Ben", "=Cy"))


def _evaluation(rsc: int, vpm: int, missed: str | None = None) -> dict:
    return {
        "criteria": [
            {"id": RSC, "title": "Raised the sexual cycle early", "score": rsc,
             "coaching": {"missed_moment": missed}},
            {"id": VPM, "title": "Validated protective moves", "score": vpm, "coaching": {}},
        ],
        "total": rsc + vpm, "max_total": 6,
    }


def _facts(who: Participant, minutes: int, evaluation: dict | None = None, **extra) -> SessionFacts:
    done = evaluation is not None
    return SessionFacts(
        session_id=uuid.uuid4(), user_id=who.user_id, participant=who.display_name,
        couple_id="marc-belinda", mode="practice", status="completed" if done else "in_progress",
        started_at=T0, ended_at=T0 + timedelta(minutes=minutes) if done else None,
        last_activity_at=T0 + timedelta(minutes=minutes), turn_count=12, evaluation=evaluation,
        **extra,
    )


SESSIONS = [
    _facts(ANA, 20, _evaluation(1, 2, "Belinda said 'we don't touch anymore' at turn 5.")),
    _facts(ANA, 15, _evaluation(3, 2)),
    _facts(BEN, 25, _evaluation(0, 1, "  Belinda said 'we don't touch anymore' at turn 5 ")),
    _facts(BEN, 7),
    _facts(CY, 10, _evaluation(2, 2, "Marc went quiet at turn 8."), supervisor_scores={VPM: 3},
           reviewed=True),
]


def test_dashboard_counts_people_sessions_distributions_and_missed_moments() -> None:
    board = build_dashboard([ANA, BEN, CY], SESSIONS)
    assert (board.participants, board.sessions_in_progress, board.sessions_completed) == (3, 1, 4)
    assert board.distributions[RSC] == {"0": 1, "1": 1, "2": 1, "3": 1}
    assert board.distributions[VPM] == {"0": 0, "1": 1, "2": 2, "3": 1}  # Cy's supervisor's 3 counts
    assert board.criterion_titles[VPM] == "Validated protective moves"
    top = board.missed_moments[0]
    assert (top.criterion_id, top.count) == (RSC, 2) and top.text.startswith("Belinda said")
    ben = next(p for p in board.people if p.display_name == "Ben")
    assert (ben.in_progress, ben.completed, ben.last_total) == (1, 1, 1)


def test_missed_moments_ignore_unfinished_sessions_and_respect_top() -> None:
    unfinished = _facts(ANA, 3, None)
    assert missed_moments([unfinished]) == []
    assert len(missed_moments(SESSIONS, top=1)) == 1


def _terms(title: str = "EFT day", on: date = date(2026, 11, 22), **rule) -> WorkshopTerms:  # type: ignore[no-untyped-def]
    return WorkshopTerms(uuid.uuid4(), title, on, "Fay", None, None, None, CompletionRule(**rule))


def test_completion_records_count_minutes_and_final_scores() -> None:
    records = {r.participant: r for r in completion_records(_terms(), [ANA, BEN, CY], SESSIONS)}
    assert records["Ana"].sessions_completed == 2 and records["Ana"].minutes_practised == 35.0
    assert records["Ben"].sessions_completed == 1 and records["Ben"].minutes_practised == 32.0
    cy = records["=Cy"].sessions[0]
    assert cy.criteria == {RSC: 2, VPM: 3} and cy.total == 5 and cy.reviewed
    assert completion_records(_terms("t", date.today()), [Participant(uuid.uuid4(), "Zoe")], [])[0].sessions_completed == 0


def test_csv_has_one_row_per_session_and_criterion_and_defuses_formulas() -> None:
    text = to_csv("EFT day", date(2026, 11, 22), SESSIONS)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 4 * 2 + 1  # four evaluated sessions x two criteria, one unfinished
    cy_rows = [r for r in rows if r["participant"] == "'=Cy"]
    assert {r["criterion_id"]: (r["evaluator_score"], r["supervisor_score"], r["final_score"]) for r in cy_rows} == {
        RSC: ("2", "", "2"), VPM: ("2", "3", "3"),
    }
    assert all(not r["participant"].startswith("=") for r in rows)


def test_json_export_is_structured() -> None:
    data = json.loads(to_json("EFT day", date(2026, 11, 22), SESSIONS))
    assert data["format"] == "trainer.workshop-export/v1" and len(data["sessions"]) == 5
    first = data["sessions"][0]
    assert first["participant"] == "=Cy"  # JSON keeps data verbatim; only CSV defuses
    assert first["criteria"][1] == {
        "id": VPM, "title": "Validated protective moves", "evaluator_score": 2,
        "supervisor_score": 3, "final_score": 3, "missed_moment": None,
    }


def test_spec_validation() -> None:
    spec = WorkshopSpec(title="  EFT   day ", date=date(2026, 11, 22),
                        couples=["marc-belinda", " marc-belinda"], rubric_id="eft-first-session")
    assert spec.title == "EFT day" and spec.couples == ["marc-belinda"]
    with pytest.raises(ValidationError):
        WorkshopSpec(title="", date=date.today(), couples=["x"], rubric_id="r")
    with pytest.raises(ValidationError):
        WorkshopSpec(title="t", date=date.today(), couples=[], rubric_id="r")
    with pytest.raises(ValidationError):
        WorkshopSpec(title="t", date=date.today(), couples=["x"], rubric_id="r", mode="exam")
    with pytest.raises(InvalidWorkshop, match="unknown couple"):
        check_against_library(spec.model_copy(update={"couples": ["nope"]}),
                              couples=["marc-belinda"], rubrics=["eft-first-session"])
    assert check_against_library(spec, couples=["marc-belinda"], rubrics=["eft-first-session"])
