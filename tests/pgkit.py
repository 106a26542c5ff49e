"""A PostgreSQL schema of its own for one test session, shared by every suite that runs on both
databases: made fresh (so parallel runs and other suites never collide), dropped afterwards;
skipped where no server runs, failed in CI."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import skip_unless_available

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_base_url() -> str:
    return os.environ.get("TEST_DATABASE_URL", DEFAULT_PG_URL)


@contextmanager
def fresh_schema(prefix: str = "t") -> Iterator[str]:
    """A URL whose search_path is a schema made for this test run."""
    base = postgres_base_url()
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
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


def backend_url(backend: str, tmp_path: Path, pg_schema_url: str | None) -> str:
    """A fresh SQLite file, or the session's PostgreSQL schema with every table emptied."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'trainer.db'}"
    assert pg_schema_url is not None
    engine = create_engine(pg_schema_url)
    with engine.begin() as conn:
        if conn.execute(text("SELECT to_regclass('users')")).scalar():
            conn.execute(text("TRUNCATE users CASCADE"))  # and every table that refers to it
    engine.dispose()
    return pg_schema_url
