"""Continuing education: workshops with CE details, the completion rule, roster, certificates,
completion records that agree with the sessions export; the facilitator's and the
participant's pages (AppTest)."""

from __future__ import annotations

import csv
import io
import json
import uuid
import zipfile
from datetime import UTC, date, datetime, timedelta

import pytest
from pydantic import ValidationError
from pypdf import PdfReader
from sqlalchemy import update

from tests.accounts.dbkit import person, played
from tests.accounts.test_app_wiring import app
from tests.review.apptest_kit import app_as, texts
from trainer import store as st
from trainer.store.models import PracticeSession
from trainer.webapp.auth import AUTH_KIND, WORKSHOP
from trainer.workshops import Participant, SessionFacts
from trainer.workshops.certificate_pdf import certificate_pdf, certificates_zip
from trainer.workshops.certificates import (
    WorkshopTerms,
    certificate_id,
    certificates,
    roster,
    roster_csv,
)
from trainer.workshops.completion import completion_records
from trainer.workshops.completion_rule import CompletionRule
from trainer.workshops.exports import to_json
from trainer.workshops.queries import (
    my_workshop_standing,
    workshop_certificates,
    workshop_completion,
    workshop_export,
    workshop_roster,
)
from trainer.workshops.service import create_workshop, join_workshop, list_workshops
from trainer.workshops.spec import WorkshopSpec, spec_problems

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
ANA, BEN, ZOE = (Participant(uuid.uuid4(), n, T0) for n in ("Ana Lima", "=Ben", "Zo\u00eb"))
RULE = CompletionRule(2, "assessment")
TERMS = WorkshopTerms(uuid.uuid4(), "EFT lab", date(2026, 11, 26), "Fay Okafor", 3.5,
                      "Northside Institute", "CE-2026-0142", RULE)
CE_SPEC = WorkshopSpec(title="EFT lab", date=date(2026, 11, 26), couples=["marc-belinda"],
                       rubric_id="eft-first-session", mode="assessment", ce_hours=3.5,
                       ce_provider="Northside Institute", ce_approval="CE-2026-0142",
                       completion_sessions=2, completion_mode="assessment")


def _facts(who: Participant, start_minutes: int, seconds: int, mode: str = "assessment",
           done: bool = True, **extra) -> SessionFacts:  # type: ignore[no-untyped-def]
    start = T0 + timedelta(minutes=start_minutes)
    return SessionFacts(
        session_id=uuid.uuid4(), user_id=who.user_id, participant=who.display_name,
        couple_id="marc-belinda", mode=mode, status="completed" if done else "in_progress",
        started_at=start, ended_at=start + timedelta(seconds=seconds) if done else None,
        last_activity_at=start + timedelta(seconds=seconds), turn_count=8,
        evaluation={"criteria": [{"id": "c", "title": "C", "score": 2}], "total": 2, "max_total": 3}
        if done else None, **extra)


SESSIONS = [
    _facts(ANA, 0, 600), _facts(ANA, 20, 6),  # two assessment sessions, the second only seconds long
    _facts(BEN, 0, 900), _facts(BEN, 20, 900, mode="practice", engine="llm:gpt-4o-mini",
                                prompt_tokens=900, completion_tokens=300),
    _facts(ZOE, 5, 300, done=False),
]


def test_the_rule_reads_as_a_sentence_and_counts_only_finished_sessions_of_its_mode() -> None:
    assert RULE.describe() == "two finished sessions in assessment mode"
    assert CompletionRule().describe() == "one finished session"
    assert RULE.counted(SESSIONS) == 3 and not RULE.met([SESSIONS[0], SESSIONS[3]])


