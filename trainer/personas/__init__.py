"""Simulated couples as data: schema and library loader."""

from trainer.personas.loader import list_couples, load_couple, load_couple_file
from trainer.personas.schema import (
    LADDER_STAGES,
    Couple,
    Effect,
    Enactment,
    Fact,
    FactAnswer,
    Ladder,
    Line,
    Partner,
    Reaction,
    Reactions,
    ScriptedLine,
)

__all__ = [
    "LADDER_STAGES",
    "Couple",
    "Effect",
    "Enactment",
    "Fact",
    "FactAnswer",
    "Ladder",
    "Line",
    "Partner",
    "Reaction",
    "Reactions",
    "ScriptedLine",
    "list_couples",
    "load_couple",
    "load_couple_file",
]
