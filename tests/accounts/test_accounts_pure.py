"""Roles, password hashing, join codes and OIDC configuration: no database involved."""

from __future__ import annotations

import logging

import pytest
from argon2 import PasswordHasher
from hypothesis import given
from hypothesis import strategies as hs

from trainer.accounts import join_codes, oidc, passwords
from trainer.accounts.roles import ROLES, UnknownRole, parse_role

SECRET = "correct horse battery staple"


def test_roles_are_the_four_of_the_product() -> None:
    assert ROLES == ("trainee", "supervisor", "facilitator", "admin")
    assert parse_role("  Supervisor ") == "supervisor"
    with pytest.raises(UnknownRole, match="choose one of"):
        parse_role("superuser")


def test_password_hash_is_argon2id_salted_and_never_the_password() -> None:
    first, second = passwords.hash_password(SECRET), passwords.hash_password(SECRET)
    assert first.startswith("$argon2id$")
    assert SECRET not in first and first != second  # salted
    assert passwords.verify_password(first, SECRET).ok
    assert not passwords.verify_password(first, SECRET + "!").ok


def test_policy_refuses_short_blank_and_huge_passwords_without_echoing_them() -> None:
    for bad in ("short", " " * 12, "x" * (passwords.MAX_PASSWORD + 1)):
        with pytest.raises(passwords.WeakPassword) as caught:
            passwords.hash_password(bad)
        assert bad.strip() == "" or bad not in str(caught.value)


def test_missing_or_broken_hash_fails_closed() -> None:
    assert passwords.verify_password(None, SECRET) == passwords.PasswordCheck(ok=False)
    assert not passwords.verify_password("not-a-hash", SECRET).ok
    assert not passwords.verify_password(passwords.hash_password(SECRET), "x" * 5000).ok


def test_hash_with_old_parameters_is_upgraded_on_successful_verify() -> None:
    old = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    stored = old.hash(SECRET)
    passwords.use_hasher(PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1))
    assert passwords.needs_rehash(stored)
    check = passwords.verify_password(stored, SECRET)
    assert check.ok and check.new_hash and not passwords.needs_rehash(check.new_hash)
    assert passwords.verify_password(check.new_hash, SECRET).ok
    assert passwords.verify_password(stored, "wrong password!").new_hash is None


def test_default_hasher_uses_argon2_recommended_parameters() -> None:
    default = passwords.hasher()
    assert default.time_cost >= 2 and default.memory_cost >= 19 * 1024


def test_hashing_logs_nothing_secret(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    stored = passwords.hash_password(SECRET)
    passwords.verify_password(stored, SECRET)
    passwords.verify_password(stored, "another secret value")
    assert SECRET not in caplog.text and "another secret value" not in caplog.text


def test_join_codes_are_short_unambiguous_and_random() -> None:
    codes = {join_codes.new_join_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in list(codes)[:50]:
        assert len(code) == 9 and code[4] == "-"
        assert set(code.replace("-", "")) <= set(join_codes.ALPHABET)
    assert not set("01OIL5SUV") & set(join_codes.ALPHABET)


@given(hs.text(alphabet=join_codes.ALPHABET, min_size=8, max_size=8))
def test_typed_codes_normalize_whatever_the_case_and_dashes(raw: str) -> None:
    canonical = f"{raw[:4]}-{raw[4:]}"
    assert join_codes.normalize_join_code(raw.lower()) == canonical
    assert join_codes.normalize_join_code(f" {raw[:2]} {raw[2:4]}-{raw[4:]} ") == canonical


def test_lookalikes_and_wrong_lengths_are_refused_not_guessed() -> None:
    assert join_codes.normalize_join_code("ABCD-EFG0") is None  # zero never appears
    assert join_codes.normalize_join_code("ABCD-EFGO") is None  # neither does O
    assert join_codes.normalize_join_code("ABCD-EFG") is None
    assert join_codes.normalize_join_code("") is None


FULL = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-long-random-cookie-secret-value",
    "client_id": "id", "client_secret": "secret",
    "server_metadata_url": "https://idp.example/.well-known/openid-configuration",
}


def test_oidc_default_provider_configured() -> None:
    status = oidc.oidc_status(FULL, authlib=True)
    assert status.configured and status.providers == ["default"] and status.problems == []


def test_oidc_named_providers_and_their_problems() -> None:
    shared = {k: FULL[k] for k in ("redirect_uri", "cookie_secret")}
    named = shared | {"google": {k: FULL[k] for k in oidc.PROVIDER_KEYS}}
    assert oidc.oidc_status(named, authlib=True).providers == ["google"]
    broken = shared | {"okta": {"client_id": "x"}, "my_idp": dict(FULL)}
    status = oidc.oidc_status(broken, authlib=True)
    assert not status.configured
    assert any("okta" in p and "client_secret" in p for p in status.problems)
    assert any("my_idp" in p for p in status.problems)


def test_oidc_needs_shared_keys_and_authlib() -> None:
    without_secret = {k: v for k, v in FULL.items() if k != "cookie_secret"}
    assert not oidc.oidc_status(without_secret, authlib=True).configured
    no_lib = oidc.oidc_status(FULL, authlib=False)
    assert not no_lib.configured and any("Authlib" in p for p in no_lib.problems)
    assert not oidc.oidc_status({}, authlib=True).configured


def test_oidc_not_configured_without_a_secrets_file(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    assert oidc.is_oidc_configured() is False


def test_identity_from_streamlit_user_info() -> None:
    assert oidc.identity_from_user_info({"is_logged_in": False}) is None
    assert oidc.identity_from_user_info({"is_logged_in": True}) is None  # no subject
    info = {
        "is_logged_in": True, "sub": "123", "iss": "https://idp.example", "provider": "default",
        "email": "Ana@Example.org", "email_verified": True, "name": "  Ana   Lopez ",
    }
    identity = oidc.identity_from_user_info(info)
    assert identity == oidc.OidcIdentity(
        "https://idp.example", "123", "ana@example.org", True, "Ana   Lopez"
    )
    assert identity.display_name == "Ana Lopez"
    no_iss = oidc.identity_from_user_info({"is_logged_in": True, "sub": "9", "provider": "okta"})
    assert no_iss and no_iss.issuer == "provider:okta" and not no_iss.email_verified
