"""Load the concept lexicon (lexicon.yaml) and compile it once per set of partner names.

The lexicon is data so supervisors can extend a concept without touching code;
slots (`{p}`, `{subj}`, `{names}`) let one fragment cover pronouns and the
couple's own names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator

import yaml

from trainer.analysis.gate import literal_prefixes, word_prefixes

LEXICON_PATH = Path(__file__).with_name("lexicon.yaml")
_NEVER = r"(?!x)x"


@lru_cache(maxsize=1)
def _raw() -> dict:
    with LEXICON_PATH.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _flatten(node: object, prefix: str = "") -> Iterator[tuple[str, list[str]]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _flatten(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(node, list):
        yield prefix, [str(item) for item in node]
    elif isinstance(node, str):
        yield prefix, [node]


@dataclass(frozen=True)
class Lexicon:
    """Compiled concepts; a concept name with children (`sexual`) is the union of them.

    `gates` holds each concept's possible word beginnings (see gate.py): a text
    with none of them is answered without running the regex.
    """

    patterns: dict[str, re.Pattern[str]]
    gates: dict[str, frozenset[str] | None]

    def rx(self, concept: str) -> re.Pattern[str]:
        return self.patterns[concept]

    def _open(self, concept: str, text: str) -> bool:
        gate = self.gates.get(concept)
        return gate is None or not gate.isdisjoint(word_prefixes(text))

    def search(self, concept: str, text: str) -> re.Match[str] | None:
        return self.patterns[concept].search(text) if self._open(concept, text) else None

    def finditer(self, concept: str, text: str) -> Iterator[re.Match[str]]:
        return self.patterns[concept].finditer(text) if self._open(concept, text) else iter(())

    def has(self, concept: str, text: str) -> bool:
        return self.search(concept, text) is not None


def _names_rx(names: tuple[str, ...]) -> str:
    usable = sorted({n.strip() for n in names if n.strip()}, key=len, reverse=True)
    return "|".join(re.escape(n) for n in usable) or _NEVER


@lru_cache(maxsize=512)
def _compile(fragments: tuple[str, ...]) -> tuple[re.Pattern[str], frozenset[str] | None]:
    """One concept's regex and gate; shared by every couple whose names it does not mention."""
    pattern = re.compile(r"\b(?:" + "|".join(f"(?:{f})" for f in fragments) + r")\b", re.IGNORECASE)
    return pattern, literal_prefixes(list(fragments))


@lru_cache(maxsize=64)
def get_lexicon(names: tuple[str, ...] = ()) -> Lexicon:
    """The lexicon with `{names}` bound to these partner names (cached)."""
    raw = dict(_raw())
    slots = {key: str(value) for key, value in raw.pop("slots", {}).items()}
    names_rx = _names_rx(names)

    def fill(fragment: str) -> str:
        for key, value in slots.items():
            fragment = fragment.replace("{" + key + "}", value)
        return fragment.replace("{names}", names_rx)

    leaves = dict(_flatten(raw))
    groups: dict[str, list[str]] = {}
    for name, fragments in leaves.items():
        parts = name.split(".")
        for depth in range(1, len(parts) + 1):
            groups.setdefault(".".join(parts[:depth]), []).extend(fragments)
    compiled: dict[str, re.Pattern[str]] = {}
    gates: dict[str, frozenset[str] | None] = {}
    for name, frags in groups.items():
        compiled[name], gates[name] = _compile(tuple(fill(f) for f in frags))
    return Lexicon(compiled, gates)
