"""Sign-in protection driven attempt by attempt on a fake clock: growing delays, a lock,
one message for unknown users and wrong passwords, the audit log, an admin's unlock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.accounts.dbkit import person
from trainer import store as st
from trainer.accounts import admin, throttle
from trainer.accounts.audit import recent
from trainer.accounts.sign_in import NO_MATCH, attempt_sign_in

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
RIGHT = "ana-correct-horse"


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def wait(self, seconds: float) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now


def guess(store: st.Store, clock: Clock, login: str = "ana", password: str = "wrong guess!",
          client: str = "10.0.0.7"):  # type: ignore[no-untyped-def]
    return attempt_sign_in(store, login, password, client=client, now=clock.now)


def lock_out(store: st.Store, clock: Clock, login: str = "ana") -> None:
    """Ten wrong passwords, each after the wait the previous one imposed."""
    for _ in range(10):
        outcome = guess(store, clock, login=login)
        if not outcome.locked:
            clock.wait(outcome.wait_seconds)
    assert outcome.locked


def test_ten_wrong_passwords_slow_down_and_then_lock_the_account(store: st.Store) -> None:
    person(store, "ana")
    clock, waits = Clock(), []
    for attempt in range(1, 11):
        outcome = guess(store, clock)
        assert outcome.account is None and outcome.message.startswith(NO_MATCH)
        waits.append(outcome.wait_seconds)
        if attempt < 10:
            # trying again before the wait is over is refused without checking anything,
            # not even the right password
            if outcome.wait_seconds:
                early = guess(store, clock, password=RIGHT)
                assert early.account is None and "Please wait" in early.message
            clock.wait(outcome.wait_seconds)
    assert waits[:3] == [0, 0, 0]  # a few typos cost nothing
    assert waits[3:9] == [1, 2, 4, 8, 16, 30]  # then each failure doubles the wait, up to 30 s
    assert outcome.locked and "paused for about 15 minutes" in outcome.message
    assert "administrator can unlock" in outcome.message
    # locked: the right password does not work either, for the whole lock
    clock.wait(14 * 60)
    locked = guess(store, clock, password=RIGHT)
    assert locked.account is None and locked.locked and "paused for about 1 minute" in locked.message
    # a lock ends by itself
    clock.wait(61)
    assert guess(store, clock, password=RIGHT).account is not None


def test_unknown_users_and_wrong_passwords_look_exactly_alike(store: st.Store) -> None:
    person(store, "ana")
    for login in ("ana", "nobody-here"):
        clock = Clock()
        messages = []
        for _ in range(10):
            outcome = guess(store, clock, login=login, client=f"client-of-{login}")
            messages.append((outcome.message, outcome.wait_seconds, outcome.locked))
            clock.wait(outcome.wait_seconds)
        if login == "ana":
            first = messages
    assert messages == first  # same words, same delays, same lock for a name that does not exist


def test_an_admin_unlocks_and_the_person_signs_in_at_once(store: st.Store) -> None:
    ana, root = person(store, "ana"), person(store, "root", "admin")
    clock = Clock()
    lock_out(store, clock)
    assert guess(store, clock, password=RIGHT).locked
    people = {p.login: p for p in admin.list_people(store, root, now=clock.now)}
    assert people["ana"].locked_until is not None and people["ana"].recent_failures == 10
    with pytest.raises(admin.AccountError, match="administrator"):
        admin.unlock(store, ana, "ana")  # nobody unlocks themselves
    assert admin.unlock(store, root, "ana")
    assert guess(store, clock, password=RIGHT).account.user_id == ana.user_id
    assert admin.list_people(store, root, now=clock.now)[1].locked_until is None


def test_a_success_clears_the_account_but_not_the_client(store: st.Store) -> None:
    person(store, "ana")
    clock = Clock()
    for _ in range(3):
        guess(store, clock)
    assert guess(store, clock, password=RIGHT).account is not None
    assert throttle.status(store, throttle.account_key("ana"), clock.now)[0] == 0
    assert throttle.status(store, throttle.client_key("10.0.0.7"), clock.now)[0] == 3


def test_one_client_guessing_many_accounts_is_slowed_too(store: st.Store) -> None:
    clock = Clock()
    policy = throttle.default_policy()
    free = policy.client.free_failures
    for index in range(free):  # a different name each time: no account key ever slows down
        outcome = guess(store, clock, login=f"user{index}")
        assert outcome.wait_seconds == 0
    outcome = guess(store, clock, login="one-more")
    assert outcome.wait_seconds == 1
    other_client = guess(store, clock, login="someone-else", client="10.0.0.8")
    assert other_client.wait_seconds == 0  # another address is not affected


def test_old_failures_are_forgotten(store: st.Store) -> None:
    person(store, "ana")
    clock = Clock()
    for _ in range(5):
        clock.wait(guess(store, clock).wait_seconds)
    clock.wait(61 * 60)
    assert guess(store, clock).wait_seconds == 0  # counted from one again


def test_every_sign_in_lands_in_the_audit_log(store: st.Store) -> None:
    ana = person(store, "ana")
    clock = Clock()
    guess(store, clock, login="ghost")
    guess(store, clock)
    guess(store, clock, password=RIGHT)
    lines = recent(store)
    assert [(line.event, line.login, line.detail) for line in reversed(lines)] == [
        ("sign_in_failed", "ghost", "unknown username"),
        ("sign_in_failed", "ana", "wrong password"),
        ("sign_in", "ana", None),
    ]
    assert lines[0].sentence() == "Ana signed in, from 10.0.0.7"
    assert lines[1].sentence() == "Ana failed to sign in (wrong password), from 10.0.0.7"
    assert all("wrong guess" not in str(line) and RIGHT not in str(line) for line in lines)
    assert recent(store, user_id=ana.user_id)[0].event == "sign_in"


def test_a_deactivated_account_gets_the_same_message(store: st.Store) -> None:
    person(store, "ana")
    from trainer.accounts.service import set_disabled

    set_disabled(store, "ana", True)
    outcome = guess(store, Clock(), password=RIGHT)
    assert outcome.account is None and outcome.message == NO_MATCH
    assert recent(store)[0].detail == "account deactivated"
