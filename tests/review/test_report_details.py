"""Report details: who and when on every download, no speaker name alone at a page foot, the
report the address asks for, and the Progress turn count as the session counter counts."""

from __future__ import annotations

import io
import random
import re
from datetime import UTC, datetime

from pypdf import PdfReader

from tests.accounts.dbkit import person
from tests.accounts.test_app_wiring import OFFLINE, SAY, app
from trainer import store as st
from trainer.practice import PracticeService, build_report, report_markdown, report_pdf
from trainer.rubrics import load_rubric
from trainer.store.records import UserRecord
from trainer.webapp import state
from trainer.webapp.roles_nav import app_page

WORDS = ("we", "never", "talk", "about", "it", "and", "then", "he", "goes", "quiet", "she", "pushes",
         "harder", "until", "someone", "leaves", "the", "kitchen")


def _long_view(seed: int):  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    turns = []
    for i in range(90):
        speaker = "therapist" if i % 3 == 0 else ("Marc" if i % 3 == 1 else "Belinda")
        sentences = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 16))).capitalize() + "."
                     for _ in range(rng.randint(1, 7))]
        turn = {"speaker": speaker, "text": " ".join(sentences)}
        if speaker != "therapist" and rng.random() < 0.4:
            turn["nonverbal"] = "looks away, arms folded"
        turns.append(turn)
    evaluation = {"evaluator": "offline", "total": 3, "max_total": 9, "criteria": [
        {"id": c.id, "title": c.title, "score": 1, "evidence": [], "rationale": "Because.",
         "coaching": {}} for c in load_rubric().criteria]}
    return build_report(turns, evaluation, load_rubric(), title="Business partners at home",
                        trainee="Ana", started_at=datetime(2026, 11, 26, 9, tzinfo=UTC),
                        ended_at=datetime(2026, 11, 26, 9, 40, tzinfo=UTC))


LABEL = re.compile(r"^\d+\. (?:therapist|Marc|Belinda)\b")


def test_no_speaker_label_or_heading_is_left_at_a_page_foot() -> None:
    for seed in range(6):
        pages = PdfReader(io.BytesIO(report_pdf(_long_view(seed)))).pages
        assert len(pages) > 4
        for number, page in enumerate(pages[:-1], start=1):
            lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
            body = [line for line in lines if not re.fullmatch(r"Page \d+", line)]
            last = body[-1]
            assert not LABEL.match(last), (seed, number, last)
            assert not last.startswith("(looks away"), (seed, number, last)
            assert last not in ("Transcript", "The couple's cycles"), (seed, number, last)


def test_every_download_names_the_trainee_and_the_date() -> None:
    view = _long_view(0)
    text = PdfReader(io.BytesIO(report_pdf(view))).pages[0].extract_text()
    assert "Trainee: Ana" in text and "Session: 26 November 2026, 09:40 UTC" in text
    markdown = report_markdown(view)
    assert "**Trainee:** Ana" in markdown and "**Session:** 26 November 2026, 09:40 UTC" in markdown


def _played(store: st.Store, viewer, couple: str) -> str:  # type: ignore[no-untyped-def]
    service = PracticeService(store, OFFLINE)
    user = UserRecord(id=viewer.user_id, display_name="Ana", role="trainee", created_at=datetime.now(UTC))
    live = service.start(user, couple, seed=2)
    for text in SAY:
        service.send(user, live, text)
    return str(service.end(user, live).id)


def test_the_address_decides_which_report_shows(app_db: str, store: st.Store) -> None:
    ana = person(store, "ana")
    first, second = _played(store, ana, "marc-belinda"), _played(store, ana, "ruth-harold")
    at = app(ana, "Ana", **{state.REPORT: first})
    at.switch_page(app_page("report")).run()
    title = at.title[0].value
    at.query_params["session"] = second
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value != title
    assert at.query_params["session"] in (second, [second])
    assert at.session_state[state.REPORT] == second


def test_progress_counts_the_trainees_turns_like_the_session_counter(app_db: str, store: st.Store) -> None:
    ana = person(store, "ana")
    sid = _played(store, ana, "marc-belinda")
    record = st.get_session(store, ana, sid)
    assert record.therapist_turns == len(SAY) < record.turn_count
    at = app(ana, "Ana")
    at.switch_page(app_page("progress")).run()
    assert not at.exception, at.exception
    assert list(at.dataframe[0].value["Turns"]) == [len(SAY)]
