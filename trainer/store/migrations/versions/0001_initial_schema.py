"""Initial schema: users, practice sessions, turns, evaluations, criterion scores.

Revision ID: 0001
Revises:
Create Date: 2026-11-22

Written out in full (no imports from the app) so it stays true to the day it
was made, whatever the models become.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

JSONDoc = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Stamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("username", sa.String(length=200), nullable=True),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), server_default="trainee", nullable=False),
        sa.Column("created_at", Stamp, nullable=False),
        sa.CheckConstraint(
            "role IN ('trainee', 'supervisor', 'facilitator', 'admin')", name=op.f("ck_users_role")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "practice_sessions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("couple_id", sa.String(length=100), nullable=False),
        sa.Column("rubric_id", sa.String(length=100), nullable=False),
        sa.Column("mode", sa.String(length=20), nullable=False),
        sa.Column("engine", sa.String(length=200), nullable=False),
        sa.Column("judge", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("started_at", Stamp, nullable=False),
        sa.Column("updated_at", Stamp, nullable=False),
        sa.Column("ended_at", Stamp, nullable=True),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("snapshot", JSONDoc, nullable=True),
        sa.Column("flags", JSONDoc, nullable=False),
        sa.Column("prompt_tokens", sa.Integer(), server_default="0", nullable=False),
        sa.Column("completion_tokens", sa.Integer(), server_default="0", nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "mode IN ('practice', 'assessment')", name=op.f("ck_practice_sessions_mode")
        ),
        sa.CheckConstraint(
            "status IN ('in_progress', 'completed')", name=op.f("ck_practice_sessions_status")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"],
            name=op.f("fk_practice_sessions_user_id_users"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_sessions")),
    )
    op.create_index(op.f("ix_practice_sessions_status"), "practice_sessions", ["status"])
    op.create_index(
        "ix_practice_sessions_user_started", "practice_sessions", ["user_id", "started_at"]
    )
    op.create_table(
        "turns",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("index", sa.Integer(), nullable=False),
        sa.Column("speaker", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("nonverbal", sa.Text(), nullable=True),
        sa.Column("fallback", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("state", JSONDoc, nullable=True),
        sa.Column("labels", JSONDoc, nullable=True),
        sa.Column("created_at", Stamp, nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"], ["practice_sessions.id"],
            name=op.f("fk_turns_session_id_practice_sessions"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_turns")),
        sa.UniqueConstraint("session_id", "index", name="uq_turns_session_index"),
    )
    op.create_table(
        "evaluations",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("rubric_id", sa.String(length=100), nullable=False),
        sa.Column("evaluator", sa.String(length=200), nullable=False),
        sa.Column("result", JSONDoc, nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("max_total", sa.Integer(), nullable=False),
        sa.Column("created_at", Stamp, nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"], ["practice_sessions.id"],
            name=op.f("fk_evaluations_session_id_practice_sessions"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluations")),
    )
    op.create_index(op.f("ix_evaluations_session_id"), "evaluations", ["session_id"])
    op.create_table(
        "criterion_scores",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("evaluation_id", BigId, nullable=False),
        sa.Column("criterion_id", sa.String(length=100), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("first_raised_turn", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["evaluation_id"], ["evaluations.id"],
            name=op.f("fk_criterion_scores_evaluation_id_evaluations"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_criterion_scores")),
        sa.UniqueConstraint(
            "evaluation_id", "criterion_id", name="uq_criterion_scores_eval_crit"
        ),
    )
    op.create_index(
        op.f("ix_criterion_scores_criterion_id"), "criterion_scores", ["criterion_id"]
    )
    op.create_index(
        op.f("ix_criterion_scores_evaluation_id"), "criterion_scores", ["evaluation_id"]
    )


def downgrade() -> None:
    op.drop_table("criterion_scores")
    op.drop_table("evaluations")
    op.drop_table("turns")
    op.drop_table("practice_sessions")
    op.drop_table("users")
