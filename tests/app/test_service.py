"""The service layer the pages call: turns stored as they happen, exact resume, reports, exports."""

from __future__ import annotations

import json

import pytest

from trainer.analysis import Cue, Move, TurnLabels
from trainer.practice import PracticeService, report_markdown, report_pdf
from trainer.practice import live as live_module
from trainer.practice.config import Backends
from trainer.practice.hints import turn_hints
from trainer.practice.notices import notice
from trainer.practice.pdf import latin1
from trainer.render import RenderError
from trainer.rubrics import load_rubric
from trainer.store import (
    ConcurrentUpdate,
    NotFound,
    Store,
    get_or_create_user_by_display_name,
    get_session,
    open_store,
    viewer_for,
)
from trainer.transcript import parse_transcript

OFFLINE = Backends("offline", "offline", "offline", None, None, False)
TURNS = [
    "Welcome, both of you. What brings you in today?",
    (
        "Marc, when you go quiet or leave the room, it sounds like a way to keep things calm. "
        "That makes sense."
    ),
    "Many couples find the physical side changes too. How are touch and affection going?",
    "Belinda, what happens inside you when he reaches for you?",
]


@pytest.fixture
def store(data_dir) -> Store:  # type: ignore[no-untyped-def]
    opened = open_store()
    yield opened
    opened.dispose()


@pytest.fixture
def service(store: Store) -> PracticeService:
    return PracticeService(store, OFFLINE)


def test_every_turn_is_stored_with_the_engine_snapshot(service: PracticeService, store: Store) -> None:
    user = get_or_create_user_by_display_name(store, "Ana")
    live = service.start(user, "marc-belinda", seed=11)
    opening = len(live.turns)
    assert opening >= 1 and live.therapist_turns == 0
    for text in TURNS[:2]:
        assert service.send(user, live, text).accepted
        record = get_session(store, viewer_for(user), live.id)
        assert [t.text for t in record.turns] == [t.text for t in live.turns]
        assert record.snapshot == live.engine.snapshot()
    therapist = [t for t in record.turns if t.speaker == "therapist"]
    assert all(t.labels and t.labels["is_therapist"] for t in therapist)
    clients = [t for t in record.turns[opening:] if t.speaker != "therapist"]
    assert all(t.state and set(t.state) == {"Marc", "Belinda"} for t in clients)


