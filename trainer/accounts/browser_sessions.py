"""Signed-in browsers, kept on the server: issue on sign-in, check on every request, revoke.

The cookie only carries a signed token (`trainer.accounts.tokens`); whether it
still opens anything is decided here, on each request, from the database:
not revoked (sign-out, an admin's deactivation or password reset), not idle
longer than the configured limit, not older than the absolute cap, and the
person still active. So a sign-out on one tab or instance ends the session on
every other at their next request.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from trainer.accounts.session_settings import SessionSettings, configured_secret, session_settings
from trainer.accounts.tokens import make_token, new_secret, parse_token, secret_hash
from trainer.store.account_models import Account
from trainer.store.auth_models import BrowserSession, ServerKey
from trainer.store.db import Store
from trainer.store.models import User
from trainer.store.types import utcnow

KINDS = ("password", "seat", "name")
SIGNING_KEY = "session-signing"
TOUCH_EVERY = timedelta(seconds=60)  # last_seen is written at most this often per session


@dataclass(frozen=True)
class ActiveSession:
    """Who a valid token belongs to, read fresh from the database (role changes apply at once)."""

    session_id: uuid.UUID
    user_id: uuid.UUID
    display_name: str
    role: str
    kind: str
    workshop_id: uuid.UUID | None
    user_created_at: datetime


def signing_key(store: Store) -> bytes:
    """The operator's TRAINER_SESSION_SECRET, else the key made once and kept in the database."""
    configured = configured_secret()
    if configured:
        return configured.encode("utf-8")
    for _attempt in range(2):
        with store.transaction() as db:
            found = db.get(ServerKey, SIGNING_KEY)
            if found is not None:
                return found.value.encode("ascii")
        try:
            with store.transaction() as db:
                db.add(ServerKey(name=SIGNING_KEY, value=secrets.token_urlsafe(48)))
        except IntegrityError:  # another instance made it first: read theirs
            continue
    raise RuntimeError("could not create the session signing key")


def issue(
    store: Store, user_id: uuid.UUID, kind: str, *, workshop_id: uuid.UUID | None = None,
    now: datetime | None = None,
) -> str:
    """A new session for `user_id`; returns the token to put in the browser's cookie."""
    if kind not in KINDS:
        raise ValueError(f"unknown session kind {kind!r}")
    now = now or utcnow()
    secret = new_secret()
    row = BrowserSession(
        user_id=user_id, secret_hash=secret_hash(secret), kind=kind, workshop_id=workshop_id,
        created_at=now, last_seen_at=now,
    )
    with store.transaction() as db:
        db.add(row)
        db.flush()
        session_id = row.id
    return make_token(signing_key(store), session_id, now, secret)


def _person(db: Session, row: BrowserSession) -> tuple[User, Account | None] | None:
    user = db.get(User, row.user_id)
    if user is None:
        return None
    account = db.get(Account, row.user_id)
    if row.kind in ("password", "seat") and (account is None or account.disabled):
        return None
    if row.kind == "name" and account is not None:  # a name identity never opens an account
        return None
    return user, account


def resolve(
    store: Store, token: str | None, *, now: datetime | None = None,
    settings: SessionSettings | None = None,
) -> ActiveSession | None:
    """The person a token signs in, or None (forged, revoked, expired, or person gone/disabled)."""
    now = now or utcnow()
    settings = settings or session_settings()
    parsed = parse_token(signing_key(store), token, now=now, max_age=settings.max_age)
    if parsed is None:
        return None
    with store.transaction() as db:
        row = db.get(BrowserSession, parsed.session_id)
        if row is None or row.revoked_at is not None:
            return None
        if not secrets.compare_digest(row.secret_hash, secret_hash(parsed.secret)):
            return None
        if now - row.last_seen_at > settings.idle or now - row.created_at > settings.max_age:
            row.revoked_at, row.revoked_reason = now, "expired"
            return None
        person = _person(db, row)
        if person is None:
            return None
        user = person[0]
        if now - row.last_seen_at > TOUCH_EVERY:
            row.last_seen_at = now
        return ActiveSession(
            session_id=row.id, user_id=user.id, display_name=user.display_name, role=user.role,
            kind=row.kind, workshop_id=row.workshop_id, user_created_at=user.created_at,
        )


def session_id_of(store: Store, token: str | None, *, now: datetime | None = None) -> uuid.UUID | None:
    """The row a correctly signed token names (revoked or not), for sign-out."""
    parsed = parse_token(signing_key(store), token, now=now or utcnow(),
                         max_age=session_settings().max_age)
    return parsed.session_id if parsed else None


def revoke(store: Store, token: str | None, reason: str = "signed_out") -> bool:
    """End the session a token names; True if one was open."""
    session_id = session_id_of(store, token)
    if session_id is None:
        return False
    with store.transaction() as db:
        done = db.execute(
            update(BrowserSession)
            .where(BrowserSession.id == session_id, BrowserSession.revoked_at.is_(None))
            .values(revoked_at=utcnow(), revoked_reason=reason)
            .execution_options(synchronize_session=False)
        )
        return bool(done.rowcount)


def revoke_user(store: Store, user_id: uuid.UUID, reason: str) -> int:
    """End every open session of one person (deactivated, password reset); how many ended."""
    with store.transaction() as db:
        done = db.execute(
            update(BrowserSession)
            .where(BrowserSession.user_id == user_id, BrowserSession.revoked_at.is_(None))
            .values(revoked_at=utcnow(), revoked_reason=reason)
            .execution_options(synchronize_session=False)
        )
        return int(done.rowcount or 0)


def set_workshop(store: Store, token: str | None, workshop_id: uuid.UUID | None) -> None:
    """Remember on the session which workshop it practises in (kept across refreshes)."""
    session_id = session_id_of(store, token)
    if session_id is None:
        return
    with store.transaction() as db:
        db.execute(
            update(BrowserSession).where(BrowserSession.id == session_id)
            .values(workshop_id=workshop_id).execution_options(synchronize_session=False)
        )


def open_sessions(store: Store, user_id: uuid.UUID) -> int:
    """How many sessions of this person are not revoked (expired ones included until checked)."""
    with store.transaction() as db:
        rows = db.scalars(
            select(BrowserSession.id).where(
                BrowserSession.user_id == user_id, BrowserSession.revoked_at.is_(None)
            )
        ).all()
        return len(rows)
