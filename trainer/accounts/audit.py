"""The account audit log: sign-ins (failed and successful), locks, and what admins change.

Admins read it as sentences on the Users page; nothing here stores a password
or a token. `detail` holds the real reason of a failed sign-in ("unknown
username", "wrong password") for the admin, while the person at the sign-in
form only ever sees one message for both.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from trainer.store.auth_models import AccountAudit
from trainer.store.db import Store
from trainer.store.models import User
from trainer.store.types import utcnow

EVENTS = {
    "sign_in": "signed in",
    "sign_in_failed": "failed to sign in",
    "sign_in_refused": "was refused sign-in while slowed down or locked",
    "locked": "was locked after repeated failed sign-ins",
    "unlocked": "was unlocked",
    "signed_out": "signed out",
    "user_created": "was created",
    "role_changed": "had their role changed",
    "password_reset": "had their password reset",
    "deactivated": "was deactivated",
    "reactivated": "was reactivated",
    "supervisor_assigned": "got a supervisor",
    "supervisor_unassigned": "lost a supervisor",
    "cohort_created": "cohort created",
    "cohort_member_added": "joined a cohort",
    "cohort_member_removed": "left a cohort",
    "cohort_supervisor_added": "became a cohort's supervisor",
    "cohort_supervisor_removed": "stopped supervising a cohort",
}


@dataclass(frozen=True)
class AuditLine:
    at: datetime
    event: str
    login: str | None
    user: str | None
    actor: str | None
    client: str | None
    detail: str | None

    def sentence(self) -> str:
        """e.g. 'ana failed to sign in (wrong password), from 10.0.0.7' or
        'Root Admin: sue had their role changed (trainee -> supervisor)'."""
        who = self.user or self.login or "someone"
        text = f"{who} {EVENTS.get(self.event, self.event.replace('_', ' '))}"
        if self.detail:
            text += f" ({self.detail})"
        if self.actor and self.actor != self.user:
            text = f"{self.actor}: {text}"
        if self.client:
            text += f", from {self.client}"
        return text


def record(
    db: Session, event: str, *, login: str | None = None, user_id: uuid.UUID | None = None,
    actor_id: uuid.UUID | None = None, client: str | None = None, detail: str | None = None,
    at: datetime | None = None,
) -> None:
    """Add one line inside the caller's transaction."""
    db.add(AccountAudit(
        at=at or utcnow(), event=event, login=(login or None) and login[:200], user_id=user_id,
        actor_id=actor_id, client=(client or None) and client[:100], detail=detail,
    ))


def log_event(store: Store, event: str, **fields: object) -> None:
    """Add one line in its own transaction."""
    with store.transaction() as db:
        record(db, event, **fields)  # type: ignore[arg-type]


def recent(store: Store, *, limit: int = 200, events: tuple[str, ...] | None = None,
           user_id: uuid.UUID | None = None) -> list[AuditLine]:
    """Newest first."""
    subject, actor = aliased(User), aliased(User)
    query = (
        select(AccountAudit, subject.display_name, actor.display_name)
        .outerjoin(subject, subject.id == AccountAudit.user_id)
        .outerjoin(actor, actor.id == AccountAudit.actor_id)
        .order_by(AccountAudit.at.desc(), AccountAudit.id.desc())
        .limit(limit)
    )
    if events:
        query = query.where(AccountAudit.event.in_(events))
    if user_id is not None:
        query = query.where(AccountAudit.user_id == user_id)
    with store.transaction() as db:
        return [
            AuditLine(at=row.at, event=row.event, login=row.login, user=name, actor=actor_name,
                      client=row.client, detail=row.detail)
            for row, name, actor_name in db.execute(query).all()
        ]
