"""`trainer users ...`, `trainer cohorts ...` and `trainer calibration`: run by the operator.

The first admin is created here (`trainer users create root --role admin`).
Passwords are read with a hidden prompt or, for scripts, one line from stdin
(`--password-stdin`); never from an argument, where shell history and `ps`
would keep them.
"""

from __future__ import annotations

import json
import sys

import typer

from trainer.errors import TrainerError


def _store():  # type: ignore[no-untyped-def]
    import trainer.store.account_models
    import trainer.store.review_models
    import trainer.store.workshop_models  # noqa: F401 - tables known to the ORM
    from trainer.store import open_store

    return open_store()


NO_TERMINAL = (
    "no terminal to ask for the password: pipe it in with --password-stdin "
    "(e.g. printf '%s\\n' \"$PASSWORD\" | trainer users create NAME --password-stdin), "
    "or create an identity-provider account with --no-password"
)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            raise TrainerError("--password-stdin: nothing on standard input")
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise TrainerError(NO_TERMINAL)
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


def _end_sessions(store, user_id, reason: str) -> int:  # type: ignore[no-untyped-def]
    from trainer.accounts.browser_sessions import revoke_user

    return revoke_user(store, user_id, reason)


def _row(info) -> dict:  # type: ignore[no-untyped-def]
    return {
        "user_id": str(info.user_id), "login": info.login, "display_name": info.display_name,
        "role": info.role, "email": info.email, "password": info.has_password,
        "oidc": info.oidc, "disabled": info.disabled,
        "workshop_id": str(info.workshop_id) if info.workshop_id else None,
        "created_at": info.created_at.isoformat(),
        "last_sign_in_at": info.last_sign_in_at.isoformat() if info.last_sign_in_at else None,
    }


