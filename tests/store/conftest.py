"""Store fixtures: every test runs on SQLite and on PostgreSQL (a fresh schema per run)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.pgkit import backend_url, fresh_schema
from trainer.store import Store, open_store


@pytest.fixture(scope="session")
def pg_schema_url() -> Iterator[str]:
    """A URL whose search_path is a schema made for this test run (dropped afterwards)."""
    with fresh_schema() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """A database URL per backend; PostgreSQL tables are emptied between tests."""
    pg = request.getfixturevalue("pg_schema_url") if request.param == "postgresql" else None
    return backend_url(request.param, tmp_path, pg)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    opened = open_store(db_url)
    yield opened
    opened.dispose()
