"""Where the database is, how to connect, and bringing its schema up to date.

The default is a SQLite file beside the app's data; `DATABASE_URL` points at
any SQLAlchemy URL instead (PostgreSQL via `postgresql+psycopg://...`), which
is how several app instances will share one database.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from trainer.faults import StoreFault
from trainer.paths import data_dir

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
DEFAULT_CONNECT_TIMEOUT = 5  # seconds to reach the database at all
DEFAULT_STATEMENT_TIMEOUT = 15  # seconds any one statement (or lock wait) may take
MIGRATION_TIMEOUT = 300  # seconds a start-up migration may take (another instance's included)
# Any fixed 64-bit number: serializes migrations of instances starting together.
_PG_MIGRATION_LOCK = 7_305_199_001


def database_url() -> str:
    """`DATABASE_URL` if set, else the SQLite file `data_dir()/trainer.db`."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return url
    return f"sqlite:///{data_dir() / 'trainer.db'}"


def redacted_url(url: str) -> str:
    """The URL with any password masked, for settings pages and logs."""
    return make_url(url).render_as_string(hide_password=True)


def _seconds(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    try:
        return max(1, int(float(raw))) if raw else default
    except ValueError:
        return default


def connect_timeout() -> int:
    """Seconds to wait for the database to accept a connection (`TRAINER_DB_CONNECT_TIMEOUT`)."""
    return _seconds("TRAINER_DB_CONNECT_TIMEOUT", DEFAULT_CONNECT_TIMEOUT)


def statement_timeout() -> int:
    """Seconds one statement may run or wait for a lock (`TRAINER_DB_STATEMENT_TIMEOUT`)."""
    return _seconds("TRAINER_DB_STATEMENT_TIMEOUT", DEFAULT_STATEMENT_TIMEOUT)


def make_engine(url: str | None = None) -> Engine:
    """An engine tuned per backend, that gives up in seconds when the database does not answer.

    SQLite: WAL, foreign keys, a busy timeout. PostgreSQL: a connect timeout,
    a server-side statement timeout, TCP keepalives (a host that goes silent
    mid-query is noticed) and a bounded wait for a pooled connection.
    """
    url = url or database_url()
    parsed = make_url(url)
    statement = statement_timeout()
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            folder = Path(database).parent
            folder.mkdir(parents=True, exist_ok=True)
            if not os.access(folder, os.W_OK):  # SQLite needs its folder for the WAL files
                raise StoreFault("data_dir", f"{folder}: folder is not writable", where=str(folder))
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": statement})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    connect_args: dict[str, object] = {}
    if parsed.get_backend_name() == "postgresql":
        given = parsed.query.get("options", "")
        given = " ".join(given) if isinstance(given, tuple) else given  # the URL's own options stay
        limits = f"-c statement_timeout={statement * 1000} -c lock_timeout={statement * 1000}"
        connect_args = {
            "connect_timeout": connect_timeout(),
            "options": f"{given} {limits}".strip(),
            "keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2, "keepalives_count": 3,
            "tcp_user_timeout": statement * 1000,
        }
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10,
                         pool_timeout=statement, connect_args=connect_args)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={statement_timeout() * 1000}")
    cursor.close()


def alembic_config(url: str) -> Config:
    """Alembic config pointing at the migrations shipped in the package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_database(url: str | None = None, engine: Engine | None = None) -> None:
    """Apply every pending migration. Safe to call on each start, from several instances.

    A database this app did not set up (tables but no schema version, or a
    version it does not know) is left untouched and reported as a `StoreFault`;
    a database that cannot be written is found here, at start, by a no-op write.
    """
    engine = engine or make_engine(url)
    config = alembic_config(url or engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Migrations (and waiting for another instance's) may outlast one statement's limit.
            connection.execute(text(f"SET LOCAL statement_timeout = '{MIGRATION_TIMEOUT}s'"))
            connection.execute(text(f"SET LOCAL lock_timeout = '{MIGRATION_TIMEOUT}s'"))
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        _check_schema(connection, config)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        connection.execute(text("UPDATE alembic_version SET version_num = version_num"))


def _check_schema(connection: Connection, config: Config) -> None:
    """Refuse (without changing anything) a schema this app did not make or does not know."""
    tables = set(inspect(connection).get_table_names())
    current = MigrationContext.configure(connection).get_current_heads()
    if not current:
        if tables & {"users", "practice_sessions", "turns"}:
            raise StoreFault("db_unversioned", "tables exist but alembic_version is missing or empty")
        return
    scripts = ScriptDirectory.from_config(config)
    for revision in current:
        try:
            known = scripts.get_revision(revision)
        except Exception:  # noqa: BLE001 - alembic raises several kinds for an unknown id
            known = None
        if known is None:
            raise StoreFault("db_unknown_revision", f"unknown schema revision {revision!r}",
                             revision=revision)


@dataclass(frozen=True)
class Store:
    """An engine and its session factory: what every repository function takes."""

    engine: Engine
    sessions: sessionmaker[Session]

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed on success, rolled back on any error."""
        with self.sessions.begin() as session:
            yield session

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def dispose(self) -> None:
        self.engine.dispose()


def open_store(url: str | None = None, *, migrate: bool = True) -> Store:
    """Connect (and by default migrate) the database the app should use."""
    engine = make_engine(url)
    if migrate:
        upgrade_database(engine=engine)
    return Store(engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))
