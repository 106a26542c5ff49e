"""Helpers shared by the fault tests (a module of its own: test files cannot import conftest)."""

from __future__ import annotations

from fake_openai import FakeOpenAI

from tests.conftest import skip_unless_available
from trainer.llm.settings import CapabilityOverrides, ProviderProfile

__all__ = ["CAPS", "profile_for", "skip_unless_available"]

# Every capability set: nothing is probed, the first request is the turn's own.
CAPS = CapabilityOverrides(structured_method="json_mode", stream_usage=False,
                           max_tokens_param="max_tokens_extra_body")


def profile_for(fake: FakeOpenAI, **fields: object) -> ProviderProfile:
    """A profile for the fake server (overridable fields: timeout, deadlines, retries)."""
    values: dict[str, object] = {"provider": "openai_compatible", "base_url": fake.url,
                                 "model": "fake", "timeout": 5.0, "max_retries": 1,
                                 "overrides": CAPS}
    values.update(fields)
    return ProviderProfile(**values)  # type: ignore[arg-type]
