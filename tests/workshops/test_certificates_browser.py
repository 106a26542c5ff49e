"""The real app in a real Chromium: a facilitator creates a workshop with CE hours, a participant
completes it and downloads their certificate, the facilitator downloads the roster and every
certificate. Screenshots and downloads stay in the test's temporary folder."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.accounts.dbkit import person
from tests.workshops.browser_kit import (
    SAY,
    follow_link,
    idle,
    open_dashboard,
    say,
    sign_in,
    wait_for_metric,
)
from trainer.workshops.service import join_workshop, list_workshops

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _download(page, button_name: str, target: Path) -> bytes:  # type: ignore[no-untyped-def]
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name=button_name).click()
    info.value.save_as(str(target))
    return target.read_bytes()


def _pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)


def test_a_ce_workshop_from_creation_to_certificates(app_server, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    server, store = app_server
    fay = person(store, "fay", "facilitator", password="fay's long secret")

    facilitator = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True).new_page()
    sign_in(facilitator, server, "fay", "fay's long secret")
    facilitator.get_by_role("heading", name="Workshops").wait_for(timeout=30_000)
    idle(facilitator)
    facilitator.get_by_label("Title").fill("EFT lab, Thursday")
    facilitator.get_by_text("assessment", exact=True).first.click()
    facilitator.get_by_label("CE hours (0: none)").fill("1.5")
    facilitator.get_by_label("Provider").fill("Northside Institute")
    facilitator.get_by_label("Approval number").fill("CE-2026-0142")
    facilitator.get_by_text("Assessment sessions only").click()
    facilitator.get_by_role("button", name="Create workshop").click()
    facilitator.get_by_text("Created. Join code").wait_for(timeout=30_000)
    idle(facilitator)
    facilitator.get_by_text("1.5 hours CE from Northside Institute (approval CE-2026-0142)").wait_for(timeout=30_000)
    facilitator.get_by_role("link", name="Open the dashboard").scroll_into_view_if_needed()
    facilitator.screenshot(path=str(tmp_path / "facilitator-workshops.png"))
    room = list_workshops(store, fay)[0]
    assert (room.mode, room.ce_hours, room.completion_mode, room.completion_sessions) == ("assessment", 1.5,
                                                                                        "assessment", 1)
    join_workshop(store, room.join_code, "Max Weber")  # joins, never finishes a session

    participant = browser.new_context(viewport={"width": 1400, "height": 950}, accept_downloads=True).new_page()
    participant.goto(f"{server.url}join?code={room.join_code}")
    participant.get_by_label("Your name, as the facilitator will see it").fill("Pia Ng")
    participant.get_by_role("button", name="Join", exact=True).click()
    participant.get_by_text("You are in").wait_for(timeout=30_000)
    follow_link(participant, "Start practising", participant.get_by_text("(0 of 1 so far)"))
    idle(participant)
    participant.locator('[class*="st-key-start-"] button').first.click()  # the workshop's one couple
    participant.get_by_role("button", name="End session").wait_for(timeout=30_000)
    idle(participant)
    for text in SAY:
        say(participant, text)
    participant.get_by_role("button", name="End session").click()
    participant.get_by_role("heading", name="Feedback by criterion").wait_for(timeout=60_000)
    participant.get_by_role("link", name="Practice").first.click()
    participant.get_by_text("You have completed EFT lab, Thursday").wait_for(timeout=30_000)
    idle(participant)
    participant.screenshot(path=str(tmp_path / "participant-completed.png"), full_page=True)
    own = _pdf_text(_download(participant, "Your certificate (PDF)", tmp_path / "own-certificate.pdf"))
    assert "Pia Ng" in own and "EFT lab, Thursday" in own and "1.5 hours" in own

    open_dashboard(facilitator)
    facilitator.get_by_role("heading", name="EFT lab, Thursday").wait_for(timeout=30_000)
    wait_for_metric(facilitator, "Completed", "1 of 2")
    facilitator.locator('[data-testid="stDataFrame"] canvas').first.wait_for(timeout=30_000)
    idle(facilitator)
    facilitator.get_by_role("button", name="Roster (CSV)").scroll_into_view_if_needed()
    idle(facilitator)
    facilitator.screenshot(path=str(tmp_path / "facilitator-dashboard.png"))
    roster = list(csv.DictReader(io.StringIO(
        _download(facilitator, "Roster (CSV)", tmp_path / "roster.csv").decode("utf-8"))))
    assert [(r["participant"], r["completed"], r["ce_hours"]) for r in roster] == [
        ("Max Weber", "no", "0"), ("Pia Ng", "yes", "1.5")]
    data = _download(facilitator, "All certificates (PDF, 1 page)", tmp_path / "certificates.pdf")
    text = _pdf_text(data)
    for expected in ("CERTIFICATE OF COMPLETION", "Pia Ng", "EFT lab, Thursday", "facilitated by Fay",
                     "Continuing-education hours: 1.5 hours", "Provider: Northside Institute",
                     "Approval number: CE-2026-0142", roster[1]["certificate_id"]):
        assert expected in text, expected
    assert "Max Weber" not in text
    box = PdfReader(io.BytesIO(data)).pages[0].mediabox
    assert float(box.width) > float(box.height)  # a landscape page, to print
