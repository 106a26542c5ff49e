"""Workshops carry continuing-education details: hours, provider, approval number, completion rule.

Revision ID: a8w_workshop_ce
Revises: a8_sign_in
Create Date: 2026-12-05

Existing workshops keep working: no CE hours, completed by one finished session of any mode.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "a8w_workshop_ce"
down_revision = "a8_sign_in"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workshops") as batch:
        batch.add_column(sa.Column("ce_hours", sa.Float(), nullable=True))
        batch.add_column(sa.Column("ce_provider", sa.String(200), nullable=True))
        batch.add_column(sa.Column("ce_approval", sa.String(100), nullable=True))
        batch.add_column(sa.Column("completion_sessions", sa.Integer(), server_default="1", nullable=False))
        batch.add_column(sa.Column("completion_mode", sa.String(20), server_default="any", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("workshops") as batch:
        for column in ("completion_mode", "completion_sessions", "ce_approval", "ce_provider", "ce_hours"):
            batch.drop_column(column)