def test_roster_and_certificates_follow_the_rule() -> None:
    entries = {e.participant: e for e in roster(TERMS, [ANA, BEN, ZOE], SESSIONS)}
    ana, ben, zoe = entries["Ana Lima"], entries["=Ben"], entries["Zo\u00eb"]
    assert (ana.completed, ana.sessions_counted, ana.completed_on) == (True, 2, date(2026, 11, 26))
    assert ana.certificate_id == certificate_id(TERMS.workshop_id, ANA.user_id) != certificate_id(TERMS.workshop_id, BEN.user_id)
    assert (ben.completed, ben.sessions_counted, ben.certificate_id) == (False, 1, None)  # practice does not count
    assert (zoe.sessions_started, zoe.sessions_finished, zoe.completed) == (1, 0, False)
    assert ana.minutes_practised == 11  # 10 minutes, and a 6-second session counted as a whole minute
    found = certificates(TERMS, list(entries.values()))
    assert [c.participant for c in found] == ["Ana Lima"]
    rows = list(csv.DictReader(io.StringIO(roster_csv(TERMS, list(entries.values())))))
    assert [r["participant"] for r in rows] == ["'=Ben", "Ana Lima", "Zo\u00eb"] or \
        [r["participant"] for r in rows] == ["Ana Lima", "'=Ben", "Zo\u00eb"]
    first = next(r for r in rows if r["participant"] == "Ana Lima")
    assert (first["completed"], first["ce_hours"], first["certificate_id"]) == ("yes", "3.5", ana.certificate_id)
    assert first["completion_rule"] == "two finished sessions in assessment mode"
    assert next(r for r in rows if r["participant"] == "'=Ben")["ce_hours"] == "0"


def test_completion_records_carry_ce_whole_minutes_and_the_exports_llm_word() -> None:
    records = {r.participant: r for r in completion_records(TERMS, [ANA, BEN, ZOE], SESSIONS)}
    ana, ben = records["Ana Lima"], records["=Ben"]
    assert (ana.completed, ana.ce_hours, ana.ce_provider, ana.ce_approval) == (True, 3.5, "Northside Institute", "CE-2026-0142")
    assert ana.facilitator == "Fay Okafor" and ana.certificate_id.startswith("CE-")
    assert (ben.completed, ben.ce_hours, ben.certificate_id) == (False, 0.0, None)
    assert ana.minutes_practised == 11 and isinstance(ana.minutes_practised, int)
    assert [s.minutes for s in ana.sessions] == [10, 1]
    export = json.loads(to_json("EFT lab", TERMS.held_on, SESSIONS))
    dumped = {r.participant: r.model_dump(mode="json") for r in records.values()}
    for person_ in export["participants"]:
        assert dumped[person_["participant"]]["usage"] == person_["usage"]  # same numbers, same "llm" word
    by_id = {s["session_id"]: s for s in export["sessions"]}
    for record in dumped.values():
        for session in record["sessions"]:
            assert session["usage"] == by_id[session["session_id"]]["usage"]
            assert session["minutes"] == by_id[session["session_id"]]["minutes"]
        assert record["minutes_practised"] == sum(
            s["minutes"] for s in export["sessions"] if s["participant"] == record["participant"])
    assert dumped["=Ben"]["usage"]["llm"] == "used" and dumped["Ana Lima"]["usage"]["llm"] == "offline"


def test_the_certificate_pdf_says_who_what_when_how_long_by_whom() -> None:
    entries = roster(TERMS, [ANA, BEN, ZOE], SESSIONS)
    cert = certificates(TERMS, entries)[0]
    data = certificate_pdf(cert)
    text = " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())
    for expected in ("CERTIFICATE OF COMPLETION", "Ana Lima", "EFT lab", "held on 26 November 2026",
                     "facilitated by Fay Okafor", "Continuing-education hours: 3.5 hours",
                     "Provider: Northside Institute", "Approval number: CE-2026-0142",
                     "two finished sessions in assessment mode", cert.certificate_id):
        assert expected in text, expected
    box = PdfReader(io.BytesIO(data)).pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape, to print as a certificate
    both = certificate_pdf([cert, cert])
    assert len(PdfReader(io.BytesIO(both)).pages) == 2
    with zipfile.ZipFile(io.BytesIO(certificates_zip([cert]))) as archive:
        assert archive.namelist() == ["certificate-ana-lima-eft-lab.pdf"]


