"""`trainer users ...` and `trainer calibration --json` as an operator runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.accounts.dbkit import person, played
from trainer import store as st
from trainer.accounts.service import authenticate
from trainer.review import OverrideChange, save_review

PASSWORD = "the first admin's secret"


def run(db_url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = os.environ | {"DATABASE_URL": db_url}
    return subprocess.run([sys.executable, "-m", "trainer", *args], input=stdin, env=env, check=False,
                          capture_output=True, text=True, timeout=120)


def test_first_admin_roles_and_listing_from_the_command_line(store: st.Store, db_url: str) -> None:
    made = run(db_url, "users", "create", "root", "--name", "Root Admin", "--role", "admin",
               "--password-stdin", stdin=PASSWORD + "\n")
    assert made.returncode == 0, made.stderr
    assert PASSWORD not in made.stdout + made.stderr
    assert authenticate(store, "root", PASSWORD).role == "admin"
    assert run(db_url, "users", "create", "sue", "--password-stdin", stdin="sue's long secret\n").returncode == 0
    assert run(db_url, "users", "set-role", "sue", "supervisor").stdout.strip() == "sue is now supervisor"
    listed = run(db_url, "users", "list", "--json")
    rows = json.loads(listed.stdout)
    assert [(r["login"], r["role"]) for r in rows] == [("root", "admin"), ("sue", "supervisor")]
    assert "hash" not in listed.stdout and "argon2" not in listed.stdout
    assert run(db_url, "users", "create", "ana", "--no-password").returncode == 0
    assert run(db_url, "users", "assign", "sue", "ana").returncode == 0


def test_cli_errors_are_one_line_and_passwords_never_in_arguments(db_url: str, store: st.Store) -> None:
    bad_role = run(db_url, "users", "create", "x", "--role", "wizard", "--no-password")
    assert bad_role.returncode == 2 and bad_role.stderr.count("\n") == 1 and "unknown role" in bad_role.stderr
    weak = run(db_url, "users", "create", "x", "--password-stdin", stdin="short\n")
    assert weak.returncode == 2 and "at least" in weak.stderr and "short" not in weak.stderr
    missing = run(db_url, "users", "set-role", "ghost", "admin")
    assert missing.returncode == 2 and "no such user" in missing.stderr
    assert "--password " not in run(db_url, "users", "create", "--help").stdout


def test_calibration_json(store: st.Store, db_url: str) -> None:
    ana, root = person(store, "ana"), person(store, "root", "admin")
    sid = played(store, ana, {"raised_sexual_cycle_early": 1, "validated_protective_moves": 2,
                              "drew_out_underlying_needs": 2})
    save_review(store, root, sid, expected_version=0, reviewed=True,
                overrides={"raised_sexual_cycle_early": OverrideChange(2, "raised at turn 4")})
    out = run(db_url, "calibration", "--json", "--rubric", "eft-first-session")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    by_id = {c["criterion_id"]: c for c in report["criteria"]}
    assert report["sessions"] == 1 and by_id["raised_sexual_cycle_early"]["overridden"] == 1
    assert by_id["validated_protective_moves"]["agreement"]["exact"] == 1.0
    assert by_id["raised_sexual_cycle_early"]["agreement"]["confusion"][1][2] == 1
    text = run(db_url, "calibration")
    assert "1 reviewed session(s)" in text.stdout


def test_without_a_terminal_create_says_how_instead_of_aborting(db_url: str, store: st.Store) -> None:
    done = run(db_url, "users", "create", "ana")  # standard input is a pipe here, not a terminal
    assert done.returncode == 2 and "Aborted" not in done.stderr + done.stdout
    assert done.stderr.count("\n") == 1 and "--password-stdin" in done.stderr
    assert "no terminal" in done.stderr
    reset = run(db_url, "users", "set-password", "ana")
    assert reset.returncode == 2 and "--password-stdin" in reset.stderr


def test_unlock_and_password_reset_from_the_command_line(db_url: str, store: st.Store) -> None:
    from datetime import UTC, datetime, timedelta

    from trainer.accounts import browser_sessions
    from trainer.accounts.sign_in import attempt_sign_in

    ana = person(store, "ana")
    now = datetime.now(UTC) - timedelta(minutes=5)
    for _ in range(10):
        outcome = attempt_sign_in(store, "ana", "wrong password", client="x", now=now)
        now += timedelta(seconds=outcome.wait_seconds if not outcome.locked else 0)
    assert attempt_sign_in(store, "ana", "ana-correct-horse", client="y").locked
    done = run(db_url, "users", "unlock", "ANA")
    assert done.returncode == 0 and done.stdout.strip() == "ANA: unlocked"
    assert attempt_sign_in(store, "ana", "ana-correct-horse", client="y").account is not None
    token = browser_sessions.issue(store, ana.user_id, "password")
    changed = run(db_url, "users", "set-password", "ana", "--password-stdin", stdin="a fresh long secret\n")
    assert changed.returncode == 0 and "1 open session(s) ended" in changed.stdout
    assert browser_sessions.resolve(store, token) is None
