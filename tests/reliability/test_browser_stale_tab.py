"""Two tabs on one session in a real browser: the stale tab's End session scores the stored
transcript, its unsent words survive, and a session ended elsewhere says so and links its report."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from browser_kit import (
    PLACEHOLDER,
    App,
    chat_texts,
    no_traceback,
    shoot,
    sign_in,
    type_message,
    wait_idle,
)

from trainer.practice.live import record_as_turn
from trainer.practice.service import evaluate
from trainer.rubrics import load_rubric
from trainer.store import (
    get_or_create_user_by_display_name,
    get_session,
    list_sessions_for_user,
    open_store,
    viewer_for,
)
from trainer.transcript import Transcript

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
GOOD = [t["text"] for t in json.loads((ROOT / "tests/devset/01_mb_textbook_early.json").read_text())["turns"]
        if t["speaker"] == "therapist"]


def say(page, text: str) -> None:  # type: ignore[no-untyped-def]
    mine = sum(1 for t in chat_texts(page) if t.startswith("You"))
    type_message(page, text)
    deadline = time.monotonic() + 60
    end = page.get_by_role("button", name="End session")
    while time.monotonic() < deadline:
        wait_idle(page, quiet_for=2)
        if sum(1 for t in chat_texts(page) if t.startswith("You")) > mine and end.is_enabled():
            return
        time.sleep(0.3)
    raise AssertionError(f"not answered: {chat_texts(page)[-3:]}")


def resume(page, url: str) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, url)
    page.get_by_role("button", name="Resume").click()
    page.get_by_role("button", name="End session").wait_for(timeout=30_000)
    wait_idle(page)


def sessions(workdir: Path):  # type: ignore[no-untyped-def]
    store = open_store(f"sqlite:///{workdir / 'data' / 'trainer.db'}", migrate=False)
    try:
        viewer = viewer_for(get_or_create_user_by_display_name(store, "Ana"))
        return [get_session(store, viewer, s.id) for s in list_sessions_for_user(store, viewer)]
    finally:
        store.dispose()


def test_stale_tabs_never_score_or_lose_anything(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = App(tmp_path / "app", {"TRAINER_MAX_MESSAGE_CHARS": "400"}).start()
    try:
        tab_a = browser.new_context(viewport={"width": 1400, "height": 950}).new_page()
        tab_b = browser.new_context(viewport={"width": 1400, "height": 950}).new_page()
        sign_in(tab_a, app.url)
        tab_a.locator(".st-key-start-marc-belinda button").click()
        tab_a.get_by_role("button", name="End session").wait_for(timeout=30_000)
        wait_idle(tab_a)
        say(tab_a, GOOD[0])
        resume(tab_b, app.url)
        for line in GOOD[1:]:
            say(tab_b, line)

        # Tab A never saw those seven turns; its End session scores what is stored.
        tab_a.get_by_role("button", name="End session").click()
        tab_a.get_by_role("heading", name="Feedback by criterion").wait_for(timeout=60_000)
        wait_idle(tab_a)
        tab_a.get_by_text("had moved on in another tab").wait_for(timeout=10_000)
        shoot(tab_a, "stale-01-end-scores-the-stored-session", tmp_path)
        no_traceback(tab_a)
        ended = sessions(app.workdir)[0]
        assert ended.is_completed and ended.latest_evaluation is not None
        assert sum(1 for t in ended.turns if t.speaker == "therapist") == len(GOOD)
        transcript = Transcript(persona=ended.couple_id, clients=["Marc", "Belinda"],
                                turns=[record_as_turn(t) for t in ended.turns])
        expected, _ = evaluate(transcript, load_rubric(ended.rubric_id), "offline")
        assert ended.latest_evaluation.total == expected.total > 0
        assert ended.latest_evaluation.result["criteria"] == expected.model_dump(mode="json")["criteria"]

        # Tab B still holds the session that A ended: it is told so, and linked to the report.
        type_message(tab_b, "Belinda, what do you long for from him?")
        tab_b.get_by_text("was ended in another tab").wait_for(timeout=30_000)
        shoot(tab_b, "stale-02-ended-elsewhere", tmp_path)
        no_traceback(tab_b)
        tab_b.get_by_role("link", name="Open its report").click()
        tab_b.get_by_role("heading", name="Feedback by criterion").wait_for(timeout=60_000)

        # A new session, open in both tabs; B moves on, A's unsent words stay in A's box.
        tab_b.get_by_role("link", name="Practice").click()
        tab_b.locator(".st-key-start-marc-belinda button").click()
        tab_b.get_by_role("button", name="End session").wait_for(timeout=30_000)
        wait_idle(tab_b)
        say(tab_b, GOOD[0])
        tab_a.get_by_role("link", name="Practice").click()
        tab_a.get_by_role("button", name="Resume").click()
        tab_a.get_by_role("button", name="End session").wait_for(timeout=30_000)
        wait_idle(tab_a)
        say(tab_b, GOOD[1])
        stale_words = "Marc, what happens for you when she reaches for you?"
        type_message(tab_a, stale_words)
        tab_a.get_by_text("moved on in another tab").wait_for(timeout=30_000)
        wait_idle(tab_a)
        assert tab_a.get_by_placeholder(PLACEHOLDER).input_value() == stale_words
        assert any(GOOD[1] in t for t in chat_texts(tab_a))  # shown the session as it is now
        shoot(tab_a, "stale-03-moved-on-keeps-text", tmp_path)
        no_traceback(tab_a)
        now = sessions(app.workdir)[0]
        assert [t.text for t in now.turns if t.speaker == "therapist"] == GOOD[:2]
        say(tab_a, stale_words)  # sending it again now works
        assert [t.text for t in sessions(app.workdir)[0].turns if t.speaker == "therapist"] == [*GOOD[:2], stale_words]

        # An over-long message is refused in words and stays in the box to be shortened.
        too_long = "I hear you both. " * 30
        type_message(tab_a, too_long)
        tab_a.get_by_text("the limit is 400").wait_for(timeout=30_000)
        wait_idle(tab_a)
        assert tab_a.get_by_placeholder(PLACEHOLDER).input_value() == too_long
        shoot(tab_a, "hostile-over-long-kept", tmp_path)
    finally:
        app.stop()
