"""Fixtures for the fault tests: a misbehaving model server, and stores on SQLite and PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_openai import FakeOpenAI

from tests.pgkit import backend_url, fresh_schema
from trainer.llm import capabilities
from trainer.store import Store, open_store


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith(("TRAINER_LLM_", "OPENAI_", "LANGSMITH_", "LANGCHAIN_")):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("TRAINER_LLM_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("TRAINER_SECRETS_FILE", str(tmp_path / "no-secrets.toml"))
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path / "data"))
    capabilities.clear_cache(disk=False)


@pytest.fixture
def browser() -> Iterator[object]:
    """A headless Chromium (Debian's, driven by Playwright)."""
    from browser_kit import launch_browser

    yield from launch_browser()


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI("ok") as server:
        yield server


@pytest.fixture(scope="session")
def pg_schema_url() -> Iterator[str]:
    """A URL whose search_path is a schema made for this test run (dropped afterwards)."""
    with fresh_schema() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    pg = request.getfixturevalue("pg_schema_url") if request.param == "postgresql" else None
    return backend_url(request.param, tmp_path, pg)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    opened = open_store(db_url)
    yield opened
    opened.dispose()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{tmp_path / 'trainer.db'}")
    yield opened
    opened.dispose()
