"""Couple state engine: rules move each partner's state; renderers voice the result."""

from trainer.engine.react import Rulebook
from trainer.engine.session import (
    SNAPSHOT_FORMAT,
    Session,
    TurnResult,
    default_analyzer,
    initial_state,
    start_session,
)
from trainer.engine.speakers import Beat, Decision
from trainer.engine.state import CoupleState, Flag, PartnerState
from trainer.render.base import ClientReply, RenderPlan

__all__ = [
    "SNAPSHOT_FORMAT",
    "Beat",
    "ClientReply",
    "CoupleState",
    "Decision",
    "Flag",
    "PartnerState",
    "RenderPlan",
    "Rulebook",
    "Session",
    "TurnResult",
    "default_analyzer",
    "initial_state",
    "start_session",
]