def register(app: typer.Typer) -> None:
    users = typer.Typer(help="Accounts and roles (trainee, supervisor, facilitator, admin).",
                        no_args_is_help=True)
    cohorts = typer.Typer(help="Cohorts of trainees and their supervisors.", no_args_is_help=True)
    app.add_typer(users, name="users")
    app.add_typer(cohorts, name="cohorts")

    @users.command("create")
    def create(
        login: str = typer.Argument(..., help="Sign-in name (letters, digits, . _ - @ +)."),
        name: str = typer.Option("", "--name", help="Display name (default: the login)."),
        role: str = typer.Option("trainee", "--role", help="trainee, supervisor, facilitator, admin."),
        email: str = typer.Option("", "--email", help="Email, to link an OIDC sign-in."),
        password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from stdin."),
        no_password: bool = typer.Option(False, "--no-password", help="OIDC-only account."),
    ) -> None:
        """Create an account (the first admin is created this way)."""
        from trainer.accounts.roles import parse_role
        from trainer.accounts.service import create_account

        parse_role(role)
        password = None if no_password else _read_password(password_stdin)
        info = create_account(_store(), login=login, display_name=name or login, role=role,
                              password=password, email=email or None)
        typer.echo(f"created {info.login} ({info.role})")

    @users.command("list")
    def list_(
        json_output: bool = typer.Option(False, "--json", help="Print JSON."),
        seats: bool = typer.Option(False, "--seats", help="Include workshop-only identities."),
    ) -> None:
        """List accounts (never their passwords)."""
        from trainer.accounts.service import list_accounts

        rows = [_row(info) for info in list_accounts(_store(), include_workshop_seats=seats)]
        if json_output:
            typer.echo(json.dumps(rows, ensure_ascii=False))
            return
        for row in rows:
            how = "password" if row["password"] else ("oidc" if row["oidc"] else "seat")
            flag = " (disabled)" if row["disabled"] else ""
            typer.echo(f"{row['login'] or '-':<24} {row['role']:<12} {how:<9} {row['display_name']}{flag}")

    @users.command("set-role")
    def set_role_(login: str, role: str) -> None:
        """Change a user's role; applies at their next request."""
        from trainer.accounts.service import set_role

        info = set_role(_store(), login, role)
        typer.echo(f"{info.login} is now {info.role}")

    @users.command("set-password")
    def set_password_(
        login: str,
        password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from stdin."),
    ) -> None:
        """Set or reset a local password."""
        from trainer.accounts.service import get_account, set_password

        password = _read_password(password_stdin)
        store = _store()
        set_password(store, login, password)
        ended = _end_sessions(store, get_account(store, login).user_id, "password_reset")
        typer.echo(f"password changed for {login}" + (f"; {ended} open session(s) ended" if ended else ""))

    @users.command("disable")
    def disable(login: str, enable: bool = typer.Option(False, "--enable", help="Re-enable.")) -> None:
        """Lock an account out (or back in with --enable)."""
        from trainer.accounts.service import set_disabled

        store = _store()
        info = set_disabled(store, login, not enable)
        if info.disabled:
            _end_sessions(store, info.user_id, "deactivated")
        typer.echo(f"{info.login} {'disabled' if info.disabled else 'enabled'}")

    @users.command("unlock")
    def unlock_(login: str) -> None:
        """Lift a sign-in lock after repeated failed passwords (and forget those failures)."""
        from trainer.accounts.admin import unlock

        lifted = unlock(_store(), None, login)
        typer.echo(f"{login}: {'unlocked' if lifted else 'was not locked'}")

    @users.command("assign")
    def assign(supervisor: str, trainee: str,
               remove: bool = typer.Option(False, "--remove", help="Remove the assignment.")) -> None:
        """Let SUPERVISOR see and review TRAINEE's sessions."""
        from trainer.accounts.assignments import assign_supervisor, unassign_supervisor
        from trainer.accounts.service import get_account

        store = _store()
        sup, tra = get_account(store, supervisor), get_account(store, trainee)
        (unassign_supervisor if remove else assign_supervisor)(store, sup.user_id, tra.user_id)
        typer.echo(f"{sup.login} {'no longer supervises' if remove else 'supervises'} {tra.login}")

    @cohorts.command("create")
    def cohort_create(name: str) -> None:
        """Create a cohort."""
        from trainer.accounts.assignments import create_cohort

        create_cohort(_store(), name)
        typer.echo(f"created cohort {name}")

    @cohorts.command("add")
    def cohort_add(
        name: str, login: str,
        supervisor: bool = typer.Option(False, "--supervisor", help="Add as the cohort's supervisor."),
    ) -> None:
        """Add a trainee (or, with --supervisor, a supervisor) to a cohort."""
        from trainer.accounts.assignments import (
            add_cohort_member,
            add_cohort_supervisor,
            cohort_id_by_name,
        )
        from trainer.accounts.service import get_account

        store = _store()
        cohort, user = cohort_id_by_name(store, name), get_account(store, login)
        (add_cohort_supervisor if supervisor else add_cohort_member)(store, cohort, user.user_id)
        typer.echo(f"added {user.login} to {name}{' as supervisor' if supervisor else ''}")

    @app.command("calibration")
    def calibration(
        json_output: bool = typer.Option(False, "--json", help="Print JSON."),
        rubric: str = typer.Option("", "--rubric", help="Only sessions scored with this rubric."),
    ) -> None:
        """Agreement between the evaluator and supervisors across reviewed sessions."""
        from trainer.authz import SYSTEM
        from trainer.review.calibration_data import calibration_report

        report = calibration_report(_store(), SYSTEM, rubric_id=rubric or None)
        if json_output:
            typer.echo(report.model_dump_json())
            return
        typer.echo(f"{report.sessions} reviewed session(s)")
        for c in report.criteria:
            a = c.agreement
            exact = "-" if a.exact is None else f"{a.exact:.0%}"
            kappa = "-" if a.kappa is None else f"{a.kappa:.2f}"
            typer.echo(f"{c.criterion_id:<32} n={a.n:<4} exact={exact:<5} kappa={kappa:<6} overridden={c.overridden}")
