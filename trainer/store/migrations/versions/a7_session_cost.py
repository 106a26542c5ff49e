"""Estimated LLM cost stored with each practice session (tokens were already there).

Revision ID: a7_session_cost
Revises: a6_accounts
Create Date: 2026-11-23

Micro-dollars in an integer: costs of many small calls add up exactly, on
every database. 0 for offline sessions and local model servers.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "a7_session_cost"
down_revision = "a6_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "practice_sessions",
        sa.Column("cost_microusd", sa.Integer(), server_default="0", nullable=False),
    )


def downgrade() -> None:
    with op.batch_alter_table("practice_sessions") as batch:
        batch.drop_column("cost_microusd")
