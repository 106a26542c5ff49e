"""How long a sign-in lasts: idle expiry (default 12 hours) and an absolute cap.

    TRAINER_SESSION_IDLE_HOURS   hours without any activity before sign-in is asked again (12)
    TRAINER_SESSION_MAX_DAYS     days after which any sign-in ends, active or not (14)
    TRAINER_SESSION_SECRET       signing key for session cookies; by default the app makes one
                                 on first start and keeps it in the database, so every
                                 instance sharing that database accepts the same cookies

A value that is not a positive number is ignored (the default applies) and
reported on the Settings page, instead of stopping the app.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import timedelta

DEFAULT_IDLE_HOURS = 12.0
DEFAULT_MAX_DAYS = 14.0
COOKIE_NAME = "trainer_session"


@dataclass(frozen=True)
class SessionSettings:
    idle: timedelta
    max_age: timedelta
    problems: list[str] = field(default_factory=list)

    @property
    def idle_hours(self) -> float:
        return self.idle.total_seconds() / 3600


def _positive(name: str, default: float, problems: list[str]) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not (0 < value < float("inf")):
        problems.append(f"{name}={raw!r} is not a positive number; using {default:g}")
        return default
    return value


def session_settings() -> SessionSettings:
    """The settings in force (read from the environment on each call: cheap, and testable)."""
    problems: list[str] = []
    idle = _positive("TRAINER_SESSION_IDLE_HOURS", DEFAULT_IDLE_HOURS, problems)
    days = _positive("TRAINER_SESSION_MAX_DAYS", DEFAULT_MAX_DAYS, problems)
    max_age = timedelta(days=days)
    idle_delta = min(timedelta(hours=idle), max_age)
    return SessionSettings(idle=idle_delta, max_age=max_age, problems=problems)


def configured_secret() -> str | None:
    """The operator's signing key, if one is set (else the database keeps one)."""
    return os.environ.get("TRAINER_SESSION_SECRET", "").strip() or None
