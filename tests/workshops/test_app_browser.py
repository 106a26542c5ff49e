"""The real app (streamlit_app.py) in a real Chromium, with accounts: a workshop end to end.

A participant joins by code and sees only the workshop's couples; the
facilitator's dashboard (wide layout, as shipped) shows the finished session;
once the supervisor marks it reviewed, the participant's report shows the
feedback right under the scores. Screenshots go to the test's tmp folder (and to $TRAINER_SCREENSHOT_DIR when set).
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.accounts.dbkit import person
from tests.workshops.browser_kit import (
    SAY,
    follow_link,
    idle,
    open_dashboard,
    say,
    shoot,
    sign_in,
    wait_for_metric,
)
from trainer.accounts.assignments import assign_supervisor
from trainer.review import OverrideChange, save_review
from trainer.store.models import PracticeSession
from trainer.workshops.service import create_workshop
from trainer.workshops.spec import WorkshopSpec

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_workshop_through_the_real_app(app_server, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    server, store = app_server
    fay = person(store, "fay", "facilitator", password="fay's long secret")
    sue = person(store, "sue", "supervisor", password="sue's long secret")
    workshop = create_workshop(store, fay, WorkshopSpec(
        title="EFT morning group", date=date(2026, 11, 22), couples=["marc-belinda", "ruth-harold"],
        rubric_id="eft-first-session", mode="practice"))

    participant = browser.new_context(viewport={"width": 1400, "height": 950}).new_page()
    participant.goto(f"{server.url}join?code={workshop.join_code}")
    participant.get_by_label("Your name, as the facilitator will see it").fill("Pia Ng")
    participant.get_by_role("button", name="Join", exact=True).click()
    participant.get_by_text("You are in").wait_for(timeout=30_000)
    follow_link(participant, "Start practising", participant.get_by_text("set by your facilitator"))
    idle(participant)
    cards = participant.locator('[class*="st-key-start-"] button')
    assert cards.count() == 2  # the workshop's couples only, not the whole library
    assert participant.locator('[data-testid="stButtonGroup"]').count() == 0  # no mode choice
    shoot(participant, tmp_path, "workshop-participant-picker")
    participant.locator(".st-key-start-marc-belinda button").click()
    participant.get_by_role("button", name="End session").wait_for(timeout=30_000)
    idle(participant)
    for text in SAY:
        say(participant, text)
    participant.get_by_role("button", name="End session").click()
    participant.get_by_role("heading", name="Feedback by criterion").wait_for(timeout=60_000)

    facilitator = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    facilitator.goto(server.url)
    facilitator.get_by_label("Username").wait_for(timeout=30_000)
    idle(facilitator)
    shoot(facilitator, tmp_path, "sign-in")
    sign_in(facilitator, server, "fay", "fay's long secret")
    facilitator.get_by_role("heading", name="Workshops").wait_for(timeout=30_000)
    open_dashboard(facilitator)
    facilitator.get_by_role("heading", name="EFT morning group").wait_for(timeout=30_000)
    wait_for_metric(facilitator, "Sessions done", "1")
    facilitator.get_by_text("Model usage: offline").first.wait_for(timeout=30_000)  # twice mid-refresh
    for ready in ('[data-testid="stDataFrame"] canvas', '[data-testid="stVegaLiteChart"] :is(canvas, svg)',
                  '[data-testid="stDownloadButton"] button'):
        facilitator.locator(ready).first.wait_for(timeout=30_000)  # drawn, not a placeholder
    idle(facilitator)
    time.sleep(1.5)  # the table paints its canvas a moment later
    shoot(facilitator, tmp_path, "workshop-dashboard-app")

    with store.transaction() as db:
        session_id, pia_id = db.execute(select(PracticeSession.id, PracticeSession.user_id)).one()
    assign_supervisor(store, sue.user_id, pia_id)
    save_review(store, sue, session_id, expected_version=0, reviewed=True,
                overall_comment="A calm, steady first session. Next time stay a beat longer with Belinda.",
                overrides={"validated_protective_moves": OverrideChange(3, "You named Marc's quiet as protection.")})

    participant.get_by_role("link", name="Report").click()  # the sidebar, same browser session
    participant.get_by_text("Feedback from Sue").wait_for(timeout=30_000)
    participant.get_by_text("stay a beat longer with Belinda").wait_for(timeout=30_000)
    idle(participant)
    shoot(participant, tmp_path, "report-supervisor-feedback")
