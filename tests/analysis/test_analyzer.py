"""Turn analysis on varied phrasing (our own sentences), addressees, and per-turn latency."""

from __future__ import annotations

import pytest

from trainer.analysis import Disclosure, Move, analyze_transcript, analyze_turn
from trainer.transcript import Transcript, Turn

CLIENTS = ["Lena", "Omar"]
OPENING = [
    Turn(speaker="therapist", text="What brings you in?"),
    Turn(speaker="Lena", text="We argue about his hours and he shuts down."),
    Turn(speaker="Omar", text="I just go quiet. It's easier."),
]


def therapist(text: str, history: list[Turn] | None = None):
    turns = [*(history if history is not None else OPENING), Turn(speaker="therapist", text=text)]
    return analyze_turn(turns, len(turns) - 1, CLIENTS)


def client(speaker: str, text: str, history: list[Turn] | None = None):
    turns = [*(history if history is not None else OPENING), Turn(speaker=speaker, text=text)]
    return analyze_turn(turns, len(turns) - 1, CLIENTS)


@pytest.mark.parametrize(
    "text",
    [
        "How are things in the bedroom for you two these days?",
        "Do you two still reach for each other at night?",
        "I'm curious how affection has been going, hugs, being held, that kind of thing?",
        "Plenty of couples find their love life suffers when they fight; how has it been for you?",
        "When did you last feel desired by Omar?",
        "Is there much cuddling or kissing these days?",
    ],
)
def test_physical_invitations_in_many_words(text: str) -> None:
    assert Move.INVITE_SEX in therapist(text).moves


@pytest.mark.parametrize(
    "text",
    [
        "How is the emotional intimacy between you?",
        "Do you feel close to each other these days?",
        "I'd like to understand the closeness you used to have.",
        "Let's keep in touch about scheduling.",
        "Are you two a same-sex couple who married recently?",
    ],
)
def test_emotional_closeness_is_not_the_physical_bond(text: str) -> None:
    labels = therapist(text)
    assert not {Move.INVITE_SEX, Move.FOLLOW_UP_SEX, Move.SIDELINE_SEX} & set(labels.moves)


@pytest.mark.parametrize(
    ("text", "partner"),
    [
        ("Omar, going quiet makes sense; it's how you keep a fight from starting.", "Omar"),
        ("Omar, when you go silent, I think you're trying to keep things calm so nobody gets hurt.", "Omar"),
        ("Lena, your criticism sounds like a way of saying: I miss you, come back to me.", "Lena"),
        ("It's understandable that you push, Lena; you're trying to get through to him.", "Lena"),
        ("Omar, shutting down has probably been the safest option you had.", "Omar"),
    ],
)
def test_validation_without_the_word_protect(text: str, partner: str) -> None:
    labels = therapist(text)
    assert Move.VALIDATE_PROTECTIVE in labels.moves
    assert labels.partners_for(Move.VALIDATE_PROTECTIVE) == [partner]


def test_longing_alone_is_not_validation() -> None:
    labels = therapist("Lena, of course you want to feel close to him.")
    assert Move.VALIDATE_PROTECTIVE not in labels.moves


@pytest.mark.parametrize(
    ("text", "move", "partner"),
    [
        ("Omar, you need to stop shutting down every time she talks.", Move.BLAME, "Omar"),
        ("Lena, nagging him like that is only driving him away.", Move.BLAME, "Lena"),
        ("Lena is right, you never listen to her.", Move.TAKE_SIDES, "Omar"),
    ],
)
def test_blame_and_sides_name_the_partner_whose_move_is_judged(text: str, move: Move, partner: str) -> None:
    labels = therapist(text)
    assert move in labels.moves
    assert partner in labels.partners_for(move)


def test_validation_undercut_in_the_same_turn() -> None:
    labels = therapist("Omar, I see why you go quiet, but you have to stop doing that.")
    assert {Move.VALIDATE_PROTECTIVE, Move.BLAME} <= set(labels.moves)
    assert any(cue.label == "validation_undercut" for cue in labels.cues)


