"""Token usage and estimated cost: stored with each session, summed for facilitators.

Per session (engine calls turn by turn, the judge's calls at the end), on the
workshop dashboard per participant and for the room, and in every export;
0 tokens and "offline" when no language model took part.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from tests.accounts.dbkit import person, played
from tests.review.apptest_kit import app_as, texts
from trainer import evaluate as evaluate_module
from trainer import store as st
from trainer.practice import PracticeService
from trainer.practice import live as live_module
from trainer.practice.config import Backends
from trainer.render import OfflineRenderer
from trainer.store.records import TurnRecord, UserRecord
from trainer.workshops.queries import workshop_completion, workshop_dashboard, workshop_export
from trainer.workshops.service import create_workshop, join_workshop
from trainer.workshops.spec import WorkshopSpec

SPEC = WorkshopSpec(title="EFT evening group", date=date(2026, 11, 24), couples=["marc-belinda"],
                    rubric_id="eft-first-session")
TURN = {"prompt_tokens": 1200, "completion_tokens": 80, "cost_usd": 0.000228}


def llm_session(store: st.Store, viewer, *, turns: int = 2) -> st.SessionRecord:  # type: ignore[no-untyped-def]
    """A finished session voiced by an LLM: each turn's usage stored with it, then the judge's."""
    record = st.start_session(store, viewer, couple_id="marc-belinda", rubric_id="eft-first-session",
                              engine="llm:gpt-4o-mini", judge="llm:gpt-4o-mini")
    for index in range(turns):
        st.append_turns(store, viewer, record.id, [TurnRecord(index=index, speaker="therapist", text="Hi")],
                        usage=TURN)
    judge = {"prompt_tokens": 3000, "completion_tokens": 900, "cost_usd": 0.00099}
    return st.complete_session(store, viewer, record.id, usage=judge, evaluation={
        "rubric_id": "eft-first-session", "evaluator": "llm",
        "result": {"criteria": [], "total": 0, "max_total": 9}})


def test_tokens_and_cost_add_up_on_the_session(store: st.Store) -> None:
    ana = person(store, "ana")
    done = llm_session(store, ana)
    assert (done.prompt_tokens, done.completion_tokens) == (2 * 1200 + 3000, 2 * 80 + 900)
    assert done.cost_usd == pytest.approx(2 * 0.000228 + 0.00099)
    assert st.get_session(store, ana, done.id).cost_usd == pytest.approx(done.cost_usd)
    offline = st.get_session(store, ana, played(store, ana))
    assert (offline.prompt_tokens, offline.completion_tokens, offline.cost_usd) == (0, 0, 0.0)


def test_the_practice_service_stores_the_judges_usage(store: st.Store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    offline_factory = evaluate_module.EVALUATORS["offline"]

    def fake_llm_judge(rubric):  # type: ignore[no-untyped-def]
        score = offline_factory(rubric)

        def judge(transcript, source=None):  # type: ignore[no-untyped-def]
            return score(transcript, source)

        judge.meter = SimpleNamespace(summary=lambda: {  # type: ignore[attr-defined]
            "calls": 1, "prompt_tokens": 2500, "completion_tokens": 700, "cost_usd": 0.00079})
        return judge

    monkeypatch.setitem(evaluate_module.EVALUATORS, "llm", fake_llm_judge)
    service = PracticeService(store, Backends("offline", "llm:gpt-4o-mini", "openai", "gpt-4o-mini", None, True))
    ana = person(store, "ana")
    user = UserRecord(id=ana.user_id, display_name="Ana", role="trainee", created_at=datetime.now(UTC))
    live = service.start(user, "marc-belinda", seed=2)
    service.send(user, live, "What brings you in today?")
    record = service.end(user, live)
    assert (record.prompt_tokens, record.completion_tokens) == (2500, 700)
    assert record.cost_usd == pytest.approx(0.00079)


class MeteredRenderer(OfflineRenderer):
    """Authored lines, reporting usage as an LLM renderer does (`take_usage`, once per call)."""

    name = "llm:metered"

    def __init__(self) -> None:
        super().__init__()
        self.pending = 0

    def render(self, plan):  # type: ignore[no-untyped-def]
        self.pending += 1
        return super().render(plan)

    def take_usage(self):  # type: ignore[no-untyped-def]
        calls, self.pending = self.pending, 0
        return {"prompt_tokens": 100 * calls, "completion_tokens": 10 * calls,
                "cost_usd": 0.0001 * calls} if calls else None


def test_the_opening_and_every_turn_count_from_the_start(store: st.Store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(live_module, "make_renderer", lambda label: (MeteredRenderer(), None))
    service = PracticeService(store, Backends("llm:metered", "offline", "openai_compatible", "m", None, False))
    ana = person(store, "ana")
    user = UserRecord(id=ana.user_id, display_name="Ana", role="trainee", created_at=datetime.now(UTC))
    live = service.start(user, "marc-belinda", seed=2)
    opened = st.get_session(store, ana, live.id)
    assert (opened.prompt_tokens, opened.completion_tokens) == (100, 10)  # stored with the opening
    service.send(user, live, "What brings you in today?")
    after = st.get_session(store, ana, live.id)
    assert after.prompt_tokens == 200 and after.cost_usd == pytest.approx(0.0002)


def test_facilitators_see_usage_per_participant_and_for_the_room(store: st.Store) -> None:
    fay = person(store, "fay", "facilitator")
    w = create_workshop(store, fay, SPEC)
    pia, max_ = (join_workshop(store, w.join_code, name).viewer for name in ("Pia", "Max"))
    llm_session(store, pia)
    played(store, max_)  # offline
    board = workshop_dashboard(store, fay, w.id)
    people = {p.display_name: p.usage for p in board.people}
    assert people["Pia"].llm and people["Pia"].total_tokens == 2 * 1280 + 3900
    assert not people["Max"].llm and people["Max"].total_tokens == 0
    assert people["Max"].cost_label == "offline" and people["Pia"].cost_label == "$0.0014"
    assert board.usage.total_tokens == people["Pia"].total_tokens and board.usage.llm

    rows = list(csv.DictReader(io.StringIO(workshop_export(store, fay, w.id, "csv"))))
    by_name = {row["participant"]: row for row in rows}
    assert by_name["Pia"]["session_prompt_tokens"] == str(2 * 1200 + 3000)
    assert by_name["Pia"]["engine"] == "llm:gpt-4o-mini"
    assert (by_name["Max"]["engine"], by_name["Max"]["session_prompt_tokens"]) == ("offline", "0")
    data = json.loads(workshop_export(store, fay, w.id, "json"))
    assert data["usage"]["prompt_tokens"] == 2 * 1200 + 3000 and data["usage"]["llm"] == "used"
    per_person = {p["participant"]: p["usage"] for p in data["participants"]}
    assert per_person["Max"] == {"prompt_tokens": 0, "completion_tokens": 0, "cost_usd": 0.0,
                                 "llm": "offline"}
    records = {r.participant: r for r in workshop_completion(store, fay, w.id)}
    assert records["Pia"].usage.completion_tokens == 2 * 80 + 900
    assert records["Pia"].sessions[0].usage.cost_usd == pytest.approx(0.001446)


def test_the_dashboard_page_shows_usage_or_offline(app_db: str, store: st.Store) -> None:
    fay = person(store, "fay", "facilitator")
    w = create_workshop(store, fay, SPEC)
    played(store, join_workshop(store, w.join_code, "Max").viewer)
    at = app_as(fay, "Fay", page="dashboard", query={"workshop": str(w.id)})
    assert not at.exception, at.exception
    assert "Model usage: offline \u00b7 0 tokens" in texts(at)
    assert list(at.dataframe[0].value["Model use"]) == ["offline"]
    llm_session(store, join_workshop(store, w.join_code, "Pia").viewer)
    at.run()
    assert "Model usage: 5,400 prompt + 1,060 completion tokens \u00b7 est. $0.0014" in texts(at)
    people = at.dataframe[0].value
    assert dict(zip(people["Name"], people["Model use"], strict=True)) == {
        "Max": "offline", "Pia": "6,460 tokens \u00b7 $0.0014"}
