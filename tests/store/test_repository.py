"""The store on SQLite and PostgreSQL: schema, turns as they happen, scoping, history."""

from __future__ import annotations

import threading
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from trainer import store as st
from trainer.store.metadata import load_all_models


def _turn(index: int, speaker: str = "therapist", text: str = "Hello", **extra) -> st.TurnRecord:
    return st.TurnRecord(index=index, speaker=speaker, text=text, **extra)


def _result(scores: dict[str, int], total: int | None = None) -> dict:
    criteria = [
        {"id": cid, "title": cid, "score": score, "evidence": [{"turn": 2, "quote": "Hello"}]}
        for cid, score in scores.items()
    ]
    return {
        "rubric": "eft-first-session", "evaluator": "offline", "criteria": criteria,
        "total": sum(scores.values()) if total is None else total, "max_total": 3 * len(scores),
    }


def _started(store: st.Store, name: str = "Ana", couple: str = "marc-belinda"):
    user = st.get_or_create_user_by_display_name(store, name)
    viewer = st.viewer_for(user)
    opening = [_turn(0, "Belinda", "We keep missing each other."), _turn(1, "Marc", "I guess.")]
    record = st.start_session(
        store, viewer, couple_id=couple, rubric_id="eft-first-session", seed=7,
        snapshot={"turn": 0}, opening=opening,
    )
    return viewer, record


def test_migrations_match_models_and_are_idempotent(store: st.Store, db_url: str) -> None:
    st.upgrade_database(db_url)  # second run: nothing to do, no error
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, load_all_models()) == []


def test_users_by_display_name_are_trimmed_and_case_insensitive(store: st.Store) -> None:
    first = st.get_or_create_user_by_display_name(store, "  Ana   Lopez ")
    again = st.get_or_create_user_by_display_name(store, "ana lopez")
    assert first.id == again.id
    assert first.display_name == "Ana Lopez"
    assert first.role == "trainee"
    assert st.get_user(store, first.id) == first
    with pytest.raises(st.InvalidName):
        st.get_or_create_user_by_display_name(store, "   ")
    with pytest.raises(st.InvalidName):
        st.get_or_create_user_by_display_name(store, "x" * 200)


def test_turns_are_written_as_they_happen_and_survive_a_restart(store: st.Store, db_url: str) -> None:
    viewer, record = _started(store)
    assert record.turn_count == 2 and record.status == "in_progress"
    state = {"Marc": {"openness": 3.5, "defensiveness": 6}}
    st.append_turns(
        store, viewer, record.id,
        [_turn(2, text="What brings you in — «ça va»? 你好"),
         _turn(3, "Marc", "Work.", nonverbal="shrugs", state=state, fallback=True)],
        snapshot={"turn": 1}, flags=["abuse"], usage={"prompt_tokens": 10, "completion_tokens": 4},
    )
    st.append_turns(store, viewer, record.id, [_turn(4)], flags=["abuse", "off_frame"])
    store.dispose()
    reopened = st.open_store(db_url)
    try:
        loaded = st.get_session(reopened, viewer, str(record.id))
    finally:
        reopened.dispose()
    assert [t.index for t in loaded.turns] == [0, 1, 2, 3, 4]
    assert loaded.turns[2].text == "What brings you in — «ça va»? 你好"
    assert loaded.turns[3].nonverbal == "shrugs" and loaded.turns[3].state == state
    assert loaded.turns[3].fallback is True
    assert loaded.snapshot == {"turn": 1}
    assert loaded.flags == ["abuse", "off_frame"]
    assert (loaded.prompt_tokens, loaded.completion_tokens) == (10, 4)
    assert loaded.started_at.tzinfo is not None


def test_turn_indices_must_continue_the_session(store: st.Store) -> None:
    viewer, record = _started(store)
    with pytest.raises(st.ConcurrentUpdate):
        st.append_turns(store, viewer, record.id, [_turn(5)])
    st.append_turns(store, viewer, record.id, [_turn(2)])
    with pytest.raises(st.ConcurrentUpdate):
        st.append_turns(store, viewer, record.id, [_turn(2, text="again")])
    assert st.get_session(store, viewer, record.id).turn_count == 3


