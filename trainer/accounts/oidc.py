"""OpenID Connect sign-in through Streamlit's `st.login`, when an identity provider is set up.

Streamlit 1.67 reads `[auth]` in `.streamlit/secrets.toml`: shared keys
`redirect_uri` and `cookie_secret`, then either the provider keys directly in
`[auth]` (the "default" provider) or one sub-table per named provider
(`[auth.google]`, ...), each with `client_id`, `client_secret` and
`server_metadata_url`. `st.login` also needs Authlib >= 1.3.2. After the
callback, `st.user` holds the ID token's claims (`sub`, `iss`, `email`, ...)
plus `is_logged_in` and `provider`. This module only *reads* that; mapping an
identity to a local user lives in `trainer.accounts.service`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")
SHARED_KEYS = ("redirect_uri", "cookie_secret")


@dataclass(frozen=True)
class OidcStatus:
    """Whether `st.login` can be offered, which providers, and what is missing if not."""

    configured: bool
    providers: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _secrets_auth_section() -> Mapping[str, Any]:
    """The `[auth]` table of Streamlit's secrets, or {} when there is no secrets file."""
    try:
        from streamlit.auth_util import get_secrets_auth_section

        return get_secrets_auth_section() or {}
    except Exception:  # noqa: BLE001 - no secrets file / unreadable: treat as not configured
        return {}


def authlib_available() -> bool:
    try:
        from streamlit.auth_util import is_authlib_installed

        return bool(is_authlib_installed())
    except Exception:  # noqa: BLE001
        return False


def oidc_status(
    auth_section: Mapping[str, Any] | None = None, *, authlib: bool | None = None
) -> OidcStatus:
    """Inspect an `[auth]` section (default: the app's secrets) the way `st.login` will."""
    section = _secrets_auth_section() if auth_section is None else auth_section
    if not section:
        return OidcStatus(configured=False, problems=["no [auth] section in secrets.toml"])
    problems = [f"[auth] is missing {key!r}" for key in SHARED_KEYS if not section.get(key)]
    providers: list[str] = []
    if all(section.get(key) for key in PROVIDER_KEYS):
        providers.append("default")
    for name, value in section.items():
        if not isinstance(value, Mapping) or name == "client_kwargs":
            continue
        if "_" in name:
            problems.append(f"[auth.{name}]: provider names cannot contain '_'")
            continue
        missing = [key for key in PROVIDER_KEYS if not value.get(key)]
        if missing:
            problems.append(f"[auth.{name}] is missing {', '.join(missing)}")
        else:
            providers.append(str(name))
    if not providers:
        problems.append("no provider with client_id, client_secret and server_metadata_url")
    has_authlib = authlib_available() if authlib is None else authlib
    if not has_authlib:
        problems.append("st.login needs Authlib>=1.3.2 (pip install 'streamlit[auth]')")
    return OidcStatus(configured=not problems, providers=providers, problems=problems)


def is_oidc_configured(auth_section: Mapping[str, Any] | None = None) -> bool:
    """True when the sign-in page should offer `st.login` instead of local passwords."""
    return oidc_status(auth_section).configured


@dataclass(frozen=True)
class OidcIdentity:
    """Who the identity provider says signed in. (issuer, subject) is the stable key."""

    issuer: str
    subject: str
    email: str | None = None
    email_verified: bool = False
    name: str | None = None

    @property
    def display_name(self) -> str:
        if self.name and self.name.strip():
            return " ".join(self.name.split())[:80]
        if self.email:
            return self.email.split("@", 1)[0][:80]
        return "Clinician"


def identity_from_user_info(info: Mapping[str, Any] | None) -> OidcIdentity | None:
    """The identity in `st.user` (a mapping of ID-token claims), or None when not signed in.

    The issuer falls back to the provider name Streamlit adds, so two providers
    issuing the same `sub` never map to one person.
    """
    if not info or not info.get("is_logged_in"):
        return None
    subject = str(info.get("sub") or "").strip()
    if not subject:
        return None
    issuer = str(info.get("iss") or "").strip() or f"provider:{info.get('provider') or 'default'}"
    email = str(info.get("email") or "").strip().lower() or None
    verified = info.get("email_verified")
    return OidcIdentity(
        issuer=issuer,
        subject=subject,
        email=email,
        email_verified=verified is True or str(verified).lower() == "true",
        name=str(info.get("name") or "").strip() or None,
    )
