"""An LLM practice session through the app's service: tokens stored on the session row."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from llm_render_fakes import CoupleFake, renderer

from trainer.practice import PracticeService
from trainer.practice import live as live_module
from trainer.practice.config import Backends
from trainer.store import (
    Store,
    get_or_create_user_by_display_name,
    get_session,
    open_store,
    viewer_for,
)

LLM = Backends("llm:local", "offline", "openai_compatible", "local", "http://127.0.0.1:9/v1", False)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{tmp_path / 'trainer.db'}")
    yield opened
    opened.dispose()


def test_llm_turns_store_their_token_usage(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = CoupleFake()
    made = renderer(fake)
    monkeypatch.setattr(live_module, "make_renderer", lambda label: (made, None))
    service = PracticeService(store, LLM)
    user = get_or_create_user_by_display_name(store, "Ana")
    live = service.start(user, "marc-belinda", seed=4)
    assert live.is_llm and live.engine_label == "llm:local"
    deltas: list[tuple[str, str]] = []
    for text in ["What brings you both in today?", "Marc, how are touch and affection going?"]:
        outcome = service.send(user, live, text, on_delta=lambda s, d: deltas.append((s, d)))
        assert outcome.accepted and outcome.notice is None
    assert deltas  # the words streamed to the page
    record = get_session(store, viewer_for(user), live.id)
    summary = made.usage_summary()
    assert summary["calls"] == fake.count == 3  # opening + two turns
    assert (record.prompt_tokens, record.completion_tokens) == (
        summary["prompt_tokens"], summary["completion_tokens"])
    assert record.prompt_tokens > 0 and not any(t.fallback for t in record.turns)
