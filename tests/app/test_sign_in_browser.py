"""Sign-in in a real headless Chromium: it lasts across a refresh and a new tab, sign-out ends
it for good, guessing locks an account and an admin unlocks it from the app. Each role's main
page is photographed.

Screenshots go to this test's tmp folder (`screens/`), and also to
$TRAINER_SCREENSHOT_DIR when that is set.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from test_browser import CHROMIUM, LAUNCH_ARGS, Server, _skip_or_fail, wait_idle

from tests.conftest import keep_screenshot
from trainer import store as st
from trainer.accounts.assignments import assign_supervisor
from trainer.accounts.service import create_account
from trainer.accounts.session_settings import COOKIE_NAME
from trainer.accounts.sign_in import attempt_sign_in
from trainer.practice import PracticeService
from trainer.practice.config import Backends
from trainer.store.records import UserRecord

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORDS = {"root": "root's long secret", "sue": "sue's long secret",
             "fay": "fay's long secret", "ana": "ana's long secret"}
ROLES = {"root": "admin", "sue": "supervisor", "fay": "facilitator", "ana": "trainee"}
OFFLINE = Backends("offline", "offline", "offline", None, None, False)
SAY = [
    "Welcome, both of you. What brings you in today?",
    "Marc, when you go quiet, it sounds like a way to keep things from blowing up. That makes sense.",
    "How are touch and affection going between you these days?",
]


def _people(data_dir: Path) -> str:
    """Four accounts, Sue supervising Ana, and one finished session of Ana's; its id."""
    store = st.open_store(f"sqlite:///{data_dir / 'trainer.db'}")
    try:
        ids = {login: create_account(store, login=login, display_name=login.title(), role=role,
                                     password=PASSWORDS[login]).user_id
               for login, role in ROLES.items()}
        assign_supervisor(store, ids["sue"], ids["ana"])
        service = PracticeService(store, OFFLINE)
        ana = UserRecord(id=ids["ana"], display_name="Ana", role="trainee", created_at=datetime.now(UTC))
        live = service.start(ana, "marc-belinda", seed=3)
        for text in SAY:
            service.send(ana, live, text)
        return str(service.end(ana, live).id)
    finally:
        store.dispose()


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[tuple[Server, str]]:
    data = tmp_path / "data"
    data.mkdir()
    session_id = _people(data)
    running = Server(data, tmp_path / "server.log")
    running.start()
    yield running, session_id
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


