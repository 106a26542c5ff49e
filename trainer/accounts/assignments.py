"""Who supervises whom: direct assignments and cohorts (what `trainer.authz` reads)."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from trainer.accounts.service import AccountError
from trainer.store.account_models import (
    Cohort,
    CohortMember,
    CohortSupervisor,
    SupervisorAssignment,
)
from trainer.store.db import Store
from trainer.store.models import User


def _require_role(db: Session, user_id: uuid.UUID, *roles: str) -> User:
    user = db.get(User, user_id)
    if user is None:
        raise AccountError("no such user")
    if roles and user.role not in roles:
        raise AccountError(f"{user.display_name} is a {user.role}, not a {' or '.join(roles)}")
    return user


def assign_supervisor(store: Store, supervisor_id: uuid.UUID, trainee_id: uuid.UUID) -> None:
    """Give a supervisor a trainee (idempotent)."""
    with store.transaction() as db:
        _require_role(db, supervisor_id, "supervisor", "admin")
        _require_role(db, trainee_id)
        if supervisor_id == trainee_id:
            raise AccountError("a supervisor cannot supervise themselves")
        found = db.get(SupervisorAssignment, (supervisor_id, trainee_id))
        if found is None:
            db.add(SupervisorAssignment(supervisor_id=supervisor_id, trainee_id=trainee_id))
    # a concurrent identical assignment is fine: the primary key keeps one


def unassign_supervisor(store: Store, supervisor_id: uuid.UUID, trainee_id: uuid.UUID) -> None:
    with store.transaction() as db:
        db.execute(
            delete(SupervisorAssignment).where(
                SupervisorAssignment.supervisor_id == supervisor_id,
                SupervisorAssignment.trainee_id == trainee_id,
            )
        )


def create_cohort(store: Store, name: str) -> uuid.UUID:
    clean = " ".join(str(name or "").split())
    if not clean:
        raise AccountError("Please name the cohort.")
    try:
        with store.transaction() as db:
            cohort = Cohort(name=clean[:200])
            db.add(cohort)
            db.flush()
            return cohort.id
    except IntegrityError:
        raise AccountError(f"a cohort named {clean!r} already exists") from None


def cohort_id_by_name(store: Store, name: str) -> uuid.UUID:
    with store.transaction() as db:
        found = db.scalar(select(Cohort.id).where(Cohort.name == " ".join(name.split())))
    if found is None:
        raise AccountError(f"no such cohort: {name}")
    return found


def add_cohort_member(store: Store, cohort_id: uuid.UUID, user_id: uuid.UUID) -> None:
    with store.transaction() as db:
        _require_role(db, user_id)
        if db.get(CohortMember, (cohort_id, user_id)) is None:
            db.add(CohortMember(cohort_id=cohort_id, user_id=user_id))


def add_cohort_supervisor(store: Store, cohort_id: uuid.UUID, supervisor_id: uuid.UUID) -> None:
    with store.transaction() as db:
        _require_role(db, supervisor_id, "supervisor", "admin")
        if db.get(CohortSupervisor, (cohort_id, supervisor_id)) is None:
            db.add(CohortSupervisor(cohort_id=cohort_id, supervisor_id=supervisor_id))


def remove_cohort_member(store: Store, cohort_id: uuid.UUID, user_id: uuid.UUID) -> None:
    with store.transaction() as db:
        db.execute(delete(CohortMember).where(
            CohortMember.cohort_id == cohort_id, CohortMember.user_id == user_id))


def remove_cohort_supervisor(store: Store, cohort_id: uuid.UUID, supervisor_id: uuid.UUID) -> None:
    with store.transaction() as db:
        db.execute(delete(CohortSupervisor).where(
            CohortSupervisor.cohort_id == cohort_id, CohortSupervisor.supervisor_id == supervisor_id))
