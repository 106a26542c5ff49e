"""Accounts, supervisor assignments and cohorts, workshops, supervisor reviews with audit.

Revision ID: a6_accounts
Revises: 0001
Create Date: 2026-11-22

Written out in full (no imports from the app) so it stays true to the day it
was made, whatever the models become.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "a6_accounts"
down_revision = "0001"
branch_labels = None
depends_on = None

JSONDoc = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Stamp = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "workshops",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("couples", JSONDoc, nullable=False),
        sa.Column("rubric_id", sa.String(length=100), nullable=False),
        sa.Column("mode", sa.String(length=20), nullable=False),
        sa.Column("join_code", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=20), server_default="open", nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", Stamp, nullable=False),
        sa.CheckConstraint("mode IN ('practice', 'assessment')", name=op.f("ck_workshops_mode")),
        sa.CheckConstraint("status IN ('open', 'closed')", name=op.f("ck_workshops_status")),
        _fk("workshops", "created_by", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshops")),
        sa.UniqueConstraint("join_code", name=op.f("uq_workshops_join_code")),
    )
    op.create_table(
        "accounts",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("login", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("password_hash", sa.String(length=512), nullable=True),
        sa.Column("oidc_issuer", sa.String(length=500), nullable=True),
        sa.Column("oidc_subject", sa.String(length=255), nullable=True),
        sa.Column("workshop_id", sa.Uuid(), nullable=True),
        sa.Column("disabled", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", Stamp, nullable=False),
        sa.Column("last_sign_in_at", Stamp, nullable=True),
        _fk("accounts", "user_id", "users", "CASCADE"),
        _fk("accounts", "workshop_id", "workshops", "CASCADE"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("login", name=op.f("uq_accounts_login")),
        sa.UniqueConstraint("email", name=op.f("uq_accounts_email")),
        sa.UniqueConstraint("oidc_issuer", "oidc_subject", name="uq_accounts_oidc_identity"),
    )
    op.create_index(op.f("ix_accounts_workshop_id"), "accounts", ["workshop_id"])
    op.create_table(
        "supervisor_assignments",
        sa.Column("supervisor_id", sa.Uuid(), nullable=False),
        sa.Column("trainee_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", Stamp, nullable=False),
        _fk("supervisor_assignments", "supervisor_id", "users", "CASCADE"),
        _fk("supervisor_assignments", "trainee_id", "users", "CASCADE"),
        sa.PrimaryKeyConstraint(
            "supervisor_id", "trainee_id", name=op.f("pk_supervisor_assignments")
        ),
    )
    op.create_index(
        op.f("ix_supervisor_assignments_trainee_id"), "supervisor_assignments", ["trainee_id"]
    )
    op.create_table(
        "cohorts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", Stamp, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cohorts")),
        sa.UniqueConstraint("name", name=op.f("uq_cohorts_name")),
    )
    op.create_table(
        "cohort_members",
        sa.Column("cohort_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        _fk("cohort_members", "cohort_id", "cohorts", "CASCADE"),
        _fk("cohort_members", "user_id", "users", "CASCADE"),
        sa.PrimaryKeyConstraint("cohort_id", "user_id", name=op.f("pk_cohort_members")),
    )
    op.create_index(op.f("ix_cohort_members_user_id"), "cohort_members", ["user_id"])
    op.create_table(
        "cohort_supervisors",
        sa.Column("cohort_id", sa.Uuid(), nullable=False),
        sa.Column("supervisor_id", sa.Uuid(), nullable=False),
        _fk("cohort_supervisors", "cohort_id", "cohorts", "CASCADE"),
        _fk("cohort_supervisors", "supervisor_id", "users", "CASCADE"),
        sa.PrimaryKeyConstraint("cohort_id", "supervisor_id", name=op.f("pk_cohort_supervisors")),
    )
    op.create_index(
        op.f("ix_cohort_supervisors_supervisor_id"), "cohort_supervisors", ["supervisor_id"]
    )
    op.create_table(
        "workshop_members",
        sa.Column("workshop_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("joined_at", Stamp, nullable=False),
        sa.CheckConstraint(
            "role IN ('participant', 'facilitator')", name=op.f("ck_workshop_members_role")
        ),
        _fk("workshop_members", "workshop_id", "workshops", "CASCADE"),
        _fk("workshop_members", "user_id", "users", "CASCADE"),
        sa.PrimaryKeyConstraint("workshop_id", "user_id", name=op.f("pk_workshop_members")),
        sa.UniqueConstraint("workshop_id", "name_key", name="uq_workshop_members_name"),
    )
    op.create_index(op.f("ix_workshop_members_user_id"), "workshop_members", ["user_id"])
    op.create_table(
        "workshop_sessions",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("workshop_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", Stamp, nullable=False),
        _fk("workshop_sessions", "session_id", "practice_sessions", "CASCADE"),
        _fk("workshop_sessions", "workshop_id", "workshops", "CASCADE"),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_workshop_sessions")),
    )
    op.create_index(op.f("ix_workshop_sessions_workshop_id"), "workshop_sessions", ["workshop_id"])
    op.create_table(
        "reviews",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("evaluation_id", BigId, nullable=True),
        sa.Column("overall_comment", sa.Text(), nullable=True),
        sa.Column("reviewed", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("reviewed_at", Stamp, nullable=True),
        sa.Column("reviewed_by", sa.Uuid(), nullable=True),
        sa.Column("updated_at", Stamp, nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="0", nullable=False),
        _fk("reviews", "session_id", "practice_sessions", "CASCADE"),
        _fk("reviews", "evaluation_id", "evaluations", "SET NULL"),
        _fk("reviews", "reviewed_by", "users", "SET NULL"),
        _fk("reviews", "updated_by", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
        sa.UniqueConstraint("session_id", name=op.f("uq_reviews_session_id")),
    )
    op.create_table(
        "review_overrides",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("review_id", BigId, nullable=False),
        sa.Column("criterion_id", sa.String(length=100), nullable=False),
        sa.Column("evaluator_score", sa.Integer(), nullable=True),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("updated_at", Stamp, nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.CheckConstraint("score >= 0 AND score <= 3", name=op.f("ck_review_overrides_score")),
        _fk("review_overrides", "review_id", "reviews", "CASCADE"),
        _fk("review_overrides", "updated_by", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_overrides")),
        sa.UniqueConstraint("review_id", "criterion_id", name="uq_review_overrides_criterion"),
    )
    op.create_table(
        "review_audit",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("review_id", BigId, nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("at", Stamp, nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("criterion_id", sa.String(length=100), nullable=True),
        sa.Column("before", JSONDoc, nullable=True),
        sa.Column("after", JSONDoc, nullable=True),
        _fk("review_audit", "review_id", "reviews", "CASCADE"),
        _fk("review_audit", "actor_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_audit")),
    )
    op.create_index(op.f("ix_review_audit_review_id"), "review_audit", ["review_id"])
    op.create_index(op.f("ix_review_audit_session_id"), "review_audit", ["session_id"])


def downgrade() -> None:
    for table in (
        "review_audit", "review_overrides", "reviews", "workshop_sessions", "workshop_members",
        "cohort_supervisors", "cohort_members", "cohorts", "supervisor_assignments", "accounts",
        "workshops",
    ):
        op.drop_table(table)
