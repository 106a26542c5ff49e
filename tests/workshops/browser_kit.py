"""What the workshop browser tests share: the lines a trainee types and the page steps
(wait for a rerun, sign in, follow a link, read a board figure)."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

from tests.conftest import keep_screenshot
from tests.workshops.servers import AppServer

SAY = [
    "Welcome, both of you. What brings you in today?",
    "Marc, when you go quiet, it sounds like a way to keep things from blowing up. That makes sense.",
    "How are touch and affection going between you these days?",
]


def idle(page) -> None:  # type: ignore[no-untyped-def]
    time.sleep(0.4)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=30_000)


def shoot(page, tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    keep_screenshot(target)


def say(page, text: str, settle=None) -> None:  # type: ignore[no-untyped-def]
    """Type a line to the couple and wait for both partners' replies, then for the page to settle
    (`settle`, default `idle`)."""
    messages = page.locator('[data-testid="stChatMessage"]')
    before = messages.count()
    box = page.get_by_placeholder("Speak to the couple\u2026")
    box.fill(text)
    box.press("Enter")
    deadline = time.monotonic() + 30
    while messages.count() < before + 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert messages.count() >= before + 2, "the couple did not answer"
    (settle or idle)(page)


def sign_in(page, server: AppServer, login: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url)
    page.get_by_label("Username").fill(login)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    idle(page)


def follow_link(page, name: str, arrived) -> None:  # type: ignore[no-untyped-def]
    """Click a page link and wait until `arrived` (a locator) shows. A click that lands while the
    page is still re-running is lost, so the link is clicked again while the page has not left."""
    idle(page)
    for _ in range(3):
        link = page.get_by_role("link", name=name)
        if link.count():
            link.first.click()
        with contextlib.suppress(Exception):
            arrived.first.wait_for(timeout=15_000)
            return
    raise AssertionError(f"following {name!r} never arrived")


def open_dashboard(page) -> None:  # type: ignore[no-untyped-def]
    """From the Workshops page to the board. Its title is a heading on both pages and the
    Workshops page shows a metric too (the join code), so arrival is the board's own figure."""
    follow_link(page, "Open the dashboard", page.locator('[data-testid="stMetric"]').filter(has_text="Sessions done"))


def metric(page, label: str, timeout: float = 5_000) -> str:  # type: ignore[no-untyped-def]
    box = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text(timeout=timeout).strip()


def wait_for_metric(page, label: str, value: str, timeout: float = 60) -> None:  # type: ignore[no-untyped-def]
    """The board refreshes itself every few seconds; a loaded machine may take several rounds."""
    deadline = time.monotonic() + timeout
    seen = "nothing"
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):  # the element may re-render mid-refresh
            seen = metric(page, label)
            if seen == value:
                return
        time.sleep(0.5)
    raise AssertionError(f"{label} never became {value} (last seen: {seen})")
