"""Fixtures for the fault tests: a misbehaving model server, and stores on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_openai import FakeOpenAI
from reliability_kit import skip_unless_available
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from trainer.llm import capabilities
from trainer.store import Store, open_store

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


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
    base = os.environ.get("TEST_DATABASE_URL", DEFAULT_PG_URL)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # noqa: BLE001 - server missing: skip here, fail in CI
        admin.dispose()
        skip_unless_available(f"PostgreSQL not reachable at {base}: {exc.__class__.__name__}")
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'trainer.db'}"
    url = request.getfixturevalue("pg_schema_url")
    engine = create_engine(url)
    with engine.begin() as conn:
        if conn.execute(text("SELECT to_regclass('users')")).scalar():
            conn.execute(text("TRUNCATE users CASCADE"))
    engine.dispose()
    return url


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
