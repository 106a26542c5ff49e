"""Parse the model's labelled reply (`Marc: [sighs] words`) and refuse out-of-character text.

`parse_reply(text, speakers, final=False)` also works on a stream's partial
text: the still-open block is cut before an unclosed bracket and after the
last whole word, so what has been shown never needs to be taken back, and a
forbidden phrase is caught before it reaches the screen.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

MAX_LINE_CHARS = 700

# The model ran on as someone else: everything after such a label is dropped.
STOP_LABELS = {"therapist", "the therapist", "counselor", "counsellor", "trainee", "narrator",
               "user", "assistant", "system", "ai", "both", "couple", "the couple"}

# Out of character: meta talk about the machinery, coaching, or the rubric.
OFF_CHARACTER = re.compile(
    r"\b(rubrics?|system prompt|(?:my|your|the|these) (?:prompt|instructions)|as an ai|"
    r"i(?:'m| am) (?:an ai|a bot|not (?:a )?real)|ai (?:model|assistant)|artificial intelligence|"
    r"language model|llm|chatgpt|openai|role-?play(?:ing)?|in character|simulat(?:ion|ed|or)|"
    r"trainee|therapeutic technique|emotionally focused|eft|the therapist (?:should|could|might)|"
    r"(?:good|great|nice) (?:validation|reflection|technique|intervention)|"
    r"you (?:could|should|might) (?:try|consider) (?:asking|validating|reflecting))\b",
    re.IGNORECASE)
_BRACKETS = re.compile(r"\[([^\]]*)\]|\*([^*]+)\*|^\s*\(([^)]*)\)")
_LABEL = re.compile(r"^[\s>*_#-]*([A-Za-z][\w .'-]{0,40}?)[*_]*\s*(?:\(([^)]*)\))?\s*[*_]*:[*_]*\s?(.*)$")


class BadOutput(ValueError):
    """The reply cannot be used as it is (unparseable, empty or out of character)."""


@dataclass
class Parsed:
    speaker: str
    text: str
    nonverbal: str
    closed: bool  # no more text can arrive for this speaker


def off_character(text: str) -> str | None:
    """The offending phrase if `text` breaks character, else None."""
    match = OFF_CHARACTER.search(text or "")
    return match.group(0) if match else None


def _label(line: str, names: dict[str, str]) -> tuple[str, str, str] | None:
    """(kind, name, rest) where kind is 'speaker' or 'stop', for a labelled line."""
    match = _LABEL.match(line)
    if not match:
        return None
    label = " ".join(match.group(1).split()).lower()
    rest = (f"({match.group(2)}) " if match.group(2) else "") + match.group(3)
    if label in names:
        return "speaker", names[label], rest
    if label in STOP_LABELS:
        return "stop", label, rest
    return None


def _clean(raw: str, *, open_end: bool) -> tuple[str, str]:
    """(spoken text, nonverbal) of one block; `open_end` holds back what may still change."""
    if open_end:  # whole words only, and nothing from an unclosed bracket on
        space = max(raw.rfind(" "), raw.rfind("\n"))
        raw = raw[:space] if space >= 0 else ""
        cut = len(raw)
        for opener, closer in (("[", "]"), ("(", ")")):
            pos = raw.rfind(opener)
            if pos > raw.rfind(closer):
                cut = min(cut, pos)
        if raw[:cut].count("*") % 2:
            cut = min(cut, raw[:cut].rfind("*"))
        raw = raw[:cut]
    cues = [next(g for g in m.groups() if g is not None) for m in _BRACKETS.finditer(raw)]
    text = " ".join(_BRACKETS.sub(" ", raw).split())
    text = text.lstrip('"\u201c').rstrip('"\u201d').strip()  # a closing quote may yet be inner
    text = text[:MAX_LINE_CHARS].rstrip()  # a plain cut keeps partial text a prefix of the final
    nonverbal = "; ".join(" ".join(c.split()) for c in cues if c.strip())
    return text, nonverbal


def parse_reply(text: str, speakers: Sequence[str], partners: Sequence[str] = (),
                *, final: bool = True) -> dict[str, Parsed]:
    """Each planned speaker's first labelled block; raises BadOutput (final) or returns partial.

    Labels of partners not planned to speak are skipped; a stop label (the
    model writing the therapist's part) ends the reply. A single planned
    speaker may answer without a label.
    """
    names = {n.lower(): n for n in [*partners, *speakers]}
    blocks: list[tuple[str, list[str]]] = []
    preamble: list[str] = []
    current: list[str] | None = None
    stopped = False
    lines_in = (text or "").split("\n")
    tail = None if final else lines_in.pop()  # a stream's last line may still be growing
    for line in lines_in:
        label = _label(line, names)
        if label and label[0] == "stop":
            current, stopped = None, True
            break
        if label:
            current = [label[2]]
            blocks.append((label[1], current))
        elif current is not None:
            current.append(line)
        else:
            preamble.append(line)
    if tail is not None and not stopped:
        label = _label(tail, names)
        if label and label[0] == "speaker":  # words of a labelled line stream as they come
            current = [label[2]]
            blocks.append((label[1], current))
    if not blocks and len(speakers) == 1 and final:
        blocks, preamble = [(speakers[0], preamble)], []
    spill = off_character("\n".join(preamble))
    if spill:
        raise BadOutput(f"out of character ({spill!r})")
    out: dict[str, Parsed] = {}
    for i, (name, lines) in enumerate(blocks):
        if name not in speakers or name in out:
            continue
        open_end = not final and i == len(blocks) - 1 and current is lines
        spoken, cue = _clean("\n".join(lines), open_end=open_end)
        bad = off_character(f"{spoken} {cue}")
        if bad:
            raise BadOutput(f"out of character ({bad!r})")
        out[name] = Parsed(name, spoken, cue, closed=not open_end)
    if final:
        missing = [s for s in speakers if not (s in out and out[s].text)]
        if missing:
            raise BadOutput(f"no usable line for {', '.join(missing)}")
    return out


__all__ = ["BadOutput", "Parsed", "off_character", "parse_reply"]
