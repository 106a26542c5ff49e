"""Library page: the couples you can practise with and the rubrics you are scored on."""

from __future__ import annotations

import streamlit as st

from trainer.errors import TrainerError
from trainer.faults import describe
from trainer.webapp.components.fault_view import show_fault
from trainer.webapp.components.picker import difficulty_badge
from trainer.webapp.resources import couples, rubrics


def rubric_library() -> list:  # type: ignore[type-arg]
    """The rubrics; a broken rubric file is said in words in their tab (the couples still show)."""
    try:
        return rubrics()
    except TrainerError as exc:
        show_fault(describe(exc))
        return []


st.title("Library")
couples_tab, rubrics_tab = st.tabs(["Couples", "Rubrics"])
with couples_tab:
    for couple in couples():
        with st.container(border=True):
            st.markdown(f"#### {couple.title}")
            difficulty_badge(couple.difficulty)
            st.caption(" & ".join(f"{p.name} ({p.age}, {p.pronouns})" for p in couple.partners))
            st.write(couple.summary)
            st.markdown(f"*Setting.* {couple.setting}")
with rubrics_tab:
    for rubric in rubric_library():
        st.subheader(rubric.title)
        st.write(rubric.summary)
        st.caption(f"Early window: the first {rubric.early_window} therapist turns \u00b7 "
                   f"scores {rubric.scale.min}\u2013{rubric.scale.max} per criterion")
        for criterion in rubric.criteria:
            with st.expander(criterion.title):
                st.write(criterion.description)
                for score, text in sorted(criterion.anchors.items()):
                    st.markdown(f"**{score}** \u2014 {text}")