def test_messages_are_validated_before_the_engine_sees_them(
    service: PracticeService, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRAINER_MAX_MESSAGE_CHARS", "100")
    user = get_or_create_user_by_display_name(store, "Ana")
    live = service.start(user, "marc-belinda", seed=1)
    count = len(live.turns)
    assert service.send(user, live, "  \n ") == service.send(user, live, "")
    assert not service.send(user, live, "").accepted
    refused = service.send(user, live, "y" * 101)
    assert not refused.accepted and "limit is 100" in refused.message
    assert len(live.turns) == count
    assert len(get_session(store, viewer_for(user), live.id).turns) == count


def test_a_resumed_session_continues_exactly_as_the_original(service: PracticeService, store: Store) -> None:
    user = get_or_create_user_by_display_name(store, "Ana")
    straight = service.start(user, "marc-belinda", seed=5)
    for text in TURNS:
        service.send(user, straight, text)
    interrupted = service.start(user, "marc-belinda", seed=5)
    for text in TURNS[:2]:
        service.send(user, interrupted, text)
    resumed = PracticeService(store, OFFLINE).resume(user, str(interrupted.id))  # a "restart"
    assert [t.text for t in resumed.turns] == [t.text for t in interrupted.turns]
    for text in TURNS[2:]:
        service.send(user, resumed, text)
    assert [(t.speaker, t.text) for t in resumed.turns] == [(t.speaker, t.text) for t in straight.turns]


def test_two_tabs_on_one_session_cannot_interleave(service: PracticeService, store: Store) -> None:
    user = get_or_create_user_by_display_name(store, "Ana")
    first = service.start(user, "marc-belinda", seed=2)
    second = service.resume(user, first.id)
    service.send(user, first, TURNS[0])
    with pytest.raises(ConcurrentUpdate):
        service.send(user, second, TURNS[1])


def test_ending_scores_and_the_report_joins_rubric_evidence_and_state(
    service: PracticeService, store: Store
) -> None:
    user = get_or_create_user_by_display_name(store, "Ana")
    live = service.start(user, "marc-belinda", seed=3)
    with pytest.raises(Exception, match="before ending"):
        service.end(user, live)
    for text in TURNS:
        service.send(user, live, text)
    record = service.end(user, live)
    assert record.status == "completed" and record.latest_evaluation is not None
    view = service.report(user, record.id)
    rubric = load_rubric("eft-first-session")
    assert [c.id for c in view.criteria] == [c.id for c in rubric.criteria]
    for criterion in view.criteria:
        assert criterion.anchor == rubric.criterion(criterion.id).anchors[criterion.score]
        for ev in criterion.evidence:
            assert ev.quote in view.turns[ev.turn].text
            assert criterion.title in view.turns[ev.turn].evidence_for
    assert view.total == sum(c.score for c in view.criteria)
    assert {p.partner for p in view.state_points} == {"Marc", "Belinda"}
    assert {p.measure for p in view.state_points} == {"openness", "defensiveness"}
    assert [c.partner for c in view.cycles] == ["Marc", "Belinda"]
    with pytest.raises(Exception, match="ended"):
        service.resume(user, record.id)


def test_exports_transcript_markdown_and_pdf(service: PracticeService, store: Store) -> None:
    user = get_or_create_user_by_display_name(store, "Ana")
    live = service.start(user, "marc-belinda", seed=4)
    for text in [*TURNS[:3], "Ça va? 你好 — «merci» 😀 עברית **not bold** <b>x</b>"]:
        service.send(user, live, text)
    record = service.end(user, live)
    exported = service.transcript_file(user, record.id)
    transcript = parse_transcript(exported.encode(), "export.json")
    assert transcript.persona == "marc-belinda" and transcript.clients == ["Marc", "Belinda"]
    assert len(transcript.turns) == len(live.turns)
    assert any("state" in (t.model_extra or {}) for t in transcript.turns)
    assert any("nonverbal" in (t.model_extra or {}) for t in transcript.turns)
    view = service.report(user, record.id)
    markdown = report_markdown(view)
    assert f"{view.total} / {view.max_total}" in markdown and "\\*\\*not bold\\*\\*" in markdown
    assert "<b>" not in markdown
    for force in (False, True):
        pdf = report_pdf(view, force_latin1=force)
        assert pdf.startswith(b"%PDF") and len(pdf) > 1000
    assert latin1("Ça 你好 — ok") == "Ça ?? - ok"


class FailingRenderer:
    name = "llm:test"

    def render(self, plan):  # type: ignore[no-untyped-def]
        raise RenderError("timeout after retries")


def test_an_llm_failure_mid_session_shows_a_notice_and_offline_lines_continue(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(live_module, "make_renderer", lambda label: (FailingRenderer(), None))
    llm = Backends("llm:test", "offline", "openai_compatible", "test", "http://127.0.0.1:9/v1", False)
    service = PracticeService(store, llm)
    user = get_or_create_user_by_display_name(store, "Ana")
    live = service.start(user, "marc-belinda", seed=9)
    assert live.notices == [notice("voice_down")]  # said at the start too, in plain words
    outcome = service.send(user, live, TURNS[1])
    assert outcome.accepted and outcome.notice == notice("voice_down")
    replies = live.turns[-1]
    assert replies.fallback and replies.text
    stored = get_session(store, viewer_for(user), live.id).turns[-1]
    assert stored.fallback and stored.text == replies.text


def test_another_trainees_session_is_invisible(service: PracticeService, store: Store) -> None:
    ana = get_or_create_user_by_display_name(store, "Ana")
    ben = get_or_create_user_by_display_name(store, "Ben")
    live = service.start(ana, "marc-belinda", seed=1)
    service.send(ana, live, TURNS[0])
    record = service.end(ana, live)
    for attempt in (service.report, service.resume, service.transcript_file):
        with pytest.raises(NotFound):
            attempt(ben, record.id)
    with pytest.raises(NotFound):
        service.send(ben, live, TURNS[1])


def test_hints_name_the_move_and_the_partner() -> None:
    labels = TurnLabels(
        index=4, speaker="therapist", is_therapist=True, therapist_ordinal=2,
        addressed=["Marc"], moves=[Move.VALIDATE_PROTECTIVE, Move.INVITE_SEX],
        about={"validate_protective_move": ["Marc"]},
        cues=[Cue(label="validate_protective_move", quote="tuning out makes sense", about="Marc")],
    )
    before = {"Marc": {"stage": 0, "defensiveness": 6}, "Belinda": {"stage": 0, "defensiveness": 4}}
    after = {"Marc": {"stage": 1, "defensiveness": 4.5}, "Belinda": {"stage": 0, "defensiveness": 5.5}}
    hints = turn_hints(labels, before, after, early_window=6)
    text = " ".join(h.text for h in hints)
    assert "You validated Marc's protective move" in text and "tuning out makes sense" in text
    assert "inside the early window" in text
    assert hints[0].tone == "good"
    assert any(h.tone == "caution" and "Belinda" in h.text for h in hints)
    assert json.dumps([h.__dict__ for h in hints])  # plain data


class WordStreamer:
    name = "llm:stream"

    def __init__(self, rogue: bool = False) -> None:
        self.rogue = rogue

    def render(self, plan):  # type: ignore[no-untyped-def]
        from trainer.render import OfflineRenderer

        return OfflineRenderer().render(plan)

    def stream(self, plan):  # type: ignore[no-untyped-def]
        for reply in self.render(plan):
            yield ("Nobody" if self.rogue else reply.speaker), reply.text[:5]
            yield reply.speaker, reply.text[5:]


@pytest.mark.parametrize("rogue", [False, True])
def test_streaming_forwards_words_and_falls_back_on_a_bad_stream(
    store: Store, monkeypatch: pytest.MonkeyPatch, rogue: bool
) -> None:
    monkeypatch.setattr(live_module, "make_renderer", lambda label: (WordStreamer(rogue), None))
    llm = Backends("llm:test", "offline", "openai_compatible", "test", "http://127.0.0.1:9/v1", False)
    service = PracticeService(store, llm)
    user = get_or_create_user_by_display_name(store, "Ana")
    live = service.start(user, "marc-belinda", seed=9)
    seen: list[tuple[str, str]] = []
    outcome = service.send(user, live, TURNS[1], on_delta=lambda who, words: seen.append((who, words)))
    asked = max(t.index for t in live.turns if t.speaker == "therapist")
    new = live.turns[asked + 1 :]
    assert isinstance(live.engine.renderer, WordStreamer)  # the proxy is removed again
    if rogue:
        assert outcome.notice and all(t.fallback for t in new)
    else:
        assert outcome.notice is None and seen
        streamed = "".join(words for who, words in seen if who == new[-1].speaker)
        assert new[-1].text in streamed and not new[-1].fallback


def test_a_failed_write_leaves_memory_as_stored_so_the_turn_can_be_retried(
    service: PracticeService, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import trainer.practice.service as service_module

    user = get_or_create_user_by_display_name(store, "Ana")
    live = service.start(user, "marc-belinda", seed=6)
    real = service_module.append_turns

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError("disk full")

    monkeypatch.setattr(service_module, "append_turns", broken)
    with pytest.raises(OSError):
        service.send(user, live, TURNS[0])
    assert live.therapist_turns == 0 and live.engine.state.therapist_turns == 0
    monkeypatch.setattr(service_module, "append_turns", real)
    assert service.send(user, live, TURNS[0]).accepted
    stored = get_session(store, viewer_for(user), live.id)
    assert [t.text for t in stored.turns] == [t.text for t in live.turns]
