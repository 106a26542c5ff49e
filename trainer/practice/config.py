"""Settings of the practice app that deployments may change (from the environment)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from trainer.errors import TrainerError

DEFAULT_MAX_MESSAGE_CHARS = 2000


def max_message_chars() -> int:
    """Longest trainee message accepted (`TRAINER_MAX_MESSAGE_CHARS`, default 2000)."""
    raw = os.environ.get("TRAINER_MAX_MESSAGE_CHARS", "").strip()
    if not raw:
        return DEFAULT_MAX_MESSAGE_CHARS
    try:
        value = int(raw)
    except ValueError:
        raise TrainerError(f"TRAINER_MAX_MESSAGE_CHARS: expected a number, got {raw!r}") from None
    return max(50, value)


@dataclass(frozen=True)
class Backends:
    """Which engine renders the couple and which judge scores, as shown to users.

    `engine`/`judge` are short labels stored with each session ("offline" or
    "llm:<model>"); `model` and `base_url` are for the settings page. Never the key.
    """

    engine: str
    judge: str
    provider: str
    model: str | None
    base_url: str | None
    key_set: bool
    problems: tuple[str, ...] = ()

    @property
    def is_llm(self) -> bool:
        return self.provider != "offline" and not self.problems


def active_backends() -> Backends:
    """Read the LLM profile (environment / secrets.toml); offline when absent or broken."""
    from trainer.llm import LLMConfigError, load_profile

    try:
        profile = load_profile()
    except LLMConfigError as exc:
        return Backends("offline", "offline", "offline", None, None, False, (str(exc),))
    problems = tuple(profile.problems())
    if profile.is_offline or problems:
        return Backends(
            "offline", "offline", profile.provider, profile.model,
            profile.effective_base_url, profile.api_key is not None, problems,
        )
    label = f"llm:{profile.model or 'default'}"
    return Backends(
        label, label, profile.provider, profile.model, profile.effective_base_url,
        profile.api_key is not None,
    )
