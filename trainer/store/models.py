"""The persistent data model: users, practice sessions, their turns and evaluations.

Shaped for what comes next (accounts, supervisors, workshops, several app
instances on one PostgreSQL): ids are UUIDs so any instance can mint them,
a session always belongs to a user, evaluations are immutable rows (a
supervisor's override will sit beside them, never overwrite them), and
per-criterion scores live in their own table so dashboards and calibration can
query them with plain SQL. New concepts arrive as new tables and nullable
columns through migrations, without reshaping these.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from trainer.store.types import BigId, JSONDoc, UTCDateTime, utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ROLES = ("trainee", "supervisor", "facilitator", "admin")
MODES = ("practice", "assessment")
STATUSES = ("in_progress", "completed")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime(), dict[str, Any]: JSONDoc}


class User(Base):
    """A person using the product. `username` is the unique sign-in handle.

    For now identity is a display name, so `username` is its normalized form.
    Accounts (password hash, OIDC subject) and workshop membership arrive as
    new nullable columns / tables keyed on `users.id`.
    """

    __tablename__ = "users"
    __table_args__ = (CheckConstraint(f"role IN {ROLES}", name="role"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    username: Mapped[str | None] = mapped_column(String(200), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default="trainee", server_default="trainee")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    sessions: Mapped[list[PracticeSession]] = relationship(back_populates="user")


class PracticeSession(Base):
    """One practice (or assessment) session of a trainee with a simulated couple."""

    __tablename__ = "practice_sessions"
    __table_args__ = (
        CheckConstraint(f"mode IN {MODES}", name="mode"),
        CheckConstraint(f"status IN {STATUSES}", name="status"),
        Index("ix_practice_sessions_user_started", "user_id", "started_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    couple_id: Mapped[str] = mapped_column(String(100))
    rubric_id: Mapped[str] = mapped_column(String(100))
    mode: Mapped[str] = mapped_column(String(20), default="practice")
    engine: Mapped[str] = mapped_column(String(200), default="offline")
    judge: Mapped[str] = mapped_column(String(200), default="offline")
    status: Mapped[str] = mapped_column(String(20), default="in_progress", index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    ended_at: Mapped[datetime | None]
    seed: Mapped[int] = mapped_column(Integer, default=0)
    snapshot: Mapped[dict[str, Any] | None]
    flags: Mapped[list[Any]] = mapped_column(JSONDoc, default=list)
    prompt_tokens: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    completion_tokens: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Estimated LLM cost in millionths of a US dollar (integers add up exactly); 0 offline/local.
    cost_microusd: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Optimistic concurrency: two tabs (or two instances) writing one session
    # cannot silently overwrite each other's snapshot.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version}

    user: Mapped[User] = relationship(back_populates="sessions")
    turns: Mapped[list[TurnRow]] = relationship(
        back_populates="session", order_by="TurnRow.index", cascade="all, delete-orphan"
    )
    evaluations: Mapped[list[EvaluationRow]] = relationship(
        back_populates="session", order_by="EvaluationRow.id", cascade="all, delete-orphan"
    )


class TurnRow(Base):
    """One utterance; `index` is its 0-based position in the session transcript."""

    __tablename__ = "turns"
    __table_args__ = (UniqueConstraint("session_id", "index", name="uq_turns_session_index"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("practice_sessions.id", ondelete="CASCADE")
    )
    index: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    nonverbal: Mapped[str | None] = mapped_column(Text)
    fallback: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    state: Mapped[dict[str, Any] | None]
    labels: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    session: Mapped[PracticeSession] = relationship(back_populates="turns")


class EvaluationRow(Base):
    """An evaluator's verdict on a session, kept as it was given (never edited)."""

    __tablename__ = "evaluations"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("practice_sessions.id", ondelete="CASCADE"), index=True
    )
    rubric_id: Mapped[str] = mapped_column(String(100))
    evaluator: Mapped[str] = mapped_column(String(200))
    result: Mapped[dict[str, Any]]
    total: Mapped[int] = mapped_column(Integer)
    max_total: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    session: Mapped[PracticeSession] = relationship(back_populates="evaluations")
    scores: Mapped[list[CriterionScoreRow]] = relationship(
        back_populates="evaluation", cascade="all, delete-orphan"
    )


class CriterionScoreRow(Base):
    """One criterion's score within an evaluation: the unit of progress charts."""

    __tablename__ = "criterion_scores"
    __table_args__ = (
        UniqueConstraint("evaluation_id", "criterion_id", name="uq_criterion_scores_eval_crit"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluations.id", ondelete="CASCADE"), index=True
    )
    criterion_id: Mapped[str] = mapped_column(String(100), index=True)
    score: Mapped[int] = mapped_column(Integer)
    first_raised_turn: Mapped[int | None] = mapped_column(Integer)

    evaluation: Mapped[EvaluationRow] = relationship(back_populates="scores")
