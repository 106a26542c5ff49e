"""Charts (Altair): partners' openness and defensiveness, scores across sessions.

Series differ by colour AND by point shape / line dash, and carry tooltips, so
nothing depends on telling colours apart.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from trainer.practice.report import StatePoint
from trainer.store import CriterionPoint

PALETTE = ["#3D6B73", "#9A5B3F", "#6B5B95", "#7A8B3D"]


def state_chart(points: Sequence[StatePoint], partners: Sequence[str]) -> alt.Chart | None:
    """Openness (solid) and defensiveness (dashed) per partner after each therapist turn."""
    if not points:
        return None
    frame = pd.DataFrame(
        [{"Turn": p.therapist_turn, "Partner": p.partner, "Measure": p.measure.title(),
          "Value": p.value} for p in points]
    )
    order = [name for name in partners if name in set(frame["Partner"])] or sorted(set(frame["Partner"]))
    color = alt.Color("Partner:N", scale=alt.Scale(domain=order, range=PALETTE[: len(order)]),
                      legend=alt.Legend(orient="top", title=None))
    base = alt.Chart(frame).encode(
        x=alt.X("Turn:Q", title="Your turn", axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y("Value:Q", title="0 (low) \u2013 10 (high)", scale=alt.Scale(domain=[0, 10])),
        color=color,
        strokeDash=alt.StrokeDash(
            "Measure:N", scale=alt.Scale(domain=["Openness", "Defensiveness"], range=[[1, 0], [5, 4]]),
            legend=alt.Legend(orient="top", title=None),
        ),
        detail="Measure:N",
        tooltip=["Partner", "Measure", "Turn", alt.Tooltip("Value:Q", format=".1f")],
    )
    lines = base.mark_line(strokeWidth=2.2, interpolate="monotone")
    dots = base.mark_point(size=55, filled=True).encode(
        shape=alt.Shape("Partner:N", scale=alt.Scale(domain=order, range=["circle", "square"]), legend=None)
    )
    return (lines + dots).properties(height=320)


def criterion_history_chart(
    points: Sequence[CriterionPoint], numbers: dict, max_score: int = 3
) -> alt.Chart:
    """One criterion's official score in each completed session, in the order they ended;
    a supervisor's score is drawn as a square and names the evaluator's score it replaced."""
    frame = pd.DataFrame(
        [{"Session": numbers[p.session_id], "Score": p.score, "Couple": p.couple_id,
          "Mode": p.mode, "Ended": p.ended_at.strftime("%d %b %Y %H:%M"),
          "Scored by": "supervisor" if p.evaluator_score is not None else "evaluator",
          "Evaluator": p.evaluator_score if p.evaluator_score is not None else p.score} for p in points]
    )
    base = alt.Chart(frame).encode(
        x=alt.X("Session:Q", title="Session", axis=alt.Axis(tickMinStep=1, format="d"),
                scale=alt.Scale(domain=[0.5, max(numbers.values()) + 0.5])),
        y=alt.Y("Score:Q", title=None, scale=alt.Scale(domain=[0, max_score]),
                axis=alt.Axis(values=list(range(max_score + 1)), format="d")),
        tooltip=["Session", "Score", "Scored by", "Evaluator", "Couple", "Mode", "Ended"],
    )
    line = base.mark_line(color=PALETTE[0], strokeWidth=2)
    dots = base.mark_point(size=70, filled=True, color=PALETTE[0]).encode(
        shape=alt.Shape("Scored by:N", scale=alt.Scale(domain=["evaluator", "supervisor"],
                                                       range=["circle", "square"]), legend=None)
    )
    return (line + dots).properties(height=170)


def session_numbers(points: Sequence[CriterionPoint]) -> dict:
    """1-based session numbers in the order the sessions ended."""
    numbers: dict = {}
    for point in points:
        numbers.setdefault(point.session_id, len(numbers) + 1)
    return numbers
