"""AppTest: local sign-in, the navigation each role gets, sign-out."""

from __future__ import annotations

from tests.accounts.dbkit import person
from tests.review.apptest_kit import app_as, texts
from trainer import store as st
from trainer.webapp import state
from trainer.webapp.roles_nav import accounts_required


def test_local_sign_in_then_role_pages(app_db: str, store: st.Store) -> None:
    person(store, "sue", "supervisor", password="sue's long secret")
    at = app_as(None)
    assert "Sign in" in texts(at)
    at.text_input[0].input("SUE")
    at.text_input[1].input("wrong password!")
    at.button(key="FormSubmitter:local-sign-in-Sign in").click().run()
    assert "do not match an active account" in texts(at)
    at.text_input[1].input("sue's long secret")
    at.button(key="FormSubmitter:local-sign-in-Sign in").click().run()
    user = at.session_state[state.USER]
    assert user.role == "supervisor" and user.display_name == "Sue"
    assert "Sessions to review" in texts(at)  # a supervisor lands on the review queue


def test_sign_in_required_once_accounts_exist(app_db: str, store: st.Store) -> None:
    assert not accounts_required(store)
    person(store, "ana")
    assert accounts_required(store)


FULL_AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
    "client_id": "id", "client_secret": "secret",
    "server_metadata_url": "https://idp.example/.well-known/openid-configuration",
}


def test_oidc_sign_in_maps_the_provider_identity_to_a_local_user(
    app_db: str, store: st.Store, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from streamlit.testing.v1 import AppTest

    from tests.review.apptest_kit import NAV_APP
    from trainer.accounts import oidc
    from trainer.accounts.service import create_account

    monkeypatch.setattr(oidc, "_secrets_auth_section", lambda: FULL_AUTH)
    monkeypatch.setattr(oidc, "authlib_available", lambda: True)
    sue = create_account(store, login="sue", display_name="Sue", role="supervisor",
                         email="sue@clinic.example")
    assert accounts_required(store)

    signed_out = AppTest.from_file(NAV_APP, default_timeout=60)
    signed_out.user = {"is_logged_in": False}
    signed_out.run()
    assert "Sign in with your organisation" in [b.label for b in signed_out.button]
    assert state.USER not in signed_out.session_state

    at = AppTest.from_file(NAV_APP, default_timeout=60)
    at.user = {"is_logged_in": True, "sub": "idp-42", "iss": "https://idp.example",
               "email": "sue@clinic.example", "email_verified": True, "name": "Sue B."}
    at.run()
    user = at.session_state[state.USER]
    assert user.id == sue.user_id and user.role == "supervisor"
    assert "Sessions to review" in texts(at)
    from trainer.accounts.audit import recent

    (line,) = recent(store)
    assert line.sentence() == "Sue signed in (identity provider), from local"

    stranger = AppTest.from_file(NAV_APP, default_timeout=60)
    stranger.user = {"is_logged_in": True, "sub": "idp-43", "iss": "https://idp.example",
                     "email": "new@clinic.example", "email_verified": False, "name": "New Person"}
    stranger.run()
    assert stranger.session_state[state.USER].role == "trainee"
    assert stranger.session_state[state.USER].display_name == "New Person"
