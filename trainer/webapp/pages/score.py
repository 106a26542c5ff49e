"""Score a transcript: upload one or several `trainer.transcript/v1` files, get the report."""

from __future__ import annotations

import streamlit as st

from trainer.practice import md_escape, score_upload
from trainer.transcript import dump_transcript, parse_transcript
from trainer.webapp.components.report_view import render_report
from trainer.webapp.resources import rubrics

st.title("Score a transcript")
st.write(
    "Upload a session transcript in the `trainer.transcript/v1` format (JSON) to get the "
    "same report as a practice session. Nothing you upload is stored."
)
library = {rubric.id: rubric for rubric in rubrics()}
rubric_id = st.selectbox("Rubric", options=list(library), format_func=lambda rid: library[rid].title)
files = st.file_uploader(
    "Transcript files", type=["json"], accept_multiple_files=True,
    help="One or several .json files; each gets its own report.",
)
if not files:
    st.caption("Tip: every practice report has a *Transcript (JSON)* download you can score here.")
    st.stop()

results = [score_upload(f.name, f.getvalue(), rubric_id=rubric_id) for f in files]
for result in results:
    if result.error:
        st.error(md_escape(result.error), icon=":material/error:")
good = [r for r in results if r.report is not None]
if not good:
    st.stop()
tabs = st.tabs([md_escape(r.name) for r in good]) if len(good) > 1 else [st.container()]
for index, (tab, result) in enumerate(zip(tabs, good, strict=True)):
    data = next(f.getvalue() for f in files if f.name == result.name)
    with tab:
        render_report(
            result.report, key=f"upload-{index}",
            transcript=lambda data=data, name=result.name: dump_transcript(parse_transcript(data, name)),
        )
