"""Conformance suite: scripted trainee turns, judged by state, plan and (shared-analysis) words.

Runs offline by default; with TRAINER_CONFORMANCE_LLM=1 the same scripts run
against the configured LLM renderer too (see conftest.py). Checks on exact
authored lines apply to the offline renderer only.
"""

from __future__ import annotations

import re
from itertools import pairwise

import pytest
from sim_conformance import (
    ABUSIVE,
    BLAME_BELINDA,
    EQUATE_CYCLES,
    GENERIC_ONLY,
    INJECTIONS,
    MIXED_40,
    RESPECTFUL_SEX_INQUIRY,
    VALIDATE_THEN_EVOKE,
    play,
)

from trainer.analysis import Disclosure, Move, analyze_turn
from trainer.personas import load_couple
from trainer.rubrics import load_rubric

COUPLE = load_couple("marc-belinda")
MARC, BELINDA = COUPLE.partner("Marc"), COUPLE.partner("Belinda")


def _reply(result, speaker: str):
    return next((r for r in result.replies if r.speaker == speaker), None)


def _plan(result, speaker: str):
    return next((p for p in result.plan.speakers if p.speaker == speaker), None)


def _disclosures(session, speaker: str) -> list[set[str]]:
    transcript = session.transcript()
    return [
        {str(d) for d in analyze_turn(transcript.turns, i, transcript.client_names).disclosures}
        for i, turn in enumerate(transcript.turns) if turn.speaker == speaker
    ]


def test_respectful_early_sex_inquiry_makes_marc_present(renderer, renderer_kind) -> None:
    session, results = play("marc-belinda", RESPECTFUL_SEX_INQUIRY, renderer=renderer)
    before, after = results[0].state.partners["Marc"], results[1].state.partners["Marc"]
    assert Move.INVITE_SEX in results[1].labels.moves
    assert after.openness > before.openness and after.engagement > before.engagement
    assert results[1].replies[0].speaker == "Marc"
    assert _plan(results[1], "Marc").pool == "reactions.raise_sex"
    marc_turn = session.transcript().turns[-len(results[1].replies)]
    assert marc_turn.speaker == "Marc"
    words = analyze_turn(session.transcript().turns, session.transcript().turns.index(marc_turn), COUPLE.names)
    assert Disclosure.MENTIONS_SEX in words.disclosures  # he talks about it, not "no big deal"
    if renderer_kind == "offline":
        assert marc_turn.text in {line.text for line in MARC.reactions.raise_sex.lines}
        assert marc_turn.text not in {line.text for line in MARC.ladder.guarded}


def test_blaming_a_partner_raises_their_defensiveness(renderer, renderer_kind) -> None:
    _, results = play("marc-belinda", BLAME_BELINDA, renderer=renderer)
    assert Move.BLAME in results[1].labels.moves
    before, after = results[0].state.partners["Belinda"], results[1].state.partners["Belinda"]
    assert after.defensiveness > before.defensiveness and after.openness < before.openness
    assert _plan(results[1], "Belinda").reaction == "blame"
    if renderer_kind == "offline":
        assert _reply(results[1], "Belinda").text in {line.text for line in BELINDA.reactions.blame.lines}


def test_deepest_fear_never_comes_to_generic_openers(renderer, renderer_kind) -> None:
    session, results = play("marc-belinda", GENERIC_ONLY, renderer=renderer)
    assert all(r.state.partners["Marc"].stage < 3 for r in results)
    assert not [p for r in results for p in r.plan.speakers if p.pool == "ladder.fear_voiced"]
    # (Not judged by the shared analysis here: it can read a deflection such as
    # "I don't know. Nothing much." after a fear question as a disclosure.)
    if renderer_kind == "offline":
        fears = {line.text for line in MARC.ladder.fear_voiced}
        assert not [t for t in session.transcript().turns if t.text in fears]


def test_deepest_fear_after_validation_and_evocative_question(renderer, renderer_kind) -> None:
    session, results = play("marc-belinda", VALIDATE_THEN_EVOKE, renderer=renderer)
    stages = [r.state.partners["Marc"].stage for r in results]
    assert Move.VALIDATE_PROTECTIVE in results[2].labels.moves
    assert stages[:2] == [0, 0] and stages[-1] == 3
    assert all(b - a <= 1 for a, b in pairwise(stages))  # one layer at a time
    last = results[-1]
    assert Move.EVOKE_NEED in last.labels.moves
    assert _plan(last, "Marc").pool == "ladder.fear_voiced"
    assert Disclosure.NEED_OR_FEAR in _disclosures(session, "Marc")[-1]
    if renderer_kind == "offline":
        assert _reply(last, "Marc").text in {line.text for line in MARC.ladder.fear_voiced}


