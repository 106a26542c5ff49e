"""Regression probes for the protective-move concepts: validation and blame.

Single therapist sentences written for this suite (not taken from any labelled
transcript), in many phrasings, with traps. The history before each probe names
no protective move, so every probe must carry its own meaning: a validation has
to name the move AND frame it as understandable or purposeful; validating only
the longing or feeling ("of course you want to feel close") or generic empathy
is not validation; blame includes evaluative adjectives about a move, "try X
instead of Y" corrections and siding, but not reflections of what a client
feels, conjectures, or enactments ("tell her what happens inside").
"""

from __future__ import annotations

import pytest

from trainer.analysis import Move, analyze_turn
from trainer.transcript import Turn

CLIENTS = ["Lena", "Omar"]
NEUTRAL = [
    Turn(speaker="therapist", text="Thanks for coming in. Where would you like to begin?"),
    Turn(speaker="Lena", text="We keep having the same argument about the house."),
    Turn(speaker="Omar", text="It goes round and round and nothing gets decided."),
]


def _labels(text: str):
    turns = [*NEUTRAL, Turn(speaker="therapist", text=text)]
    return analyze_turn(turns, len(turns) - 1, CLIENTS)


def _partner(text: str) -> str:
    return text.split(",", 1)[0].strip()


VALIDATES = [
    "Omar, when you go silent, it sounds like you're trying to keep things from boiling over.",
    "Lena, no wonder you keep bringing it up - when nothing changes, raising it again is the only lever you have.",
    "Omar, of course you head out to the garden when the voices rise; it gives you room to breathe.",
    "Lena, your criticism seems to be your way of saying that you still care about the two of you.",
    "Omar, staying upbeat no matter what makes sense if you grew up where any sadness started a storm.",
    "Lena, I can understand why you'd push so hard when it feels like he's slipping away.",
    "Omar, retreating to your phone gives you a little shelter from a conversation that feels like a trial.",
    "Lena, it's completely understandable that you get louder when you don't feel heard.",
    "Omar, shutting down might be the safest option you've found once the arguments heat up.",
    "Lena, all that pressing for answers sounds like an attempt to get him to turn toward you.",
    "Omar, keeping quiet protects the two of you from another fight you both dread.",
    "Lena, when you chase him for a conversation, I think you're fighting for the relationship, not against him.",
    "Omar, going along with whatever she suggests seems like how you make sure nothing blows up.",
    "Lena, the nagging, as you call it, is really a protest against feeling alone in this.",
    "Omar, making jokes when things get tense is a pretty human way of taking the sting out of it.",
    "Lena, that sharpness shows how much you care about this family.",
    "Omar, I get why you'd rather walk away than say something you'd regret.",
    "Lena, your anger is a signal that something important to you keeps getting missed.",
    "Omar, it makes sense that you'd freeze when the volume goes up.",
    "Lena, following him from room to room looks like you trying not to lose him.",
    "Omar, the long silences seem to be how you keep from saying something hurtful.",
    "Lena, pushing for sex might be how you check that he still wants you.",
    "Omar, turning down her advances sounds like a way of protecting yourself from the worry that you'll disappoint her.",
    "Lena, criticizing is often what people do when they're scared of losing someone, so it makes sense you'd do it.",
    "Omar, hiding in the shed keeps you out of an argument you feel you can never win.",
    "Lena, you keep checking his phone because not knowing feels unbearable, and that's understandable.",
    "Omar, I see your stepping back as an effort to cool things down.",
    "Lena, demanding to talk right now is your way of not letting the distance grow.",
    "Omar, telling her it's no big deal seems to be your attempt to keep the evening calm.",
    "Lena, I imagine the yelling is how you try to break through when you feel invisible.",
    "Omar, dodging the subject of sex makes sense when every attempt has ended in hurt.",
    "Lena, snapping at him is a way to get through when softer words haven't reached him.",
    "Omar, who could blame you for going quiet when speaking up has always cost you?",
    "Lena, it's natural to raise your voice when you've been asking for the same thing for years.",
    "Omar, withdrawing the way you do is probably the best you could manage with what you learned growing up.",
    "Lena, the complaining is you fighting to be noticed.",
    "Omar, you clam up because anything you say seems to make it worse, and that's a sensible thing to do.",
    "Lena, you chase because you love him and the distance frightens you.",
    "Omar, avoiding the bedroom after a fight seems like a way to avoid being turned away again.",
    "Lena, no wonder you get angry - you've been carrying this on your own.",
    "Omar, your staying late at the office makes sense to me; the house has felt like a minefield.",
    "Lena, that relentless questioning is how you've learned to stay connected to him.",
    "Omar, brushing her off with a joke spares you from feeling like you've failed her again.",
    "Lena, the lists on the fridge are your bid to get him to share the load with you.",
    "Omar, burying yourself in work has been a way to cope with a home that feels tense.",
    "Omar, pulling the covers over your head at the first sign of an argument looks like self-protection to me.",
    "Lena, of course you keep asking where he's been; not knowing has always been the scariest part for you.",
    "Omar, staying at your mum's for the weekend bought you some breathing space when things felt unbearable.",
    "Lena, raising it over and over is your way of refusing to give up on the two of you.",
    "Omar, going numb makes a lot of sense when feeling everything would flatten you.",
    "Lena, the criticism comes out of how lonely you've been.",
    "Omar, the gaming late at night sounds like a place to hide from feeling like a failure.",
    "Lena, I hear the pursuing as you trying to find him again.",
    "Omar, saying 'whatever' is a way to stop the conversation before it hurts.",
    "Lena, it's understandable that you'd snap after a week of doing it all alone.",
    "Omar, your going quiet is protective - it keeps the worst words unsaid.",
    "Lena, demanding answers at midnight is how you try to get some certainty back.",
]


