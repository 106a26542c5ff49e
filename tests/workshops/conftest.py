"""Database fixtures (SQLite and PostgreSQL, from tests/accounts/dbkit.py), a real browser and
the app served on a SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.accounts.dbkit import cheap_hashing, db_url, pg_url, store  # noqa: F401
from tests.conftest import skip_unless_available
from tests.workshops.servers import CHROMIUM, LAUNCH_ARGS, ROOT, AppServer
from trainer import store as st


@pytest.fixture
def app_db(db_url: str, store, monkeypatch: pytest.MonkeyPatch) -> str:  # type: ignore[no-untyped-def]  # noqa: F811
    """Point the app (DATABASE_URL) at the test database."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    return db_url


@pytest.fixture
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        skip_unless_available(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def app_server(tmp_path: Path) -> Iterator[tuple[AppServer, st.Store]]:
    """The whole app (streamlit_app.py) on its own SQLite file, and a store on the same file."""
    url = f"sqlite:///{tmp_path / 'trainer.db'}"
    opened = st.open_store(url)
    server = AppServer(url, tmp_path / "server", "app", script=ROOT / "streamlit_app.py")
    try:
        server.start()
        yield server, opened
    finally:
        server.stop()
        opened.dispose()
