"""Growing delays and a temporary lock after failed sign-ins, per account name and per client.

The rules are numbers in `sign_in_policy.yaml`. State lives in the database
(`sign_in_throttle`), so every app instance enforces the same limits. While a
key must wait or is locked, the password is not even checked: guessing cannot
go faster than the policy allows, whatever the attacker types.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from trainer.datafile import load_yaml_model
from trainer.store.auth_models import SignInThrottle
from trainer.store.db import Store

POLICY_PATH = Path(__file__).with_name("sign_in_policy.yaml")


class Limits(BaseModel):
    model_config = ConfigDict(extra="forbid")

    free_failures: int = Field(ge=0)
    first_delay_seconds: float = Field(gt=0)
    max_delay_seconds: float = Field(gt=0)
    lock_after: int = Field(ge=1)
    lock_minutes: float = Field(gt=0)

    def delay_after(self, failures: int) -> timedelta:
        """Wait before the next attempt once `failures` have happened (0 while still free)."""
        extra = failures - self.free_failures
        if extra <= 0:
            return timedelta(0)
        seconds = self.first_delay_seconds * 2 ** min(extra - 1, 30)
        return timedelta(seconds=min(seconds, self.max_delay_seconds))


class Policy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    forget_after_minutes: float = Field(gt=0)
    account: Limits
    client: Limits


@lru_cache(maxsize=1)
def default_policy() -> Policy:
    return load_yaml_model(POLICY_PATH, Policy)


def account_key(login: str) -> str:
    return f"account:{login[:250]}"


def client_key(client: str | None) -> str:
    return f"client:{(client or 'unknown')[:250]}"


@dataclass(frozen=True)
class Verdict:
    """May an attempt be checked now? If not, until when (and whether it is a lock)."""

    allowed: bool
    until: datetime | None = None
    locked: bool = False

    def seconds_left(self, now: datetime) -> int:
        if self.until is None:
            return 0
        return max(1, int((self.until - now).total_seconds() + 0.999))


ALLOWED = Verdict(allowed=True)


def _limits(key: str, policy: Policy) -> Limits:
    return policy.account if key.startswith("account:") else policy.client


def _verdict(row: SignInThrottle | None, now: datetime) -> Verdict:
    if row is None:
        return ALLOWED
    if row.locked_until is not None and row.locked_until > now:
        return Verdict(allowed=False, until=row.locked_until, locked=True)
    if row.next_attempt_at is not None and row.next_attempt_at > now:
        return Verdict(allowed=False, until=row.next_attempt_at)
    return ALLOWED


def check(store: Store, keys: list[str], now: datetime) -> Verdict:
    """The strictest verdict over `keys` (a lock beats a wait; the later end wins)."""
    with store.transaction() as db:
        verdicts = [_verdict(db.get(SignInThrottle, key), now) for key in keys]
    refused = [v for v in verdicts if not v.allowed]
    if not refused:
        return ALLOWED
    locks = [v for v in refused if v.locked]
    return max(locks or refused, key=lambda v: v.until)  # type: ignore[arg-type,return-value]


def _fail_one(db: Session, key: str, now: datetime, policy: Policy) -> SignInThrottle:
    row = db.get(SignInThrottle, key, with_for_update=True)
    if row is None:
        row = SignInThrottle(key=key, failures=0)
        db.add(row)
    forget = timedelta(minutes=policy.forget_after_minutes)
    lock_over = row.locked_until is not None and row.locked_until <= now
    if lock_over or row.last_failed_at is None or now - row.last_failed_at > forget:
        row.failures, row.first_failed_at, row.locked_until = 0, now, None
    limits = _limits(key, policy)
    row.failures += 1
    row.last_failed_at = now
    row.next_attempt_at = now + limits.delay_after(row.failures)
    if row.failures >= limits.lock_after:
        row.locked_until = now + timedelta(minutes=limits.lock_minutes)
    db.flush()
    return row


def record_failure(
    store: Store, keys: list[str], now: datetime, policy: Policy | None = None
) -> dict[str, SignInThrottle]:
    """Count one failed attempt against each key; returns the rows as they now stand."""
    policy = policy or default_policy()
    for attempt in range(2):
        try:
            with store.transaction() as db:
                rows = {key: _fail_one(db, key, now, policy) for key in keys}
                return {
                    key: SignInThrottle(key=r.key, failures=r.failures, locked_until=r.locked_until,
                                        next_attempt_at=r.next_attempt_at)
                    for key, r in rows.items()
                }
        except IntegrityError:  # a first failure inserted at the same moment elsewhere
            if attempt:
                raise
    return {}


def clear(store: Store, key: str) -> bool:
    """Forget a key's failures (a successful sign-in, or an admin's unlock); True if any."""
    with store.transaction() as db:
        done = db.execute(delete(SignInThrottle).where(SignInThrottle.key == key))
        return bool(done.rowcount)


def status(store: Store, key: str, now: datetime) -> tuple[int, Verdict]:
    """Recent failures and the current verdict for one key (for the admin's user list)."""
    with store.transaction() as db:
        row = db.get(SignInThrottle, key)
        if row is None:
            return 0, ALLOWED
        return row.failures, _verdict(row, now)


def locked_keys(store: Store, now: datetime) -> dict[str, datetime]:
    """Every key locked right now, with when its lock ends."""
    from sqlalchemy import select

    with store.transaction() as db:
        rows = db.execute(
            select(SignInThrottle.key, SignInThrottle.locked_until)
            .where(SignInThrottle.locked_until > now)
        ).all()
        return {key: until for key, until in rows}
