"""Calibration page (supervisors, admins): does the evaluator score as supervisors do?"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from trainer.practice import md_escape
from trainer.review.calibration_data import calibration_report
from trainer.webapp.auth import require_role
from trainer.webapp.resources import get_store, rubrics

viewer = require_role("supervisor", "admin")
st.title("Calibration")
st.caption("Across the reviewed sessions you can see: how often the evaluator's score matches the "
           "supervisor's final score (exact agreement), and quadratic-weighted kappa, which also "
           "credits near misses. Kappa above 0.6 is usually read as substantial agreement.")
ids = [r.id for r in rubrics()]
rubric_id = st.selectbox("Rubric", ids, key="cal-rubric") if ids else None
report = calibration_report(get_store(), viewer, rubric_id=rubric_id)
st.metric("Reviewed sessions", report.sessions)
if report.sessions == 0:
    st.info("No reviewed sessions yet. Review sessions to see how far the evaluator can be trusted.")
    st.stop()

rows = [
    {
        "Criterion": c.title or c.criterion_id, "Sessions": c.agreement.n,
        "Exact agreement": c.agreement.exact, "Kappa (quadratic)": c.agreement.kappa,
        "Overridden": c.overridden, "Supervisor minus evaluator": c.mean_difference,
    }
    for c in report.criteria
]
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch",
             column_config={"Exact agreement": st.column_config.NumberColumn(format="percent")})
st.download_button("Download (JSON)", report.model_dump_json(indent=2), file_name="calibration.json",
                   mime="application/json", icon=":material/download:", on_click="ignore")

st.subheader("Where they disagree")
st.caption("Rows: the evaluator's score. Columns: the supervisor's final score.")
cols = st.columns(min(3, len(report.criteria)))
for index, c in enumerate(report.criteria):
    cells = pd.DataFrame(
        [{"Evaluator": str(report.levels[i]), "Supervisor": str(report.levels[j]), "Sessions": n}
         for i, row in enumerate(c.agreement.confusion) for j, n in enumerate(row)]
    )
    base = alt.Chart(cells).encode(
        x=alt.X("Supervisor:O", title="Supervisor"), y=alt.Y("Evaluator:O", title="Evaluator"),
    )
    chart = base.mark_rect().encode(
        color=alt.Color("Sessions:Q", scale=alt.Scale(scheme="teals"), legend=None),
        tooltip=["Evaluator", "Supervisor", "Sessions"],
    ) + base.mark_text().encode(text="Sessions:Q")
    with cols[index % len(cols)]:
        st.markdown(f"**{md_escape(c.title or c.criterion_id)}**")
        st.altair_chart(chart.properties(height=180), width="stretch")
