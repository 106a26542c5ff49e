"""The live dashboard's body: counts, people, score distributions, missed moments."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from trainer.practice import md_escape
from trainer.workshops.dashboard import Dashboard
from trainer.workshops.facts import Usage


def distribution_chart(title: str, counts: dict[str, int]) -> alt.Chart:
    """How many completed sessions scored 0, 1, 2, 3 on one criterion."""
    rows = [{"Criterion": title, "Score": score, "Sessions": n} for score, n in counts.items()]
    return (
        alt.Chart(pd.DataFrame(rows))
        .mark_bar(color="#3D6B73")
        .encode(
            x=alt.X("Score:O", title="Score", sort=["0", "1", "2", "3"], axis=alt.Axis(labelAngle=0)),
            y=alt.Y("Sessions:Q", title="Sessions", axis=alt.Axis(tickMinStep=1)),
            tooltip=["Criterion", "Score", "Sessions"],
        )
        .properties(height=170)
    )


USAGE_HELP = ("Language-model tokens and the estimated cost (price table in trainer/llm/prices.yaml); "
              "0 for local model servers. Offline sessions use no model at all.")


def usage_line(usage: Usage) -> str:
    """One calm line about model usage: offline, or tokens and the estimated cost."""
    if not usage.llm:
        return ":material/cloud_off: Model usage: offline · 0 tokens"
    return (f":material/token: Model usage: {usage.prompt_tokens:,} prompt + "
            f"{usage.completion_tokens:,} completion tokens · est. {usage.cost_label}")


def model_use(usage: Usage) -> str:
    """One participant's usage in a table cell: "offline", or tokens and the estimated cost."""
    if not usage.llm:
        return "offline"
    return f"{usage.total_tokens:,} tokens \u00b7 {usage.cost_label}"


def render_board(board: Dashboard) -> None:
    a, b, c = st.columns(3, border=True)
    a.metric("Participants", board.participants)
    b.metric("Sessions in progress", board.sessions_in_progress)
    c.metric("Sessions done", board.sessions_completed)
    st.caption(usage_line(board.usage), help=USAGE_HELP)
    st.subheader("Scores so far")
    if not board.distributions:
        st.caption("Scores appear as participants finish their sessions.")
    else:
        columns = st.columns(len(board.distributions))
        for column, (cid, counts) in zip(columns, board.distributions.items()):
            title = board.criterion_titles.get(cid, cid)
            column.markdown(f"**{md_escape(title)}**")
            column.altair_chart(distribution_chart(title, counts), width="stretch")
    st.subheader("People")
    if not board.people:
        st.caption("Nobody has joined yet. Share the join code.")
    else:
        # the whole width, so every column shows without scrolling sideways
        st.dataframe(
            pd.DataFrame([
                {"Name": p.display_name, "In progress": p.in_progress, "Done": p.completed,
                 "Last total": "\u2014" if p.last_total is None else str(p.last_total),
                 "Model use": model_use(p.usage)}
                for p in board.people
            ]),
            hide_index=True, width="stretch",
            column_config={
                "Name": st.column_config.TextColumn("Name", width="medium"),
                "Last total": st.column_config.TextColumn(
                    "Last total", help="The latest finished session's total (the supervisor's once reviewed)."),
                "Model use": st.column_config.TextColumn("Model use", help=USAGE_HELP, width="medium"),
            },
        )
    st.subheader("Most commonly missed moments")
    if not board.missed_moments:
        st.caption("None yet.")
    for moment in board.missed_moments:
        title = board.criterion_titles.get(moment.criterion_id, moment.criterion_id)
        st.markdown(f"- **{moment.count}\u00d7** \u00b7 *{md_escape(title)}*: {md_escape(moment.text)}")
