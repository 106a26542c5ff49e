"""A local sign-in attempt from start to finish: throttle, check, count, audit.

One call for the sign-in page (and the tests that drive it):

    outcome = attempt_sign_in(store, login, password, client=ip)
    if outcome.account: ...signed in...
    else: show(outcome.message)

Unknown usernames and wrong passwords get the same message and the same
slowing down; only the audit log, which admins read, says which it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from trainer.accounts import throttle
from trainer.accounts.audit import log_event, record
from trainer.accounts.service import AccountError, AccountInfo, check_credentials, normalize_login
from trainer.store.db import Store
from trainer.store.types import utcnow

NO_MATCH = "That username and password do not match an active account."


@dataclass(frozen=True)
class SignInOutcome:
    account: AccountInfo | None
    message: str | None = None
    wait_seconds: int = 0
    locked: bool = False


def _typed_login(login: str) -> str:
    try:
        return normalize_login(login)
    except AccountError:
        return " ".join(str(login or "").split()).casefold()[:200] or "(empty)"


def _minutes(seconds: int) -> str:
    minutes = max(1, round(seconds / 60))
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def refusal_message(verdict: throttle.Verdict, now: datetime) -> str:
    seconds = verdict.seconds_left(now)
    if verdict.locked:
        return (
            "Too many failed attempts: sign-in with this username is paused for about "
            f"{_minutes(seconds)}. An administrator can unlock it sooner."
        )
    unit = "second" if seconds == 1 else "seconds"
    return f"Too many failed attempts. Please wait {seconds} {unit} before trying again."


def attempt_sign_in(
    store: Store, login: str, password: str, *, client: str | None = None,
    now: datetime | None = None, policy: throttle.Policy | None = None,
) -> SignInOutcome:
    """Check one attempt unless the account name or the client must wait; record the outcome."""
    now = now or utcnow()
    typed = _typed_login(login)
    keys = [throttle.account_key(typed), throttle.client_key(client)]
    verdict = throttle.check(store, keys, now)
    if not verdict.allowed:
        log_event(store, "sign_in_refused", login=typed, client=client, at=now,
                  detail="locked" if verdict.locked else f"wait {verdict.seconds_left(now)} s")
        return SignInOutcome(None, refusal_message(verdict, now), verdict.seconds_left(now),
                             verdict.locked)

    info, reason = check_credentials(store, login, password)
    if info is not None:
        throttle.clear(store, keys[0])
        log_event(store, "sign_in", login=typed, user_id=info.user_id, client=client, at=now)
        return SignInOutcome(info)

    rows = throttle.record_failure(store, keys, now, policy)
    account_row = rows.get(keys[0])
    user_id = _user_id(store, typed)
    with store.transaction() as db:
        record(db, "sign_in_failed", login=typed, user_id=user_id, client=client, at=now,
               detail=reason)
        if account_row is not None and account_row.locked_until and account_row.failures == (
            (policy or throttle.default_policy()).account.lock_after
        ):
            record(db, "locked", login=typed, user_id=user_id, client=client, at=now,
                   detail=f"{account_row.failures} failed attempts")
    after = throttle.check(store, keys, now)
    if after.allowed:
        return SignInOutcome(None, NO_MATCH)
    return SignInOutcome(None, f"{NO_MATCH} {refusal_message(after, now)}",
                         after.seconds_left(now), after.locked)


def _user_id(store: Store, login: str):  # type: ignore[no-untyped-def]
    from trainer.accounts.service import get_account

    try:
        return get_account(store, login).user_id
    except AccountError:
        return None