@pytest.mark.parametrize("text", VALIDATES)
def test_validation_of_a_named_move(text: str) -> None:
    labels = _labels(text)
    assert Move.VALIDATE_PROTECTIVE in labels.moves, text
    assert _partner(text) in labels.partners_for(Move.VALIDATE_PROTECTIVE), text
    assert Move.BLAME not in labels.moves and Move.TAKE_SIDES not in labels.moves, text


NOT_VALIDATION = [
    # generic empathy
    "Omar, that sounds really painful.",
    "Lena, I can hear how exhausted you are.",
    "That must have been a lonely evening for you, Omar.",
    "Lena, I'm so sorry you've both been through such a hard year.",
    "Omar, it's been a heavy time for you.",
    # the longing or feeling only, no move
    "Lena, it makes sense that you feel sad about this.",
    "Of course you want to feel close to him, Lena.",
    "Omar, it's understandable that you'd want some peace.",
    "Lena, naturally you long for him to notice you.",
    "It makes sense you'd want to feel desired, Omar.",
    "Lena, of course you miss the way things were.",
    "Omar, no wonder you feel tired.",
    "Lena, it's natural to want reassurance.",
    "Omar, of course you'd like her to be happier.",
    "Lena, I understand you're upset.",
    "It sounds like you both care a great deal about the kids.",
    # a move described or asked about, with no understanding frame
    "Omar, so when she raises her voice, you leave the room.",
    "Lena, you text him several times when he's out.",
    "Omar, how long have you been working late?",
    "Lena, what happens right before you start yelling?",
    "Omar, tell me more about going quiet.",
    "Omar, what would you like her to understand about your quiet?",
    "Lena, when did the criticism start?",
    "Omar, your mother sounds like she was always the one keeping the peace.",
    # frames with no move, or a negated frame
    "It makes sense to schedule a weekly check-in, Lena.",
    "Lena, a way of thinking about this is that you both want the same thing.",
    "Omar, there's no good reason to walk out on her.",
    "Lena, I'd like to understand more about what the weekends are like.",
    "Omar, it's natural for couples to disagree about money.",
    # blame and lectures
    "Lena, you need to stop criticizing him.",
    "Omar, shutting down is not going to solve anything.",
    "Lena, your nagging is driving him away.",
    "Omar, walking out is childish.",
    # the cycle named, without a protective purpose
    "So the pattern is that Lena pushes and Omar pulls back.",
    "The more one of you reaches, the more the other retreats.",
    # invitations and questions
    "Omar, could you turn to her and tell her what it's like when you go quiet?",
    "Lena, what do you hope he'll understand when you raise it again?",
    "How are things between you physically these days?",
    "Lena, what's it like for you when he heads out to the garage?",
    "Omar, that's so hard.",
    "Lena, of course you want him to reach for you.",
    "Omar, it makes sense you'd want things calmer.",
    "Lena, I can see you care about him.",
    "Omar, you mentioned going quiet earlier.",
    "Lena, what's the nagging about for you?",
    "Lena, I wish he would hold you more, and I understand that wish.",
    "Omar, what goes through your mind just before you leave the room?",
]


