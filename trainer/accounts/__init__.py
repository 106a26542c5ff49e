"""Accounts and roles: who signs in, how, and what role they hold.

Pure parts (roles, password hashing, join codes, OIDC configuration) import
nothing from the database; `service` and `assignments` work on the store.
"""

from trainer.accounts.join_codes import new_join_code, normalize_join_code
from trainer.accounts.oidc import (
    OidcIdentity,
    OidcStatus,
    identity_from_user_info,
    is_oidc_configured,
    oidc_status,
)
from trainer.accounts.passwords import (
    PasswordCheck,
    WeakPassword,
    check_password_policy,
    hash_password,
    needs_rehash,
    verify_password,
)
from trainer.accounts.roles import ROLES, Role, UnknownRole, parse_role

__all__ = [
    "ROLES",
    "OidcIdentity",
    "OidcStatus",
    "PasswordCheck",
    "Role",
    "UnknownRole",
    "WeakPassword",
    "check_password_policy",
    "hash_password",
    "identity_from_user_info",
    "is_oidc_configured",
    "needs_rehash",
    "new_join_code",
    "normalize_join_code",
    "oidc_status",
    "parse_role",
    "verify_password",
]
