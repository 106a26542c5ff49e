"""The report, shared by the report page and the score page: scores with rubric anchors,
evidence linked into the transcript, coaching, the partners' state, downloads."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from trainer.practice import CriterionView, ReportView, md_escape, report_markdown, report_pdf, slug
from trainer.webapp.components.charts import state_chart
from trainer.webapp.components.chat import render_turn, speaker_label
from trainer.webapp.components.timefmt import local

CYCLE_WORDS = {"pursuer": "pursues", "withdrawer": "withdraws"}


def score_dots(score: int, max_score: int) -> str:
    return "\u25cf" * score + "\u25cb" * (max_score - score)


def score_label(view: ReportView) -> str:
    """Whose total the headline is: the supervisor's once they changed a score."""
    return "Total (your supervisor's)" if view.overridden else "Total"


def summary(view: ReportView, key: str) -> None:
    """The total beside each criterion's score, each linking to its feedback card."""
    total, scores = st.columns([1, 2.6], border=True, vertical_alignment="center")
    with total:
        st.metric(score_label(view), f"{view.total} / {view.max_total}")
        if view.overridden:
            st.caption(f"The evaluator ({md_escape(view.evaluator)}) gave {view.evaluator_total} / {view.max_total}; "
                       f"{md_escape(view.reviewer or 'your supervisor')} reviewed the session.")
        else:
            st.caption(f"Evaluator: {md_escape(view.evaluator)}")
    with scores:
        for criterion in view.criteria:
            name, value = st.columns([4, 1.3], vertical_alignment="center")
            name.markdown(f"[{md_escape(criterion.title)}](#{key}-criterion-{criterion.id})")
            mark = " :material/supervisor_account:" if criterion.overridden else ""
            value.markdown(f"`{score_dots(criterion.score, criterion.max_score)}`&nbsp; "
                           f"**{criterion.score} / {criterion.max_score}**{mark}")
    if view.feedback:
        st.info(md_escape(view.feedback), icon=":material/lightbulb:")
    if view.fallback:
        st.info("The language-model judge was unavailable; these scores come from the offline evaluator.",
                icon=":material/sync_problem:")
    for note in view.flags:
        st.warning(f"Flagged for your supervisor: {md_escape(note)}", icon=":material/flag:")


def _turn_link(view: ReportView, turn: int, key: str) -> str:
    who = speaker_label(view.turns[turn].speaker) if 0 <= turn < len(view.turns) else "?"
    return f"[Turn {turn} \u00b7 {md_escape(who)}](#{key}-turn-{turn})"


def criterion_card(view: ReportView, criterion: CriterionView, key: str) -> None:
    st.html(f'<div id="{key}-criterion-{criterion.id}"></div>')  # link target; our own id only
    with st.container(border=True, key=f"{key}-criterion-{criterion.id}"):
        left, right = st.columns([5, 1.3], vertical_alignment="center")
        left.markdown(f"#### {md_escape(criterion.title)}")
        right.markdown(f"`{score_dots(criterion.score, criterion.max_score)}`&nbsp; "
                       f"**{criterion.score} / {criterion.max_score}**")
        if criterion.overridden:
            who = md_escape(criterion.supervisor or "Your supervisor")
            comment = f" \u2014 \u201c{md_escape(criterion.supervisor_comment)}\u201d" if criterion.supervisor_comment else ""
            st.info(f"**{who}'s score: {criterion.score} / {criterion.max_score}**{comment}",
                    icon=":material/supervisor_account:")
            st.caption(f"The evaluator scored {criterion.evaluator_score} / {criterion.max_score}; "
                       "the evaluator's reasoning and coaching follow.")
        st.markdown(f"*Rubric, score {criterion.score}:* {md_escape(criterion.anchor)}")
        if criterion.rationale:
            st.caption(md_escape(criterion.rationale))
        if criterion.evidence:
            st.markdown("**Evidence**")
            for ev in criterion.evidence:
                st.markdown(f"- {_turn_link(view, ev.turn, key)}: \u201c{md_escape(ev.quote)}\u201d")
        if criterion.did_well:
            st.markdown(f":material/thumb_up: **What worked.** {md_escape(criterion.did_well)}")
        if criterion.missed_moment:
            where = f" ({_turn_link(view, criterion.missed_turn, key)})" if criterion.missed_turn is not None else ""
            st.markdown(f":material/schedule: **Missed moment{where}.** {md_escape(criterion.missed_moment)}")
        if criterion.try_instead:
            st.success(f"**Try instead:** \u201c{md_escape(criterion.try_instead)}\u201d",
                       icon=":material/record_voice_over:")
        with st.expander("Rubric anchors"):
            for score, text in sorted(criterion.anchors.items()):
                line = f"{score} \u2014 {md_escape(text)}"
                st.markdown(f"**{line}**" if score == criterion.score else line)


