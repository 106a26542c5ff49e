"""Accounts in the database: create, list, change role, sign in (password or OIDC).

These are operator- and sign-in-level functions (the CLI, the sign-in page);
they never return a password hash. A local sign-in handle (`accounts.login`)
is separate from the display-name identities of the practice app, so typing
someone's name on the practice page can never reach their account.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from trainer.accounts.oidc import OidcIdentity
from trainer.accounts.passwords import hash_password, verify_password
from trainer.accounts.roles import Role, parse_role
from trainer.errors import TrainerError
from trainer.store.account_models import Account
from trainer.store.db import Store
from trainer.store.models import User
from trainer.store.types import utcnow

MAX_LOGIN = 200


class AccountError(TrainerError):
    """An account operation that cannot be done as asked (taken login, unknown user...)."""


@dataclass(frozen=True)
class AccountInfo:
    """What may be shown about an account (no hash, ever)."""

    user_id: uuid.UUID
    login: str | None
    display_name: str
    role: str
    email: str | None
    has_password: bool
    oidc: bool
    disabled: bool
    workshop_id: uuid.UUID | None
    created_at: datetime
    last_sign_in_at: datetime | None


def normalize_login(login: str) -> str:
    """Casefolded, trimmed handle; letters, digits and . _ - @ only."""
    value = str(login or "").strip().casefold()
    if not value or len(value) > MAX_LOGIN:
        raise AccountError("Please give a username of 1 to 200 characters.")
    if any(not (ch.isalnum() or ch in "._-@+") for ch in value):
        raise AccountError("A username may hold letters, digits and . _ - @ + only.")
    return value


def _info(user: User, account: Account) -> AccountInfo:
    return AccountInfo(
        user_id=user.id, login=account.login, display_name=user.display_name, role=user.role,
        email=account.email, has_password=bool(account.password_hash),
        oidc=bool(account.oidc_subject), disabled=account.disabled,
        workshop_id=account.workshop_id, created_at=account.created_at,
        last_sign_in_at=account.last_sign_in_at,
    )


def create_account(
    store: Store,
    *,
    login: str,
    display_name: str,
    role: str = "trainee",
    password: str | None = None,
    email: str | None = None,
) -> AccountInfo:
    """A new user with a local account; the password is hashed before anything is stored."""
    handle = normalize_login(login)
    name = " ".join(str(display_name or "").split())[:80] or handle
    password_hash = hash_password(password) if password is not None else None
    try:
        with store.transaction() as db:
            user = User(display_name=name, role=parse_role(role).value, username=None)
            db.add(user)
            db.flush()
            account = Account(
                user_id=user.id, login=handle, password_hash=password_hash,
                email=(email or "").strip().casefold() or None,
            )
            db.add(account)
            db.flush()
            return _info(user, account)
    except IntegrityError:
        raise AccountError(f"username or email already in use: {handle}") from None


def _by_login(db, login: str) -> tuple[User, Account]:  # type: ignore[no-untyped-def]
    row = db.execute(
        select(User, Account)
        .join(Account, Account.user_id == User.id)
        .where(Account.login == normalize_login(login))
    ).first()
    if row is None:
        raise AccountError(f"no such user: {login}")
    return row[0], row[1]


def get_account(store: Store, login: str) -> AccountInfo:
    with store.transaction() as db:
        return _info(*_by_login(db, login))


def account_for_user(store: Store, user_id: uuid.UUID) -> AccountInfo | None:
    with store.transaction() as db:
        row = db.execute(
            select(User, Account).join(Account, Account.user_id == User.id).where(User.id == user_id)
        ).first()
        return _info(row[0], row[1]) if row else None


def list_accounts(store: Store, *, include_workshop_seats: bool = False) -> list[AccountInfo]:
    """Every account, by role then login (operator view: the CLI, the admin page)."""
    with store.transaction() as db:
        query = select(User, Account).join(Account, Account.user_id == User.id)
        if not include_workshop_seats:
            query = query.where(Account.workshop_id.is_(None))
        rows = db.execute(query.order_by(User.role, Account.login, User.display_name)).all()
        return [_info(user, account) for user, account in rows]


def set_role(store: Store, login: str, role: str) -> AccountInfo:
    """Change a user's role; takes effect at their next query (trainer.authz re-checks it)."""
    new_role = parse_role(role)
    with store.transaction() as db:
        user, account = _by_login(db, login)
        if account.workshop_id is not None and new_role is not Role.TRAINEE:
            raise AccountError("a workshop seat stays a trainee; create a full account instead")
        user.role = new_role.value
        db.flush()
        return _info(user, account)


