"""Reports say only what the session backs: every labelled transcript and simulated sessions of
every couple with four kinds of trainee, checked by `trainer.evaluate.consistency`; and the
checker itself catches each kind of error a trainee once found in a report."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.evaluate.helpers import t, transcript
from trainer.engine import start_session
from trainer.evaluate import Evaluation, evaluate
from trainer.evaluate.consistency import report_problems
from trainer.personas import Couple, list_couples
from trainer.practice import build_report, report_markdown
from trainer.rubrics import load_rubric
from trainer.transcript import Transcript, load_transcript

TESTS = Path(__file__).resolve().parents[1]
TRANSCRIPTS = sorted([*(TESTS / "devset").glob("*.json"), *(TESTS / "blindset").glob("*.json")])
STYLES: dict[str, list[str]] = yaml.safe_load((Path(__file__).with_name("trainee_styles.yaml")).read_text("utf-8"))
SEEDS = (0, 1)


def roles(couple: Couple) -> dict[str, str]:
    """{EP, EW, SP, SW} -> partner name (when both share a role, the other partner takes the opposite)."""
    a, b = couple.partners
    out = {}
    for cycle, pursuer, withdrawer in (("emotional_cycle", "EP", "EW"), ("sexual_cycle", "SP", "SW")):
        first = a if getattr(a, cycle) == "pursuer" or getattr(b, cycle) != "pursuer" else b
        out[pursuer], out[withdrawer] = first.name, (b if first is a else a).name
    return out


def simulate(couple: Couple, style: str, seed: int) -> Transcript:
    session = start_session(couple, seed=seed)
    session.opening()
    names = roles(couple)
    for line in STYLES[style]:
        session.respond(line.format(**names))
    return session.transcript()


def test_there_is_something_to_check() -> None:
    assert len(TRANSCRIPTS) >= 60
    assert set(STYLES) == {"skilled", "content_advice", "blaming", "mixed"}
    assert len(list_couples()) >= 6


@pytest.mark.parametrize("path", TRANSCRIPTS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_labelled_transcripts_get_consistent_reports(path: Path) -> None:
    script = load_transcript(path)
    result = evaluate(script)
    assert report_problems(script, result, load_rubric()) == []


@pytest.mark.parametrize("style", sorted(STYLES))
@pytest.mark.parametrize("couple", list_couples(), ids=lambda c: c.id)
def test_simulated_sessions_get_consistent_reports(couple: Couple, style: str) -> None:
    rubric = load_rubric()
    for seed in SEEDS:
        script = simulate(couple, style, seed)
        result = evaluate(script)
        problems = report_problems(script, result, rubric)
        assert problems == [], (couple.id, style, seed)
        markdown = report_markdown(build_report(
            [turn.model_dump(mode="json") for turn in script.turns], result.model_dump(mode="json"),
            rubric, title=couple.title))
        assert "(or " not in markdown and "Anchor " not in markdown


def test_the_trainee_styles_reach_different_scores() -> None:
    """The scripts exercise the coaching paths they are named for, not one path six times."""
    couple = next(c for c in list_couples() if c.id == "marc-belinda")
    totals = {style: evaluate(simulate(couple, style, 0)).total for style in STYLES}
    assert totals["skilled"] >= 7 and totals["blaming"] <= 3 and totals["content_advice"] <= 3


# --- the checker catches each error that was found in reports ---------------------------------

MB = ["Marc", "Belinda"]


def _session() -> Transcript:
    return transcript(
        ("Belinda", "We can't talk anymore without it turning into a fight."),
        ("Marc", "She criticises everything I do, so I switch off."),
        t("What brings you both in today?"),
        ("Belinda", "He walks out of the kitchen whenever we try to talk."),
        t("I ask every couple about this: how are touch, affection and sex going for you these days?"),
        ("Marc", "When she turns me down in bed I just switch off."),
        t("Marc, switching off makes sense, it protects you."),
        ("Marc", "Yeah. I guess."),
        t("Belinda, you need to stop nagging him."),
        ("Belinda", "I get louder because he doesn't hear me."),
        t("Marc, what happens inside you when she gets louder?"),
        ("Marc", "I feel like I've failed again."),
        clients=MB, persona="marc-belinda",
    )


def _broken(base: Evaluation, criterion: str, **changes: object) -> Evaluation:
    criteria = []
    for item in base.criteria:
        if item.id == criterion:
            coaching = {k: v for k, v in changes.items() if k in type(item.coaching).model_fields}
            rest = {k: v for k, v in changes.items() if k not in coaching}
            item = item.model_copy(update={**rest, "coaching": item.coaching.model_copy(update=coaching)})
        criteria.append(item)
    return base.model_copy(update={"criteria": criteria})


@pytest.fixture(scope="module")
def session() -> tuple[Transcript, Evaluation]:
    script = _session()
    return script, evaluate(script)


def _problems(script: Transcript, result: Evaluation) -> str:
    return "\n".join(report_problems(script, result, load_rubric()))


def test_the_evaluator_is_consistent_on_the_probe_session(session) -> None:  # type: ignore[no-untyped-def]
    script, result = session
    assert _problems(script, result) == ""
    sexual = result.criterion("raised_sexual_cycle_early")
    assert sexual.score == 2 and sexual.coaching.missed_turn == 6  # the validation is no follow-up
    repair = result.criterion("validated_protective_moves").coaching.try_instead
    assert repair.startswith("I want to take back what I said a moment ago, Belinda.")


def test_a_follow_up_that_is_not_about_the_topic_is_caught(session) -> None:  # type: ignore[no-untyped-def]
    from trainer.evaluate import Evidence

    script, result = session
    claimed = _broken(result, "raised_sexual_cycle_early", score=3, evidence=[
        Evidence(turn=4, quote="how are touch, affection and sex going for you these days?"),
        Evidence(turn=6, quote="Marc, switching off makes sense, it protects you.")])
    assert "not about the physical side" in _problems(script, claimed)


def test_a_repair_to_the_partner_who_was_not_blamed_is_caught(session) -> None:  # type: ignore[no-untyped-def]
    script, result = session
    wrong = _broken(result, "validated_protective_moves", try_instead=(
        "I want to take back what I said a moment ago, Marc. What you do makes sense."))
    assert "not to Belinda, who was blamed at turn 8" in _problems(script, wrong)


def test_template_fragments_are_caught(session) -> None:  # type: ignore[no-untyped-def]
    script, result = session
    for text in ("Marc, when Belinda pulls away from you (or comes at you), what happens inside you?",
                 "Marc, when you pull back (or push), it seems to be your way of protecting you.",
                 "At turn ? you could have asked."):
        assert "template fragment" in _problems(script, _broken(result, "drew_out_underlying_needs", try_instead=text))


def test_suggesting_what_the_trainee_already_did_there_is_caught(session) -> None:  # type: ignore[no-untyped-def]
    script, result = session
    same = _broken(result, "drew_out_underlying_needs", score=2, missed_turn=10,
                   missed_moment="At turn 10 you could have gone deeper.",
                   try_instead="Marc, what happens inside you when she gets louder?")
    assert "already did there" in _problems(script, same)


def test_a_first_natural_chance_after_the_invitation_is_caught(session) -> None:  # type: ignore[no-untyped-def]
    script, result = session
    late = _broken(result, "raised_sexual_cycle_early", score=2, first_raised_turn=4, missed_turn=8,
                   missed_moment=("The invitation came at turn 4, after the early window; "
                                  "the first natural chance was at turn 8."))
    assert "does not come before the invitation" in _problems(script, late)


def test_words_put_in_the_wrong_clients_mouth_are_caught(session) -> None:  # type: ignore[no-untyped-def]
    script, result = session
    for text in ('Belinda, you said "I just switch off". That makes sense to me.',
                 "Belinda, you said the physical closeness between you has faded."):
        found = _problems(script, _broken(result, "validated_protective_moves", try_instead=text))
        assert "never said" in found or "without quoting" in found, text
    moment = _broken(result, "drew_out_underlying_needs", missed_turn=10,
                     missed_moment="At turn 10, right after Belinda offered an opening (turn 7), ask.")
    assert "but Marc spoke that turn" in _problems(script, moment)


def test_rationales_that_repeat_the_anchor_and_bare_summaries_are_caught(session) -> None:  # type: ignore[no-untyped-def]
    script, result = session
    anchor = load_rubric().criterion("validated_protective_moves").anchors[1]
    repeated = _broken(result, "validated_protective_moves", rationale=f"Blame capped it. Anchor 1: {anchor}")
    assert "repeats the rubric's anchor 1" in _problems(script, repeated)
    assert "says nothing but" in _problems(script, result.model_copy(update={"feedback": "9/9."}))
    long = result.model_copy(update={"feedback": "Good. Also good. Next time, go slower."})
    assert "3 sentences" in _problems(script, long)


def test_the_summary_says_what_went_well_and_the_next_step(session) -> None:  # type: ignore[no-untyped-def]
    _, result = session
    first, second = result.feedback.split(". Next time, ")
    assert first.startswith("You ") and second.endswith(".")


def test_every_missed_moment_has_a_next_step_for_the_summary() -> None:
    from trainer.evaluate.coaching import templates

    for criterion, data in templates().items():
        if criterion == "summary":
            continue
        assert set(data["missed"]) <= set(data["next"]), criterion
