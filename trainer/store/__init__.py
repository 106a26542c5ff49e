"""Persistence: SQLAlchemy models, shipped Alembic migrations, and a small repository.

SQLite by default (`data_dir()/trainer.db`), any SQLAlchemy URL via
`DATABASE_URL` (PostgreSQL: `postgresql+psycopg://...`).
"""

from trainer.store.access import NotFound, Viewer
from trainer.store.db import (
    Store,
    database_url,
    make_engine,
    open_store,
    redacted_url,
    upgrade_database,
)
from trainer.store.queries import (
    criterion_history,
    get_session,
    latest_unfinished_session,
    list_sessions_for_user,
)
from trainer.store.records import (
    CriterionPoint,
    EvaluationRecord,
    SessionRecord,
    TurnRecord,
    UserRecord,
)
from trainer.store.repository import (
    ConcurrentUpdate,
    SessionEnded,
    append_turns,
    complete_session,
    save_evaluation,
    save_snapshot,
    start_session,
)
from trainer.store.users import (
    InvalidName,
    create_user,
    get_or_create_user_by_display_name,
    get_user,
    normalize_display_name,
    viewer_for,
)

__all__ = [
    "ConcurrentUpdate",
    "CriterionPoint",
    "EvaluationRecord",
    "InvalidName",
    "NotFound",
    "SessionEnded",
    "SessionRecord",
    "Store",
    "TurnRecord",
    "UserRecord",
    "Viewer",
    "append_turns",
    "complete_session",
    "create_user",
    "criterion_history",
    "database_url",
    "get_or_create_user_by_display_name",
    "get_session",
    "get_user",
    "latest_unfinished_session",
    "list_sessions_for_user",
    "make_engine",
    "normalize_display_name",
    "open_store",
    "redacted_url",
    "save_evaluation",
    "save_snapshot",
    "start_session",
    "upgrade_database",
    "viewer_for",
]
