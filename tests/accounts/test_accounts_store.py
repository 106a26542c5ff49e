"""Accounts in the database (SQLite and PostgreSQL): create, sign in, roles, OIDC mapping."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, text

from tests.accounts.dbkit import person
from trainer import store as st
from trainer.accounts import passwords
from trainer.accounts.oidc import OidcIdentity
from trainer.accounts.passwords import WeakPassword
from trainer.accounts.service import (
    AccountError,
    account_for_oidc,
    authenticate,
    count_admins,
    create_account,
    get_account,
    list_accounts,
    set_disabled,
    set_password,
    set_role,
)
from trainer.store.account_models import Account

PASSWORD = "a long enough secret"


def test_create_and_sign_in_with_a_hashed_password(store: st.Store) -> None:
    info = create_account(store, login=" Ana ", display_name="Ana Lopez", password=PASSWORD)
    assert info.login == "ana" and info.role == "trainee" and info.has_password
    assert authenticate(store, "ANA", PASSWORD).user_id == info.user_id
    assert authenticate(store, "ana", "wrong secret value") is None
    assert authenticate(store, "nobody", PASSWORD) is None
    assert authenticate(store, "bad login!", PASSWORD) is None
    with store.engine.connect() as conn:
        dump = " ".join(str(v) for row in conn.execute(text("SELECT * FROM accounts")) for v in row)
    assert PASSWORD not in dump and "$argon2id$" in dump


def test_duplicate_logins_and_weak_passwords_are_refused(store: st.Store) -> None:
    create_account(store, login="ana", display_name="Ana", password=PASSWORD)
    with pytest.raises(AccountError, match="already in use"):
        create_account(store, login="ANA", display_name="Other", password=PASSWORD)
    with pytest.raises(WeakPassword):
        create_account(store, login="bo", display_name="Bo", password="short")
    assert [a.login for a in list_accounts(store)] == ["ana"]


def test_sign_in_upgrades_an_old_hash(store: st.Store) -> None:
    create_account(store, login="ana", display_name="Ana", password=PASSWORD)
    with store.transaction() as db:
        old = db.scalars(select(Account.password_hash)).one()
    passwords.use_hasher(PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1))
    assert authenticate(store, "ana", PASSWORD) is not None
    with store.transaction() as db:
        new = db.scalars(select(Account.password_hash)).one()
    assert new != old and not passwords.needs_rehash(new)
    assert authenticate(store, "ana", PASSWORD) is not None


def test_roles_change_and_disabled_accounts_cannot_sign_in(store: st.Store) -> None:
    create_account(store, login="root", display_name="Root", role="admin", password=PASSWORD)
    create_account(store, login="sam", display_name="Sam", password=PASSWORD)
    assert count_admins(store) == 1
    assert set_role(store, "sam", "Supervisor").role == "supervisor"
    assert get_account(store, "sam").role == "supervisor"
    set_password(store, "sam", "another long secret")
    assert authenticate(store, "sam", "another long secret") is not None
    set_disabled(store, "sam")
    assert authenticate(store, "sam", "another long secret") is None
    with pytest.raises(AccountError, match="no such user"):
        set_role(store, "ghost", "admin")


def test_typing_an_account_name_as_display_name_never_reaches_the_account(store: st.Store) -> None:
    admin = person(store, "admin", "admin")
    stranger = st.get_or_create_user_by_display_name(store, "admin")
    assert stranger.id != admin.user_id and stranger.role == "trainee"


IDP = "https://idp.example"


def test_oidc_first_sign_in_creates_a_trainee_and_is_stable(store: st.Store) -> None:
    identity = OidcIdentity(IDP, "sub-1", "ana@example.org", True, "Ana Lopez")
    first = account_for_oidc(store, identity)
    again = account_for_oidc(store, identity)
    assert first.user_id == again.user_id and first.role == "trainee" and first.oidc
    assert first.display_name == "Ana Lopez" and not first.has_password
    other_issuer = account_for_oidc(store, OidcIdentity("https://other.example", "sub-1"))
    assert other_issuer.user_id != first.user_id


def test_oidc_links_to_an_existing_account_only_by_verified_email(store: st.Store) -> None:
    local = create_account(
        store, login="sup", display_name="Sup", role="supervisor", password=PASSWORD,
        email="Sup@Example.org",
    )
    unverified = account_for_oidc(store, OidcIdentity(IDP, "u-1", "sup@example.org", False))
    assert unverified.user_id != local.user_id and unverified.role == "trainee"
    verified = account_for_oidc(store, OidcIdentity(IDP, "v-1", "sup@example.org", True))
    assert verified.user_id == local.user_id and verified.role == "supervisor"
    # a second identity with the same email does not take over the linked account
    later = account_for_oidc(store, OidcIdentity(IDP, "v-2", "sup@example.org", True))
    assert later.user_id != local.user_id and later.email is None


def test_oidc_disabled_account_is_refused(store: st.Store) -> None:
    identity = OidcIdentity(IDP, "sub-9", None, False, "Zed")
    info = account_for_oidc(store, identity)
    with store.transaction() as db:
        db.get(Account, info.user_id).disabled = True
    with pytest.raises(AccountError, match="disabled"):
        account_for_oidc(store, identity)
