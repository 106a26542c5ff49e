"""Sessions: 40-turn play for every couple, determinism, snapshots, renderer seam, no network."""

from __future__ import annotations

import json
import socket

import pytest
from sim_conformance import MIXED_40, fill, play

from trainer.engine import Session, start_session
from trainer.personas import LADDER_STAGES, list_couples, load_couple
from trainer.render import OfflineRenderer, RenderError, RenderPlan
from trainer.transcript.io import transcript_from_data

COUPLES = [c.id for c in list_couples()]


def _dump(session: Session) -> str:
    return json.dumps(session.transcript().to_json_dict(), sort_keys=True)


@pytest.mark.parametrize("couple_id", COUPLES)
def test_every_couple_plays_40_turns_without_back_to_back_repeats(couple_id: str) -> None:
    session, results = play(couple_id, MIXED_40, seed=7)
    assert len(results) == 40 and all(r.replies for r in results)
    transcript = session.transcript()
    transcript_from_data(json.loads(json.dumps(transcript.to_json_dict())), "sim")  # valid v1
    last: dict[str, str] = {}
    previous_client_text = None
    for turn in transcript.turns:
        if turn.is_therapist:
            continue
        assert turn.text != last.get(turn.speaker), f"{turn.speaker} repeated: {turn.text}"
        assert turn.text != previous_client_text
        last[turn.speaker] = previous_client_text = turn.text
        state = turn.model_extra["state"]
        assert set(state) == set(load_couple(couple_id).names)
        for values in state.values():
            assert 0 <= values["openness"] <= 10 and 0 <= values["defensiveness"] <= 10
    assert len({t.text for t in transcript.turns if not t.is_therapist}) >= 30  # variety, not a loop


def test_same_seed_same_session_different_seed_different_session() -> None:
    a = _dump(play("marc-belinda", MIXED_40, seed=11)[0])
    b = _dump(play("marc-belinda", MIXED_40, seed=11)[0])
    assert a == b
    others = {_dump(play("marc-belinda", MIXED_40, seed=s)[0]) for s in (12, 13, 14)}
    assert any(other != a for other in others)


@pytest.mark.parametrize("couple_id", ["marc-belinda", "dana-greg"])
def test_snapshot_resume_continues_exactly(couple_id: str) -> None:
    couple = load_couple(couple_id)
    lines = fill(MIXED_40, couple)
    whole = start_session(couple, seed=5)
    for line in lines:
        whole.respond(line)
    first = start_session(couple, seed=5)
    for line in lines[:20]:
        first.respond(line)
    stored = json.dumps(first.snapshot())  # what the app keeps after every turn
    resumed = Session.from_snapshot(couple, json.loads(stored))
    assert resumed.state == first.state
    for line in lines[20:]:
        resumed.respond(line)
    assert _dump(resumed) == _dump(whole)
    assert resumed.state == whole.state


def test_snapshot_for_another_couple_is_refused() -> None:
    session = start_session(load_couple("marc-belinda"))
    with pytest.raises(Exception, match="not 'jen-rosa'"):
        Session.from_snapshot(load_couple("jen-rosa"), session.snapshot())


def test_opening_then_turns() -> None:
    session = start_session(load_couple("ruth-harold"), seed=1)
    opening = session.opening()
    assert [r.speaker for r in opening] == ["Ruth", "Harold"]
    result = session.respond("What brings you both in today?")
    assert result.replies and result.replies[0].text not in {r.text for r in opening}
    assert session.transcript().turns[0].speaker == "Ruth"


class _Broken:
    name = "llm"

    def render(self, plan: RenderPlan):
        raise RenderError("model timed out")


class _Recording(OfflineRenderer):
    name = "recording"

    def __init__(self) -> None:
        self.plans: list[RenderPlan] = []

    def render(self, plan: RenderPlan):
        self.plans.append(plan)
        return super().render(plan)


def test_failing_renderer_falls_back_visibly() -> None:
    session = start_session(load_couple("marc-belinda"), renderer=_Broken())
    result = session.respond("Marc, tell me about the touch and sex between you two.")
    assert result.render_notice and "llm" in result.render_notice
    assert all(r.fallback for r in result.replies)
    assert session.transcript().turns[-1].model_extra.get("fallback") is True


@pytest.mark.parametrize("couple_id", COUPLES)
def test_plans_never_carry_locked_layers(couple_id: str) -> None:
    """What an LLM would see: only the layers each speaker has unlocked."""
    couple = load_couple(couple_id)
    recorder = _Recording()
    session = start_session(couple, seed=3, renderer=recorder)
    for line in fill(MIXED_40, couple):
        session.respond(line)
    assert recorder.plans
    for plan in recorder.plans:
        for sp in plan.speakers:
            partner = couple.partner(sp.speaker)
            other = couple.other(sp.speaker)
            blob = sp.facts.model_dump_json() + sp.line.model_dump_json()  # `avoid` holds words said aloud
            locked = [line.text for s in range(sp.stage + 1, 4) for line in partner.ladder.stage(s)]
            if sp.stage < 3:
                locked += partner.underlying_fears + partner.underlying_longings
            locked += other.underlying_fears + other.underlying_longings
            assert not [t for t in locked if t in blob], (sp.speaker, sp.stage)
            assert sp.facts.stage_name == LADDER_STAGES[sp.stage]


def test_offline_runs_open_no_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[object] = []
    real_connect = socket.socket.connect

    def spy(self: socket.socket, address: object):  # type: ignore[no-untyped-def]
        attempts.append(address)
        return real_connect(self, address)

    def no_dns(*args, **kwargs):  # type: ignore[no-untyped-def]
        attempts.append(("getaddrinfo", args))
        raise OSError("offline test: DNS lookup attempted")

    monkeypatch.setattr(socket.socket, "connect", spy)
    monkeypatch.setattr(socket.socket, "connect_ex", spy)
    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: no_dns(*a))
    for couple_id in COUPLES:
        play(couple_id, MIXED_40[:12], seed=1)
    assert attempts == []
