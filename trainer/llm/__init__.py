"""LLM infrastructure: provider profiles, capabilities, chat models, tokens, doctor.

Typical use (renderer, judge)::

    from trainer.llm import LLMClient, LLMUnavailable, load_profile, resolve_capabilities

    profile = load_profile()
    if not profile.is_offline:
        client = LLMClient(resolve_capabilities(profile), temperature=0.8, max_tokens=300)
        try:
            for piece in client.stream(messages):
                ...
        except LLMUnavailable as exc:
            ...  # one-line notice, offline path answers this turn

Names are imported lazily: offline runs that only ask ``load_profile()`` do
not pay for importing openai/langchain (seconds), and nothing here opens a
socket until a model is called.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "Capabilities": "trainer.llm.settings",
    "LLMConfigError": "trainer.llm.settings",
    "ProviderProfile": "trainer.llm.settings",
    "load_profile": "trainer.llm.settings",
    "UsageMeter": "trainer.llm.tokens",
    "count_messages": "trainer.llm.tokens",
    "count_tokens": "trainer.llm.tokens",
    "trim_history": "trainer.llm.tokens",
    "LLMUnavailable": "trainer.llm.chat",
    "call_with_retries": "trainer.llm.chat",
    "make_chat_model": "trainer.llm.chat",
    "structured": "trainer.llm.chat",
    "LLMClient": "trainer.llm.client",
    "resolve_capabilities": "trainer.llm.capabilities",
    "run_doctor": "trainer.llm.doctor",
    "doctor_command": "trainer.llm.doctor",
}

__all__ = [
    "Capabilities",
    "LLMClient",
    "LLMConfigError",
    "LLMUnavailable",
    "ProviderProfile",
    "UsageMeter",
    "call_with_retries",
    "count_messages",
    "count_tokens",
    "doctor_command",
    "load_profile",
    "make_chat_model",
    "resolve_capabilities",
    "run_doctor",
    "structured",
    "trim_history",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'trainer.llm' has no attribute {name!r}")
