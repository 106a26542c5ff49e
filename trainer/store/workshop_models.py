"""Workshops, who is in them, and which practice sessions were played there."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from trainer.store.models import Base
from trainer.store.types import JSONDoc, utcnow

WORKSHOP_MODES = ("practice", "assessment")
WORKSHOP_STATUSES = ("open", "closed")
MEMBER_ROLES = ("participant", "facilitator")


class Workshop(Base):
    """A facilitated event: participants join by code and practise with the allowed couples."""

    __tablename__ = "workshops"
    __table_args__ = (
        CheckConstraint(f"mode IN {WORKSHOP_MODES}", name="mode"),
        CheckConstraint(f"status IN {WORKSHOP_STATUSES}", name="status"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    title: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date] = mapped_column(Date)
    couples: Mapped[list[Any]] = mapped_column(JSONDoc, default=list)
    rubric_id: Mapped[str] = mapped_column(String(100))
    mode: Mapped[str] = mapped_column(String(20), default="practice")
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="open", server_default="open")
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Continuing education: hours awarded, who provides and approved them, and what completes it.
    ce_hours: Mapped[float | None] = mapped_column(Float)
    ce_provider: Mapped[str | None] = mapped_column(String(200))
    ce_approval: Mapped[str | None] = mapped_column(String(100))
    completion_sessions: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    completion_mode: Mapped[str] = mapped_column(String(20), default="any", server_default="any")


class WorkshopMember(Base):
    """A participant or (co-)facilitator of a workshop; names are unique within the room."""

    __tablename__ = "workshop_members"
    __table_args__ = (
        CheckConstraint(f"role IN {MEMBER_ROLES}", name="role"),
        UniqueConstraint("workshop_id", "name_key", name="uq_workshop_members_name"),
    )

    workshop_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(20), default="participant")
    display_name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200))  # casefolded display name
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)


class WorkshopSession(Base):
    """Marks a practice session as played in a workshop (what its facilitator may see)."""

    __tablename__ = "workshop_sessions"

    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("practice_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    workshop_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