def test_workshop_form_rules_and_plain_messages() -> None:
    with pytest.raises(ValidationError) as caught:
        WorkshopSpec(title="", date=date.today(), couples=["x"], rubric_id="r")
    assert spec_problems(caught.value) == ["Please give the workshop a title (up to 200 characters)."]
    with pytest.raises(ValidationError) as caught:
        WorkshopSpec(title="t", date=date.today(), couples=["x"], rubric_id="r", mode="practice",
                     completion_mode="assessment")
    assert "no session could count as assessment" in spec_problems(caught.value)[0]
    with pytest.raises(ValidationError) as caught:
        WorkshopSpec(title="t", date=date.today(), couples=["x"], rubric_id="r", ce_hours=2)
    assert spec_problems(caught.value) == ["A workshop that gives CE hours needs the provider's name."]
    with pytest.raises(ValidationError) as caught:
        WorkshopSpec(title="t", date=None, couples=[], rubric_id="r", ce_hours=-1)  # type: ignore[arg-type]
    assert len(spec_problems(caught.value)) == 3 and all("String should" not in p for p in spec_problems(caught.value))


def _assessment(store: st.Store, viewer, seconds: int = 600) -> uuid.UUID:  # type: ignore[no-untyped-def]
    sid = played(store, viewer, minutes=seconds / 60)
    with store.transaction() as db:
        db.execute(update(PracticeSession).where(PracticeSession.id == sid).values(mode="assessment")
                   .execution_options(synchronize_session=False))
    return sid


def test_the_store_keeps_ce_details_and_only_the_facilitator_gets_certificates(store: st.Store) -> None:
    fay, gus = person(store, "fay", "facilitator"), person(store, "gus", "facilitator")
    room = create_workshop(store, fay, CE_SPEC)
    assert (room.ce_hours, room.ce_provider, room.ce_approval, room.rule) == (3.5, "Northside Institute",
                                                                              "CE-2026-0142", RULE)
    pia, max_ = (join_workshop(store, room.join_code, n).viewer for n in ("Pia", "Max"))
    _assessment(store, pia)
    _assessment(store, pia)
    _assessment(store, max_)
    terms, entries = workshop_roster(store, fay, room.id)
    assert terms.facilitator == "Fay" and [e.completed for e in entries] == [False, True]  # Max, Pia
    assert [c.participant for c in workshop_certificates(store, fay, room.id)] == ["Pia"]
    record = {r.participant: r for r in workshop_completion(store, fay, room.id)}["Pia"]
    assert record.completed and record.ce_hours == 3.5 and record.facilitator == "Fay"
    assert workshop_export(store, fay, room.id, "csv").count("\n") == 3 * 3 + 1
    with pytest.raises(st.NotFound):
        workshop_roster(store, gus, room.id)
    _, mine, cert = my_workshop_standing(store, pia, room.id)
    assert mine.completed and cert.participant == "Pia"
    _, other, none = my_workshop_standing(store, max_, room.id)
    assert other.sessions_counted == 1 and none is None
    with pytest.raises(st.NotFound):
        my_workshop_standing(store, person(store, "ned"), room.id)


def test_facilitator_creates_a_ce_workshop_in_the_form(app_db: str, store: st.Store) -> None:
    fay = person(store, "fay", "facilitator")
    at = app_as(fay, "Fay", page="workshops")
    at.button(key="FormSubmitter:new-workshop-Create workshop").click().run()  # no title yet
    assert [e.value for e in at.error] == ["Please give the workshop a title (up to 200 characters)."]
    at.text_input[0].input("EFT lab")
    at.radio[0].set_value("assessment")
    at.number_input(key="ce-hours").set_value(3.5)
    at.text_input(key="ce-approval").input("CE-2026-0142")
    at.number_input(key="ce-sessions").set_value(2)
    at.radio(key="ce-mode").set_value("assessment")
    at.button(key="FormSubmitter:new-workshop-Create workshop").click().run()
    assert [e.value for e in at.error] == ["A workshop that gives CE hours needs the provider's name."]
    at.text_input(key="ce-provider").input("Northside Institute")
    at.button(key="FormSubmitter:new-workshop-Create workshop").click().run()
    assert not at.error, [e.value for e in at.error]
    made = list_workshops(store, fay)[0]
    assert (made.ce_hours, made.ce_provider, made.ce_approval, made.rule) == (3.5, "Northside Institute",
                                                                              "CE-2026-0142", RULE)
    assert "3.5 hours CE from Northside Institute (approval CE-2026-0142)" in texts(at)


