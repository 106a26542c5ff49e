"""Sessions that last: signed tokens, server-side expiry and revocation (SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.accounts.dbkit import person
from trainer import store as st
from trainer.accounts import browser_sessions as bs
from trainer.accounts.service import set_disabled, set_role
from trainer.accounts.session_settings import SessionSettings, session_settings
from trainer.accounts.tokens import make_token, parse_token, secret_hash

KEY = b"k" * 32
T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
SETTINGS = SessionSettings(idle=12 * HOUR, max_age=timedelta(days=14))


def test_a_token_is_signed_and_any_change_is_refused() -> None:
    sid = uuid.uuid4()
    token = make_token(KEY, sid, T0, "s3cret")
    parsed = parse_token(KEY, token, now=T0 + HOUR, max_age=timedelta(days=1))
    assert parsed is not None and parsed.session_id == sid and parsed.secret == "s3cret"
    assert parse_token(b"other key" * 4, token, now=T0, max_age=timedelta(days=1)) is None
    head, _, _ = token.rpartition(".")
    other_id = token.replace(sid.hex, uuid.uuid4().hex)
    for forged in (other_id, token.replace("s3cret", "s3creT"), head + ".AAAA", head, "", "v1...",
                   "x" * 500, token + "."):
        assert parse_token(KEY, forged, now=T0, max_age=timedelta(days=1)) is None, forged
    assert parse_token(KEY, token, now=T0 + timedelta(days=2), max_age=timedelta(days=1)) is None
    assert secret_hash("a") != secret_hash("b") and len(secret_hash("a")) == 64


def test_settings_default_to_twelve_hours_and_say_what_is_wrong(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRAINER_SESSION_IDLE_HOURS", raising=False)
    assert session_settings().idle == 12 * HOUR and not session_settings().problems
    monkeypatch.setenv("TRAINER_SESSION_IDLE_HOURS", "0.5")
    assert session_settings().idle == timedelta(minutes=30)
    for bad in ("soon", "-3", "0", "nan", "inf"):
        monkeypatch.setenv("TRAINER_SESSION_IDLE_HOURS", bad)
        settings = session_settings()
        assert settings.idle == 12 * HOUR and "TRAINER_SESSION_IDLE_HOURS" in settings.problems[0]


def test_a_session_lasts_until_idle_then_ends(store: st.Store) -> None:
    ana = person(store, "ana")
    token = bs.issue(store, ana.user_id, "password", now=T0)
    active = bs.resolve(store, token, now=T0 + 11 * HOUR, settings=SETTINGS)
    assert active is not None and active.user_id == ana.user_id and active.role == "trainee"
    # being used keeps it alive: 11 h after the last use, not after the sign-in
    assert bs.resolve(store, token, now=T0 + 22 * HOUR, settings=SETTINGS) is not None
    assert bs.resolve(store, token, now=T0 + 34 * HOUR + timedelta(seconds=1), settings=SETTINGS) is None
    assert bs.resolve(store, token, now=T0 + 23 * HOUR, settings=SETTINGS) is None  # ended for good


def test_the_absolute_cap_ends_even_a_busy_session(store: st.Store) -> None:
    ana = person(store, "ana")
    token = bs.issue(store, ana.user_id, "password", now=T0)
    short = SessionSettings(idle=12 * HOUR, max_age=timedelta(days=1))
    for hours in range(0, 24, 6):
        assert bs.resolve(store, token, now=T0 + hours * HOUR, settings=short) is not None
    assert bs.resolve(store, token, now=T0 + 25 * HOUR, settings=short) is None


def test_sign_out_revokes_only_that_session(store: st.Store) -> None:
    ana = person(store, "ana")
    phone, laptop = (bs.issue(store, ana.user_id, "password") for _ in range(2))
    assert bs.revoke(store, phone)
    assert bs.resolve(store, phone) is None and bs.resolve(store, laptop) is not None
    assert not bs.revoke(store, phone)  # already ended
    assert not bs.revoke(store, "garbage")


def test_deactivation_and_role_changes_apply_at_the_next_request(store: st.Store) -> None:
    ana = person(store, "ana")
    token = bs.issue(store, ana.user_id, "password")
    set_role(store, "ana", "supervisor")
    assert bs.resolve(store, token).role == "supervisor"
    set_disabled(store, "ana", True)
    assert bs.resolve(store, token) is None
    set_disabled(store, "ana", False)
    assert bs.resolve(store, token) is not None
    assert bs.revoke_user(store, ana.user_id, "password_reset") == 1
    assert bs.resolve(store, token) is None


def test_a_stolen_database_row_does_not_open_the_session(store: st.Store) -> None:
    """Only a hash of the secret is stored: the row's contents cannot be turned into a token."""
    from sqlalchemy import select

    from trainer.store.auth_models import BrowserSession

    ana = person(store, "ana")
    token = bs.issue(store, ana.user_id, "password")
    with store.transaction() as db:
        row = db.scalars(select(BrowserSession)).one()
    assert row.secret_hash not in token and token.split(".")[3] not in row.secret_hash
    guess = make_token(bs.signing_key(store), row.id, row.created_at, row.secret_hash)
    assert bs.resolve(store, guess) is None


def test_a_display_name_session_never_opens_an_account(store: st.Store) -> None:
    name_user = st.get_or_create_user_by_display_name(store, "Ana")
    token = bs.issue(store, name_user.id, "name")
    assert bs.resolve(store, token).kind == "name"
    account = person(store, "bob")
    assert bs.resolve(store, bs.issue(store, account.user_id, "name")) is None


def test_the_signing_key_is_made_once_and_shared(store: st.Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRAINER_SESSION_SECRET", raising=False)
    first = bs.signing_key(store)
    assert len(first) >= 48 and bs.signing_key(store) == first
    ana = person(store, "ana")
    token = bs.issue(store, ana.user_id, "password")
    monkeypatch.setenv("TRAINER_SESSION_SECRET", "an operator's own key, long enough")
    assert bs.signing_key(store) != first
    assert bs.resolve(store, token) is None  # a new key ends every session signed with the old one
