"""Interrupting a streamed reply in a real browser never loses or splits a turn.

The couple's model is a real HTTP server streaming slowly (a word every 0.2 s). A second message
sent 1 s and 4 s into a reply, a page change mid-stream and a tab closed mid-stream must leave a
stored transcript whose every therapist turn has its own analysis and reply, and which a reload
shows exactly.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from browser_kit import (
    App,
    chat_texts,
    no_traceback,
    shoot,
    sign_in,
    type_message,
    wait_idle,
)
from fake_openai import FakeOpenAI

from trainer.store import (
    get_or_create_user_by_display_name,
    get_session,
    list_sessions_for_user,
    open_store,
    viewer_for,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
MESSAGES = [
    "Welcome, both of you. What brings you in today?",
    "Marc, what is it like for you when Belinda raises her voice?",
    "Belinda, what happens inside you when he goes quiet?",
    "It sounds like you both end up alone in this. Is that right?",
    "How are touch and affection going between you these days?",
    "Marc, when you leave the room, is that a way to keep things from blowing up?",
]


def llm_env(fake: FakeOpenAI) -> dict[str, str]:
    return {
        "TRAINER_LLM_PROVIDER": "openai_compatible", "TRAINER_LLM_BASE_URL": fake.url,
        "TRAINER_LLM_MODEL": "fake", "TRAINER_LLM_STRUCTURED_METHOD": "json_mode",
        "TRAINER_LLM_STREAM_USAGE": "false", "TRAINER_LLM_MAX_TOKENS_PARAM": "max_tokens_extra_body",
        "TRAINER_LLM_MAX_RETRIES": "0", "TRAINER_LLM_TURN_DEADLINE": "60",
    }


def wait_answered(page, fake: FakeOpenAI, therapist_turns: int) -> None:  # type: ignore[no-untyped-def]
    """Until `therapist_turns` of ours are answered: nothing queued, End session enabled again."""
    deadline = time.monotonic() + 120
    end = page.get_by_role("button", name="End session")
    while time.monotonic() < deadline:
        wait_idle(page)
        mine = [t for t in chat_texts(page) if t.startswith("You")]
        if (len(mine) >= therapist_turns and end.count() and end.is_enabled()
                and not page.get_by_text("will be sent as soon as").count()):
            return
        time.sleep(0.5)
    raise AssertionError(f"not answered: {chat_texts(page)[-4:]}")


def stored(workdir: Path):  # type: ignore[no-untyped-def]
    store = open_store(f"sqlite:///{workdir / 'data' / 'trainer.db'}", migrate=False)
    try:
        viewer = viewer_for(get_or_create_user_by_display_name(store, "Ana"))
        newest = list_sessions_for_user(store, viewer)[0]
        return get_session(store, viewer, newest.id).turns
    finally:
        store.dispose()


def test_a_second_message_and_a_page_change_mid_stream_lose_nothing(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with FakeOpenAI("ok", word_delay=0.2) as fake:
        app = App(tmp_path / "app", llm_env(fake)).start()
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 950})
            sign_in(page, app.url)
            page.locator(".st-key-start-marc-belinda button").click()
            page.get_by_role("button", name="End session").wait_for(timeout=60_000)
            wait_idle(page)
            fake.mode = "slow"

            # 1. A second message 1 s into the reply: queued, then answered in turn.
            type_message(page, MESSAGES[0])
            time.sleep(1.0)
            type_message(page, MESSAGES[1])
            page.get_by_text("will be sent as soon as").first.wait_for(timeout=10_000)
            shoot(page, "interrupt-01-queued-while-streaming", tmp_path)
            wait_answered(page, fake, 2)

            # 2. A second message 4 s into the reply.
            type_message(page, MESSAGES[2])
            time.sleep(4.0)
            type_message(page, MESSAGES[3])
            wait_answered(page, fake, 4)

            # 3. Leaving the page mid-stream, then coming back.
            type_message(page, MESSAGES[4])
            time.sleep(1.5)
            page.get_by_role("link", name="Progress").click()
            page.get_by_role("heading", name="Your progress").wait_for(timeout=30_000)
            time.sleep(1.0)
            page.get_by_role("link", name="Practice").click()
            wait_answered(page, fake, 5)
            no_traceback(page)
            shown = chat_texts(page)
            shoot(page, "interrupt-02-after-page-change", tmp_path)

            turns = stored(app.workdir)
            therapist = [i for i, t in enumerate(turns) if t.speaker == "therapist"]
            assert [turns[i].text for i in therapist] == MESSAGES[:5]  # none lost, none doubled, in order
            for n, i in enumerate(therapist):  # each with its own analysis and its own reply
                assert turns[i].labels and turns[i].labels.get("index") == i
                end = therapist[n + 1] if n + 1 < len(therapist) else len(turns)
                replies = turns[i + 1:end]
                assert replies and all(r.speaker in ("Marc", "Belinda") and r.text for r in replies)
            assert len(shown) == len(turns)
            for bubble, turn in zip(shown, turns, strict=True):
                assert " ".join(turn.text.split()) in bubble

            # 4. A reload shows exactly what is stored (the browser still knows who practises).
            page.reload()
            page.get_by_role("button", name="Resume").click()
            page.get_by_role("button", name="End session").wait_for(timeout=30_000)
            wait_idle(page)
            assert chat_texts(page) == shown
            no_traceback(page)

            # 5. Closing the tab mid-stream: the turn is still stored whole, not as a ghost later.
            type_message(page, MESSAGES[5])
            time.sleep(1.5)
            page.close()
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                turns = stored(app.workdir)
                if turns[-1].speaker != "therapist" and sum(t.speaker == "therapist" for t in turns) == 6:
                    break
                time.sleep(0.5)
            time.sleep(2.0)  # nothing more arrives afterwards
            turns = stored(app.workdir)
            therapist = [i for i, t in enumerate(turns) if t.speaker == "therapist"]
            assert [turns[i].text for i in therapist] == MESSAGES
            assert turns[therapist[-1]].labels["index"] == therapist[-1]
            assert therapist[-1] < len(turns) - 1 and turns[-1].speaker in ("Marc", "Belinda")
        finally:
            app.stop()
