"""The couple's model misbehaving for real over HTTP: every turn ends in time, with a plain notice,
and what the trainee was shown is what is stored."""

from __future__ import annotations

import time

import pytest
from fake_openai import FakeOpenAI
from reliability_kit import profile_for

from trainer.evaluate.llm import make_llm_judge
from trainer.practice import PracticeService
from trainer.practice import live as live_module
from trainer.practice.config import Backends
from trainer.practice.notices import notice
from trainer.render.llm import make_renderer
from trainer.rubrics import load_rubric
from trainer.store import Store, get_or_create_user_by_display_name, get_session, viewer_for
from trainer.transcript import Transcript

LLM = Backends("llm:fake", "offline", "openai_compatible", "fake", "http://127.0.0.1/v1", False)
HELLO = "Welcome, both of you. What brings you in today?"
ASK = "Marc, what is it like for you when she pushes?"


def practice(fake: FakeOpenAI, store: Store, monkeypatch: pytest.MonkeyPatch, **profile: object):  # type: ignore[no-untyped-def]
    """A service whose sessions talk to `fake`, and a signed-in user."""
    renderer = make_renderer(profile_for(fake, **profile), max_tokens=120)
    monkeypatch.setattr(live_module, "make_renderer", lambda label: (renderer, None))
    return PracticeService(store, LLM), get_or_create_user_by_display_name(store, "Ana"), renderer


def streamed(service, user, live, text):  # type: ignore[no-untyped-def]
    """Send `text`, collecting the words the page would have shown; returns (outcome, shown, secs)."""
    shown: dict[str, str] = {}
    started = time.monotonic()
    outcome = service.send(user, live, text, on_delta=lambda s, d: shown.__setitem__(s, shown.get(s, "") + d))
    return outcome, shown, time.monotonic() - started


def test_a_trickling_server_cannot_hold_a_turn_past_its_deadline(
    fake: FakeOpenAI, sqlite_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake.trickle_every = 4.0  # the finding: a chunk every 4 s, TRAINER_LLM_TIMEOUT=5
    service, user, _ = practice(fake, sqlite_store, monkeypatch, timeout=5.0)
    live = service.start(user, "marc-belinda", seed=1)
    streamed(service, user, live, HELLO)  # warm: the turn analysis loads once per process
    fake.mode = "trickle"
    outcome, shown, secs = streamed(service, user, live, ASK)
    assert secs <= 5.0 + 2.0, f"the turn took {secs:.1f} s"
    assert outcome.accepted and outcome.notice
    stored = get_session(sqlite_store, viewer_for(user), live.id).turns
    assert [t.text for t in stored] == [t.text for t in live.turns]
    for name, words in shown.items():  # the words shown stay, in the stored reply
        assert any(t.speaker == name and t.text.startswith(words.strip()) for t in stored[-3:])


def test_a_hang_falls_back_in_time_and_the_next_turn_tries_the_model_again(
    fake: FakeOpenAI, sqlite_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    service, user, _ = practice(fake, sqlite_store, monkeypatch, timeout=30.0, turn_deadline=2.0)
    fake.mode = "hang"
    started = time.monotonic()
    live = service.start(user, "marc-belinda", seed=2)  # a hang at the very start
    assert time.monotonic() - started < 2.0 + 2.0
    assert notice("voice_down") in live.notices  # said at session start too
    asked = len(fake.requests)
    outcome, _, secs = streamed(service, user, live, HELLO)
    assert secs < 4.0 and outcome.notice == notice("voice_down")
    assert len(fake.requests) > asked  # tried again, not a stale "still down"
    fake.mode = "ok"
    outcome, shown, _ = streamed(service, user, live, ASK)
    assert outcome.notice is None and shown  # back to the model's voice, no stale notice
    assert not any(t.fallback for t in live.turns[-2:])


@pytest.mark.parametrize("mode", ["429", "500", "malformed"])
def test_server_errors_give_authored_lines_and_a_sentence(
    mode: str, fake: FakeOpenAI, sqlite_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    service, user, _ = practice(fake, sqlite_store, monkeypatch, max_retries=1)
    live = service.start(user, "marc-belinda", seed=3)
    fake.mode = mode
    asked = len(fake.requests)
    outcome, shown, _secs = streamed(service, user, live, HELLO)
    assert outcome.accepted and outcome.notice == notice("voice_down") and not shown
    assert "429" not in outcome.notice and "Error" not in outcome.notice
    assert len(fake.requests) - asked >= 2  # retried within the deadline
    replies = [t for t in live.turns if t.speaker != "therapist"][-1:]
    assert replies and all(t.fallback for t in replies)
    stored = get_session(sqlite_store, viewer_for(user), live.id).turns
    assert [t.text for t in stored] == [t.text for t in live.turns]


def test_a_reply_that_breaks_character_keeps_the_good_words_already_shown(
    fake: FakeOpenAI, sqlite_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    service, user, _ = practice(fake, sqlite_store, monkeypatch)
    live = service.start(user, "marc-belinda", seed=4)
    fake.mode = "break"
    outcome, shown, _ = streamed(service, user, live, HELLO)
    assert shown and outcome.notice == notice("voice_cut")
    said = " ".join(shown.values()).lower()
    assert "ai language model" not in said and "rubric" not in said
    stored = get_session(sqlite_store, viewer_for(user), live.id).turns
    first = next(t for t in stored[-3:] if t.speaker in shown)
    assert first.text == shown[first.speaker].strip()  # nothing shown is taken back
    assert not first.fallback and "rubric" not in first.text.lower()


def test_a_cut_stream_keeps_the_half_reply_that_was_shown(
    fake: FakeOpenAI, sqlite_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    service, user, _ = practice(fake, sqlite_store, monkeypatch)
    live = service.start(user, "marc-belinda", seed=5)
    fake.mode = "cut"
    outcome, shown, _ = streamed(service, user, live, HELLO)
    assert shown and outcome.accepted and outcome.notice == notice("voice_cut")
    stored = get_session(sqlite_store, viewer_for(user), live.id).turns
    for name, words in shown.items():
        turn = next(t for t in stored[-3:] if t.speaker == name)
        assert turn.text == words.strip() and not turn.fallback
    assert [t.text for t in stored] == [t.text for t in live.turns]


def test_the_judge_has_one_deadline_too(fake: FakeOpenAI) -> None:
    fake.mode = "trickle"
    fake.trickle_every = 0.5
    judge = make_llm_judge(load_rubric(), profile_for(fake, timeout=30.0, judge_deadline=2.0))
    transcript = Transcript(persona="marc-belinda", clients=["Marc", "Belinda"], turns=[
        {"speaker": "therapist", "text": HELLO}, {"speaker": "Marc", "text": "We fight."}])
    fake.mode = "hang"
    started = time.monotonic()
    verdict = judge(transcript)
    assert time.monotonic() - started < 2.0 + 2.0
    assert verdict.fallback and "timed out" in verdict.notices[-1]
