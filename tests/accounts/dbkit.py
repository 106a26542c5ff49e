"""Shared fixtures for the accounts, review and workshop tests: SQLite and a real PostgreSQL.

PostgreSQL runs in a fresh random schema per test session (so parallel runs
and other suites never collide) and every table is emptied between tests.
Imported by each folder's conftest.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine, text

import trainer.store.account_models
import trainer.store.review_models
import trainer.store.workshop_models  # noqa: F401 - register the tables on Base
from tests.pgkit import fresh_schema
from trainer import store as st
from trainer.accounts import passwords
from trainer.accounts.service import create_account
from trainer.store.access import Viewer
from trainer.store.models import Base

CRITERIA = ("raised_sexual_cycle_early", "validated_protective_moves", "drew_out_underlying_needs")


@pytest.fixture(autouse=True)
def cheap_hashing() -> Iterator[None]:
    """Argon2 at test strength (hashes stay valid argon2id; production keeps the defaults)."""
    passwords.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    yield
    passwords.use_hasher(None)


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a schema made for this test session."""
    with fresh_schema("t6") as url:
        st.upgrade_database(url)
        yield url


def _empty_postgres(url: str) -> None:
    engine = create_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path) -> str:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'trainer.db'}"
    url = request.getfixturevalue("pg_url")
    _empty_postgres(url)
    return url


@pytest.fixture
def store(db_url: str) -> Iterator[st.Store]:
    opened = st.open_store(db_url)
    yield opened
    opened.dispose()


# --- builders ----------------------------------------------------------------------------


def person(store: st.Store, login: str, role: str = "trainee", password: str | None = None) -> Viewer:
    """A signed-in account of the given role, as the Viewer requests act for."""
    info = create_account(
        store, login=login, display_name=login.title(), role=role,
        password=password or f"{login}-correct-horse",
    )
    return Viewer(user_id=info.user_id, role=info.role)


def result(scores: dict[str, int], missed: dict[str, str] | None = None) -> dict[str, Any]:
    criteria = [
        {
            "id": cid, "title": cid.replace("_", " ").capitalize(), "score": score,
            "evidence": [{"turn": 1, "quote": "Hello"}], "rationale": "because",
            "coaching": {"missed_moment": (missed or {}).get(cid)},
        }
        for cid, score in scores.items()
    ]
    return {
        "rubric": "eft-first-session", "evaluator": "offline", "criteria": criteria,
        "total": sum(scores.values()), "max_total": 3 * len(scores),
    }


def played(
    store: st.Store,
    viewer: Viewer,
    scores: dict[str, int] | None = None,
    *,
    couple: str = "marc-belinda",
    turns: int = 4,
    complete: bool = True,
    missed: dict[str, str] | None = None,
    minutes: float = 12.0,
) -> uuid.UUID:
    """A session played by `viewer`: turns, and (if complete) an offline evaluation."""
    started = datetime.now(UTC) - timedelta(minutes=minutes)
    record = st.start_session(store, viewer, couple_id=couple, rubric_id="eft-first-session")
    st.append_turns(
        store, viewer, record.id,
        [
            st.TurnRecord(index=i, speaker="therapist" if i % 2 else "Belinda", text="Hello there")
            for i in range(turns)
        ],
    )
    _backdate(store, record.id, started)
    if complete:
        scores = scores or dict.fromkeys(CRITERIA, 2)
        st.complete_session(
            store, viewer, record.id,
            evaluation={"rubric_id": "eft-first-session", "evaluator": "offline",
                        "result": result(scores, missed)},
        )
    return record.id


def _backdate(store: st.Store, session_id: uuid.UUID, started: datetime) -> None:
    from sqlalchemy import update

    from trainer.store.models import PracticeSession

    with store.transaction() as db:
        db.execute(
            update(PracticeSession)
            .where(PracticeSession.id == session_id)
            .values(started_at=started)
            .execution_options(synchronize_session=False)
        )
