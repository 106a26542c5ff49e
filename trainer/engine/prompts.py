"""Turns that ask something other than a fact, recognised by meaning: a broad "what brings you
in?", a request to speak to the partner, "what's underneath that?", "and you?", talk outside
the session. Each family is a short list of example prompts in `trainer/personas/rules.yaml`;
a turn's closeness to a family is the best cosine between its sentences and the prompts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from trainer.analysis.text import normalize, sentences
from trainer.encoder import get_encoder
from trainer.engine.facts import matching_text, question_sentences

OPEN_PROMPT_THRESHOLD = 0.6
ENACTMENT_THRESHOLD = 0.65
META_THRESHOLD = 0.4  # meta prompts are far from any fact question or clinical line (those score ~0.2-0.3)
DEEPEN_THRESHOLD = 0.6


def open_prompt_score(text: str, prompts: Sequence[str]) -> float:
    """How much the turn reads as a broad "what brings you in?" question (cosine, 0 when none)."""
    return _closest(question_sentences(text)[:2], prompts)


def enactment_score(text: str, prompts: Sequence[str], names: Sequence[str] = ()) -> float:
    """How much any sentence of the turn reads as asking one partner to speak to the other
    (the partner spoken to is dropped, the other becomes "her": names carry no meaning here)."""
    said = [s.text for s in sentences(normalize(text))][:4]
    for name in names:
        said = [re.sub(rf"\b{re.escape(name)}\b,?", "her", re.sub(rf"^\W*{re.escape(name)}\b[,:]?\s*", "", x, flags=re.IGNORECASE),
                       flags=re.IGNORECASE) for x in said]
    return _closest(said, prompts)


_TO_NAME = r"(?:to|tell|telling|ask|asking|at|towards|show|let)\s+{name}\b"


def enactment_listeners(text: str, names: Sequence[str]) -> list[str]:
    """Partners named as the one to be spoken to ("say that to Ruth", "tell Paul what...")."""
    return [n for n in names if re.search(_TO_NAME.format(name=re.escape(n)), text, re.IGNORECASE)]


# A request to one partner to speak to the other: "can you say to Belinda...", "turn to him and tell him".
_ASK_TO_SPEAK = r"(?:(?:can|could|would|will) you\s+(?:please\s+|maybe\s+|just\s+)?|(?:^|[,.;:]\s*|\bnow\s+|\bplease\s+|\btry\s+)(?:and\s+)?)" \
                r"(?:turn to|say (?:that |this |it |those words )?(?:again )?to|tell|speak to|talk to|look at|share (?:that|this|it) with)\s+"


def asks_partner_to_speak(text: str, names: Sequence[str]) -> bool:
    """The turn asks one partner to say something to the other (by name or as him/her/them)."""
    partners = "|".join([re.escape(n) for n in names] + ["him", "her", "them", "your (?:wife|husband|partner)"])
    return bool(re.search(_ASK_TO_SPEAK + rf"(?:{partners})\b", text, re.IGNORECASE))


def deepen_score(text: str, prompts: Sequence[str]) -> float:
    """How much the turn's question reads as "stay with that, what's underneath" (cosine)."""
    return _closest(question_sentences(text)[:2], prompts)


PASS_THRESHOLD = 0.6
PASS_MAX_WORDS = 12  # "and you, Belinda?" is short; a longer turn asks something of its own


def pass_score(text: str, prompts: Sequence[str], names: Sequence[str]) -> float:
    """How much a short turn hands the question just answered to the other partner ("and you?",
    "is that how you remember it?"), names aside (cosine; 0 for a longer turn)."""
    if len(text.split()) > PASS_MAX_WORDS:
        return 0.0
    said = [matching_text(s.text, names) for s in sentences(normalize(text))][:3]
    return _closest([s for s in said if s.strip(" ,.?!")], prompts)


def meta_score(text: str, prompts: Sequence[str]) -> float:
    """How much any sentence of the turn reads as talk outside the session (cosine)."""
    return _closest([s.text for s in sentences(normalize(text))][:4], prompts)


def _closest(asked: Sequence[str], prompts: Sequence[str]) -> float:
    if not asked or not prompts:
        return 0.0
    return float((get_encoder().encode(list(asked)) @ get_encoder().encode(list(prompts)).T).max())
