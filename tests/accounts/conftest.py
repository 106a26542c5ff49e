"""Database fixtures (SQLite and PostgreSQL) shared with tests/review and tests/workshops."""

from tests.accounts.dbkit import cheap_hashing, db_url, pg_url, store  # noqa: F401
