"""Session tokens: what the browser's cookie holds, signed so a forged one is refused at once.

A token names a server-side session row and carries a random secret:
`v1.<session id>.<issued, unix seconds>.<secret>.<HMAC-SHA256 signature>`.
The signature (keyed by the server's signing key) rejects tampered or made-up
tokens before the database is asked; the secret, stored only as a SHA-256,
ties the token to its row; the row is what makes it revocable and expiring.
Pure functions: no database, no clock of their own.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

VERSION = "v1"
SECRET_BYTES = 32


@dataclass(frozen=True)
class ParsedToken:
    """A token whose signature checked out (the row may still be revoked or expired)."""

    session_id: uuid.UUID
    issued_at: datetime
    secret: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _signature(key: bytes, payload: str) -> str:
    return _b64(hmac.new(key, payload.encode("ascii"), hashlib.sha256).digest())


def new_secret() -> str:
    """The random part of a token (256 bits from `secrets`)."""
    return _b64(secrets.token_bytes(SECRET_BYTES))


def secret_hash(secret: str) -> str:
    """What the database keeps of a token's secret (hex SHA-256)."""
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def make_token(key: bytes, session_id: uuid.UUID, issued_at: datetime, secret: str) -> str:
    """The signed token for a session row (only URL- and cookie-safe characters)."""
    payload = f"{VERSION}.{session_id.hex}.{int(issued_at.timestamp())}.{secret}"
    return f"{payload}.{_signature(key, payload)}"


def parse_token(
    key: bytes, token: str | None, *, now: datetime, max_age: timedelta
) -> ParsedToken | None:
    """The token's parts if it is well formed, correctly signed and younger than `max_age`."""
    if not token or not isinstance(token, str) or len(token) > 400:
        return None
    parts = token.split(".")
    if len(parts) != 5 or parts[0] != VERSION:
        return None
    payload, signature = ".".join(parts[:4]), parts[4]
    try:
        expected = _signature(key, payload)
    except UnicodeEncodeError:
        return None
    if not hmac.compare_digest(expected, signature):
        return None
    try:
        session_id = uuid.UUID(hex=parts[1])
        issued_at = datetime.fromtimestamp(int(parts[2]), UTC)
    except (ValueError, OverflowError, OSError):
        return None
    if not parts[3] or issued_at > now + timedelta(minutes=5) or now - issued_at > max_age:
        return None
    return ParsedToken(session_id=session_id, issued_at=issued_at, secret=parts[3])
