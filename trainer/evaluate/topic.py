"""Is a therapist turn about the couple's physical bond? For claims the report makes about it.

"Stayed with the sexual topic" is said only of a turn that names the topic, or
that asks about what a partner has just said about it (picking up their words
or pointing back to them). A turn that merely follows an invitation, such as
"Marc, switching off makes sense, it protects you", is not about it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from trainer.analysis.rules import sex_of
from trainer.analysis.text import is_question
from trainer.evaluate.words import picks_up
from trainer.transcript import Transcript

_POINTS_BACK = re.compile(r"\b(?:that|this|it|those|these)\b", re.IGNORECASE)
_SAY_MORE = re.compile(
    r"\b(?:tell me|say more|more about|go on|what (?:is|was|'s) (?:that|it) like|"
    r"what happens|what goes on|what do you make of)\b", re.IGNORECASE)


def names_physical(text: str, clients: Sequence[str]) -> bool:
    """The text names the sexual or physical side of the couple's bond (the analysis lexicon)."""
    names = tuple(clients)
    return sex_of(text, names, len(names) >= 2).mentions


def _client_mentions(transcript: Transcript, start: int, end: int) -> list[str]:
    """Texts of client turns in (start, end) that name the physical side."""
    clients = transcript.client_names
    return [
        turn.text for turn in transcript.turns[start + 1 : end]
        if not turn.is_therapist and names_physical(turn.text, clients)
    ]


def stays_on_topic(transcript: Transcript, index: int, since: int) -> bool:
    """Therapist turn `index` stays with the physical side opened at turn `since`.

    It names the topic; or it asks about the partners' answer to the invitation
    (picking up their words, or pointing back to them). A statement that does
    neither is not about the topic, whatever came before it.
    """
    text = transcript.turns[index].text
    if names_physical(text, transcript.client_names):
        return True
    if not is_question(text) and not _SAY_MORE.search(text):
        return False
    answers = [t.text for t in transcript.turns[since + 1 : index] if not t.is_therapist]
    if not answers:
        return False
    return any(picks_up(text, other) for other in answers) or _POINTS_BACK.search(text) is not None


def about_physical(transcript: Transcript, index: int) -> bool:
    """A cited turn speaks of the physical side: it names it, or answers a partner who just did."""
    clients = transcript.client_names
    if names_physical(transcript.turns[index].text, clients):
        return True
    previous = next(
        (i for i in range(index - 1, -1, -1) if transcript.turns[i].is_therapist), -1
    )
    return bool(_client_mentions(transcript, previous, index))
