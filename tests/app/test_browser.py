"""End to end in a real headless Chromium: practise, restart the server, resume, end, read the report.

Screenshots go to the test's tmp folder (and to $TRAINER_SCREENSHOT_DIR when set).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from app_helpers import ROOT

from tests.conftest import keep_screenshot
from tests.workshops import browser_kit

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
TURNS = [
    "Welcome, both of you. What brings you in today?",
    (
        "Marc, when you go quiet or leave the room, it sounds like a way to keep things from "
        "blowing up. That makes sense."
    ),
    "Many couples find the physical side changes too. How are touch and affection going between you?",
    "Belinda, what happens inside you when he reaches for you?",
]


def _skip_or_fail(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`streamlit run streamlit_app.py` on a loopback port, with its own data dir."""

    def __init__(self, data_dir: Path, log: Path) -> None:
        self.port, self.data_dir, self.log = _free_port(), data_dir, log
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TRAINER_LLM", "OPENAI"))}
        env.update(TRAINER_DATA_DIR=str(self.data_dir), PYTHONUNBUFFERED="1",
                   TRAINER_SECRETS_FILE=str(self.data_dir / "no-secrets.toml"))
        env.pop("DATABASE_URL", None)
        command = [sys.executable, "-m", "streamlit", "run", "streamlit_app.py",
                   "--server.port", str(self.port), "--server.headless", "true",
                   "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise AssertionError(f"server did not start; see {self.log}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = Server(tmp_path / "data", tmp_path / "server.log")
    running.start()
    yield running
    running.stop()


@pytest.fixture
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        _skip_or_fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _skip_or_fail("playwright (Python package) is not installed")
    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield launched
        launched.close()


def shoot(page, tmp_path: Path, name: str, *, tall: int | None = None) -> None:  # type: ignore[no-untyped-def]
    if tall:
        page.set_viewport_size({"width": 1400, "height": tall})
        time.sleep(1.0)
    target = tmp_path / f"{name}.png"
    page.screenshot(path=str(target))
    keep_screenshot(target)
    if tall:
        page.set_viewport_size({"width": 1400, "height": 950})


def wait_idle(page) -> None:  # type: ignore[no-untyped-def]
    """Until the script run has finished and the page is stable (no running widget, no stale
    elements) for about a second."""
    quiet, deadline = 0, time.monotonic() + 60
    while quiet < 4 and time.monotonic() < deadline:
        time.sleep(0.25)
        busy = page.locator('[data-testid="stStatusWidget"]').count() or page.locator(
            '[data-stale="true"]').count()
        quiet = 0 if busy else quiet + 1


def say(page, text: str) -> None:  # type: ignore[no-untyped-def]
    browser_kit.say(page, text, settle=wait_idle)


def sign_in(page, url: str, tmp_path: Path | None = None) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    page.get_by_role("heading", name="Welcome").wait_for(timeout=30_000)
    if tmp_path is not None:
        wait_idle(page)
        shoot(page, tmp_path, "00-welcome")
    page.get_by_placeholder("Your name").fill("Ana")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Practice").wait_for(timeout=30_000)
    wait_idle(page)


def test_practise_restart_resume_end_and_read_the_report(server: Server, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1400, "height": 950})
    sign_in(page, server.url, tmp_path)
    shoot(page, tmp_path, "01-couples")
    page.locator(".st-key-start-marc-belinda button").click()
    page.get_by_role("button", name="End session").wait_for(timeout=30_000)
    wait_idle(page)
    for text in TURNS[:2]:
        say(page, text)
    before = page.locator('[data-testid="stChatMessage"]').all_inner_texts()

    server.stop()  # the server goes away mid-session...
    server.start()  # ...and comes back on the same database
    page.goto(server.url)  # the browser remembers who practises here: no name asked again
    page.get_by_role("heading", name="Practice").wait_for(timeout=30_000)
    wait_idle(page)
    assert page.get_by_text("Signed in as Ana").count() == 1
    page.get_by_text("Unfinished session").wait_for()
    page.get_by_role("button", name="Resume").click()
    page.get_by_role("button", name="End session").wait_for(timeout=30_000)
    wait_idle(page)
    assert page.locator('[data-testid="stChatMessage"]').all_inner_texts() == before

    for text in TURNS[2:]:
        say(page, text)
    assert page.get_by_text("Your turn 4 of the early window (6)").is_visible()
    shoot(page, tmp_path, "02-practice-session")

    page.get_by_role("button", name="End session").click()
    page.get_by_role("heading", name="Feedback by criterion").wait_for(timeout=60_000)
    wait_idle(page)
    page.locator('[data-testid="stMetric"]').filter(has_text="Total").first.wait_for(timeout=30_000)
    page.get_by_role("link", name="Raised the sexual cycle early").wait_for(timeout=30_000)
    evidence = page.locator('a[href^="#report-turn-"]')
    assert evidence.count() >= 1
    shoot(page, tmp_path, "03-report-top")
    with page.expect_download() as download:
        page.get_by_role("button", name="Report (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
    shoot(page, tmp_path, "04-report-full", tall=4200)
    evidence.first.click()
    time.sleep(0.8)
    target = evidence.first.get_attribute("href").lstrip("#")
    assert page.locator(f"#{target}").count() == 1
    shoot(page, tmp_path, "05-report-evidence-link")

    page.get_by_role("link", name="Progress").click()
    page.get_by_role("heading", name="Your progress").wait_for(timeout=30_000)
    wait_idle(page)
    page.locator('[data-testid="stDataFrame"] canvas').first.wait_for(timeout=30_000)
    time.sleep(2.0)  # the table draws on its canvas a moment later
    shoot(page, tmp_path, "06-progress")