@pytest.mark.parametrize(
    ("text", "move"),
    [
        ("Let's sort out the communication first; the physical stuff usually follows.", Move.SIDELINE_SEX),
        ("That sounds like something a sex therapist would be better placed to help with.", Move.SIDELINE_SEX),
        ("Lena, why do you keep turning him down in bed?", Move.SHAMING_SEX),
    ],
)
def test_sidelining_and_shaming(text: str, move: Move) -> None:
    assert move in therapist(text).moves


def test_client_raises_it_and_therapist_only_echoes() -> None:
    history = [*OPENING, Turn(speaker="Lena", text="And we never touch each other any more.")]
    labels = therapist("You never touch any more. Anyway, about his hours at work?", history)
    assert Move.SIDELINE_SEX in labels.moves and Move.INVITE_SEX not in labels.moves


def test_follow_up_stays_with_the_answer() -> None:
    history = [
        *OPENING,
        Turn(speaker="therapist", text="How is the physical side of your marriage these days?"),
        Turn(speaker="Omar", text="Pretty much gone since the baby."),
    ]
    assert Move.FOLLOW_UP_SEX in therapist("Gone. What has that been like for you, Omar?", history).moves
    assert Move.FOLLOW_UP_SEX not in therapist("Okay. Let's go back to the money: who pays the bills?", history).moves


def test_after_a_client_raises_it_a_reflection_stays_with_it_and_a_question_opens_it() -> None:
    history = [*OPENING, Turn(speaker="Lena", text="Honestly, we haven't made love in months and I miss him.")]
    for reflection in ("So that part of your life together has gone quiet, and you miss him.",
                       "Months without it, and you miss him."):
        assert Move.FOLLOW_UP_SEX in therapist(reflection, history).moves, reflection
    for asked in ("Can you tell me more about that, Lena?", "Can you tell me more about what's happened to your sex life?"):
        assert Move.INVITE_SEX in therapist(asked, history).moves, asked


def test_a_bare_request_to_say_more_after_a_client_raises_it_opens_it() -> None:
    history = [*OPENING, Turn(speaker="Lena", text="He hasn't kissed me properly since the summer.")]
    for asked in ("Can you tell me more?", "Go on, say a bit more.", "I'd love to hear more.", "Lena, go on.",
                  "keep going lena"):
        assert Move.INVITE_SEX in therapist(asked, history).moves, asked
    assert Move.INVITE_SEX not in therapist("Let's talk about the budget.", history).moves


def test_tell_me_more_about_something_else_the_client_said_is_not_about_sex() -> None:
    history = [*OPENING, Turn(speaker="Lena", text="We don't sleep together any more. And his brother moved in with us.")]
    for asked in ("Omar, you said your brother lives with you now. Can you tell me how that came about?",
                  "Earlier you talked about the new job, Lena. What's that been like?"):
        assert not {Move.INVITE_SEX, Move.FOLLOW_UP_SEX} & set(therapist(asked, history).moves), asked
    recalled = "You said you don't sleep together any more. Can you tell me more about that?"
    assert Move.INVITE_SEX in therapist(recalled, history).moves


@pytest.mark.parametrize(
    "text",
    [
        "I just want to feel like I matter to him.",
        "Sometimes I think he'd be happier without me.",
        "I'm scared that whatever I do, it will never be enough for her.",
        "I feel so alone in this marriage.",
    ],
)
def test_needs_and_fears_in_first_person(text: str) -> None:
    assert Disclosure.NEED_OR_FEAR in client("Lena", text).disclosures


@pytest.mark.parametrize(
    "text",
    [
        "I need him to pick up the kids on Tuesdays.",
        "I'm not afraid of anything, I just don't like the shouting.",
        "I was only trying to keep things calm.",
    ],
)
def test_logistics_denials_and_intents_are_not_needs(text: str) -> None:
    assert Disclosure.NEED_OR_FEAR not in client("Omar", text).disclosures