def test_two_writers_racing_for_one_turn_store_it_once(store: st.Store) -> None:
    viewer, record = _started(store)
    outcomes: list[str] = []

    def write(text: str) -> None:
        try:
            st.append_turns(store, viewer, record.id, [_turn(2, text=text)], snapshot={"by": text})
            outcomes.append("ok")
        except st.ConcurrentUpdate:
            outcomes.append("conflict")

    threads = [threading.Thread(target=write, args=(f"tab {n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    loaded = st.get_session(store, viewer, record.id)
    assert sorted(outcomes) == ["conflict", "ok"]
    assert loaded.turn_count == 3
    assert loaded.snapshot == {"by": loaded.turns[2].text}


def test_completion_stores_evaluation_and_scores(store: st.Store) -> None:
    viewer, record = _started(store)
    st.append_turns(store, viewer, record.id, [_turn(2)])
    evaluation = {"rubric_id": "eft-first-session", "evaluator": "offline",
                  "result": _result({"a": 3, "b": 1, "c": 2})}
    done = st.complete_session(store, viewer, record.id, evaluation=evaluation)
    assert done.status == "completed" and done.ended_at is not None
    assert done.latest_evaluation is not None and done.latest_evaluation.total == 6
    assert done.latest_evaluation.result["criteria"][0]["evidence"] == [{"turn": 2, "quote": "Hello"}]
    with pytest.raises(st.ConcurrentUpdate):
        st.append_turns(store, viewer, record.id, [_turn(3)])
    with pytest.raises(st.ConcurrentUpdate):
        st.complete_session(store, viewer, record.id)
    rescored = st.save_evaluation(
        store, viewer, record.id, rubric_id="eft-first-session", evaluator="llm:test",
        result=_result({"a": 2, "b": 2, "c": 2}),
    )
    assert st.get_session(store, viewer, record.id).latest_evaluation == rescored


def test_listing_resume_and_history(store: st.Store) -> None:
    viewer, first = _started(store)
    st.complete_session(store, viewer, first.id, evaluation={
        "rubric_id": "eft-first-session", "evaluator": "offline",
        "result": _result({"raised": 1, "validated": 0})})
    _, second = _started(store, couple="relocation")
    st.complete_session(store, viewer, second.id, evaluation={
        "rubric_id": "eft-first-session", "evaluator": "offline",
        "result": _result({"raised": 3, "validated": 2})})
    _, third = _started(store, couple="older-couple")
    listed = st.list_sessions_for_user(store, viewer)
    assert [s.id for s in listed] == [third.id, second.id, first.id]
    assert listed[0].latest_evaluation is None and listed[1].latest_evaluation.total == 5
    assert all(s.turn_count == 2 and s.turns == [] for s in listed)
    assert st.latest_unfinished_session(store, viewer).id == third.id
    history = st.criterion_history(store, viewer)
    assert [(p.couple_id, p.criterion_id, p.score) for p in history] == [
        ("marc-belinda", "raised", 1), ("marc-belinda", "validated", 0),
        ("relocation", "raised", 3), ("relocation", "validated", 2),
    ]
    assert st.criterion_history(store, viewer, rubric_id="other") == []


def test_a_trainee_never_reaches_another_trainees_session(store: st.Store) -> None:
    owner, record = _started(store, "Ana")
    other = st.viewer_for(st.get_or_create_user_by_display_name(store, "Ben"))
    for attempt in (
        lambda: st.get_session(store, other, record.id),
        lambda: st.get_session(store, other, str(record.id)),
        lambda: st.append_turns(store, other, record.id, [_turn(2)]),
        lambda: st.save_snapshot(store, other, record.id, {"x": 1}),
        lambda: st.complete_session(store, other, record.id),
        lambda: st.save_evaluation(store, other, record.id, rubric_id="r", evaluator="e",
                                   result=_result({"a": 3})),
        lambda: st.get_session(store, owner, "not-a-uuid"),
        lambda: st.get_session(store, owner, uuid.uuid4()),
    ):
        with pytest.raises(st.NotFound):
            attempt()
    assert st.list_sessions_for_user(store, other) == []
    assert st.latest_unfinished_session(store, other) is None
    assert st.criterion_history(store, other) == []
    assert st.get_session(store, owner, record.id).turn_count == 2


def test_database_url_defaults_to_the_data_dir(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("TRAINER_DATA_DIR", str(tmp_path / "data"))
    assert st.database_url() == f"sqlite:///{tmp_path / 'data' / 'trainer.db'}"
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u:secret@db/x")
    assert st.database_url() == "postgresql+psycopg://u:secret@db/x"
    assert "secret" not in st.redacted_url(st.database_url())
