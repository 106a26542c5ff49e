"""Who may read or write which sessions, for the repository functions.

Every repository function that touches a session takes the `Viewer` it acts
for and goes through `session_scope`, which is `trainer.authz.session_filter`:
authorization has one home (trainee: own; supervisor: assigned trainees and
cohorts; facilitator: their workshops; admin: all). Writing stays with the
session's own trainee (`can_write_session`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from trainer.errors import TrainerError
from trainer.store.models import PracticeSession


class NotFound(TrainerError):
    """No such record for this viewer (also what a forbidden record looks like)."""


@dataclass(frozen=True)
class Viewer:
    """The signed-in person a request acts for."""

    user_id: uuid.UUID
    role: str = "trainee"


def session_scope(viewer: Viewer) -> ColumnElement[bool]:
    """SQL condition selecting the practice sessions `viewer` may see (`trainer.authz`)."""
    from trainer.authz import session_filter  # here: trainer.authz imports the store's models

    return session_filter(viewer)


def own_sessions(viewer: Viewer) -> ColumnElement[bool]:
    """The viewer's own practice (progress, resume), within what they may see at all."""
    return PracticeSession.user_id == viewer.user_id


def can_write_session(viewer: Viewer, session: PracticeSession) -> bool:
    """Only the trainee who holds a session adds turns to it or ends it."""
    return session.user_id == viewer.user_id


def parse_session_id(value: uuid.UUID | str) -> uuid.UUID:
    """A session id from a URL or form; garbage reads as 'not found', never as an error page."""
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise NotFound("no such session") from None


def load_session(db: Session, viewer: Viewer, session_id: uuid.UUID | str) -> PracticeSession:
    """The session row if `viewer` may see it; otherwise `NotFound` (existence is not leaked)."""
    query = select(PracticeSession).where(
        PracticeSession.id == parse_session_id(session_id), session_scope(viewer)
    )
    found = db.scalars(query).first()
    if found is None:
        raise NotFound("no such session")
    return found
