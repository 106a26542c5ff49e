"""Load the concept lexicon (lexicon.yaml) and compile it once per set of partner names.

The lexicon is data so supervisors can extend a concept without touching code;
slots (`{p}`, `{subj}`, `{names}`) let one fragment cover pronouns and the
couple's own names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import yaml

from trainer.analysis.gate import MAX_PREFIX, literal_prefixes, words_of

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


class Lexicon:
    """Compiled concepts; a concept name with children (`sexual`) is the union of them.

    Each concept has a gate (see gate.py): the word beginnings its matches can
    start with. A text's open concepts are found once, by looking up the
    beginnings of its words, so most regexes never run on most turns.
    """

    def __init__(self, patterns: dict[str, re.Pattern[str]], gates: dict[str, tuple[str, ...] | None]) -> None:
        self.patterns = patterns
        self._always = frozenset(name for name, gate in gates.items() if gate is None)
        self._trigger: dict[str, set[str]] = {}
        for name, gate in gates.items():
            for prefix in gate or ():
                self._trigger.setdefault(prefix, set()).add(name)
        self._cache: dict[str, frozenset[str]] = {}
        self._word_cache: dict[str, frozenset[str]] = {}

    def rx(self, concept: str) -> re.Pattern[str]:
        return self.patterns[concept]

    def open_concepts(self, text: str) -> frozenset[str]:
        found = self._cache.get(text)
        if found is None:
            hits = set(self._always)
            for word in words_of(text):
                hits |= self._word_concepts(word)
            found = frozenset(hits)
            if len(self._cache) > 50_000:
                self._cache.clear()
            self._cache[text] = found
        return found

    def _word_concepts(self, word: str) -> frozenset[str]:
        found = self._word_cache.get(word)
        if found is None:
            trigger = self._trigger
            found = frozenset(
                name for i in range(1, min(len(word), MAX_PREFIX) + 1) for name in trigger.get(word[:i], ())
            )
            if len(self._word_cache) > 100_000:
                self._word_cache.clear()
            self._word_cache[word] = found
        return found

    def search(self, concept: str, text: str) -> re.Match[str] | None:
        return self.patterns[concept].search(text) if concept in self.open_concepts(text) else None

    def finditer(self, concept: str, text: str) -> Iterator[re.Match[str]]:
        return self.patterns[concept].finditer(text) if concept in self.open_concepts(text) else iter(())

    def has(self, concept: str, text: str) -> bool:
        return self.search(concept, text) is not None


def _names_rx(names: tuple[str, ...]) -> str:
    usable = sorted({n.strip() for n in names if n.strip()}, key=lambda n: (-len(n), n))
    return "(?:" + ("|".join(re.escape(n) for n in usable) or _NEVER) + ")"


@lru_cache(maxsize=512)
def _compile(fragments: tuple[str, ...]) -> tuple[re.Pattern[str], tuple[str, ...] | None]:
    """One concept's regex and gate; shared by every couple whose names it does not mention."""
    pattern = re.compile(r"\b(?:" + "|".join(f"(?:{f})" for f in fragments) + r")\b", re.IGNORECASE)
    return pattern, literal_prefixes(list(fragments))


@lru_cache(maxsize=64)
def get_lexicon(names: tuple[str, ...] = ()) -> Lexicon:
    """The lexicon with `{names}` bound to these partner names (cached)."""
    raw = dict(_raw())
    slots = {key: str(value) for key, value in raw.pop("slots", {}).items()}
    manual = {key: tuple(str(v).lower() for v in value) for key, value in raw.pop("gates", {}).items()}
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
    gates: dict[str, tuple[str, ...] | None] = {}
    for name, frags in groups.items():
        compiled[name], gates[name] = _compile(tuple(fill(f) for f in frags))
        if name in manual:
            gates[name] = manual[name]
    for name in groups:  # a parent concept opens when any child does
        children = [n for n in groups if n.startswith(name + ".")]
        if children and name not in manual:
            child_gates = [gates[c] for c in children]
            gates[name] = None if any(g is None for g in child_gates) else tuple(sorted({p for g in child_gates for p in g}))
    return Lexicon(compiled, gates)
