"""LLM mode in the app: replies stream in; a model failure shows a notice and the session goes on."""

from __future__ import annotations

import pytest
from app_helpers import no_problems, sign_in, texts
from streamlit.testing.v1 import AppTest

from trainer.practice import live as live_module
from trainer.practice import md_escape
from trainer.practice.notices import notice
from trainer.render import OfflineRenderer, RenderError


class FlakyRenderer:
    """Answers like the offline renderer once, then fails like a model that timed out."""

    name = "llm:fake"

    def __init__(self) -> None:
        self.calls = 0

    def render(self, plan):  # type: ignore[no-untyped-def]
        self.calls += 1
        if self.calls > 2:  # the opening and the first turn succeed
            raise RenderError("timed out after 3 attempts")
        return OfflineRenderer().render(plan)


@pytest.fixture
def llm_app(app: AppTest, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("TRAINER_LLM_PROVIDER", "openai_compatible")
    monkeypatch.setenv("TRAINER_LLM_MODEL", "fake-model")
    monkeypatch.setenv("TRAINER_LLM_BASE_URL", "http://127.0.0.1:9/v1")  # nothing listens: the judge fails
    monkeypatch.setenv("TRAINER_LLM_MAX_RETRIES", "0")
    monkeypatch.setattr(live_module, "make_renderer", lambda label: (FlakyRenderer(), None))
    return app


def test_llm_failure_mid_session_shows_a_notice_and_the_offline_engine_continues(llm_app: AppTest) -> None:
    sign_in(llm_app)
    llm_app.button(key="start-marc-belinda").click().run()
    llm_app.chat_input(key="chat").set_value("Welcome, both of you. What brings you in?").run()
    no_problems(llm_app)
    assert not any("authored" in i.value for i in llm_app.info)
    llm_app.chat_input(key="chat").set_value("Marc, what is it like for you when she pushes?").run()
    no_problems(llm_app)
    assert any(i.value == md_escape(notice("voice_down")) for i in llm_app.info)  # in plain words
    last = llm_app.chat_message[-1]
    assert last.name in ("Marc", "Belinda") and last.markdown[-1].value  # the turn was answered
    assert "authored line" in " ".join(c.value for c in last.caption)
    llm_app.button(key="end-session").click().run()
    no_problems(llm_app)
    assert any(m.label == "Total" for m in llm_app.metric)
    assert "Feedback by criterion" in texts(llm_app)


class StreamingRenderer:
    """A model that streams each planned line word by word."""

    name = "llm:stream"

    def render(self, plan):  # type: ignore[no-untyped-def]
        return OfflineRenderer().render(plan)

    def stream(self, plan):  # type: ignore[no-untyped-def]
        for reply in OfflineRenderer().render(plan):
            for index, word in enumerate(reply.text.split(" ")):
                yield reply.speaker, word if index == 0 else " " + word


def test_streamed_words_become_the_stored_reply(app: AppTest, monkeypatch: pytest.MonkeyPatch, data_dir) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TRAINER_LLM_PROVIDER", "openai_compatible")
    monkeypatch.setenv("TRAINER_LLM_MODEL", "fake-model")
    monkeypatch.setenv("TRAINER_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setattr(live_module, "make_renderer", lambda label: (StreamingRenderer(), None))
    sign_in(app)
    app.button(key="start-marc-belinda").click().run()
    app.chat_input(key="chat").set_value("Marc, what is it like for you when she pushes?").run()
    no_problems(app)
    assert not app.info  # no fallback notice
    replies = [m for m in app.chat_message if m.name in ("Marc", "Belinda")]
    assert replies and not any("authored line" in c.value for m in replies for c in m.caption)
    assert all("\u258c" not in m.markdown[-1].value for m in replies)  # no cursor left behind


def test_the_real_llm_renderer_with_a_fake_model_streams_and_counts_tokens(
    app: AppTest, monkeypatch: pytest.MonkeyPatch, data_dir
) -> None:  # type: ignore[no-untyped-def]
    import itertools
    import re

    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage
    from langchain_core.outputs import ChatGeneration, ChatResult

    from trainer.llm import LLMClient
    from trainer.llm.settings import CapabilityOverrides, ProviderProfile
    from trainer.render.llm import LLMRenderer
    from trainer.store import (
        get_or_create_user_by_display_name,
        list_sessions_for_user,
        open_store,
        viewer_for,
    )

    who = re.compile(r"Who speaks now, in this order: (.+?)\.\n")
    turns = itertools.count(1)

    class CoupleModel(GenericFakeChatModel):
        messages: object = iter(())

        def _generate(self, messages, stop=None, run_manager=None, **kwargs):  # type: ignore[no-untyped-def]
            match = who.search(str(messages[-1].content))
            names = match.group(1).split(", then ") if match else ["Marc"]
            text = "\n".join(f"{n}: [sighs] It has been a long year {next(turns)} for me, honestly." for n in names)
            return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    profile = ProviderProfile(
        provider="openai_compatible", base_url="http://127.0.0.1:9/v1", model="local", max_retries=0,
        overrides=CapabilityOverrides(structured_method="json_mode", stream_usage=False,
                                      max_tokens_param="max_tokens_extra_body"))
    model = LLMRenderer(LLMClient(profile, chat_model=CoupleModel(), sleep=lambda s: None))
    monkeypatch.setenv("TRAINER_LLM_PROVIDER", "openai_compatible")
    monkeypatch.setenv("TRAINER_LLM_MODEL", "local")
    monkeypatch.setenv("TRAINER_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setattr(live_module, "make_renderer", lambda label: (model, None))
    sign_in(app)
    app.button(key="start-marc-belinda").click().run()
    app.chat_input(key="chat").set_value("Marc, what is it like for you when she pushes?").run()
    no_problems(app)
    replies = [m for m in app.chat_message if m.name in ("Marc", "Belinda")]
    last = replies[-1]
    assert "long year" in last.markdown[-1].value
    assert "sighs" in " ".join(c.value for c in last.caption)  # the model's cue, shown apart
    store = open_store()
    try:
        viewer = viewer_for(get_or_create_user_by_display_name(store, "Ana"))
        session = list_sessions_for_user(store, viewer)[0]
    finally:
        store.dispose()
    assert session.engine == "llm:local" and session.prompt_tokens > 0
