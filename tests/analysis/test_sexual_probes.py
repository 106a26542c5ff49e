"""Regression probes for the sexual/physical-bond concept, with its traps.

Single therapist sentences written for this suite. Positive: the therapist
opens the physical side in many words (sex, desire, touch, affection, being
held or wanted, the bedroom, reaching for each other). Negative: closeness or
"emotional intimacy" with nothing physical, look-alike phrases, and sexual
words used only as health information with no reference to the couple.
"""

from __future__ import annotations

import pytest

from trainer.analysis import Move, analyze_turn
from trainer.transcript import Turn

CLIENTS = ["Ruth", "Dev"]
NEUTRAL = [
    Turn(speaker="therapist", text="Good to meet you both. What's been happening?"),
    Turn(speaker="Ruth", text="We've been bickering about the renovation for months."),
    Turn(speaker="Dev", text="And work has been mad for both of us."),
]
_SEX = {Move.INVITE_SEX, Move.FOLLOW_UP_SEX, Move.SIDELINE_SEX, Move.SHAMING_SEX}


def _moves(text: str) -> set[Move]:
    turns = [*NEUTRAL, Turn(speaker="therapist", text=text)]
    return set(analyze_turn(turns, len(turns) - 1, CLIENTS).moves)


INVITES = [
    "How is your sex life these days, with all this going on?",
    "Lots of couples find that stress shows up in the bedroom too; how has that been for you two?",
    "Do you still reach for each other at night?",
    "I'd like to hear how affection is going between you - hugs, kisses, a hand on the back.",
    "Ruth, when did you last feel wanted by Dev?",
    "Dev, what's physical closeness like between the two of you now?",
    "Can we talk about the physical side of your relationship for a moment?",
    "How often do you two make love these days, if you're comfortable saying?",
    "I ask every couple about desire, because it matters: how is that for you?",
    "What happens when one of you initiates?",
    "Is there still cuddling on the sofa, or has that faded?",
    "How has touch changed between you since the renovation started?",
    "Ruth, do you feel desired by him these days?",
    "Tell me about intimacy in the physical sense - how are things in bed?",
    "What's it like for each of you when you go to bed together?",
    "Many couples notice the spark dims when they're exhausted; how is the sexual side for you?",
    "Dev, do you still find yourself drawn to her?",
    "Are you two still sleeping together, in both senses?",
    "How are kissing and holding each other going these days?",
    "Has the renovation got in the way of being physically intimate?",
]


@pytest.mark.parametrize("text", INVITES)
def test_physical_invitation(text: str) -> None:
    assert Move.INVITE_SEX in _moves(text), text


NOT_PHYSICAL = [
    "How is the emotional intimacy between you?",
    "Do you feel close to each other these days?",
    "What does emotional closeness look like for you two?",
    "How connected do you feel on a day-to-day level?",
    "I'd like to understand the friendship underneath all this.",
    "Let's stay in touch by email about the next appointment.",
    "Dev, can you touch on what happened at work last week?",
    "Ruth, you seemed touched by what he said.",
    "Do you two still talk the way you used to?",
    "How emotionally intimate would you say you are right now?",
    "Were you able to reach out to your sister for help?",
    "What do you each want to hold on to from the early years?",
    "Is there a sense of partnership when you make decisions?",
    "Do you feel like a team when it comes to the kids?",
    "Ruth, you sounded passionate about the kitchen design.",
    "Would it help to keep a shared calendar?",
    "Is the pharmacy leaflet clear about the side effects of the new tablets?",
    "Have you both been given information about safe sex and protection at the clinic?",
    "The GP can check the dosage if the prescription is making you drowsy.",
    "Did the nurse talk to you about contraception after the birth?",
    "Is the STI screening something the clinic offers routinely?",
]


@pytest.mark.parametrize("text", NOT_PHYSICAL)
def test_not_an_invitation_to_the_physical_bond(text: str) -> None:
    assert not _SEX & _moves(text), text


SHAMING = [
    "Ruth, why are you still keeping him out of the bedroom?",
    "Dev, why do you keep her at arm's length in bed?",
    "Why are you refusing him affection, Ruth?",
]


@pytest.mark.parametrize("text", SHAMING)
def test_a_blaming_question_about_the_physical_bond_is_not_an_invitation(text: str) -> None:
    moves = _moves(text)
    assert Move.SHAMING_SEX in moves and Move.INVITE_SEX not in moves, text


@pytest.mark.parametrize("reply", ["Sometimes. On the sofa.", "Not much lately."])
def test_a_fronted_new_topic_is_not_a_follow_up(reply: str) -> None:
    """ "So, the renovation - where is each of you on that?": "that" points at the new topic, not the cuddling."""
    turns = [*NEUTRAL, Turn(speaker="therapist", text="Do you two still cuddle?"), Turn(speaker="Ruth", text=reply),
             Turn(speaker="therapist", text="Okay. So, the renovation - where is each of you on that?")]
    assert Move.FOLLOW_UP_SEX not in analyze_turn(turns, len(turns) - 1, CLIENTS).moves


def test_staying_with_the_answer_is_a_follow_up() -> None:
    turns = [*NEUTRAL, Turn(speaker="therapist", text="Do you two still cuddle?"), Turn(speaker="Ruth", text="Sometimes. On the sofa."),
             Turn(speaker="therapist", text="What's it like for you when that happens?")]
    assert Move.FOLLOW_UP_SEX in analyze_turn(turns, len(turns) - 1, CLIENTS).moves
