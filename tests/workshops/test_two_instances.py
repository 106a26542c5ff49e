"""Two app servers, one PostgreSQL database, a real browser on each.

A participant joins by code and practises on instance A while the facilitator
watches the dashboard on instance B (it refreshes on its own); an admin then
opens the finished session for review on B. Nothing lives only in one process.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.accounts.dbkit import _empty_postgres, person
from tests.workshops.browser_kit import (
    SAY,
    follow_link,
    idle,
    say,
    shoot,
    sign_in,
    wait_for_metric,
)
from tests.workshops.servers import AppServer
from trainer import store as st
from trainer.store.models import PracticeSession, TurnRow
from trainer.workshops.service import create_workshop
from trainer.workshops.spec import WorkshopSpec

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.postgres]
@pytest.fixture
def shared_db(pg_url: str) -> Iterator[st.Store]:
    _empty_postgres(pg_url)
    opened = st.open_store(pg_url)
    yield opened
    opened.dispose()


@pytest.fixture
def two_servers(pg_url: str, shared_db: st.Store, tmp_path: Path) -> Iterator[tuple[AppServer, AppServer]]:
    a, b = AppServer(pg_url, tmp_path / "a", "a"), AppServer(pg_url, tmp_path / "b", "b")
    try:
        a.start()
        b.start()
        yield a, b
    finally:
        a.stop()
        b.stop()


def test_participant_on_one_instance_is_seen_and_reviewed_on_the_other(
    two_servers, shared_db: st.Store, browser, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    a, b = two_servers
    assert a.healthy() and b.healthy() and a.port != b.port
    fay = person(shared_db, "fay", "facilitator", password="fay's long secret")
    person(shared_db, "root", "admin", password="root's long secret")
    workshop = create_workshop(shared_db, fay, WorkshopSpec(
        title="EFT morning group", date=date(2026, 11, 22), couples=["marc-belinda"],
        rubric_id="eft-first-session"))

    facilitator = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    sign_in(facilitator, b, "fay", "fay's long secret")
    facilitator.get_by_role("heading", name="Workshops").wait_for(timeout=30_000)
    facilitator.get_by_role("link", name="Open the dashboard").click()
    facilitator.get_by_role("heading", name="EFT morning group").wait_for(timeout=30_000)
    wait_for_metric(facilitator, "Participants", "0")

    participant = browser.new_context(viewport={"width": 1400, "height": 950}).new_page()
    participant.goto(f"{a.url}join?code={workshop.join_code}")
    participant.get_by_label("Your name, as the facilitator will see it").fill("Pia Ng")
    participant.get_by_role("button", name="Join", exact=True).click()
    participant.get_by_text("You are in").wait_for(timeout=30_000)
    follow_link(participant, "Start practising", participant.locator(".st-key-start-marc-belinda button"))
    participant.locator(".st-key-start-marc-belinda button").click()
    participant.get_by_role("button", name="End session").wait_for(timeout=30_000)
    idle(participant)
    for text in SAY:
        say(participant, text)

    # instance B's dashboard refreshes itself: no reload, no click
    wait_for_metric(facilitator, "Participants", "1")
    wait_for_metric(facilitator, "Sessions in progress", "1")
    facilitator.get_by_text("Pia Ng").first.wait_for(state="attached", timeout=30_000)

    participant.get_by_role("button", name="End session").click()
    participant.get_by_role("heading", name="Feedback by criterion").wait_for(timeout=60_000)
    wait_for_metric(facilitator, "Sessions done", "1")
    wait_for_metric(facilitator, "Sessions in progress", "0")
    shoot(facilitator, tmp_path, "workshop-dashboard")

    with shared_db.transaction() as db:
        session_id, status = db.execute(select(PracticeSession.id, PracticeSession.status)).one()
        turns = db.scalar(select(func.count()).where(TurnRow.session_id == session_id))
    assert status == "completed" and turns >= 2 * len(SAY)

    admin = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    sign_in(admin, b, "root", "root's long secret")
    admin.get_by_role("heading", name="Practice").wait_for(timeout=30_000)  # landed: an admin practises too
    idle(admin)
    # a reload would start a new Streamlit session (signed out): navigate inside the app
    admin.get_by_role("link", name="Review").click()
    admin.get_by_role("heading", name="Sessions to review").wait_for(timeout=30_000)
    admin.locator(f".st-key-open-{session_id} button").click()
    admin.get_by_role("heading", name="Review: ").wait_for(timeout=30_000)
    admin.get_by_text(SAY[1][:40]).first.wait_for(timeout=30_000)
    shoot(admin, tmp_path, "supervisor-review")
