"""A participant's own progress towards completing their workshop, and their certificate."""

from __future__ import annotations

import streamlit as st

from trainer.practice import md_escape
from trainer.practice.export import slug
from trainer.store.access import NotFound, Viewer
from trainer.store.db import Store
from trainer.store.records import UserRecord
from trainer.workshops.certificate_pdf import certificate_pdf
from trainer.workshops.certificates import hours_text
from trainer.workshops.queries import my_workshop_standing
from trainer.workshops.service import WorkshopInfo


def render_standing(store: Store, user: UserRecord, workshop: WorkshopInfo) -> None:
    """ "1 of 2 sessions counted", or the certificate to download once the rule is met."""
    try:
        terms, entry, certificate = my_workshop_standing(store, Viewer(user.id, user.role), workshop.id)
    except NotFound:
        return
    hours = f" for {hours_text(terms.hours)} of continuing education" if terms.hours else ""
    if certificate is None:
        counted = entry.sessions_counted if entry else 0
        st.caption(f":material/workspace_premium: To complete this workshop{md_escape(hours)}: "
                   f"{md_escape(terms.rule.describe())} ({counted} of {terms.rule.sessions} so far).")
        return
    with st.container(border=True, key="workshop-certificate"):
        st.markdown(f":material/workspace_premium: **You have completed {md_escape(terms.title)}**{md_escape(hours)}.")
        st.download_button("Your certificate (PDF)", lambda: certificate_pdf(certificate),
                           file_name=f"certificate-{slug(terms.title)}.pdf", mime="application/pdf",
                           icon=":material/download:", on_click="ignore", key="my-certificate")
