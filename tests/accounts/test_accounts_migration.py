"""The accounts/review/workshop migration: one head, matches the models, reversible."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from trainer import store as st
from trainer.store.db import alembic_config
from trainer.store.metadata import load_all_models

MINE = {
    "accounts", "supervisor_assignments", "cohorts", "cohort_members", "cohort_supervisors",
    "workshops", "workshop_members", "workshop_sessions", "reviews", "review_overrides",
    "review_audit",
}


def test_a_single_head(db_url: str) -> None:
    heads = ScriptDirectory.from_config(alembic_config(db_url)).get_heads()
    assert len(heads) == 1, f"several migration heads, rebase one onto the other: {heads}"


def test_tables_match_models_and_downgrade_cleanly(store: st.Store, db_url: str) -> None:
    with store.engine.connect() as conn:
        assert MINE <= set(inspect(conn).get_table_names())
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, load_all_models()) == []
    config = alembic_config(db_url)
    command.downgrade(config, "a6_accounts-1")
    with store.engine.connect() as conn:
        assert not MINE & set(inspect(conn).get_table_names())
    command.upgrade(config, "head")
    with store.engine.connect() as conn:
        assert MINE <= set(inspect(conn).get_table_names())
