"""Fake chat models for the LLM renderer and judge tests (no network, deterministic)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field

from trainer.llm import LLMClient
from trainer.llm.settings import CapabilityOverrides, ProviderProfile
from trainer.render.llm import LLMRenderer

WHO = re.compile(r"Who speaks now, in this order: (.+?)\.\n")


def profile(**update: Any) -> ProviderProfile:
    """A local-server profile with every capability set (no probing, no network)."""
    fields: dict[str, Any] = {
        "provider": "openai_compatible", "base_url": "http://127.0.0.1:9/v1", "model": "local",
        "max_retries": 1,
        "overrides": CapabilityOverrides(structured_method="json_mode", stream_usage=False,
                                         max_tokens_param="max_tokens_extra_body"),
        **update}
    return ProviderProfile(**fields)


class CoupleFake(GenericFakeChatModel):
    """Answers every render request with one labelled line per planned speaker, and records
    every message list it was sent (what the model would see)."""

    messages: Iterator[Any] = iter(())
    sent: list[list[BaseMessage]] = Field(default_factory=list)
    count: int = 0
    script: list[str] = Field(default_factory=list)  # optional raw replies to use first (then the labelled default)

    def _generate(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None,
                  **kwargs: Any) -> ChatResult:
        self.sent.append(list(messages))
        self.count += 1
        if self.script:
            text = self.script.pop(0)
        else:
            match = WHO.search(str(messages[-1].content))
            names = match.group(1).split(", then ") if match else ["Someone"]
            text = "\n".join(f"{n}: [nods slowly] This is line {self.count} from {n}, honestly."
                             for n in names)
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])


def renderer(model: Any, **options: Any) -> LLMRenderer:
    client = LLMClient(options.pop("prof", profile()), chat_model=model, sleep=lambda s: None)
    return LLMRenderer(client, **options)


def blob(messages: list[BaseMessage]) -> str:
    return "\n".join(str(m.content) for m in messages)


def _conformance() -> Any:
    """The simulator's conformance scripts (tests/engine/sim_conformance.py), loaded by path."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "engine" / "sim_conformance.py"
    spec = importlib.util.spec_from_file_location("llm_sim_conformance", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_SCRIPTS = _conformance()
MIXED_40: list[str] = _SCRIPTS.MIXED_40
fill = _SCRIPTS.fill