def set_password(store: Store, login: str, password: str) -> None:
    new_hash = hash_password(password)
    with store.transaction() as db:
        _, account = _by_login(db, login)
        account.password_hash = new_hash


def set_disabled(store: Store, login: str, disabled: bool = True) -> AccountInfo:
    with store.transaction() as db:
        user, account = _by_login(db, login)
        account.disabled = disabled
        return _info(user, account)


def count_admins(store: Store) -> int:
    with store.transaction() as db:
        return int(db.scalar(select(func.count()).select_from(User).where(User.role == "admin")))


def authenticate(store: Store, login: str, password: str) -> AccountInfo | None:
    """The account for a correct login and password, else None (same work and answer either way).

    A hash made with older argon2 parameters is replaced on success.
    """
    return check_credentials(store, login, password)[0]


def check_credentials(store: Store, login: str, password: str) -> tuple[AccountInfo | None, str]:
    """`authenticate` plus why it failed, for the audit log only (the person sees one message).

    The same argon2 work is spent whether or not the account exists.
    """
    try:
        handle = normalize_login(login)
    except AccountError:
        handle = None
    with store.transaction() as db:
        row = None
        if handle is not None:
            row = db.execute(
                select(User, Account)
                .join(Account, Account.user_id == User.id)
                .where(Account.login == handle)
            ).first()
        stored = row[1].password_hash if row else None
        check = verify_password(stored, password)
        if row is None:
            return None, "unknown username"
        if not stored:
            return None, "no local password"
        if not check.ok:
            return None, "wrong password"
        if row[1].disabled:
            return None, "account deactivated"
        user, account = row[0], row[1]
        if check.new_hash:
            account.password_hash = check.new_hash
        account.last_sign_in_at = utcnow()
        db.flush()
        return _info(user, account), "ok"


def account_for_oidc(store: Store, identity: OidcIdentity) -> AccountInfo:
    """The local user for an identity-provider sign-in, linked or created on first visit.

    Found by (issuer, subject); else linked to an existing account with the same
    email only when the provider says the email is verified (and that account
    has no other OIDC identity); else a new trainee. Disabled accounts refuse.
    """
    for _attempt in range(2):
        try:
            return _account_for_oidc(store, identity)
        except IntegrityError:  # first sign-in racing on two instances: read it back
            continue
    raise AccountError("could not sign in; please try again")


def _account_for_oidc(store: Store, identity: OidcIdentity) -> AccountInfo:
    with store.transaction() as db:
        row = db.execute(
            select(User, Account).join(Account, Account.user_id == User.id).where(
                Account.oidc_issuer == identity.issuer, Account.oidc_subject == identity.subject
            )
        ).first()
        if row is None and identity.email and identity.email_verified:
            row = db.execute(
                select(User, Account).join(Account, Account.user_id == User.id).where(
                    Account.email == identity.email, Account.oidc_subject.is_(None)
                )
            ).first()
            if row is not None:
                row[1].oidc_issuer, row[1].oidc_subject = identity.issuer, identity.subject
        if row is None:
            user = User(display_name=identity.display_name, role="trainee", username=None)
            db.add(user)
            db.flush()
            email = identity.email if identity.email_verified else None
            if email and db.scalar(select(Account.user_id).where(Account.email == email)):
                email = None  # held by another account already linked elsewhere
            account = Account(
                user_id=user.id, oidc_issuer=identity.issuer, oidc_subject=identity.subject,
                email=email,
            )
            db.add(account)
            row = (user, account)
        user, account = row[0], row[1]
        if account.disabled:
            raise AccountError("this account is disabled; ask an administrator")
        account.last_sign_in_at = utcnow()
        db.flush()
        return _info(user, account)