def test_conjecture_confirmed_versus_hesitant() -> None:
    conjecture = Turn(speaker="therapist", text="Omar, I wonder if part of you is scared she doesn't need you. Is that close?")
    clear = client("Omar", "Yes. That's it exactly.", [*OPENING, conjecture])
    hesitant = client("Omar", "Maybe. I don't know.", [*OPENING, conjecture])
    assert Disclosure.CONFIRMS_CONJECTURE in clear.disclosures
    assert any(cue.label == "confirms_need_conjecture" for cue in clear.cues)
    assert Disclosure.HESITANT in hesitant.disclosures  # a "maybe" is hesitation, not a clear no
    assert any(cue.label == "hesitant" for cue in hesitant.cues)
    assert Disclosure.CONFIRMS_CONJECTURE not in hesitant.disclosures


def test_addressee_from_vocative_both_and_previous_speaker() -> None:
    assert therapist("Lena, what was that like?").addressed == ["Lena"]
    assert therapist("What would each of you like from today?").addressed == CLIENTS
    assert therapist("Say more about that.").addressed == ["Omar"]
    assert therapist("What happens for you when Lena raises it?").addressed == ["Omar"]


def test_addressee_names_that_set_the_scene_object_or_hand_over_the_floor() -> None:
    # a leading name, then a setting phrase, then the question
    assert therapist("Lena on a normal weekday, how do the kids get to school?").addressed == ["Lena"]
    assert therapist("omar during the week, who cooks?").addressed == ["Omar"]
    # a closing name that is the object of a preposition is talked about, not spoken to
    assert therapist("Lena, who else lives at home, apart from Omar?").addressed == ["Lena"]
    assert therapist("Omar, what did you want to say to Lena?").addressed == ["Omar"]
    # handing the floor to a partner by name
    assert therapist("I'd like to hear from Omar first. When did you start to feel shut out?").addressed == ["Omar"]
    assert therapist("Let's start with Lena on this one. What was that evening like?").addressed == ["Lena"]


def test_a_name_closing_a_clause_put_to_you_is_spoken_to() -> None:
    assert therapist("and the car u sold last spring lena, wat did u get for it").addressed == ["Lena"]
    assert therapist("The job you started in March omar, how is it going?").addressed == ["Omar"]
    # ... but not when the name is the object of that clause
    assert therapist("When you told Lena, how did she take it?").addressed == ["Omar"]


def test_telling_a_partner_to_stop_their_move_is_advice_as_well_as_blame() -> None:
    for text in ("Lena, you've got to stop hounding him about the garage, it's wearing him down.",
                 "omar u cant keep ducking out every time she raises it",
                 "Lena, stop nagging him, honestly."):
        moves = therapist(text).moves
        assert Move.BLAME in moves and Move.ADVICE in moves, text
    # "stop" that is not an instruction to the partner is not advice
    assert Move.ADVICE not in therapist("When did the two of you stop going out on Fridays?").moves


def test_a_turn_that_only_names_a_partner_hands_over_the_floor_and_does_nothing_else() -> None:
    for text in ("Omar?", "so... Omar?", "Omar. Hmm."):
        labels = therapist(text)
        assert labels.moves == [] and labels.addressed == ["Omar"], text


def test_a_question_off_the_session_frame_is_not_a_content_question() -> None:
    labels = therapist("Totally unrelated, but did either of you catch the cricket on Sunday?")
    assert Move.OFF_FRAME in labels.moves and Move.CONTENT_QUESTION not in labels.moves
    assert Move.CONTENT_QUESTION in therapist("How long have you two been married?").moves


