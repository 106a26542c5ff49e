"""One source of truth, on SQLite and PostgreSQL: every action checks the tab's copy against the
stored session, and a score always matches the stored transcript."""

from __future__ import annotations

import pytest

from trainer.practice import PracticeService
from trainer.practice.config import Backends
from trainer.practice.live import record_as_turn
from trainer.practice.service import evaluate
from trainer.practice.sync import SessionMoved, SessionWasEnded
from trainer.rubrics import load_rubric
from trainer.store import (
    ConcurrentUpdate,
    SessionEnded,
    Store,
    TurnRecord,
    append_turns,
    complete_session,
    get_or_create_user_by_display_name,
    get_session,
    viewer_for,
)
from trainer.transcript import Transcript

OFFLINE = Backends("offline", "offline", "offline", None, None, False)
LINES = [
    "Welcome, both of you. What brings you in today?",
    "Marc, when you go quiet or leave the room, it sounds like a way to keep things calm. That makes sense.",
    "Many couples find the physical side changes too. How are touch and affection going?",
    "Belinda, what happens inside you when he reaches for you?",
    "Belinda, when you push for a talk, it sounds like a way of trying to reach him. That makes sense.",
    "Marc, what are you afraid would happen if you stayed in the room?",
    "Belinda, what do you long for, underneath the pushing?",
    "How has the distance shown up in the bedroom for each of you?",
]


@pytest.fixture
def service(store: Store) -> PracticeService:
    return PracticeService(store, OFFLINE)


def test_a_stale_tab_ending_the_session_scores_the_stored_transcript(service: PracticeService, store: Store) -> None:
    user = get_or_create_user_by_display_name(store, "Ana")
    tab_a = service.start(user, "marc-belinda", seed=7)
    service.send(user, tab_a, LINES[0])
    tab_b = service.resume(user, tab_a.id)
    for line in LINES[1:]:
        assert service.send(user, tab_b, line).accepted
    record = service.end(user, tab_a)  # tab A never saw turns 2 to 8
    stored = get_session(store, viewer_for(user), tab_a.id)
    transcript = Transcript(persona="marc-belinda", clients=["Marc", "Belinda"],
                            turns=[record_as_turn(t) for t in stored.turns])
    expected, _ = evaluate(transcript, load_rubric(), "offline")
    stale, _ = evaluate(Transcript(persona="marc-belinda", clients=["Marc", "Belinda"],
                                   turns=[record_as_turn(t) for t in tab_a.turns]), load_rubric(), "offline")
    assert record.turn_count == len(stored.turns) > len(tab_a.turns)
    assert stored.latest_evaluation.total == expected.total
    assert stored.latest_evaluation.result["criteria"] == expected.model_dump(mode="json")["criteria"]
    assert expected.total > stale.total  # the finding: 0/9 stored for a transcript worth more


def test_a_stale_tab_sending_is_told_and_nothing_is_stored(service: PracticeService, store: Store) -> None:
    user = get_or_create_user_by_display_name(store, "Ana")
    tab_a = service.start(user, "marc-belinda", seed=8)
    tab_b = service.resume(user, tab_a.id)
    service.send(user, tab_b, LINES[0])
    count = len(get_session(store, viewer_for(user), tab_a.id).turns)
    with pytest.raises(SessionMoved) as moved:
        service.send(user, tab_a, LINES[1])
    assert "moved on in another tab" in str(moved.value)
    assert len(moved.value.record.turns) == count  # the session as it stands, to show
    assert len(get_session(store, viewer_for(user), tab_a.id).turns) == count
    assert len(tab_a.engine.transcript().turns) == len(tab_a.turns)  # no half turn kept in memory
    service.end(user, tab_b)
    with pytest.raises(SessionWasEnded) as ended:
        service.send(user, tab_b, LINES[2])
    assert ended.value.record.is_completed and "ended in another tab" in str(ended.value)
    with pytest.raises(SessionWasEnded):
        service.end(user, tab_a)


def test_writes_check_the_version_they_read(store: Store) -> None:
    from trainer.store import start_session

    user = get_or_create_user_by_display_name(store, "Ana")
    viewer = viewer_for(user)
    record = start_session(store, viewer, couple_id="marc-belinda", rubric_id="eft-first-session")
    version = append_turns(store, viewer, record.id, [TurnRecord(index=0, speaker="therapist", text="hi")],
                           expected_version=record.version)
    assert version > record.version
    with pytest.raises(ConcurrentUpdate):
        append_turns(store, viewer, record.id, [TurnRecord(index=1, speaker="Marc", text="hello")],
                     expected_version=record.version)
    with pytest.raises(ConcurrentUpdate):
        complete_session(store, viewer, record.id, expected_version=record.version)
    complete_session(store, viewer, record.id, expected_version=version)
    with pytest.raises(SessionEnded):
        append_turns(store, viewer, record.id, [TurnRecord(index=1, speaker="Marc", text="late")])


class WordByWord:
    """A renderer that streams its authored lines word by word (no network)."""

    name = "llm:words"

    def render(self, plan):  # type: ignore[no-untyped-def]
        from trainer.render import OfflineRenderer

        return OfflineRenderer().render(plan)

    def stream(self, plan):  # type: ignore[no-untyped-def]
        for reply in self.render(plan):
            for index, word in enumerate(reply.text.split(" ")):
                yield reply.speaker, word if index == 0 else " " + word


@pytest.mark.parametrize("control", ["StopException", "RerunException"])
def test_streamlit_stopping_mid_stream_keeps_the_turn_whole_or_absent(
    control: str, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.runtime.scriptrunner_utils import exceptions
    from streamlit.runtime.scriptrunner_utils.script_requests import RerunData

    from trainer.practice import live as live_module

    monkeypatch.setattr(live_module, "make_renderer", lambda label: (WordByWord(), None))
    service = PracticeService(store, Backends("llm:words", "offline", "openai_compatible", "w", None, False))
    user = get_or_create_user_by_display_name(store, "Ana")
    live = service.start(user, "marc-belinda", seed=9)
    before = [t.text for t in live.turns]
    seen: list[str] = []

    def page_goes_away(speaker: str, delta: str) -> None:  # what a rerun does at the page's next call
        seen.append(delta)
        if len(seen) == 3:
            raise (exceptions.StopException() if control == "StopException"
                   else exceptions.RerunException(RerunData()))

    with pytest.raises(exceptions.ScriptControlException):  # not swallowed: Streamlit needs it
        service.send(user, live, LINES[0], on_delta=page_goes_away)
    assert [t.text for t in live.turns] == before
    assert len(live.engine.transcript().turns) == len(before)  # no half turn left in memory
    assert [t.text for t in get_session(store, viewer_for(user), live.id).turns] == before
    assert service.send(user, live, LINES[1]).accepted  # the next message is a turn of its own
    turns = get_session(store, viewer_for(user), live.id).turns
    therapist = [t for t in turns if t.speaker == "therapist"]
    assert [t.text for t in therapist] == [LINES[1]] and therapist[0].labels["index"] == turns.index(therapist[0])
