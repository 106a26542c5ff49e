"""App fixtures: each test gets its own data dir (SQLite file) and runs offline."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_helpers import new_app
from streamlit.testing.v1 import AppTest

LLM_VARS = (
    "TRAINER_LLM_PROVIDER", "TRAINER_LLM_MODEL", "TRAINER_LLM_BASE_URL", "TRAINER_LLM_API_KEY",
    "OPENAI_API_KEY", "DATABASE_URL", "TRAINER_MAX_MESSAGE_CHARS",
)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh SQLite database for the test; no LLM configured; no secrets file."""
    for var in LLM_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TRAINER_SECRETS_FILE", str(tmp_path / "no-secrets.toml"))
    return tmp_path / "data"


@pytest.fixture
def app(data_dir: Path) -> AppTest:
    return new_app()