def test_open_the_dashboard_opens_that_workshop(app_db: str, store: st.Store) -> None:
    fay = person(store, "fay", "facilitator")
    first = create_workshop(store, fay, CE_SPEC.model_copy(update={"title": "First", "date": date(2026, 11, 1)}))
    second = create_workshop(store, fay, CE_SPEC.model_copy(update={"title": "Second", "date": date(2026, 12, 1)}))
    at = app_as(fay, "Fay", page="workshops")
    links = {link.proto.query_string for link in at.get("page_link") if link.proto.label == "Open the dashboard"}
    assert links == {f"workshop={first.id}", f"workshop={second.id}"}
    for room in (first, second):
        dashboard = app_as(fay, "Fay", page="dashboard", query={"workshop": str(room.id)})
        assert [t.value for t in dashboard.title] == [room.title]
        assert dashboard.query_params["workshop"] in (str(room.id), [str(room.id)])
    plain = app_as(fay, "Fay", page="dashboard")  # no workshop in the address: the newest, named in it
    assert [t.value for t in plain.title] == ["Second"]
    assert plain.query_params["workshop"] in (str(second.id), [str(second.id)])
    plain.selectbox(key=f"dash-workshop-{second.id}").set_value(str(first.id)).run()
    assert [t.value for t in plain.title] == ["First"]


def test_dashboard_offers_the_roster_and_certificates(app_db: str, store: st.Store) -> None:
    fay = person(store, "fay", "facilitator")
    room = create_workshop(store, fay, CE_SPEC)
    pia, max_ = (join_workshop(store, room.join_code, n).viewer for n in ("Pia", "Max"))
    at = app_as(fay, "Fay", page="dashboard", query={"workshop": str(room.id)})
    assert next(m.value for m in at.metric if m.label == "Completed") == "0 of 2"
    assert "Certificates appear here as participants complete the workshop." in texts(at)
    _assessment(store, pia)
    _assessment(store, pia)
    _assessment(store, max_)
    at.run()
    assert not at.exception, at.exception
    assert next(m.value for m in at.metric if m.label == "Completed") == "1 of 2"
    shown = texts(at)
    assert "Completed by two finished sessions in assessment mode" in shown and "3.5 hours" in shown
    labels = [b.proto.label for b in at.get("download_button")]
    assert {"Roster (CSV)", "All certificates (PDF, 1 page)", "Certificates, one file each (ZIP)"} <= set(labels)
    people = at.dataframe[0].value
    assert list(people.columns) == ["Name", "In progress", "Done", "Last total", "Model use"]


def test_a_participant_sees_progress_then_downloads_their_certificate(app_db: str, store: st.Store) -> None:
    fay = person(store, "fay", "facilitator")
    room = create_workshop(store, fay, CE_SPEC)
    seat = join_workshop(store, room.join_code, "Pia")
    _assessment(store, seat.viewer)
    at = app(seat.viewer, "Pia", **{WORKSHOP: room.id, AUTH_KIND: "seat"})
    assert "two finished sessions in assessment mode (1 of 2 so far)" in texts(at)
    assert not [b for b in at.get("download_button") if b.proto.label == "Your certificate (PDF)"]
    _assessment(store, seat.viewer)
    at.run()
    assert "You have completed EFT lab" in texts(at)
    assert [b.proto.label for b in at.get("download_button")] == ["Your certificate (PDF)"]