@pytest.mark.parametrize("text", NOT_VALIDATION)
def test_not_a_validation(text: str) -> None:
    assert Move.VALIDATE_PROTECTIVE not in _labels(text).moves, text


BLAMES = [
    "Omar, disappearing into the garage every night is pretty selfish.",
    "Lena, nagging him like that is a little immature.",
    "Omar, you might try talking to her instead of hiding behind your phone.",
    "Lena, rather than criticizing, you could ask him for what you need.",
    "Honestly, Omar, I think she has a point that you check out whenever she's upset.",
    "Lena, I have to agree with Omar here - you do push too hard.",
    "Omar, she's not wrong that you go missing when things get tense.",
    "Lena, giving him the third degree every night isn't fair on him.",
    "Omar, the silent treatment is a cruel thing to do to her.",
    "Lena, you really need to stop following him around the house.",
    "Omar, you've got to stop running away every time she raises something.",
    "Lena, yelling at him won't get you what you want.",
    "Omar, walking out mid-sentence is just plain rude.",
    "Lena, the constant criticism is part of the problem here.",
    "Omar, you're being a coward by avoiding the conversation.",
    "Omar, that's a cop-out - you can't keep hiding at work.",
    "Lena, you're smothering him.",
    "Omar, you're punishing her with silence.",
    "Lena, you're nagging again.",
    "Omar, stonewalling her like this is emotionally abusive.",
    "Lena, honestly, the lecturing has to stop.",
    "Omar, I'm with Lena on this one: you go cold the moment she needs you.",
    "Omar, staying out till midnight was thoughtless.",
    "Lena, criticizing him in front of the kids is unacceptable.",
    "Omar, try listening to her for once instead of tuning out.",
    "Lena, maybe try asking nicely rather than demanding.",
    "Omar, she's right, you do shut her out.",
    "Lena, I think Omar is right that you never let things go.",
    "Omar, going to bed early to avoid her is kind of passive-aggressive.",
    "Lena, the way you keep tabs on him is controlling.",
    "Omar, your silence is hurting her.",
    "Lena, your pushing is only driving him further away.",
    "Omar, ignoring her messages all day is not okay.",
    "Lena, you're overreacting to a few late nights.",
    "Omar, sulking in the car is no way to handle a disagreement.",
    "Lena, constantly bringing up his past mistakes is really unfair to him.",
    "Omar, you owe it to her to stop shutting down.",
    "Lena, frankly, your temper is wrecking this marriage.",
    "Omar, you need to man up and talk to her.",
    "Omar, hiding in your work is the easy way out.",
    "Lena, you could stop texting him twenty times a day.",
    "Omar, leaving her to handle everything while you zone out is lazy.",
    "Lena, checking up on him all the time is going to drive him away.",
    "Lena, bombarding him with texts is over the top.",
    "Omar, going silent for days is a pretty unkind way to treat her.",
    "Lena, maybe ease off the pressure instead of chasing him.",
    "Omar, honestly, Lena has a fair point - you do tune out.",
    "Lena, you can't just keep hounding him.",
    "Omar, sleeping on the sofa to make a point is petty.",
    "Lena, you're picking fights over nothing.",
    "Omar, skipping dinner to avoid her isn't okay.",
    "Lena, give him some room instead of interrogating him.",
]


