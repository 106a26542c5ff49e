"""The one place that decides what a signed-in person may see, as SQL conditions.

Every read of sessions, reviews, workshops and people in the data layer adds
one of these filters to its query, so a forbidden row is never loaded at all:
it looks exactly like a row that does not exist. Hiding a button is not
authorization; these filters are.

- trainee: their own sessions
- supervisor: own + sessions of trainees assigned to them or in cohorts they supervise
- facilitator: own + sessions played in workshops they facilitate
- admin: everything

The claimed role (from the sign-in) is re-checked against `users.role` inside
the same query, and a disabled account sees nothing: a demotion or a lock-out
takes effect on every app instance at the next query, not at the next sign-in.
"""

from __future__ import annotations

import uuid
from typing import Protocol

from sqlalchemy import ColumnElement, Select, and_, exists, false, or_, select, true

from trainer.store.account_models import (
    Account,
    CohortMember,
    CohortSupervisor,
    SupervisorAssignment,
)
from trainer.store.models import PracticeSession, User
from trainer.store.workshop_models import Workshop, WorkshopMember, WorkshopSession

REVIEWER_ROLES = ("supervisor", "admin")
WORKSHOP_ROLES = ("facilitator", "admin")


class Principal(Protocol):
    """Anything with the signed-in user's id and role (e.g. `trainer.store.access.Viewer`)."""

    @property
    def user_id(self) -> uuid.UUID: ...

    @property
    def role(self) -> str: ...


class SystemPrincipal:
    """The operator at the command line (e.g. `trainer calibration`): sees every row.

    Never handed to a web request; only code run by whoever holds the database
    credentials uses it.
    """

    user_id = uuid.UUID(int=0)
    role = "system"


SYSTEM = SystemPrincipal()


def _active(viewer: Principal) -> ColumnElement[bool]:
    """The user exists, still holds the claimed role, and the account is not disabled."""
    holds_role = exists().where(User.id == viewer.user_id, User.role == viewer.role)
    disabled = exists().where(Account.user_id == viewer.user_id, Account.disabled.is_(True))
    return and_(holds_role, ~disabled)


def supervised_user_ids(supervisor_id: uuid.UUID) -> Select[tuple[uuid.UUID]]:
    """Trainees assigned to the supervisor directly or through a cohort they supervise."""
    direct = select(SupervisorAssignment.trainee_id).where(
        SupervisorAssignment.supervisor_id == supervisor_id
    )
    via_cohort = (
        select(CohortMember.user_id)
        .join(CohortSupervisor, CohortSupervisor.cohort_id == CohortMember.cohort_id)
        .where(CohortSupervisor.supervisor_id == supervisor_id)
    )
    return direct.union(via_cohort)  # type: ignore[return-value]


def facilitated_workshop_ids(user_id: uuid.UUID) -> Select[tuple[uuid.UUID]]:
    return select(WorkshopMember.workshop_id).where(
        WorkshopMember.user_id == user_id, WorkshopMember.role == "facilitator"
    )


def workshop_session_ids(workshop_ids: Select[tuple[uuid.UUID]]) -> Select[tuple[uuid.UUID]]:
    """Sessions tagged to the workshops, and every session of their workshop-only identities."""
    tagged = select(WorkshopSession.session_id).where(WorkshopSession.workshop_id.in_(workshop_ids))
    seats = select(Account.user_id).where(Account.workshop_id.in_(workshop_ids))
    of_seats = select(PracticeSession.id).where(PracticeSession.user_id.in_(seats))
    return tagged.union(of_seats)  # type: ignore[return-value]


def session_filter(viewer: Principal) -> ColumnElement[bool]:
    """Condition on `PracticeSession` rows the viewer may read."""
    if isinstance(viewer, SystemPrincipal):
        return true()
    own = PracticeSession.user_id == viewer.user_id
    if viewer.role == "admin":
        granted: ColumnElement[bool] = true()
    elif viewer.role == "supervisor":
        granted = PracticeSession.user_id.in_(supervised_user_ids(viewer.user_id))
    elif viewer.role == "facilitator":
        granted = PracticeSession.id.in_(
            workshop_session_ids(facilitated_workshop_ids(viewer.user_id))
        )
    elif viewer.role == "trainee":
        granted = false()
    else:
        return false()  # unknown role: nothing, not even "own"
    return and_(_active(viewer), or_(own, granted))


def reviewable_session_filter(viewer: Principal) -> ColumnElement[bool]:
    """Sessions the viewer may review: visible, completed, not their own, reviewer role."""
    if viewer.role not in REVIEWER_ROLES:
        return false()
    return and_(
        session_filter(viewer),
        PracticeSession.status == "completed",
        PracticeSession.user_id != viewer.user_id,
    )


def user_filter(viewer: Principal) -> ColumnElement[bool]:
    """Condition on `User` rows whose names and sessions the viewer may list."""
    own = User.id == viewer.user_id
    if viewer.role == "admin":
        granted: ColumnElement[bool] = true()
    elif viewer.role == "supervisor":
        granted = User.id.in_(supervised_user_ids(viewer.user_id))
    elif viewer.role == "facilitator":
        members = select(WorkshopMember.user_id).where(
            WorkshopMember.workshop_id.in_(facilitated_workshop_ids(viewer.user_id))
        )
        granted = User.id.in_(members)
    elif viewer.role == "trainee":
        granted = false()
    else:
        return false()
    return and_(_active(viewer), or_(own, granted))


def workshop_filter(viewer: Principal, *, manage: bool = False) -> ColumnElement[bool]:
    """Condition on `Workshop` rows: facilitators their own, admins all.

    With `manage=False` a participant also sees the workshops they joined (title,
    couples, mode: what the practice page needs), never the others'.
    """
    if viewer.role == "admin":
        return _active(viewer)
    facilitated = Workshop.id.in_(facilitated_workshop_ids(viewer.user_id))
    if manage:
        if viewer.role != "facilitator":
            return false()
        return and_(_active(viewer), facilitated)
    joined = Workshop.id.in_(
        select(WorkshopMember.workshop_id).where(WorkshopMember.user_id == viewer.user_id)
    )
    if viewer.role not in ("trainee", "supervisor", "facilitator"):
        return false()
    return and_(_active(viewer), or_(facilitated, joined))


def may_review(viewer: Principal) -> bool:
    """Whether to offer the review pages at all (the data layer still checks each row)."""
    return viewer.role in REVIEWER_ROLES


def may_run_workshops(viewer: Principal) -> bool:
    return viewer.role in WORKSHOP_ROLES