def state_section(view: ReportView) -> None:
    chart = state_chart(view.state_points, view.partners)
    if chart is None:
        return
    st.subheader("How the couple moved")
    st.caption("Openness (solid) and defensiveness (dashed) of each partner after each of your turns.")
    st.altair_chart(chart, width="stretch")


def cycles_section(view: ReportView) -> None:
    if not view.cycles:
        return
    st.subheader("The cycles behind this couple")
    for cycle in view.cycles:
        st.markdown(
            f"- **{md_escape(cycle.partner)}** {CYCLE_WORDS.get(cycle.emotional_cycle, cycle.emotional_cycle)} "
            f"in the emotional cycle and {CYCLE_WORDS.get(cycle.sexual_cycle, cycle.sexual_cycle)} in the sexual cycle."
        )


def transcript_section(view: ReportView, key: str) -> None:
    st.subheader("Transcript")
    st.caption("Turns the evaluator cites as evidence are framed and labelled.")
    linked = {ev.turn for c in view.criteria for ev in c.evidence}
    linked |= {c.missed_turn for c in view.criteria if c.missed_turn is not None}
    for turn in view.turns:
        if turn.index in linked:
            st.html(f'<div id="{key}-turn-{int(turn.index)}"></div>')  # our own id only
        box = st.container(border=bool(turn.evidence_for), key=f"{key}-turn-{turn.index}")
        with box:
            if turn.evidence_for:
                st.badge(f"Turn {turn.index} \u00b7 evidence: " + "; ".join(turn.evidence_for),
                         icon=":material/format_quote:", color="blue")
            render_turn(turn.speaker, turn.text, turn.nonverbal, view.partners, fallback=turn.fallback)


def downloads(view: ReportView, transcript: Callable[[], str], key: str) -> None:
    name = slug(view.title + "-" + (view.session_id or view.source)[:8])
    cols = st.columns(3)
    cols[0].download_button("Transcript (JSON)", transcript(), file_name=f"{name}.json",
                            mime="application/json", icon=":material/download:", key=f"{key}-json",
                            on_click="ignore", width="stretch")
    cols[1].download_button("Report (Markdown)", report_markdown(view), file_name=f"{name}.md",
                            mime="text/markdown", icon=":material/download:", key=f"{key}-md",
                            on_click="ignore", width="stretch")
    cols[2].download_button("Report (PDF)", lambda: report_pdf(view), file_name=f"{name}.pdf",
                            mime="application/pdf", icon=":material/picture_as_pdf:", key=f"{key}-pdf",
                            on_click="ignore", width="stretch")


def render_report(view: ReportView, *, transcript: Callable[[], str], key: str = "report",
                  after_summary: Callable[[], object] | None = None) -> None:
    """The whole report; `after_summary` draws extra content (a supervisor's feedback) under the scores."""
    st.title(md_escape(view.title), anchor=False)
    when = view.ended_at or view.started_at
    subtitle = " \u00b7 ".join(p for p in (view.subtitle, local(when) if when else "") if p)
    if subtitle:
        st.caption(md_escape(subtitle))
    summary(view, key)
    if after_summary is not None:
        after_summary()
    downloads(view, transcript, key)
    st.subheader("Feedback by criterion")
    for criterion in view.criteria:
        criterion_card(view, criterion, key)
    state_section(view)
    cycles_section(view)
    transcript_section(view, key)
