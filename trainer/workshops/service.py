"""Workshops in the database: create, find by code, join (a seat), tag sessions.

A participant who joins by code gets a trainee identity that exists for that
workshop only (an `accounts` row with `workshop_id`), plus a personal rejoin
code, hashed like a password, to come back after closing the tab or from
another device. Names are unique within a room so the dashboard is readable
and nobody can slip into someone else's seat by typing their name.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from trainer.accounts.join_codes import new_join_code, normalize_join_code
from trainer.accounts.passwords import hash_secret, verify_password
from trainer.authz import Principal, may_run_workshops, workshop_filter
from trainer.errors import TrainerError
from trainer.store.access import NotFound, Viewer
from trainer.store.account_models import Account
from trainer.store.db import Store
from trainer.store.models import PracticeSession, User
from trainer.store.workshop_models import Workshop, WorkshopMember, WorkshopSession
from trainer.workshops.completion_rule import CompletionRule
from trainer.workshops.spec import WorkshopSpec

REJOIN_CODE_LENGTH = 8


class JoinRefused(TrainerError):
    """A join or rejoin that cannot go ahead; the message says what to do."""


@dataclass(frozen=True)
class WorkshopInfo:
    id: uuid.UUID
    title: str
    held_on: date
    couples: list[str]
    rubric_id: str
    mode: str
    join_code: str
    status: str
    created_at: datetime
    ce_hours: float | None = None
    ce_provider: str | None = None
    ce_approval: str | None = None
    completion_sessions: int = 1
    completion_mode: str = "any"
    created_by: uuid.UUID | None = None
    facilitator: str | None = None  # the creator's name, where a read needs it (certificates)

    @property
    def rule(self) -> CompletionRule:
        return CompletionRule(self.completion_sessions, self.completion_mode)


@dataclass(frozen=True)
class Seat:
    """A participant's place in a workshop: who they act as, and (on first join) their rejoin code."""

    viewer: Viewer
    display_name: str
    workshop: WorkshopInfo
    rejoin_code: str | None = None


def workshop_info(row: Workshop) -> WorkshopInfo:
    return WorkshopInfo(
        id=row.id, title=row.title, held_on=row.held_on, couples=list(row.couples or []),
        rubric_id=row.rubric_id, mode=row.mode, join_code=row.join_code, status=row.status,
        created_at=row.created_at, ce_hours=row.ce_hours, ce_provider=row.ce_provider,
        ce_approval=row.ce_approval, completion_sessions=row.completion_sessions or 1,
        completion_mode=row.completion_mode or "any", created_by=row.created_by,
    )


def _name(display_name: str) -> tuple[str, str]:
    name = " ".join(str(display_name or "").split())
    if not name:
        raise JoinRefused("Please enter the name you want the facilitator to see.")
    if len(name) > 80:
        raise JoinRefused("Please keep your name under 80 characters.")
    return name, name.casefold()


def create_workshop(store: Store, viewer: Principal, spec: WorkshopSpec) -> WorkshopInfo:
    """A new open workshop with a fresh join code; its creator becomes its facilitator."""
    if not may_run_workshops(viewer):
        raise NotFound("only facilitators create workshops")
    for _attempt in range(5):
        try:
            with store.transaction() as db:
                creator = db.get(User, viewer.user_id)
                if creator is None or creator.role != viewer.role:
                    raise NotFound("only facilitators create workshops")
                row = Workshop(
                    title=spec.title, held_on=spec.date, couples=list(spec.couples),
                    rubric_id=spec.rubric_id, mode=spec.mode, join_code=new_join_code(),
                    created_by=viewer.user_id, ce_hours=spec.ce_hours, ce_provider=spec.ce_provider,
                    ce_approval=spec.ce_approval, completion_sessions=spec.completion_sessions,
                    completion_mode=spec.completion_mode,
                )
                db.add(row)
                db.flush()
                db.add(
                    WorkshopMember(
                        workshop_id=row.id, user_id=viewer.user_id, role="facilitator",
                        display_name=creator.display_name,
                        name_key=f"facilitator:{viewer.user_id}",
                    )
                )
                db.flush()
                return workshop_info(row)
        except IntegrityError:  # join code collision: astronomically rare, try another
            continue
    raise TrainerError("could not create the workshop; please try again")


def list_workshops(store: Store, viewer: Principal, *, manage: bool = True) -> list[WorkshopInfo]:
    with store.transaction() as db:
        rows = db.scalars(
            select(Workshop)
            .where(workshop_filter(viewer, manage=manage))
            .order_by(Workshop.held_on.desc(), Workshop.created_at.desc())
        )
        return [workshop_info(row) for row in rows]


def get_workshop(
    store: Store, viewer: Principal, workshop_id: uuid.UUID | str, *, manage: bool = True
) -> WorkshopInfo:
    """One workshop the viewer may see (else NotFound, whether it exists or not)."""
    wid = parse_workshop_id(workshop_id)
    with store.transaction() as db:
        row = db.scalars(
            select(Workshop).where(Workshop.id == wid, workshop_filter(viewer, manage=manage))
        ).first()
        if row is None:
            raise NotFound("no such workshop")
        return workshop_info(row)


