"""The concept lexicon loads, compiles, and its gates never hide a real match."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trainer.analysis.gate import MAX_PREFIX, words_of
from trainer.analysis.lexicon import get_lexicon
from trainer.analysis.text import normalize, sentences

ROOT = Path(__file__).resolve().parents[2]

# Our own sentences, one per concept family, plus whatever transcripts the repo holds.
SAMPLES = [
    "We haven't been intimate in months, and he doesn't come near me in bed.",
    "Honestly it's been a dry spell; she's not drawn to me and I don't feel wanted.",
    "When you go quiet and leave the room, that's your way of keeping things from blowing up.",
    "You're going to have to open up, and you need to stop shutting her out.",
    "I wonder if underneath, part of you is scared she'll leave and you'll end up alone.",
    "I just want him to hear me. I need to know I'm enough for her.",
    "Maybe. I don't know. Yes, that's exactly it.",
]


def _probe_sentences() -> list[str]:
    from tests.analysis import test_protective_probes as protective
    from tests.analysis import test_sexual_probes as sexual

    return [*protective.VALIDATES, *protective.NOT_VALIDATION, *protective.BLAMES, *protective.NOT_BLAME,
            *sexual.INVITES, *sexual.NOT_PHYSICAL, *sexual.SHAMING]


def _texts() -> list[str]:
    texts = list(SAMPLES) + _probe_sentences()
    for path in sorted((ROOT / "tests").rglob("*.json"))[:200]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue
        if isinstance(data, dict) and isinstance(data.get("turns"), list):
            texts += [t.get("text", "") for t in data["turns"] if isinstance(t, dict) and isinstance(t.get("text"), str)]
    return texts


def test_every_concept_compiles() -> None:
    lex = get_lexicon(("Marc", "Belinda"))
    assert "sexual.terms" in lex.patterns and "validate_frame" in lex.patterns


@pytest.mark.parametrize("names", [("Marc", "Belinda"), ()])
def test_gates_never_hide_a_match(names: tuple[str, ...]) -> None:
    """Every regex match must start or contain a word the concept's gate lists."""
    lex = get_lexicon(names)
    for text in _texts():
        for span in sentences(normalize(text)):
            opened = lex.open_concepts(span.text)
            for concept, pattern in lex.patterns.items():
                if pattern.search(span.text):
                    assert concept in opened, f"{concept} gated out a match in: {span.text!r}"


def test_words_of_includes_apostrophe_tails() -> None:
    assert "'s" in words_of("it's") and len(max(words_of("x" * 30), key=len)) == 30 and MAX_PREFIX >= 5
