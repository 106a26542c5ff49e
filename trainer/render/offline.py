"""Offline renderer: the authored persona lines, no network, deterministic.

`pick_line` is also what the engine uses to choose the variant it puts in a
plan, so the offline output and an LLM's guide line are the same choice.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from trainer.personas import Line
from trainer.render.base import ClientReply, RenderPlan


def pick_line(
    pool: str,
    lines: Sequence[Line],
    uses: Mapping[str, int],
    last_text: str | None,
    rng: random.Random,
) -> tuple[int, Line]:
    """Least-used variant of `pool`, never the partner's previous line; ties by `rng`.

    Least-used first spreads a 40-turn session over all variants before any
    repeats; excluding the last text rules out back-to-back repeats even across pools.
    """
    candidates = [i for i, line in enumerate(lines) if line.text != last_text] or list(range(len(lines)))
    fewest = min(uses.get(f"{pool}#{i}", 0) for i in candidates)
    tied = [i for i in candidates if uses.get(f"{pool}#{i}", 0) == fewest]
    index = rng.choice(tied)
    return index, lines[index]


class OfflineRenderer:
    """Voices a plan with the authored variants the engine picked."""

    name = "offline"

    def render(self, plan: RenderPlan) -> list[ClientReply]:
        return [
            ClientReply(speaker=s.speaker, text=s.line.text, nonverbal=s.line.nonverbal)
            for s in plan.speakers
        ]