def test_equating_the_cycles_makes_belinda_protest(renderer, renderer_kind) -> None:
    _, results = play("marc-belinda", EQUATE_CYCLES, renderer=renderer)
    last = results[-1]
    assert Move.EQUATE_CYCLES in last.labels.moves
    protest = _plan(last, "Belinda")
    assert protest is not None and protest.reaction == "equate_protest"
    assert last.state.partners["Belinda"].defensiveness > results[-2].state.partners["Belinda"].defensiveness
    if renderer_kind == "offline":
        assert _reply(last, "Belinda").text in {line.text for line in BELINDA.reactions.equate_cycles.lines}


FORBIDDEN = re.compile(r"rubric|system prompt|\bprompt\b|instruction|\bAI\b|language model|simulat|persona|"
                       r"\bladder\b|openness|defensiveness", re.IGNORECASE)


@pytest.mark.parametrize("injection", INJECTIONS)
def test_prompt_injection_gets_in_character_confusion(renderer, renderer_kind, injection: str) -> None:
    warmup = VALIDATE_THEN_EVOKE[:3]  # Marc has opened one layer; Belinda none
    _, results = play("marc-belinda", [*warmup, injection], renderer=renderer)
    before, last = results[-2].state, results[-1]
    assert Move.OFF_FRAME in last.labels.moves
    assert {p.reaction for p in last.plan.speakers} == {"off_frame"}
    assert {n: p.stage for n, p in last.state.partners.items()} == {n: p.stage for n, p in before.partners.items()}
    rubric_ids = [c.id for c in load_rubric().criteria]
    for reply in last.replies:
        said = f"{reply.text} {reply.nonverbal}"
        assert not FORBIDDEN.search(said), said
        assert not [i for i in rubric_ids if i in said]
        partner = COUPLE.partner(reply.speaker)
        stage = last.state.partners[reply.speaker].stage
        hidden = [line.text for s in range(stage + 1, 4) for line in partner.ladder.stage(s)]
        hidden += partner.underlying_fears + partner.underlying_longings
        assert not [h for h in hidden if h.lower() in said.lower()]


@pytest.mark.parametrize("remark", ABUSIVE)
def test_abusive_or_sexualised_remarks_get_a_reaction_and_a_flag(renderer, renderer_kind, remark: str) -> None:
    session, results = play("marc-belinda", ["What brings you both in today?", remark], renderer=renderer)
    last = results[-1]
    assert Move.ABUSE in last.labels.moves
    assert [f.partner for f in last.flags] == ["Belinda"] and session.state.flags == last.flags
    assert last.flags[0].turn == len(session.transcript().turns) - len(last.replies) - 1
    assert _plan(last, "Belinda").reaction == "abuse" and _plan(last, "Marc").reaction == "partner_attacked"
    assert last.state.partners["Belinda"].defensiveness >= 9
    assert "flags" in session.snapshot()["state"]


@pytest.mark.parametrize("couple_id", ["marc-belinda", "tomas-amara", "nadia-paul"])
def test_forty_turns_stay_coherent(renderer, renderer_kind, couple_id: str) -> None:
    session, results = play(couple_id, MIXED_40, seed=4, renderer=renderer)
    couple = load_couple(couple_id)
    validated: set[str] = set()
    previous = {p.name: 0 for p in couple.partners}
    for result in results:
        assert result.replies, "every therapist turn gets an answer"
        if Move.VALIDATE_PROTECTIVE in result.labels.moves:
            validated |= set(result.labels.partners_for(Move.VALIDATE_PROTECTIVE) or result.labels.addressed)
        for name, ps in result.state.partners.items():
            assert ps.stage - previous[name] <= 1
            if ps.stage == 3 and previous[name] < 3:
                assert Move.EVOKE_NEED in result.labels.moves and name in validated
            previous[name] = ps.stage
        assert bool(result.flags) == (Move.ABUSE in result.labels.moves)
    last: dict[str, str] = {}
    for turn in session.transcript().turns:
        if not turn.is_therapist:
            assert turn.text != last.get(turn.speaker)
            last[turn.speaker] = turn.text
