"""Provider profiles: parsing, precedence, defaults, and the key never showing."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from trainer.llm.settings import LLMConfigError, ProviderProfile, load_profile

KEY = "sk-test-SECRET-0123456789abcdef"


def test_nothing_configured_means_offline() -> None:
    profile = load_profile(env={})
    assert profile.is_offline
    assert profile.problems() == []
    assert profile.redacted()["capabilities"] is None


def test_openai_key_alone_does_not_switch_network_on() -> None:
    assert load_profile(env={"OPENAI_API_KEY": KEY}).is_offline


def test_openai_profile_from_env() -> None:
    profile = load_profile(env={"TRAINER_LLM_PROVIDER": "openai", "OPENAI_API_KEY": KEY})
    assert profile.provider == "openai" and not profile.is_offline
    assert profile.model  # a default model
    assert profile.effective_base_url == "https://api.openai.com/v1"
    assert profile.api_key is not None and profile.api_key.get_secret_value() == KEY
    caps = profile.effective_capabilities()
    assert (caps.structured_method, caps.stream_usage, caps.max_tokens_param) == (
        "json_schema", True, "max_completion_tokens")
    assert profile.problems() == []


def test_base_url_implies_openai_compatible_and_never_takes_openai_key() -> None:
    profile = load_profile(env={"TRAINER_LLM_BASE_URL": "http://127.0.0.1:8080/v1",
                                "TRAINER_LLM_MODEL": "local", "OPENAI_API_KEY": KEY})
    assert profile.provider == "openai_compatible"
    assert profile.api_key is None  # OPENAI_API_KEY is not sent to a third-party server
    assert profile.secret_key() == "not-needed"
    assert profile.effective_capabilities().max_tokens_param == "max_tokens_extra_body"


def test_missing_pieces_are_reported() -> None:
    profile = load_profile(env={"TRAINER_LLM_PROVIDER": "openai_compatible"})
    assert any("TRAINER_LLM_BASE_URL" in p for p in profile.problems())
    assert any("TRAINER_LLM_MODEL" in p for p in profile.problems())
    assert load_profile(env={"TRAINER_LLM_PROVIDER": "openai"}).problems()


def test_capability_overrides_and_numbers() -> None:
    profile = load_profile(env={
        "TRAINER_LLM_BASE_URL": "http://localhost:11434/v1", "TRAINER_LLM_MODEL": "m",
        "TRAINER_LLM_TIMEOUT": "7.5", "TRAINER_LLM_MAX_RETRIES": "4",
        "TRAINER_LLM_STRUCTURED_METHOD": "function_calling",
        "TRAINER_LLM_STREAM_USAGE": "yes",
        "TRAINER_LLM_MAX_TOKENS_PARAM": "max_completion_tokens",
    })
    assert profile.timeout == 7.5 and profile.max_retries == 4 and profile.attempts == 5
    assert profile.overrides.complete()
    caps = profile.effective_capabilities()
    assert caps.structured_method == "function_calling"
    assert caps.stream_usage is True and caps.max_tokens_param == "max_completion_tokens"


@pytest.mark.parametrize("env, needle", [
    ({"TRAINER_LLM_PROVIDER": "anthropic"}, "TRAINER_LLM_PROVIDER"),
    ({"TRAINER_LLM_PROVIDER": "openai", "TRAINER_LLM_TIMEOUT": "soon"}, "TRAINER_LLM_TIMEOUT"),
    ({"TRAINER_LLM_PROVIDER": "openai", "TRAINER_LLM_STREAM_USAGE": "maybe"},
     "TRAINER_LLM_STREAM_USAGE"),
    ({"TRAINER_LLM_PROVIDER": "openai", "TRAINER_LLM_STRUCTURED_METHOD": "xml"},
     "TRAINER_LLM_STRUCTURED_METHOD"),
    ({"TRAINER_LLM_PROVIDER": "openai", "TRAINER_LLM_MAX_RETRIES": "-1"},
     "TRAINER_LLM_MAX_RETRIES"),
])
def test_bad_settings_give_one_line_errors(env: dict[str, str], needle: str) -> None:
    with pytest.raises(LLMConfigError) as info:
        load_profile(env={**env, "OPENAI_API_KEY": KEY})
    message = str(info.value)
    assert needle in message and "\n" not in message and KEY not in message


def test_secrets_toml_is_read_and_env_wins(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[llm]\nprovider = "openai_compatible"\nbase_url = "http://127.0.0.1:1/v1"\n'
                       f'model = "from-file"\napi_key = "{KEY}"\ntimeout = 12\n'
                       'stream_usage = false\n')
    profile = load_profile(env={"TRAINER_LLM_MODEL": "from-env"}, secrets_path=secrets)
    assert profile.model == "from-env" and profile.sources["model"] == "TRAINER_LLM_MODEL"
    assert profile.base_url == "http://127.0.0.1:1/v1" and profile.timeout == 12
    assert profile.api_key is not None and profile.overrides.stream_usage is False
    assert KEY not in json.dumps(profile.redacted())


def test_secrets_file_via_env(tmp_path: Path) -> None:
    secrets = tmp_path / "s.toml"
    secrets.write_text('[llm]\nprovider = "openai"\napi_key = "k"\n')
    assert load_profile(env={"TRAINER_SECRETS_FILE": str(secrets)}).provider == "openai"


def test_broken_secrets_file_is_one_line(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text("[llm\nprovider=")
    with pytest.raises(LLMConfigError, match="secrets.toml"):
        load_profile(env={}, secrets_path=secrets)


def test_key_never_shown(caplog: pytest.LogCaptureFixture) -> None:
    profile = load_profile(env={"TRAINER_LLM_PROVIDER": "openai", "TRAINER_LLM_API_KEY": KEY})
    views = [repr(profile), str(profile), json.dumps(profile.redacted()),
             profile.model_dump_json(), str(profile.model_dump())]
    logging.getLogger("t").warning("profile %s %r", profile, profile)
    views.append(caplog.text)
    for view in views:
        assert KEY not in view
    assert profile.redacted()["api_key"] == "set (hidden)"
    assert profile.secret_key() == KEY  # only for handing to the HTTP client


def test_profile_is_frozen() -> None:
    profile = ProviderProfile()
    with pytest.raises(ValueError):
        profile.model = "x"  # type: ignore[misc]


def test_only_openai_itself_counts_as_openai() -> None:
    assert ProviderProfile(provider="openai_compatible", model="m").is_openai is False
    assert ProviderProfile(provider="openai_compatible", model="m",
                           base_url="https://api.openai.com/v1/").is_openai is True


def test_credentials_in_base_url_are_hidden() -> None:
    p = ProviderProfile(provider="openai_compatible", model="m",
                        base_url="http://user:hunter2@10.0.0.5:8000/v1")
    assert p.display_url == "http://10.0.0.5:8000/v1"
    assert "hunter2" not in json.dumps(p.redacted())
