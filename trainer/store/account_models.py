"""Accounts, supervisor assignments and cohorts: who signs in and who supervises whom.

Kept beside (not inside) `users` so the practice app's identity model stays as
it is: a row here turns a user into a signed-in account (password hash or OIDC
subject); a user without one is a display-name identity. `login` is separate
from `users.username` on purpose: typing a display name must never reach an
account.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint, Uuid, false
from sqlalchemy.orm import Mapped, mapped_column

from trainer.store.models import Base
from trainer.store.types import utcnow


class Account(Base):
    """Sign-in credentials of a user: a local password, an OIDC identity, or a workshop seat."""

    __tablename__ = "accounts"
    __table_args__ = (
        UniqueConstraint("oidc_issuer", "oidc_subject", name="uq_accounts_oidc_identity"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    login: Mapped[str | None] = mapped_column(String(200), unique=True)  # casefolded handle
    email: Mapped[str | None] = mapped_column(String(320), unique=True)  # casefolded
    password_hash: Mapped[str | None] = mapped_column(String(512))  # argon2id, never clear text
    oidc_issuer: Mapped[str | None] = mapped_column(String(500))
    oidc_subject: Mapped[str | None] = mapped_column(String(255))
    # Set for a workshop participant: a trainee identity that exists for that workshop only.
    workshop_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    disabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sign_in_at: Mapped[datetime | None]


class SupervisorAssignment(Base):
    """A supervisor is responsible for one trainee (and may see and review their sessions)."""

    __tablename__ = "supervisor_assignments"

    supervisor_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    trainee_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Cohort(Base):
    """A group of trainees (a training year, a clinic) supervised together."""

    __tablename__ = "cohorts"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CohortMember(Base):
    __tablename__ = "cohort_members"

    cohort_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class CohortSupervisor(Base):
    __tablename__ = "cohort_supervisors"

    cohort_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True
    )
    supervisor_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
