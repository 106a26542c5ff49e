"""Database fixtures (SQLite and PostgreSQL), from tests/accounts/dbkit.py."""

from __future__ import annotations

import pytest

from tests.accounts.dbkit import cheap_hashing, db_url, pg_url, store  # noqa: F401


@pytest.fixture
def app_db(db_url: str, store, monkeypatch: pytest.MonkeyPatch) -> str:  # type: ignore[no-untyped-def]  # noqa: F811
    """Point the app (DATABASE_URL) at the test database."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    return db_url
