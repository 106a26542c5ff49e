"""The offline evaluator applies the rubric's anchors literally (our own short sessions)."""

from __future__ import annotations

import pytest

from trainer.errors import TrainerError
from trainer.evaluate import evaluate, make_evaluator
from trainer.evaluate.offline import make_offline_evaluator
from trainer.rubrics import load_rubric

from .helpers import filler, t, transcript

RUBRIC = load_rubric()
INVITE = t("Something I ask every couple: how are affection, touch and your sex life these days?")
ANSWER = ("Felix", "Rare. Months, really.")
FOLLOW = t("Months. What has that been like for you, Felix?")


def scores(script) -> dict[str, int]:
    result = make_offline_evaluator(RUBRIC)(script)
    return {c.id: c.score for c in result.criteria}


def test_invitation_on_the_last_turn_of_the_window_scores_3_and_one_later_scores_2() -> None:
    window = RUBRIC.early_window
    inside = transcript(*filler(window - 1), INVITE, ANSWER, FOLLOW)
    outside = transcript(*filler(window), INVITE, ANSWER, FOLLOW)
    first_inside = make_offline_evaluator(RUBRIC)(inside).criterion("raised_sexual_cycle_early")
    assert first_inside.score == 3 and first_inside.first_raised_turn == 2 * (window - 1)
    assert scores(outside)["raised_sexual_cycle_early"] == 2


def test_the_window_comes_from_the_rubric_file() -> None:
    wider = RUBRIC.model_copy(update={"early_window": RUBRIC.early_window + 2})
    late = transcript(*filler(RUBRIC.early_window), INVITE, ANSWER, FOLLOW)
    assert make_offline_evaluator(wider)(late).criterion("raised_sexual_cycle_early").score == 3


def test_in_passing_then_back_to_content_scores_2() -> None:
    script = transcript(INVITE, ANSWER, t("Okay. Let's go back to the money: who pays the bills?"), ("Nora", "I do."))
    assert scores(script)["raised_sexual_cycle_early"] == 2


def test_closeness_trap_echo_and_silence() -> None:
    trap = transcript(t("How is the emotional intimacy between you? Do you feel close?"), ("Nora", "Not really."))
    mention = ("Nora", "And he hasn't touched me since spring.")
    echoed = transcript(t("What brings you in?"), mention, t("He hasn't touched you since spring. And how are the kids doing?"), ("Felix", "Fine."))
    ignored = transcript(t("What brings you in?"), mention, t("How are the kids doing?"), ("Felix", "Fine."))
    assert scores(trap)["raised_sexual_cycle_early"] == 0
    assert scores(echoed)["raised_sexual_cycle_early"] == 1
    assert scores(ignored)["raised_sexual_cycle_early"] == 0


def test_shaming_invitation_is_not_an_invitation() -> None:
    script = transcript(t("What brings you in?"), ("Felix", "We have not had sex in a year."),
                        t("Nora, why are you holding out on him?"), ("Nora", "Excuse me?"))
    result = make_offline_evaluator(RUBRIC)(script).criterion("raised_sexual_cycle_early")
    assert result.score == 1 and result.first_raised_turn is None


VALIDATE_FELIX = t("Felix, going quiet makes sense; it seems to be how you keep a fight from starting.")
VALIDATE_NORA = t("Nora, when you press him to talk, I hear you trying to reach him, not to punish him.")
BLAME_NORA = t("Nora, you need to stop chasing him around the flat with that list.")


def test_validation_both_one_and_capped_by_blame() -> None:
    base = [t("What happens when you argue?"), ("Felix", "I go quiet."), ("Nora", "I push him to talk.")]
    both = transcript(*base, VALIDATE_FELIX, ("Felix", "Yes."), VALIDATE_NORA, ("Nora", "Yes."))
    one = transcript(*base, VALIDATE_FELIX, ("Felix", "Yes."))
    capped = transcript(*base, VALIDATE_FELIX, ("Felix", "Yes."), BLAME_NORA, ("Nora", "Right."))
    blame_only = transcript(*base, BLAME_NORA, ("Nora", "Right."))
    assert scores(both)["validated_protective_moves"] == 3
    assert scores(one)["validated_protective_moves"] == 2
    assert scores(capped)["validated_protective_moves"] == 1
    assert scores(blame_only)["validated_protective_moves"] == 0


def test_repair_lifts_the_cap_and_undercut_scores_1() -> None:
    base = [t("What happens when you argue?"), ("Felix", "I go quiet."), ("Nora", "I push him to talk.")]
    repaired = transcript(*base, BLAME_NORA, ("Nora", "Wow."),
                          t("I'm sorry, Nora, that came out as blaming. Pressing him to talk is your way of trying to reach him."),
                          ("Nora", "Thank you."), VALIDATE_FELIX, ("Felix", "Yes."))
    undercut = transcript(*base, t("Felix, I see why you go quiet, but you have to stop doing that."), ("Felix", "Okay."))
    generic = transcript(*base, t("That sounds really hard for both of you."), ("Nora", "It is."))
    assert scores(repaired)["validated_protective_moves"] == 3
    assert scores(undercut)["validated_protective_moves"] == 1
    assert scores(generic)["validated_protective_moves"] == 1


def test_needs_own_words_confirmed_and_hesitant() -> None:
    ask_nora = t("Nora, what are you most afraid of when he goes quiet?")
    nora_fear = ("Nora", "That I'm on my own in this marriage.")
    conjecture = t("Felix, I wonder if part of you fears you'll never be enough for her. Is that close?")
    both = transcript(ask_nora, nora_fear, conjecture, ("Felix", "Yes. That's exactly it."))
    hesitant = transcript(ask_nora, nora_fear, conjecture, ("Felix", "Maybe. I don't know."))
    surface = transcript(t("What do you feel when he goes quiet, Nora?"), ("Nora", "Annoyed. The dishes pile up."))
    content_only = transcript(t("Who does the shopping?"), ("Nora", "I do. I feel so alone in this."))
    assert scores(both)["drew_out_underlying_needs"] == 3
    assert scores(hesitant)["drew_out_underlying_needs"] == 2
    assert scores(surface)["drew_out_underlying_needs"] == 1
    assert scores(content_only)["drew_out_underlying_needs"] == 0


def test_every_nonzero_score_cites_verbatim_quotes_and_coaching_uses_names() -> None:
    script = transcript(*filler(2), INVITE, ANSWER, t("Okay. Who pays the bills?"), ("Nora", "I do."),
                        VALIDATE_FELIX, ("Felix", "Yes."), persona="no-such-persona")
    result = make_offline_evaluator(RUBRIC)(script)
    for criterion in result.criteria:
        if criterion.score:
            assert criterion.evidence
            for item in criterion.evidence:
                assert item.quote in script.turns[item.turn].text
        assert criterion.title == RUBRIC.criterion(criterion.id).title
    coaching = result.criterion("raised_sexual_cycle_early").coaching
    assert coaching.missed_turn is not None and ("Felix" in coaching.try_instead or "Nora" in coaching.try_instead)
    assert result.total == sum(c.score for c in result.criteria) and result.max_total == 9


def test_registry_seam() -> None:
    script = transcript(t("Hello, both."), ("Nora", "Hi."))
    assert evaluate(script).evaluator == "offline"
    with pytest.raises(TrainerError):
        make_evaluator(RUBRIC, "no-such-evaluator")
    with pytest.raises(TrainerError, match="LLM"):
        make_evaluator(RUBRIC, "llm")
