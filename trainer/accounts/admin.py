"""What an admin does to people from the app: accounts, roles, passwords, locks, supervision.

Every function takes the acting admin and re-checks in the database that they
are an active admin (a page hiding its buttons is not authorization), refuses
what would lock everyone out (the last active admin cannot be demoted or
deactivated, nobody deactivates themselves), ends the person's open sessions
when their password is reset or they are deactivated, and leaves an audit line.
The command line (`trainer users ...`) keeps working on the same functions of
`trainer.accounts.service` for scripting.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, func, select

from trainer.accounts import assignments, browser_sessions, service, throttle
from trainer.accounts.audit import log_event
from trainer.accounts.roles import parse_role
from trainer.authz import Principal
from trainer.store.account_models import (
    Account,
    Cohort,
    CohortMember,
    CohortSupervisor,
    SupervisorAssignment,
)
from trainer.store.db import Store
from trainer.store.models import User
from trainer.store.types import utcnow

AccountError = service.AccountError


@dataclass(frozen=True)
class PersonRow:
    """One account as the admin's table shows it (never a hash)."""

    user_id: uuid.UUID
    login: str
    display_name: str
    role: str
    active: bool
    sign_in: str  # password | identity provider | none
    last_sign_in_at: datetime | None
    locked_until: datetime | None
    recent_failures: int
    supervisors: list[str] = field(default_factory=list)
    cohorts: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CohortView:
    id: uuid.UUID
    name: str
    members: list[tuple[str, str]]  # (login, display name)
    supervisors: list[tuple[str, str]]


def require_admin(store: Store, actor: Principal) -> None:
    """Refuse unless `actor` is, right now, an active admin."""
    with store.transaction() as db:
        row = db.execute(
            select(User.role, Account.disabled).outerjoin(Account, Account.user_id == User.id)
            .where(User.id == actor.user_id)
        ).first()
    if row is None or row[0] != "admin" or row[1]:
        raise AccountError("Only an administrator can manage people.")


def _active_admins(store: Store) -> int:
    with store.transaction() as db:
        return int(db.scalar(
            select(func.count()).select_from(User).outerjoin(Account, Account.user_id == User.id)
            .where(User.role == "admin", func.coalesce(Account.disabled, False).is_(False))
        ) or 0)


def list_people(store: Store, actor: Principal, *, now: datetime | None = None) -> list[PersonRow]:
    """Every account (not workshop seats), by role then login."""
    require_admin(store, actor)
    now = now or utcnow()
    locks = throttle.locked_keys(store, now)
    with store.transaction() as db:
        rows = db.execute(
            select(User, Account).join(Account, Account.user_id == User.id)
            .where(Account.workshop_id.is_(None), Account.login.is_not(None))
            .order_by(User.role, Account.login)
        ).all()
        names = dict(db.execute(select(User.id, User.display_name)).all())
        supervised: dict[uuid.UUID, list[str]] = {}
        for sup, trainee in db.execute(
            select(SupervisorAssignment.supervisor_id, SupervisorAssignment.trainee_id)
        ).all():
            supervised.setdefault(trainee, []).append(names.get(sup, "?"))
        cohorts: dict[uuid.UUID, list[str]] = {}
        for user_id, cohort in db.execute(
            select(CohortMember.user_id, Cohort.name).join(Cohort, Cohort.id == CohortMember.cohort_id)
        ).all():
            cohorts.setdefault(user_id, []).append(cohort)
        failures = {
            key: count for key, count in db.execute(
                select(throttle.SignInThrottle.key, throttle.SignInThrottle.failures)
            ).all()
        }
    people = []
    for user, account in rows:
        key = throttle.account_key(account.login)
        how = "password" if account.password_hash else ("identity provider" if account.oidc_subject else "none")
        people.append(PersonRow(
            user_id=user.id, login=account.login, display_name=user.display_name, role=user.role,
            active=not account.disabled, sign_in=how, last_sign_in_at=account.last_sign_in_at,
            locked_until=locks.get(key), recent_failures=int(failures.get(key, 0)),
            supervisors=sorted(supervised.get(user.id, [])), cohorts=sorted(cohorts.get(user.id, [])),
        ))
    return people


def create_person(
    store: Store, actor: Principal, *, login: str, display_name: str, role: str,
    password: str | None, email: str | None = None,
) -> service.AccountInfo:
    require_admin(store, actor)
    info = service.create_account(store, login=login, display_name=display_name, role=role,
                                  password=password or None, email=email or None)
    log_event(store, "user_created", login=info.login, user_id=info.user_id, actor_id=actor.user_id,
              detail=info.role)
    return info


def change_role(store: Store, actor: Principal, login: str, role: str) -> service.AccountInfo:
    require_admin(store, actor)
    new_role = parse_role(role).value
    before = service.get_account(store, login)
    if before.role == new_role:
        return before
    if before.role == "admin" and not before.disabled and _active_admins(store) <= 1:
        raise AccountError("This is the last active administrator; make someone else admin first.")
    info = service.set_role(store, login, new_role)
    log_event(store, "role_changed", login=info.login, user_id=info.user_id, actor_id=actor.user_id,
              detail=f"{before.role} -> {info.role}")
    return info


def reset_password(store: Store, actor: Principal, login: str, password: str) -> int:
    """Set a new password, end the person's open sessions and lift any lock; how many ended."""
    require_admin(store, actor)
    info = service.get_account(store, login)
    service.set_password(store, login, password)
    ended = browser_sessions.revoke_user(store, info.user_id, "password_reset")
    throttle.clear(store, throttle.account_key(info.login or login))
    log_event(store, "password_reset", login=info.login, user_id=info.user_id,
              actor_id=actor.user_id, detail=f"{ended} open session(s) ended" if ended else None)
    return ended


