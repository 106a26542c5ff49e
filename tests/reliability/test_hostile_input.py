"""Hostile input on SQLite and PostgreSQL alike: invisible, empty, over-long, NUL and control
characters, escape sequences, and names; and the terminal view of a transcript."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from trainer.practice import PracticeService
from trainer.practice.config import Backends
from trainer.practice.notices import notice
from trainer.store import (
    InvalidName,
    Store,
    TurnRecord,
    append_turns,
    get_or_create_user_by_display_name,
    get_session,
    start_session,
    viewer_for,
)

OFFLINE = Backends("offline", "offline", "offline", None, None, False)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def service(store: Store) -> PracticeService:
    return PracticeService(store, OFFLINE)


def stored_texts(store: Store, user, live) -> list[str]:  # type: ignore[no-untyped-def]
    return [t.text for t in get_session(store, viewer_for(user), live.id).turns]


def test_nothing_visible_gets_a_gentle_note_and_nothing_is_stored(service: PracticeService, store: Store) -> None:
    user = get_or_create_user_by_display_name(store, "Ana")
    live = service.start(user, "marc-belinda", seed=1)
    before = stored_texts(store, user, live)
    for text, key in (("\u200b\u200c\u200d\u2060\ufeff", "invisible"), ("  \n\t ", "empty"),
                      ("\u200b \u200b", "invisible"), ("\x00\x07", "invisible")):
        outcome = service.send(user, live, text)
        assert not outcome.accepted and outcome.message == notice(key) and not outcome.keep_text
    assert stored_texts(store, user, live) == before


def test_an_over_long_message_is_refused_but_kept_for_editing(
    service: PracticeService, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRAINER_MAX_MESSAGE_CHARS", "100")
    user = get_or_create_user_by_display_name(store, "Ana")
    live = service.start(user, "marc-belinda", seed=1)
    outcome = service.send(user, live, "y" * 150)
    assert not outcome.accepted and outcome.keep_text and "limit is 100" in outcome.message
    assert len(stored_texts(store, user, live)) == len(live.turns)


def test_nul_and_control_characters_are_removed_before_storage(service: PracticeService, store: Store) -> None:
    user = get_or_create_user_by_display_name(store, "Ana")
    live = service.start(user, "marc-belinda", seed=2)
    hostile = "Marc,\x00 what\x07 is it \x1b[31mlike\x1b[0m for you\x1b]0;pwned\x07 when she pushes?\x7f"
    for _attempt in range(2):  # the same message twice: no retry may fail on any database
        assert service.send(user, live, hostile).accepted
    texts = stored_texts(store, user, live)
    therapist = [t for t in texts if "Marc," in t]
    assert therapist == ["Marc, what is it like for you when she pushes?"] * 2
    assert not any(ch in "".join(texts) for ch in "\x00\x07\x1b\x7f")
    assert texts == [t.text for t in live.turns]  # what the page shows is what is stored


def test_emoji_and_right_to_left_text_are_kept_intact(service: PracticeService, store: Store) -> None:
    user = get_or_create_user_by_display_name(store, "Ana")
    live = service.start(user, "marc-belinda", seed=3)
    text = "Family \U0001f468\u200d\U0001f469\u200d\U0001f467 \u2014 \u05e9\u05dc\u05d5\u05dd and \u0645\u0631\u062d\u0628\u0627"
    assert service.send(user, live, text).accepted
    assert text in stored_texts(store, user, live)


def test_the_store_itself_never_passes_a_nul_to_the_database(store: Store) -> None:
    user = get_or_create_user_by_display_name(store, "Ana")
    viewer = viewer_for(user)
    record = start_session(store, viewer, couple_id="marc-belinda", rubric_id="eft-first-session",
                           snapshot={"note": "a\x00b"})
    append_turns(store, viewer, record.id, [TurnRecord(index=0, speaker="therapist", text="hi\x00 there",
                                                       labels={"quote": "x\x00y"})],
                 snapshot={"turns": ["hi\x00"]})
    saved = get_session(store, viewer, record.id)
    assert saved.turns[0].text == "hi there" and saved.turns[0].labels == {"quote": "xy"}
    assert saved.snapshot == {"turns": ["hi"]}


@pytest.mark.parametrize("name", ["Ana\x00", "\x1b[2JAna", "\u200b\u200b", "   "])
def test_display_names_are_validated(store: Store, name: str) -> None:
    with pytest.raises(InvalidName):
        get_or_create_user_by_display_name(store, name)
    assert get_or_create_user_by_display_name(store, " Ana\u200b ").display_name == "Ana"


def test_a_nul_in_a_display_name_gets_a_sentence_in_the_app(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run()
    at.text_input[0].input("Ana\x00")
    at.button[0].click()
    at.run()
    assert not at.exception
    assert any("letters, numbers" in e.value for e in at.error)


def test_trainer_analyze_never_writes_escape_sequences_to_the_terminal(tmp_path: Path) -> None:
    transcript = {"format": "trainer.transcript/v1", "persona": "marc-belinda", "clients": ["Marc", "Belinda"],
                  "turns": [{"speaker": "therapist", "text": "Hello \x1b[31mRED\x1b[0m\x00 what\x07 brings you?"},
                            {"speaker": "Belinda", "text": "We \x1b]0;title\x07 can't talk \u202eevil"}]}
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(transcript), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"}
    for command in (["analyze", str(path)], ["score", str(path)]):
        result = subprocess.run([sys.executable, "-m", "trainer", *command], check=False, capture_output=True,
                                text=True, timeout=120, env=env, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        for bad in ("\x1b", "\x00", "\x07", "\u202e"):
            assert bad not in result.stdout, (command, bad)
    assert "RED" in result.stdout or "hostile.json" in result.stdout


def test_a_database_that_fails_mid_session_loses_nothing_and_keeps_the_text(
    sqlite_store: Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from sqlalchemy.exc import OperationalError

    from trainer.practice import service as service_module

    monkeypatch.setenv("DATABASE_URL", str(sqlite_store.engine.url))
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run()
    at.text_input[0].input("Ana")
    at.button[0].click()
    at.run()
    at.button(key="start-marc-belinda").click().run()
    before = len(at.chat_message)

    def down(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise OperationalError("INSERT INTO turns ...", {}, Exception("server closed the connection"))

    monkeypatch.setattr(service_module, "append_turns", down)
    words = "Welcome, both of you. What brings you in today?"
    at.chat_input(key="chat").set_value(words).run()
    assert not at.exception
    assert [e.value for e in at.error] == [notice("store_down")]
    assert "INSERT" not in " ".join(e.value for e in at.error)
    assert len(at.chat_message) == before  # nothing half-shown
    box = at.chat_input(key="chat").proto
    assert box.set_value and box.value == words  # the text is back in the box
    monkeypatch.undo()
    monkeypatch.setenv("DATABASE_URL", str(sqlite_store.engine.url))
    at.chat_input(key="chat").set_value(words).run()  # the database is back: it goes through
    assert not at.exception and len(at.chat_message) > before
