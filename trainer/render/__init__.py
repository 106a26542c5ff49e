"""Renderers turn the engine's RenderPlan into words (offline lines or an LLM)."""

from trainer.render.base import (
    ClientReply,
    HistoryTurn,
    PersonaFacts,
    Renderer,
    RenderError,
    RenderPlan,
    SpeakerPlan,
    persona_facts,
)
from trainer.render.offline import OfflineRenderer, pick_line

__all__ = [
    "ClientReply",
    "HistoryTurn",
    "OfflineRenderer",
    "PersonaFacts",
    "RenderError",
    "RenderPlan",
    "Renderer",
    "SpeakerPlan",
    "persona_facts",
    "pick_line",
]
