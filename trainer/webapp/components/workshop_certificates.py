"""The dashboard's continuing-education section: who completed, the roster, every certificate."""

from __future__ import annotations

import streamlit as st

from trainer.practice import md_escape
from trainer.workshops.certificate_pdf import certificate_pdf, certificates_zip
from trainer.workshops.certificates import (
    RosterEntry,
    WorkshopTerms,
    certificates,
    hours_text,
    roster_csv,
)


def terms_line(terms: WorkshopTerms) -> str:
    parts = [f"Completed by {terms.rule.describe()}"]
    if terms.hours is not None:
        parts.append(f"{hours_text(terms.hours)} of continuing education")
    if terms.provider:
        parts.append(f"provider: {terms.provider}")
    if terms.approval:
        parts.append(f"approval number {terms.approval}")
    return " \u00b7 ".join(parts)


def render_completion(terms: WorkshopTerms, entries: list[RosterEntry], stem: str) -> None:
    """Counts, the roster table and the downloads (roster CSV, all certificates as one PDF or a ZIP)."""
    st.subheader("Completion and certificates")
    st.caption(md_escape(terms_line(terms)))
    done = [e for e in entries if e.completed]
    st.metric("Completed", f"{len(done)} of {len(entries)}")
    if entries:
        st.dataframe(
            [{"Name": e.participant, "Sessions counted": f"{e.sessions_counted} / {terms.rule.sessions}",
              "Minutes": e.minutes_practised, "Completed": e.completed_on.isoformat() if e.completed_on else "",
              "Certificate": e.certificate_id or ""} for e in entries],
            hide_index=True, width="stretch", key="roster-table",
        )
    found = certificates(terms, entries)
    a, b, c = st.columns(3)
    a.download_button("Roster (CSV)", roster_csv(terms, entries), file_name=f"{stem}-roster.csv",
                      mime="text/csv", icon=":material/download:", on_click="ignore", width="stretch",
                      key="export-roster")
    if found:
        pages = f"{len(found)} page" + ("" if len(found) == 1 else "s")
        b.download_button(f"All certificates (PDF, {pages})", lambda: certificate_pdf(found),
                          file_name=f"{stem}-certificates.pdf", mime="application/pdf",
                          icon=":material/workspace_premium:", on_click="ignore", width="stretch",
                          key="export-certificates")
        c.download_button("Certificates, one file each (ZIP)", lambda: certificates_zip(found),
                          file_name=f"{stem}-certificates.zip", mime="application/zip",
                          icon=":material/folder_zip:", on_click="ignore", width="stretch",
                          key="export-certificates-zip")
    else:
        b.caption("Certificates appear here as participants complete the workshop.")
