"""Chat messages for the LLM renderer, built from a `RenderPlan` and nothing else.

The renderer never loads the persona file: everything here comes from the
plan, which carries only surface facts and the ladder layers each speaker has
unlocked. So no prompt injection can make the model reveal a hidden fear:
it is not in the model's context. Prompt wording lives in `prompts/`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from string import Template
from typing import Any

import yaml
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from trainer.llm.tokens import trim_history
from trainer.render.base import HistoryTurn, PersonaFacts, RenderPlan, SpeakerPlan
from trainer.transcript.model import is_therapist_speaker

DEFAULT_PROMPT_BUDGET = 1600  # tokens for system + history + direction (fits 2k-context models)
MAX_EXAMPLES = 2  # voice examples from the current ladder stage


@cache
def prompt_text(name: str) -> str:
    """One prompt file from trainer/render/prompts/ (packaged data, read once)."""
    return resources.files("trainer.render.prompts").joinpath(name).read_text("utf-8")


@cache
def _vocabulary() -> dict[str, dict[str, str]]:
    data: dict[str, Any] = yaml.safe_load(prompt_text("reactions.yaml")) or {}
    return {k: {str(a): str(b) for a, b in (data.get(k) or {}).items()}
            for k in ("reactions", "roles", "stages")}


def _fill(template: str, /, **values: object) -> str:
    return Template(prompt_text(template)).substitute({k: str(v) for k, v in values.items()})


def format_line(speaker: str, text: str, nonverbal: str = "") -> str:
    """The labelled format the model reads in history and must write back."""
    return f"{speaker}: [{nonverbal}] {text}" if nonverbal else f"{speaker}: {text}"


def _pronouns(facts: PersonaFacts) -> tuple[str, str]:
    """(possessive, reflexive) for the prompt's wording."""
    he = facts.pronouns.split("/")[0].strip().lower()
    return ({"he": "his", "she": "her"}.get(he, "their"),
            {"he": "himself", "she": "herself"}.get(he, "themselves"))


def surface_notes(f: PersonaFacts) -> str:
    """Who a partner is on the surface: the same at every stage, so it sits in the system prompt."""
    return _fill(
        "partner_surface.md", name=f.name, pronouns=f.pronouns, age=f.age,
        background=" ".join(f.background.split()), speaking_style=" ".join(f.speaking_style.split()),
        emotional_cycle=f.emotional_cycle, sexual_cycle=f.sexual_cycle,
        unequal=(" Sees the two problems as not at all the same." if f.sees_cycles_unequal else ""),
        complaints=_listing(f.surface_complaints), protective_moves=_listing(f.protective_moves),
        reflexive=_pronouns(f)[1],
    ).strip()


def system_text(plan: RenderPlan, surfaces: Mapping[str, PersonaFacts] | None = None) -> str:
    """Stable across a session's turns (servers reuse the cached prefix).

    `surfaces` holds the partners' facts as seen in earlier plans; only their
    surface fields are used here, never a stage's unlocked layers.
    """
    known = dict(surfaces or {})
    known.update({s.speaker: s.facts for s in plan.speakers if s.speaker not in known})
    example = "\n".join(f"{p}: [body language] what {p} says" for p in plan.partners)
    notes = "\n\n".join(surface_notes(known[p]) for p in plan.partners if p in known)
    return _fill("couple_system.md", partners=" and ".join(plan.partners), title=plan.title,
                 setting=" ".join(plan.setting.split()), format_example=example,
                 partner_notes=notes).strip()


def _listing(items: list[str]) -> str:
    return "; ".join(" ".join(i.split()) for i in items) or "-"


MAX_KNOWN_FACTS = 6


def speaker_notes(sp: SpeakerPlan) -> str:
    """One speaker's notes for this turn: stage, unlocked layers only, and the guide line."""
    vocab, f = _vocabulary(), sp.facts
    unlocked: list[str] = []
    if f.reactive_emotions:
        unlocked.append(f"Feelings {f.name} can now admit: {_listing(f.reactive_emotions)}")
    if f.underlying_fears:
        unlocked.append(f"Fears {f.name} can now voice: {_listing(f.underlying_fears)}")
    if f.underlying_longings:
        unlocked.append(f"Longings {f.name} can now voice: {_listing(f.underlying_longings)}")
    examples = f.unlocked_examples.get(f.stage_name, [])[:MAX_EXAMPLES]
    if examples:
        unlocked.append(f"How {f.name} sounds at this depth: "
                        + " / ".join(f'"{" ".join(e.split())}"' for e in examples))
    if sp.known_facts:
        unlocked.append("Facts already said in this session (stay consistent with them): "
                        + " / ".join(f'"{" ".join(k.split())}"' for k in sp.known_facts[-MAX_KNOWN_FACTS:]))
    avoid = "".join(f'\nDo not repeat: "{" ".join(a.split())}"' for a in sp.avoid[-2:])
    cue = f'\nBody language idea: "{sp.line.nonverbal}"' if sp.line.nonverbal else ""
    reaction = vocab["reactions"].get(sp.reaction, vocab["reactions"]["ladder"])
    return _fill(
        "speaker_notes.md", name=f.name, role_text=vocab["roles"].get(sp.role, sp.role),
        stage_text=vocab["stages"].get(f.stage_name, f.stage_name),
        unlocked="\n".join(unlocked), reaction_text=f"{f.name} {reaction}",
        possessive=_pronouns(f)[0], guide=" ".join(sp.line.text.split()), guide_nonverbal=cue,
        avoid=avoid,
    ).strip()


def direction_text(plan: RenderPlan) -> str:
    """The last user message: what the therapist said, delimited, then who says what."""
    names = [s.speaker for s in plan.speakers]
    said = " ".join(plan.therapist_text.split()) or "(nothing yet: the session is starting)"
    return _fill(
        "turn_direction.md", turn=plan.therapist_turn,
        therapist_text=said.replace("<<<", "<").replace(">>>", ">"),
        speaker_names=", then ".join(names),
        speaker_notes="\n\n".join(speaker_notes(s) for s in plan.speakers),
        format_hint="; ".join(f"{n}: ..." for n in names),
    ).strip()


def history_messages(history: list[HistoryTurn]) -> list[BaseMessage]:
    """Therapist turns as user messages, the couple's lines as labelled assistant messages."""
    out: list[BaseMessage] = []
    lines: list[str] = []
    for turn in history:
        text = " ".join(turn.text.split())
        if is_therapist_speaker(turn.speaker):
            if lines:
                out.append(AIMessage(content="\n".join(lines)))
                lines = []
            out.append(HumanMessage(content=f"The therapist says: {text}"))
        else:
            lines.append(format_line(turn.speaker, text))
    if lines:
        out.append(AIMessage(content="\n".join(lines)))
    return out


def build_messages(plan: RenderPlan, *, budget: int = DEFAULT_PROMPT_BUDGET,
                   model: str | None = None,
                   surfaces: Mapping[str, PersonaFacts] | None = None) -> list[BaseMessage]:
    """System + recent history + direction, trimmed to `budget` tokens (newest history kept)."""
    messages = [SystemMessage(content=system_text(plan, surfaces)), *history_messages(plan.history),
                HumanMessage(content=direction_text(plan))]
    return trim_history(messages, budget, model)


__all__ = ["DEFAULT_PROMPT_BUDGET", "build_messages", "direction_text", "format_line",
           "history_messages", "prompt_text", "speaker_notes", "surface_notes", "system_text"]
