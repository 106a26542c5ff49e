"""Sign-in state kept on the server: browser sessions, throttling, the account audit log.

Kept in the database (not in one process's memory) so several app instances
sharing PostgreSQL agree: a sign-out, a lock or an unlock on one instance holds
on every other at the next request.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from trainer.store.models import Base
from trainer.store.types import BigId, utcnow


class BrowserSession(Base):
    """One signed-in browser: the cookie holds a signed token naming this row.

    Only a SHA-256 of the token's secret part is stored, so a copy of the
    database does not hand out sessions. `revoked_at` ends it for good (sign-out,
    an admin's deactivation or password reset); idle and absolute expiry are
    computed from `last_seen_at` and `created_at` with the current settings.
    """

    __tablename__ = "browser_sessions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    secret_hash: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))  # password | seat | name
    workshop_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("workshops.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(String(40))


class SignInThrottle(Base):
    """Recent failed sign-ins for one key: an account name typed, or a client address.

    Keyed by what was typed, whether or not such an account exists, so an
    unknown name is slowed and locked exactly like a real one.
    """

    __tablename__ = "sign_in_throttle"

    key: Mapped[str] = mapped_column(String(260), primary_key=True)  # account:<login> | client:<ip>
    failures: Mapped[int] = mapped_column(Integer, default=0)
    first_failed_at: Mapped[datetime | None]
    last_failed_at: Mapped[datetime | None]
    next_attempt_at: Mapped[datetime | None]
    locked_until: Mapped[datetime | None]


class AccountAudit(Base):
    """Sign-ins (failed and successful) and every change an admin makes to people."""

    __tablename__ = "account_audit"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    event: Mapped[str] = mapped_column(String(40))
    login: Mapped[str | None] = mapped_column(String(200))  # as typed (normalized), for sign-ins
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    client: Mapped[str | None] = mapped_column(String(100))
    detail: Mapped[str | None] = mapped_column(Text)


class ServerKey(Base):
    """A named secret the app makes on first use (the session-signing key), shared by instances."""

    __tablename__ = "server_keys"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