def set_active(store: Store, actor: Principal, login: str, active: bool) -> service.AccountInfo:
    """Deactivate (sessions end at once) or reactivate an account."""
    require_admin(store, actor)
    info = service.get_account(store, login)
    if not active:
        if info.user_id == actor.user_id:
            raise AccountError("You cannot deactivate your own account.")
        if info.role == "admin" and not info.disabled and _active_admins(store) <= 1:
            raise AccountError("This is the last active administrator.")
    if info.disabled == (not active):
        return info
    changed = service.set_disabled(store, login, not active)
    if not active:
        browser_sessions.revoke_user(store, info.user_id, "deactivated")
    log_event(store, "reactivated" if active else "deactivated", login=info.login,
              user_id=info.user_id, actor_id=actor.user_id)
    return changed


def unlock(store: Store, actor: Principal | None, login: str) -> bool:
    """Lift a sign-in lock and forget the failures (actor None: the operator's CLI)."""
    if actor is not None:
        require_admin(store, actor)
    typed = service.normalize_login(login)
    lifted = throttle.clear(store, throttle.account_key(typed))
    user_id = None
    try:
        user_id = service.get_account(store, typed).user_id
    except AccountError:
        pass
    log_event(store, "unlocked", login=typed, user_id=user_id,
              actor_id=actor.user_id if actor else None,
              detail=None if lifted else "nothing to lift")
    return lifted


# --- supervision -------------------------------------------------------------------------


def _two(store: Store, first: str, second: str) -> tuple[service.AccountInfo, service.AccountInfo]:
    return service.get_account(store, first), service.get_account(store, second)


def assign(store: Store, actor: Principal, supervisor: str, trainee: str) -> None:
    require_admin(store, actor)
    sup, tra = _two(store, supervisor, trainee)
    assignments.assign_supervisor(store, sup.user_id, tra.user_id)
    log_event(store, "supervisor_assigned", login=tra.login, user_id=tra.user_id,
              actor_id=actor.user_id, detail=f"supervisor {sup.display_name}")


def unassign(store: Store, actor: Principal, supervisor: str, trainee: str) -> None:
    require_admin(store, actor)
    sup, tra = _two(store, supervisor, trainee)
    assignments.unassign_supervisor(store, sup.user_id, tra.user_id)
    log_event(store, "supervisor_unassigned", login=tra.login, user_id=tra.user_id,
              actor_id=actor.user_id, detail=f"supervisor {sup.display_name}")


def list_assignments(store: Store, actor: Principal) -> list[tuple[str, str, str, str]]:
    """(supervisor login, supervisor name, trainee login, trainee name), by supervisor."""
    require_admin(store, actor)
    sup_user, sup_acc = User.__table__.alias("su"), Account.__table__.alias("sa")
    tr_user, tr_acc = User.__table__.alias("tu"), Account.__table__.alias("ta")
    query = (
        select(sup_acc.c.login, sup_user.c.display_name, tr_acc.c.login, tr_user.c.display_name)
        .select_from(SupervisorAssignment)
        .join(sup_user, sup_user.c.id == SupervisorAssignment.supervisor_id)
        .join(sup_acc, sup_acc.c.user_id == SupervisorAssignment.supervisor_id)
        .join(tr_user, tr_user.c.id == SupervisorAssignment.trainee_id)
        .join(tr_acc, and_(tr_acc.c.user_id == SupervisorAssignment.trainee_id))
        .order_by(sup_acc.c.login, tr_acc.c.login)
    )
    with store.transaction() as db:
        return [tuple(row) for row in db.execute(query).all()]  # type: ignore[misc]


def create_cohort(store: Store, actor: Principal, name: str) -> uuid.UUID:
    require_admin(store, actor)
    cohort_id = assignments.create_cohort(store, name)
    log_event(store, "cohort_created", actor_id=actor.user_id, detail=" ".join(name.split()))
    return cohort_id


def list_cohorts(store: Store, actor: Principal) -> list[CohortView]:
    require_admin(store, actor)
    with store.transaction() as db:
        cohorts = db.execute(select(Cohort.id, Cohort.name).order_by(Cohort.name)).all()
        members = db.execute(
            select(CohortMember.cohort_id, Account.login, User.display_name)
            .join(User, User.id == CohortMember.user_id)
            .join(Account, Account.user_id == CohortMember.user_id)
            .order_by(Account.login)
        ).all()
        sups = db.execute(
            select(CohortSupervisor.cohort_id, Account.login, User.display_name)
            .join(User, User.id == CohortSupervisor.supervisor_id)
            .join(Account, Account.user_id == CohortSupervisor.supervisor_id)
            .order_by(Account.login)
        ).all()
    return [
        CohortView(
            id=cid, name=name,
            members=[(login, who) for c, login, who in members if c == cid],
            supervisors=[(login, who) for c, login, who in sups if c == cid],
        )
        for cid, name in cohorts
    ]


def cohort_change(
    store: Store, actor: Principal, cohort_id: uuid.UUID, login: str, *,
    as_supervisor: bool, add: bool,
) -> None:
    """Add or remove a member (or supervisor) of a cohort."""
    require_admin(store, actor)
    person = service.get_account(store, login)
    if as_supervisor:
        change = assignments.add_cohort_supervisor if add else assignments.remove_cohort_supervisor
    else:
        change = assignments.add_cohort_member if add else assignments.remove_cohort_member
    change(store, cohort_id, person.user_id)
    with store.transaction() as db:
        cohort = db.get(Cohort, cohort_id)
    event = f"cohort_{'supervisor' if as_supervisor else 'member'}_{'added' if add else 'removed'}"
    log_event(store, event, login=person.login, user_id=person.user_id, actor_id=actor.user_id,
              detail=cohort.name if cohort else None)