def set_status(store: Store, viewer: Principal, workshop_id: uuid.UUID, status: str) -> WorkshopInfo:
    """Close a workshop to new joins (or reopen it)."""
    if status not in ("open", "closed"):
        raise ValueError("status must be open or closed")
    with store.transaction() as db:
        row = db.scalars(
            select(Workshop).where(Workshop.id == workshop_id, workshop_filter(viewer, manage=True))
        ).first()
        if row is None:
            raise NotFound("no such workshop")
        row.status = status
        return workshop_info(row)


def parse_workshop_id(value: uuid.UUID | str) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise NotFound("no such workshop") from None


def _open_by_code(db, code: str) -> Workshop:  # type: ignore[no-untyped-def]
    canonical = normalize_join_code(code)
    row = db.scalars(select(Workshop).where(Workshop.join_code == canonical)).first() if canonical else None
    if row is None:
        raise JoinRefused("No workshop has that code. Check it with your facilitator.")
    if row.status != "open":
        raise JoinRefused("This workshop is closed to new participants.")
    return row


def join_workshop(store: Store, code: str, display_name: str) -> Seat:
    """Join by code and name: a new workshop-only trainee identity and a personal rejoin code."""
    name, key = _name(display_name)
    rejoin = new_join_code(REJOIN_CODE_LENGTH)
    secret = hash_secret(rejoin.replace("-", ""))
    try:
        with store.transaction() as db:
            workshop = _open_by_code(db, code)
            taken = db.scalar(
                select(WorkshopMember.user_id).where(
                    WorkshopMember.workshop_id == workshop.id, WorkshopMember.name_key == key
                )
            )
            if taken is not None:
                raise JoinRefused(
                    f"Someone called {name} has already joined. Add an initial, "
                    "or rejoin with your personal code."
                )
            user = User(display_name=name, role="trainee", username=None)
            db.add(user)
            db.flush()
            db.add(Account(user_id=user.id, workshop_id=workshop.id, password_hash=secret))
            db.add(
                WorkshopMember(
                    workshop_id=workshop.id, user_id=user.id, role="participant",
                    display_name=name, name_key=key,
                )
            )
            db.flush()
            info = workshop_info(workshop)
            viewer = Viewer(user_id=user.id, role="trainee")
    except IntegrityError:  # the same name joined at the same moment on another instance
        raise JoinRefused(f"Someone called {name} has just joined. Add an initial.") from None
    return Seat(viewer=viewer, display_name=name, workshop=info, rejoin_code=rejoin)


def rejoin_workshop(store: Store, code: str, display_name: str, rejoin_code: str) -> Seat:
    """Back into one's seat with the code, the same name and the personal rejoin code."""
    _, key = _name(display_name)
    typed = (normalize_join_code(rejoin_code, REJOIN_CODE_LENGTH) or "").replace("-", "")
    with store.transaction() as db:
        canonical = normalize_join_code(code)
        workshop = (
            db.scalars(select(Workshop).where(Workshop.join_code == canonical)).first()
            if canonical else None
        )
        row = None
        if workshop is not None:
            row = db.execute(
                select(WorkshopMember, Account)
                .join(Account, Account.user_id == WorkshopMember.user_id)
                .where(
                    WorkshopMember.workshop_id == workshop.id, WorkshopMember.name_key == key,
                    Account.workshop_id == workshop.id,
                )
            ).first()
        check = verify_password(row[1].password_hash if row else None, typed)
        if workshop is None or row is None or not check.ok or row[1].disabled:
            raise JoinRefused("That code, name and personal code do not match a seat.")
        return Seat(
            viewer=Viewer(user_id=row[0].user_id, role="trainee"),
            display_name=row[0].display_name, workshop=workshop_info(workshop),
        )


def join_with_account(store: Store, viewer: Principal, code: str) -> WorkshopInfo:
    """A signed-in trainee joins a workshop under their own account (their name is shown)."""
    with store.transaction() as db:
        workshop = _open_by_code(db, code)
        user = db.get(User, viewer.user_id)
        if user is None:
            raise NotFound("no such user")
        if db.get(WorkshopMember, (workshop.id, user.id)) is None:
            try:
                with db.begin_nested():
                    db.add(
                        WorkshopMember(
                            workshop_id=workshop.id, user_id=user.id, role="participant",
                            display_name=user.display_name, name_key=user.display_name.casefold(),
                        )
                    )
            except IntegrityError:
                raise JoinRefused(
                    f"Someone called {user.display_name} is already in this workshop."
                ) from None
        return workshop_info(workshop)


def tag_session(
    store: Store, viewer: Principal, session_id: uuid.UUID, workshop_id: uuid.UUID
) -> None:
    """Record that a session was played in a workshop: only its owner, only a workshop they joined."""
    with store.transaction() as db:
        session = db.get(PracticeSession, session_id)
        member = db.get(WorkshopMember, (workshop_id, viewer.user_id))
        if session is None or session.user_id != viewer.user_id or member is None:
            raise NotFound("no such session")
        if db.get(WorkshopSession, session_id) is None:
            db.add(WorkshopSession(session_id=session_id, workshop_id=workshop_id))
