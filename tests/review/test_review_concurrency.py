"""Two supervisors, two connections, one review: no update is ever lost."""

from __future__ import annotations

import itertools
import threading

import pytest

from tests.accounts.dbkit import person, played
from trainer import store as st
from trainer.accounts.assignments import assign_supervisor
from trainer.review import OverrideChange, ReviewConflict, load_review, review_history, save_review

CRITERIA = ("raised_sexual_cycle_early", "validated_protective_moves", "drew_out_underlying_needs")


@pytest.fixture
def two_supervisors(store: st.Store, db_url: str):  # type: ignore[no-untyped-def]
    ana, sue, tom = person(store, "ana"), person(store, "sue", "supervisor"), person(store, "tom", "supervisor")
    assign_supervisor(store, sue.user_id, ana.user_id)
    assign_supervisor(store, tom.user_id, ana.user_id)
    sid = played(store, ana, dict.fromkeys(CRITERIA, 1))
    other = st.open_store(db_url, migrate=False)  # a second engine: its own connections
    yield sid, (store, sue), (other, tom)
    other.dispose()


def test_second_save_from_the_same_page_state_gets_a_conflict(two_supervisors) -> None:  # type: ignore[no-untyped-def]
    sid, (store_a, sue), (store_b, tom) = two_supervisors
    seen_a = load_review(store_a, sue, sid).version
    seen_b = load_review(store_b, tom, sid).version
    save_review(store_a, sue, sid, expected_version=seen_a,
                overrides={CRITERIA[0]: OverrideChange(3, "Sue: raised it in turn 3")})
    with pytest.raises(ReviewConflict, match="Sue"):
        save_review(store_b, tom, sid, expected_version=seen_b,
                    overrides={CRITERIA[0]: OverrideChange(0, "Tom: never raised")})
    final = load_review(store_b, tom, sid)
    assert final.overrides[CRITERIA[0]].comment == "Sue: raised it in turn 3"


def test_racing_saves_on_two_connections_lose_nothing(two_supervisors) -> None:  # type: ignore[no-untyped-def]
    """Each thread reloads and retries on conflict; every intended change must land."""
    sid, (store_a, sue), (store_b, tom) = two_supervisors
    plan = [(store_a, sue, CRITERIA[0]), (store_b, tom, CRITERIA[1]),
            (store_a, sue, CRITERIA[2]), (store_b, tom, CRITERIA[0])]
    barrier = threading.Barrier(len(plan))
    conflicts: list[str] = []
    errors: list[BaseException] = []

    def work(store: st.Store, viewer, criterion: str, rounds: int = 5) -> None:  # type: ignore[no-untyped-def]
        try:
            barrier.wait()
            for round_ in range(rounds):
                while True:
                    version = load_review(store, viewer, sid).version
                    try:
                        save_review(store, viewer, sid, expected_version=version,
                                    overrides={criterion: OverrideChange(round_ % 4, f"{viewer.role} {round_}")},
                                    overall_comment=f"last by {viewer.user_id}")
                        break
                    except ReviewConflict as exc:
                        conflicts.append(str(exc))
        except BaseException as exc:  # noqa: BLE001 - surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=item) for item in plan]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    final = load_review(store_a, sue, sid)
    history = review_history(store_a, sue, sid)
    # 20 successful saves, each one version bump; nothing overwritten unseen
    assert final.version == 20
    overrides = [h for h in history if h.action in ("override", "clear_override")]
    saves_by_criterion = {c: sum(1 for h in overrides if h.criterion_id == c) for c in CRITERIA}
    assert saves_by_criterion[CRITERIA[1]] == 5 and saves_by_criterion[CRITERIA[2]] == 5
    # criterion 0 had two writers: their before/after chain is unbroken
    chain = [h for h in overrides if h.criterion_id == CRITERIA[0]]
    for earlier, later in itertools.pairwise(chain):
        assert later.before == earlier.after
    assert set(final.overrides) == set(CRITERIA)
