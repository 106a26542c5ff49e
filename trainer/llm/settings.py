"""Provider profiles: the one documented place where the LLM is configured.

Configuration comes from environment variables, optionally from a ``[llm]``
table in ``.streamlit/secrets.toml`` (the environment wins, key by key):

==============================  =========================  ==========================================
environment variable            secrets.toml ``[llm]`` key meaning
==============================  =========================  ==========================================
TRAINER_LLM_PROVIDER            provider                   offline | openai | openai_compatible
TRAINER_LLM_MODEL               model                      e.g. gpt-4.1-mini, llama3.1:8b
TRAINER_LLM_BASE_URL            base_url                   e.g. http://localhost:11434/v1
TRAINER_LLM_API_KEY             api_key                    key for any provider
OPENAI_API_KEY                  (none)                     key for provider=openai only
TRAINER_LLM_TIMEOUT             timeout                    seconds per request (default 30)
TRAINER_LLM_TURN_DEADLINE       turn_deadline              seconds for a whole couple turn (default: timeout)
TRAINER_LLM_JUDGE_DEADLINE      judge_deadline             seconds for a whole judge call (default: 3 x timeout)
TRAINER_LLM_MAX_RETRIES         max_retries                retries after the first try (default 2)
TRAINER_LLM_STRUCTURED_METHOD   structured_method          json_schema | function_calling | json_mode
TRAINER_LLM_STREAM_USAGE        stream_usage               true | false
TRAINER_LLM_MAX_TOKENS_PARAM    max_tokens_param           max_completion_tokens | max_tokens_extra_body
TRAINER_SECRETS_FILE            (none)                     path of the secrets.toml to read
==============================  =========================  ==========================================

With nothing configured the product runs offline. An ``OPENAI_API_KEY`` alone
does not switch the network on (transcripts must not leave the building by
accident), and it is never sent to an ``openai_compatible`` server. A base URL
without a provider means ``openai_compatible``.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from trainer.errors import TrainerError

Provider = Literal["offline", "openai", "openai_compatible"]
StructuredMethod = Literal["json_schema", "function_calling", "json_mode"]
MaxTokensParam = Literal["max_completion_tokens", "max_tokens_extra_body"]

OPENAI_BASE_URL = "https://api.openai.com/v1"
DEFAULT_OPENAI_MODEL = "gpt-4.1-mini"
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_RETRIES = 2

_ENV_KEYS: dict[str, str] = {
    "provider": "TRAINER_LLM_PROVIDER",
    "model": "TRAINER_LLM_MODEL",
    "base_url": "TRAINER_LLM_BASE_URL",
    "api_key": "TRAINER_LLM_API_KEY",
    "timeout": "TRAINER_LLM_TIMEOUT",
    "turn_deadline": "TRAINER_LLM_TURN_DEADLINE",
    "judge_deadline": "TRAINER_LLM_JUDGE_DEADLINE",
    "max_retries": "TRAINER_LLM_MAX_RETRIES",
    "structured_method": "TRAINER_LLM_STRUCTURED_METHOD",
    "stream_usage": "TRAINER_LLM_STREAM_USAGE",
    "max_tokens_param": "TRAINER_LLM_MAX_TOKENS_PARAM",
}


class LLMConfigError(TrainerError):
    """The LLM configuration is unusable; the message names the setting."""


class Capabilities(BaseModel):
    """What differs between OpenAI-compatible servers, and how we cope with it."""

    model_config = ConfigDict(frozen=True)

    structured_method: StructuredMethod = "json_mode"
    stream_usage: bool = False
    max_tokens_param: MaxTokensParam = "max_tokens_extra_body"
    source: str = Field(default="default", description="default|known|detected|cached|override")


class CapabilityOverrides(BaseModel):
    """Explicit capability settings; each one set here skips detection."""

    model_config = ConfigDict(frozen=True)

    structured_method: StructuredMethod | None = None
    stream_usage: bool | None = None
    max_tokens_param: MaxTokensParam | None = None

    def complete(self) -> bool:
        """True when every capability is set, so no probing is needed."""
        return None not in (self.structured_method, self.stream_usage, self.max_tokens_param)

    def apply(self, caps: Capabilities) -> Capabilities:
        """Overlay the explicit settings on detected/known capabilities."""
        update = {k: v for k, v in self.model_dump().items() if v is not None}
        if not update:
            return caps
        source = caps.source if caps.source == "override" else f"{caps.source}+override"
        return caps.model_copy(update={**update, "source": source})


# What is known without probing (documented facts, see README / issue 7).
OPENAI_CAPABILITIES = Capabilities(
    structured_method="json_schema",
    stream_usage=True,
    max_tokens_param="max_completion_tokens",
    source="known",
)
# Conservative until detected: understood by llama.cpp, Ollama, vLLM, LM Studio.
COMPATIBLE_DEFAULT_CAPABILITIES = Capabilities(source="default")


class ProviderProfile(BaseModel):
    """Everything needed to talk to one model; the key is a SecretStr, never shown."""

    model_config = ConfigDict(frozen=True)

    provider: Provider = "offline"
    model: str | None = None
    base_url: str | None = None
    api_key: SecretStr | None = Field(default=None, repr=False)
    timeout: float = Field(default=DEFAULT_TIMEOUT, gt=0)
    # Overall limits, retries and slow trickles included (a per-request timeout is per read).
    turn_deadline: float | None = Field(default=None, gt=0)
    judge_deadline: float | None = Field(default=None, gt=0)
    max_retries: int = Field(default=DEFAULT_MAX_RETRIES, ge=0, le=10)
    overrides: CapabilityOverrides = Field(default_factory=CapabilityOverrides)
    capabilities: Capabilities | None = None
    sources: dict[str, str] = Field(default_factory=dict)

    @property
    def is_offline(self) -> bool:
        """Offline means: no model server at all, the authored/rule-based paths."""
        return self.provider == "offline"

    @property
    def is_openai(self) -> bool:
        """True for OpenAI proper (prices apply, capabilities known)."""
        if self.provider == "openai":
            return True
        return bool(self.base_url) and self.base_url.rstrip("/") == OPENAI_BASE_URL

    @property
    def effective_base_url(self) -> str | None:
        """Base URL to send requests to (OpenAI's when not set for provider openai)."""
        if self.provider == "openai":
            return (self.base_url or OPENAI_BASE_URL).rstrip("/")
        return self.base_url.rstrip("/") if self.base_url else None

    @property
    def display_url(self) -> str | None:
        """The base URL without any user:password@ part, for messages and reports."""
        url = self.effective_base_url
        if not url:
            return None
        parts = urlsplit(url)
        if parts.username is None and parts.password is None:
            return url
        netloc = parts.hostname or ""
        netloc += f":{parts.port}" if parts.port else ""
        return urlunsplit(parts._replace(netloc=netloc))

    @property
    def effective_turn_deadline(self) -> float:
        """Seconds one couple turn may take in all (default: the request timeout)."""
        return self.turn_deadline or self.timeout

    @property
    def effective_judge_deadline(self) -> float:
        """Seconds one judge call may take in all (default: three request timeouts)."""
        return self.judge_deadline or 3 * self.timeout

    @property
    def attempts(self) -> int:
        """Total tries per call: the first plus ``max_retries``."""
        return self.max_retries + 1

    def effective_capabilities(self) -> Capabilities:
        """Resolved capabilities, else what is known/safe for this provider, plus overrides."""
        if self.capabilities is not None:
            base = self.capabilities
        elif self.is_openai:
            base = OPENAI_CAPABILITIES
        else:
            base = COMPATIBLE_DEFAULT_CAPABILITIES
        return self.overrides.apply(base)

    def with_capabilities(self, caps: Capabilities) -> ProviderProfile:
        """Copy of this profile with capabilities filled in."""
        return self.model_copy(update={"capabilities": caps})

    def secret_key(self) -> str:
        """The key to hand to the HTTP client (a placeholder for keyless local servers)."""
        if self.api_key is not None and self.api_key.get_secret_value():
            return self.api_key.get_secret_value()
        return "not-needed"

    def redacted(self) -> dict[str, Any]:
        """A view safe to print, log or store: the key is reduced to set/not set."""
        caps = self.effective_capabilities() if not self.is_offline else None
        return {
            "provider": self.provider,
            "model": self.model,
            "base_url": self.display_url,
            "api_key": "set (hidden)" if self.api_key is not None else "not set",
            "timeout": self.timeout,
            "turn_deadline": self.effective_turn_deadline,
            "judge_deadline": self.effective_judge_deadline,
            "max_retries": self.max_retries,
            "capabilities": caps.model_dump() if caps else None,
            "sources": dict(self.sources),
        }

    def problems(self) -> list[str]:
        """What is missing for this profile to work (empty when usable)."""
        out: list[str] = []
        if self.provider == "openai" and self.api_key is None:
            out.append("provider openai needs OPENAI_API_KEY (or TRAINER_LLM_API_KEY)")
        if self.provider == "openai_compatible":
            if not self.base_url:
                out.append("provider openai_compatible needs TRAINER_LLM_BASE_URL")
            if not self.model:
                out.append("provider openai_compatible needs TRAINER_LLM_MODEL")
        return out


def default_secrets_paths() -> list[Path]:
    """Where Streamlit looks for secrets: project folder first, then home."""
    return [Path.cwd() / ".streamlit" / "secrets.toml", Path.home() / ".streamlit" / "secrets.toml"]


def read_secrets_table(path: Path) -> dict[str, Any]:
    """The ``[llm]`` table of a secrets.toml, or {} when the file/table is absent."""
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise LLMConfigError(f"{path}: cannot read secrets file ({exc})") from None
    table = data.get("llm", {})
    if not isinstance(table, dict):
        raise LLMConfigError(f"{path}: [llm] must be a table")
    return table


def _parse_bool(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off"}:
        return False
    raise LLMConfigError(f"{name}: expected true or false, got {value!r}")


def _parse_number(value: Any, kind: type, name: str) -> Any:
    try:
        return kind(value)
    except (TypeError, ValueError):
        raise LLMConfigError(f"{name}: expected a number, got {value!r}") from None


def load_profile(
    env: Mapping[str, str] | None = None,
    secrets_path: str | Path | None = None,
) -> ProviderProfile:
    """Build the profile from environment (wins) and secrets.toml; default offline."""
    env = os.environ if env is None else env
    raw: dict[str, Any] = {}
    sources: dict[str, str] = {}

    paths = [Path(secrets_path)] if secrets_path else (
        [Path(env["TRAINER_SECRETS_FILE"])] if env.get("TRAINER_SECRETS_FILE")
        else default_secrets_paths()
    )
    for path in paths:
        table = read_secrets_table(path)
        if table:
            for key in _ENV_KEYS:
                if key in table and table[key] not in (None, ""):
                    raw[key] = table[key]
                    sources[key] = str(path)
            break
    for key, var in _ENV_KEYS.items():
        if env.get(var, "").strip():
            raw[key] = env[var].strip()
            sources[key] = var

    provider = str(raw.get("provider", "")).strip().lower() or None
    if provider is None:
        provider = "openai_compatible" if raw.get("base_url") else "offline"
        sources["provider"] = "inferred from base_url" if raw.get("base_url") else "default"
    if provider not in ("offline", "openai", "openai_compatible"):
        raise LLMConfigError(
            f"TRAINER_LLM_PROVIDER: expected offline, openai or openai_compatible, got {provider!r}"
        )
    if provider == "openai" and "api_key" not in raw and env.get("OPENAI_API_KEY", "").strip():
        raw["api_key"] = env["OPENAI_API_KEY"].strip()
        sources["api_key"] = "OPENAI_API_KEY"
    if provider == "openai" and not raw.get("model"):
        raw["model"] = DEFAULT_OPENAI_MODEL
        sources["model"] = "default"

    fields: dict[str, Any] = {"provider": provider, "sources": sources}
    for key in ("model", "base_url"):
        if raw.get(key):
            fields[key] = str(raw[key])
    if raw.get("api_key"):
        fields["api_key"] = SecretStr(str(raw["api_key"]))
    try:
        for key in ("timeout", "turn_deadline", "judge_deadline"):
            if key in raw:
                fields[key] = _parse_number(raw[key], float, _ENV_KEYS[key])
        if "max_retries" in raw:
            fields["max_retries"] = _parse_number(raw["max_retries"], int, _ENV_KEYS["max_retries"])
        overrides: dict[str, Any] = {}
        for key in ("structured_method", "max_tokens_param"):
            if key in raw:
                overrides[key] = str(raw[key]).strip().lower()
        if "stream_usage" in raw:
            overrides["stream_usage"] = _parse_bool(raw["stream_usage"], _ENV_KEYS["stream_usage"])
        fields["overrides"] = CapabilityOverrides(**overrides)
        return ProviderProfile(**fields)
    except ValueError as exc:  # includes pydantic's ValidationError
        raise LLMConfigError(_one_line(exc)) from None


def _one_line(exc: ValueError) -> str:
    """A validation error as one line naming the setting (never echoing secrets)."""
    if isinstance(exc, ValidationError):
        parts = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"])
            name = _ENV_KEYS.get(loc.split(".")[-1], loc)
            parts.append(f"{name}: {err['msg']}")
        return "LLM settings: " + "; ".join(parts)
    return f"LLM settings: {exc}"
