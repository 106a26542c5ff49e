"""Password hashing with Argon2id (argon2-cffi): never stored or logged in clear.

Verification is constant-time (argon2 compares digests in constant time), and
`verify_password` also spends the same work when there is no account at all, so
timing does not reveal which usernames exist. Hashes made with older
parameters are upgraded on the next successful sign-in (`needs_rehash`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from trainer.errors import TrainerError

MIN_PASSWORD = 10
MAX_PASSWORD = 1024  # argon2 takes any length; a cap keeps hashing cheap to refuse


class WeakPassword(TrainerError):
    """A password the product will not accept."""


@lru_cache(maxsize=1)
def hasher() -> PasswordHasher:
    """The one hasher (argon2-cffi's RFC 9106 defaults). Tests may swap it via `use_hasher`."""
    return PasswordHasher()


_override: list[PasswordHasher] = []


def use_hasher(custom: PasswordHasher | None) -> None:
    """Use other parameters (cheaper in tests, stronger in production); None restores defaults."""
    _override.clear()
    _dummy_hash.cache_clear()
    if custom is not None:
        _override.append(custom)


def _current() -> PasswordHasher:
    return _override[0] if _override else hasher()


def check_password_policy(password: str) -> None:
    """Refuse passwords too short or absurdly long; says why, never echoes the password."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise WeakPassword(f"Please use a password of at least {MIN_PASSWORD} characters.")
    if len(password) > MAX_PASSWORD:
        raise WeakPassword(f"Please keep the password under {MAX_PASSWORD} characters.")
    if not password.strip():
        raise WeakPassword("A password cannot be only spaces.")


def hash_password(password: str) -> str:
    """An encoded Argon2id hash (salt and parameters included) for a policy-checked password."""
    check_password_policy(password)
    return _current().hash(password)


def hash_secret(secret: str) -> str:
    """Hash a generated secret (e.g. a workshop rejoin code) that skips the password policy."""
    if not secret:
        raise WeakPassword("empty secret")
    return _current().hash(secret)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _current().hash("no account has this password, it only burns time")


@dataclass(frozen=True)
class PasswordCheck:
    """Outcome of a verification; `new_hash` is set when the stored hash should be replaced."""

    ok: bool
    new_hash: str | None = None


def verify_password(stored_hash: str | None, password: str) -> PasswordCheck:
    """Check `password` against `stored_hash` (None: no such account, same cost, always fails)."""
    if not isinstance(password, str) or len(password) > MAX_PASSWORD:
        return PasswordCheck(ok=False)
    current = _current()
    if not stored_hash:
        try:
            current.verify(_dummy_hash(), password)
        except VerificationError:
            pass
        return PasswordCheck(ok=False)
    try:
        current.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return PasswordCheck(ok=False)
    if needs_rehash(stored_hash):
        return PasswordCheck(ok=True, new_hash=current.hash(password))
    return PasswordCheck(ok=True)


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with parameters other than the current ones."""
    try:
        return _current().check_needs_rehash(stored_hash)
    except (InvalidHashError, ValueError):
        return True
