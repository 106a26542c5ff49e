"""Start-up faults in a real browser: each gives one short page of sentences, no traceback, and the
pages that do not need the failed part keep working."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from browser_kit import App, no_traceback, shoot, sign_in, wait_idle
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from trainer.store import open_store

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket is closed


class Silent:
    """A host that accepts connections and never says a word (a hung database)."""

    def __init__(self) -> None:
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.listener.settimeout(0.2)
        self.held: list[socket.socket] = []
        self.stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def port(self) -> int:
        return self.listener.getsockname()[1]

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                self.held.append(self.listener.accept()[0])
            except OSError:
                continue

    def close(self) -> None:
        self.stop.set()
        for conn in self.held:
            conn.close()
        self.listener.close()


def sqlite_prepared(workdir: Path, change: str) -> dict[str, str]:
    """A data folder whose database the app made, then changed by `change` (SQL)."""
    data = workdir / "data"
    store = open_store(f"sqlite:///{data / 'trainer.db'}")
    store.dispose()
    engine = create_engine(f"sqlite:///{data / 'trainer.db'}")
    with engine.begin() as conn:
        conn.execute(text(change))
    engine.dispose()
    return {}


def broken_copy(source: Path, target: Path, name: str, line: int, bad: str) -> Path:
    shutil.copytree(source, target)
    path = target / name
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[line - 1] = bad
    path.write_text("\n".join(lines), encoding="utf-8")
    return target


def expect_fault(page, url: str, title: str) -> None:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    page.goto(url)
    page.get_by_text(title).first.wait_for(timeout=45_000)
    wait_idle(page)
    assert time.monotonic() - started < 45
    assert page.locator(".st-key-fault").count() == 1
    assert page.get_by_text("What to do:").count() == 1
    no_traceback(page)


def library_still_works(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("link", name="Library").click()
    page.get_by_role("heading", name="Library").wait_for(timeout=30_000)
    page.get_by_text("Business partners at home").first.wait_for(timeout=30_000)
    wait_idle(page)
    no_traceback(page)


def settings_still_work(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("heading", name="Settings").wait_for(timeout=30_000)
    wait_idle(page)
    no_traceback(page)


DatabaseCase = Callable[[Path, pytest.FixtureRequest], dict[str, str]]


def pg_read_only(workdir: Path, request: pytest.FixtureRequest) -> dict[str, str]:
    url = request.getfixturevalue("pg_schema_url")
    open_store(url).dispose()  # set up by the app, then opened read-only
    parsed = make_url(url)
    options = f"{parsed.query.get('options', '')} -cdefault_transaction_read_only=on".strip()
    return {"DATABASE_URL": parsed.update_query_dict({"options": options}).render_as_string(hide_password=False)}


CASES: dict[str, tuple[DatabaseCase, str]] = {
    "database down": (lambda w, r: {"DATABASE_URL": f"postgresql+psycopg://trainer:secret@127.0.0.1:{closed_port()}/trainer"},
                      "The database can't be reached"),
    "database read-only": (pg_read_only, "The database can't be written"),
    "unknown schema revision": (lambda w, r: sqlite_prepared(w, "UPDATE alembic_version SET version_num = 'f00dfeed'"),
                                "The database belongs to another version of the app"),
    "tables without alembic_version": (lambda w, r: sqlite_prepared(w, "DROP TABLE alembic_version"),
                                       "The database has tables the app didn't create"),
    "data folder cannot be created": (lambda w, r: (w.mkdir(parents=True, exist_ok=True),
                                                    (w / "a-file").write_text("x"),
                                                    {"TRAINER_DATA_DIR": str(w / "a-file" / "data")})[-1],
                                      "The data folder can't be used"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_database_fault_reads_as_a_sentence(case: str, browser, tmp_path: Path, request: pytest.FixtureRequest) -> None:  # type: ignore[no-untyped-def]
    prepare, title = CASES[case]
    env = prepare(tmp_path / "app", request)
    app = App(tmp_path / "app", env).start()
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 950})
        expect_fault(page, app.url, title)
        shoot(page, "fault-" + case.replace(" ", "-"), tmp_path)
        assert "secret" not in page.locator("body").inner_text()  # never a password
        library_still_works(page)
        settings_still_work(page)
        page.get_by_role("link", name="Practice").click()  # still the sentence, still no traceback
        page.get_by_text(title).first.wait_for(timeout=30_000)
        no_traceback(page)
    finally:
        app.stop()
    assert "database unavailable (" in app.log_text()  # the details are in the log


def test_a_database_that_never_answers_times_out_in_seconds(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    silent = Silent()
    env = {"DATABASE_URL": f"postgresql+psycopg://trainer@127.0.0.1:{silent.port}/trainer",
           "TRAINER_DB_CONNECT_TIMEOUT": "3"}
    app = App(tmp_path / "app", env).start()
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 950})
        started = time.monotonic()
        expect_fault(page, app.url, "The database isn't answering")
        assert time.monotonic() - started < 20, "a hung database must time out in seconds"
        shoot(page, "fault-database-hanging", tmp_path)
        library_still_works(page)
    finally:
        app.stop()
        silent.close()


def test_a_broken_couple_file_disables_that_couple_only(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    personas = broken_copy(ROOT / "personas", tmp_path / "personas", "marc-belinda.yaml", 5, "title: [oops")
    app = App(tmp_path / "app", {"TRAINER_PERSONAS_DIR": str(personas)}).start()
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 950})
        sign_in(page, app.url)
        no_traceback(page)
        assert page.locator(".st-key-start-marc-belinda").count() == 0
        assert page.locator('[class*="st-key-start-"]').count() == 5
        page.get_by_text("1 couple file(s) could not be loaded").click()
        page.get_by_text("marc-belinda.yaml").first.wait_for(timeout=10_000)
        body = page.locator("body").inner_text()
        assert "line 5" in body and "not valid YAML" in body
        shoot(page, "fault-broken-couple-file", tmp_path)
        page.locator(".st-key-start-jen-rosa button").click()  # the others still work
        page.get_by_role("button", name="End session").wait_for(timeout=30_000)
        no_traceback(page)
    finally:
        app.stop()


def test_a_broken_rubric_file_reads_as_a_sentence(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rubrics = broken_copy(ROOT / "rubrics", tmp_path / "rubrics", "eft-first-session.yaml", 3, "title: [oops")
    app = App(tmp_path / "app", {"TRAINER_RUBRICS_DIR": str(rubrics)}).start()
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 950})
        sign_in(page, app.url)
        page.get_by_role("link", name="Library").click()
        page.get_by_role("heading", name="Library").wait_for(timeout=30_000)
        page.get_by_text("Business partners at home").first.wait_for(timeout=30_000)  # couples still show
        page.get_by_role("tab", name="Rubrics").click()
        page.get_by_text("A rubric file is broken").first.wait_for(timeout=30_000)
        assert "eft-first-session.yaml" in page.locator("body").inner_text()
        no_traceback(page)
        shoot(page, "fault-broken-rubric-file", tmp_path)
        page.get_by_role("link", name="Practice").click()
        page.locator(".st-key-start-marc-belinda button").click()
        page.get_by_text("A rubric file is broken").first.wait_for(timeout=30_000)
        no_traceback(page)
        settings_still_work(page)
    finally:
        app.stop()