def shoot(page, tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    wait_idle(page)
    folder = tmp_path / "screens"
    folder.mkdir(exist_ok=True)
    target = folder / f"{name}.png"
    page.screenshot(path=str(target))
    keep_screenshot(target)


def heading(page, name: str):  # type: ignore[no-untyped-def]
    return page.get_by_role("heading", name=name, exact=True)


def session_cookie(context) -> dict | None:  # type: ignore[no-untyped-def]
    return next((c for c in context.cookies() if c["name"] == COOKIE_NAME and c["value"]), None)


def wait_for_cookie(context, present: bool = True, timeout: float = 20) -> dict | None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = session_cookie(context)
        if (found is not None) == present:
            return found
        time.sleep(0.2)
    raise AssertionError(f"the session cookie was {'never set' if present else 'not removed'}")


def sign_in(page, url: str, login: str, password: str | None = None) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    heading(page, "Sign in").wait_for(timeout=30_000)
    wait_idle(page)
    submit(page, login, password or PASSWORDS[login])


def submit(page, login: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("textbox", name="Username").fill(login)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    wait_idle(page)


def signed_in_as(page, name: str) -> bool:  # type: ignore[no-untyped-def]
    return page.get_by_text(f"Signed in as {name}").count() > 0


def test_a_sign_in_lasts_across_refresh_and_tabs_until_sign_out(setup, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    server, session_id = setup
    report_link = f"{server.url}report?session={session_id}"
    context = browser.new_context(viewport={"width": 1400, "height": 950})
    page = context.new_page()
    sign_in(page, server.url, "ana")
    heading(page, "Practice").wait_for(timeout=30_000)
    cookie = wait_for_cookie(context)
    assert cookie["value"].startswith("v1.") and cookie["sameSite"] == "Lax"
    shoot(page, tmp_path, "trainee-practice")

    page.reload()  # a refresh keeps the sign-in
    heading(page, "Practice").wait_for(timeout=30_000)
    wait_idle(page)
    assert signed_in_as(page, "Ana") and heading(page, "Sign in").count() == 0

    tab = context.new_page()  # a report link opened in a new tab
    tab.set_viewport_size({"width": 1400, "height": 950})
    tab.goto(report_link)
    heading(tab, "Feedback by criterion").wait_for(timeout=60_000)
    wait_idle(tab)
    assert signed_in_as(tab, "Ana")
    shoot(tab, tmp_path, "trainee-report-in-new-tab")

    tab.get_by_role("button", name="Sign out").click()
    heading(tab, "Sign in").wait_for(timeout=30_000)
    wait_for_cookie(context, present=False)

    again = context.new_page()  # the old link no longer opens anything
    again.goto(report_link)
    heading(again, "Sign in").wait_for(timeout=30_000)
    wait_idle(again)
    assert heading(again, "Feedback by criterion").count() == 0
    context.add_cookies([cookie])  # even a copy of the old cookie is refused by the server
    again.goto(report_link)
    heading(again, "Sign in").wait_for(timeout=30_000)
    wait_idle(again)
    assert heading(again, "Feedback by criterion").count() == 0 and not signed_in_as(again, "Ana")
    shoot(again, tmp_path, "old-link-after-sign-out")

    page.get_by_role("link", name="Progress").click()  # the first tab, at its next request
    heading(page, "Sign in").wait_for(timeout=30_000)
    page.get_by_text("Your sign-in has ended").wait_for(timeout=20_000)
    assert heading(page, "Your progress").count() == 0

    # signing in again right at the old link opens what it pointed to
    submit(again, "ana", PASSWORDS["ana"])
    heading(again, "Feedback by criterion").wait_for(timeout=60_000)
    assert signed_in_as(again, "Ana")
    context.close()


def test_guessing_locks_an_account_and_an_admin_unlocks_it_in_the_app(setup, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    server, _ = setup
    trainee = browser.new_context(viewport={"width": 1400, "height": 950}).new_page()
    trainee.goto(server.url)
    heading(trainee, "Sign in").wait_for(timeout=30_000)
    wait_idle(trainee)
    for attempt in range(4):
        submit(trainee, "ana", f"wrong password {attempt}")
        trainee.get_by_text("do not match an active account").wait_for(timeout=20_000)
    assert trainee.get_by_text("Please wait 1 second").count() == 1
    # six more wrong passwords, each after its wait (the same code path, on a fake clock that
    # runs a few minutes ahead so the test need not sit out the waits)
    store = st.open_store(f"sqlite:///{server.data_dir / 'trainer.db'}")
    now = datetime.now(UTC)
    for _ in range(6):
        now += timedelta(seconds=31)
        outcome = attempt_sign_in(store, "ana", "still wrong!", client="203.0.113.9", now=now)
    store.dispose()
    assert outcome.locked
    submit(trainee, "ana", PASSWORDS["ana"])  # the right password, but the account is locked
    trainee.get_by_text("paused for about").wait_for(timeout=20_000)
    shoot(trainee, tmp_path, "trainee-locked")

    admin = browser.new_context(viewport={"width": 1400, "height": 1100}).new_page()
    sign_in(admin, server.url, "root")
    heading(admin, "Practice").wait_for(timeout=30_000)
    admin.get_by_role("link", name="People").click()
    heading(admin, "People").wait_for(timeout=30_000)
    wait_idle(admin)
    admin.locator(".st-key-people-person").click()
    admin.get_by_role("option", name="Ana (ana)").click()
    wait_idle(admin)
    admin.locator('[data-testid="stCaptionContainer"]').filter(has_text="Locked until").wait_for(
        timeout=20_000)
    time.sleep(1.5)  # the table draws on its canvas a moment later
    shoot(admin, tmp_path, "admin-people-locked")
    admin.get_by_role("button", name="Unlock").click()
    admin.get_by_text("ana can sign in again.").wait_for(timeout=20_000)
    shoot(admin, tmp_path, "admin-people-unlocked")

    submit(trainee, "ana", PASSWORDS["ana"])
    heading(trainee, "Practice").wait_for(timeout=30_000)


def test_each_roles_main_page(setup, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    server, session_id = setup
    for login, landing in (("sue", "Sessions to review"), ("fay", "Workshops"), ("root", "Practice")):
        context = browser.new_context(viewport={"width": 1400, "height": 950})
        page = context.new_page()
        sign_in(page, server.url, login)
        heading(page, landing).wait_for(timeout=30_000)
        shoot(page, tmp_path, f"{ROLES[login]}-main")
        if login == "sue":  # one session of Ana's awaits her, in the navigation
            assert page.get_by_role("link", name="Review (1)").count() == 1
        if login == "root":
            page.get_by_role("link", name="People").click()
            heading(page, "People").wait_for(timeout=30_000)
            time.sleep(1.5)  # the table draws on its canvas a moment later
            shoot(page, tmp_path, "admin-people")
        context.close()

    _review(server, session_id)  # Sue marks Ana's session reviewed: Ana sees it on Progress
    context = browser.new_context(viewport={"width": 1400, "height": 950})
    page = context.new_page()
    sign_in(page, server.url, "ana")
    heading(page, "Practice").wait_for(timeout=30_000)
    shoot(page, tmp_path, "trainee-main")
    page.get_by_role("link", name="Progress").click()
    heading(page, "Your progress").wait_for(timeout=30_000)
    page.get_by_text("Your supervisor has reviewed your work").wait_for(timeout=20_000)
    time.sleep(1.5)
    shoot(page, tmp_path, "trainee-progress-reviewed")
    context.close()


def _review(server: Server, session_id: str) -> None:
    from trainer.accounts.service import get_account
    from trainer.review import save_review
    from trainer.store.access import Viewer

    store = st.open_store(f"sqlite:///{server.data_dir / 'trainer.db'}")
    try:
        sue = Viewer(get_account(store, "sue").user_id, "supervisor")
        save_review(store, sue, session_id, expected_version=0, reviewed=True,
                    overall_comment="Warm and steady; stay longer with the bedroom next time.")
    finally:
        store.dispose()