@pytest.mark.parametrize("text", BLAMES)
def test_blame_or_siding_about_a_move(text: str) -> None:
    labels = _labels(text)
    assert {Move.BLAME, Move.TAKE_SIDES} & set(labels.moves), text
    assert Move.VALIDATE_PROTECTIVE not in labels.moves, text


NOT_BLAME = [
    "Omar, it sounds like walking out is how you stop things from getting worse.",
    "Lena, you feel he's being selfish when he goes to the garage.",
    "Omar, I wonder if you're avoiding her because you're afraid of letting her down.",
    "Lena, it isn't childish to want him to answer you.",
    "Omar, nobody here thinks you're selfish for needing a break.",
    "When she says you're avoiding her, Omar, what happens inside you?",
    "Lena, you both have a point, and I want to hear more from each of you.",
    "Lena, try telling him what you feel underneath the anger.",
    "Omar, could you turn to her and tell her what it's like when you go quiet?",
    "It's not your fault, Lena, and it isn't Omar's either.",
    "Omar, I'm not saying you're doing anything wrong by taking space.",
    "Lena, the cycle is the enemy here, not either of you.",
    "Omar, you're not the problem, and neither is Lena.",
    "Lena, you might try noticing what happens in your body when he goes quiet.",
    "Lena, when you criticize, I think you're really saying that you miss him.",
    "Omar, your withdrawing isn't wrong; it's how you've learned to stay safe.",
    "I'm not taking sides here - each of you makes sense to me.",
    "Lena, I hear you think Omar is being lazy, and I want to understand that.",
    "Omar, she worries that you're hiding from her.",
    "Lena, it's fair enough to want more help with the kids.",
    "Omar, if you stop pulling away, what are you afraid might happen?",
    "Lena, the louder you get, the quieter he gets, and round it goes.",
    "Omar, you're allowed to need space.",
    "Lena, I don't think you're being unreasonable at all.",
    "Omar, that's a very human reaction.",
    "Lena, when he walks out, it must feel like being abandoned.",
    "Omar, part of you wants to stay and part of you wants to run.",
    "Lena, you're right to want this taken seriously.",
    "Omar, help me understand what walking out does for you.",
    "Lena, instead of me guessing, can you tell me what you hope for?",
    "Rather than solving anything today, I'd like us to slow down and notice the pattern.",
    "Omar, it would be understandable if you're bracing yourself for criticism.",
    "Lena, he's not the villain here and neither are you.",
    "Omar, she has every reason to be upset, and so do you.",
    "Lena, your frustration has been building for years, hasn't it?",
    "I'd like each of you to try putting the blame down for a few minutes.",
    "Omar, you might try a weekly walk together, if you both like the idea.",
    "Lena, maybe try sitting with that for a moment before you answer.",
    "Omar, you're working so hard to keep the peace.",
    "Lena, I suspect you're protesting the distance, not attacking him.",
    "Omar, do you ever worry that you're shutting her out?",
    "Lena, it isn't selfish to ask for help.",
    "Omar, when she calls it childish, what happens inside?",
    "Lena, you're not being unfair by wanting answers.",
    "Omar, could you tell her what the garage gives you?",
    "Lena, try saying that to him directly.",
    "Omar, she may feel you're avoiding her, and you may feel she's attacking you.",
    "Rather than blaming each other, let's look at the dance you both get caught in.",
]


@pytest.mark.parametrize("text", NOT_BLAME)
def test_not_blame(text: str) -> None:
    labels = _labels(text)
    assert not {Move.BLAME, Move.TAKE_SIDES} & set(labels.moves), text