def test_a_leading_name_without_a_comma_is_spoken_to_unless_it_is_the_subject() -> None:
    # whatever follows the name, it is spoken to: a remark, a gerund, a noun phrase, their own words
    assert therapist("lena that must have been a long night").addressed == ["Lena"]
    assert therapist("Lena storming out of the kitchen, I get why, it was getting loud").addressed == ["Lena"]
    assert therapist("lena underneath all that, what's there?").addressed == ["Lena"]
    assert therapist("lena 'whatever' seems to be your way of ending it").addressed == ["Lena"]
    assert therapist("Lena Omar, let's take a breath").addressed == CLIENTS
    # ... but a name followed by its own verb is talked about
    assert therapist("Lena slams the door, and then you sit in the car for an hour?").addressed == ["Omar"]
    assert therapist("Lena has said sorry twice now, Omar.").addressed == ["Omar"]
    assert therapist("Lena always reaches first, and you step back. Is that it?").addressed == ["Omar"]
    assert therapist("Lena's tears and your silence seem to feed each other.").addressed == ["Omar"]
    # ... nor does an interjection or a discourse marker
    assert therapist("honestly Lena the real trouble is the shouting").addressed == ["Lena"]
    assert therapist("hmm lena, I'm not sure that's the whole story").addressed == ["Lena"]
    assert therapist("my bad lena, that came out harsher than I meant").addressed == ["Lena"]
    # a subject's own verb may be an irregular past, follow an adverb, or be negated
    assert therapist("Omar grew up with a lot of shouting, so does that change how you hear him?").addressed == ["Lena"]
    assert therapist("Omar isn't your father, can you let yourself see that?").addressed == ["Lena"]
    assert therapist("Omar clearly remembers it differently, you know.").addressed == ["Lena"]
    # a closing name after a verb that takes it as object is talked about
    assert therapist("and underneath it all you're scared of losing Omar.").addressed == ["Lena"]
    assert therapist("good morning lena, how was the drive in?").addressed == ["Lena"]
    # a title or kin term before the name does not hide it
    assert therapist("Auntie Lena, what was that like for you?").addressed == ["Lena"]
    assert therapist("ok Mrs Lena how did you two meet").addressed == ["Lena"]


def test_a_lowercase_name_that_is_also_a_word_is_a_name_only_where_it_is_spoken_to() -> None:
    turns = [Turn(speaker="therapist", text="What brings you in?"), Turn(speaker="Hope", text="We barely talk."),
             Turn(speaker="Ben", text="That's not fair.")]
    def addressed(text: str) -> list[str]:
        history = [*turns, Turn(speaker="therapist", text=text)]
        return analyze_turn(history, len(history) - 1, ["Hope", "Ben"]).addressed
    assert addressed("hope what comes up for you hearing that") == ["Hope"]
    assert addressed("hope, can you say more?") == ["Hope"]
    assert addressed("I hope that was okay to say") == ["Ben"]
    assert addressed("hope is a good place to start, isn't it?") == ["Ben"]


def test_a_name_given_the_first_turn_is_spoken_to() -> None:
    assert therapist("tell me about the homes you each grew up in, lena first if thats ok").addressed == ["Lena"]
    assert therapist("Omar first, then Lena: how did the two of you meet?").addressed == ["Omar"]
    assert therapist("I'd like to hear from both of you, starting with Omar.").addressed == ["Omar"]
    # ... but not a name that is the subject of "first ..."
    assert therapist("Lena first said she was unhappy when, Omar?").addressed == ["Omar"]


def test_cues_are_verbatim_slices_of_the_turn() -> None:
    text = "Omar \u2014 going quiet\u2019s understandable; it\u2019s how you keep things from blowing up."
    labels = therapist(text)
    assert labels.cues and all(cue.quote in text for cue in labels.cues)


def test_transcript_and_turn_agree() -> None:
    turns = [*OPENING, Turn(speaker="therapist", text="How are affection and sex going for you two?"),
             Turn(speaker="Omar", text="Rare."), Turn(speaker="therapist", text="Rare. What's that like for you?")]
    whole = analyze_transcript(Transcript(clients=CLIENTS, turns=turns))
    one_by_one = [analyze_turn(turns, i, CLIENTS) for i in range(len(turns))]
    assert [w.model_dump() for w in whole] == [o.model_dump() for o in one_by_one]
