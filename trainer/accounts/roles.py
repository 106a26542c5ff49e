"""The four roles and what each one is for; one definition every module reads."""

from __future__ import annotations

from enum import StrEnum

from trainer.errors import TrainerError


class Role(StrEnum):
    """Who a person is in the product; decides what data they may see (see trainer.authz)."""

    TRAINEE = "trainee"  # practises; sees own sessions
    SUPERVISOR = "supervisor"  # reviews sessions of assigned trainees and cohorts
    FACILITATOR = "facilitator"  # runs workshops; sees sessions played in them
    ADMIN = "admin"  # runs the installation; sees everything


ROLES: tuple[str, ...] = tuple(role.value for role in Role)


class UnknownRole(TrainerError):
    """A role name that is not one of ROLES."""


def parse_role(value: str) -> Role:
    """The Role for a user-typed name (any case, surrounding spaces ignored)."""
    name = str(value).strip().lower()
    try:
        return Role(name)
    except ValueError:
        raise UnknownRole(f"unknown role {value!r}; choose one of: {', '.join(ROLES)}") from None
