"""Settings page: which engine and judge are active. Shows where they come from, never the key."""

from __future__ import annotations

import streamlit as st

from trainer.accounts.session_settings import session_settings
from trainer.practice import max_message_chars, md_escape
from trainer.store import database_url, redacted_url
from trainer.webapp.auth import current_user
from trainer.webapp.resources import backends as server_backends

st.title("Settings")
backends = server_backends()  # what this server actually runs with (no database needed)
left, right = st.columns(2, border=True)
with left:
    st.markdown("**The couple (engine)**")
    if backends.engine == "offline":
        st.markdown(":material/cloud_off: Offline \u2014 authored lines, no network")
    else:
        st.markdown(f":material/smart_toy: Language model **{md_escape(backends.model or 'default')}**")
with right:
    st.markdown("**The judge (evaluator)**")
    if backends.judge == "offline":
        st.markdown(":material/rule: Offline rubric evaluator \u2014 deterministic, no network")
    else:
        st.markdown(f":material/smart_toy: Language model **{md_escape(backends.model or 'default')}**")

st.subheader("Language model")
details = {
    "Provider": backends.provider,
    "Model": backends.model or "\u2014",
    "Base URL": backends.base_url or "\u2014",
    "API key": "set (hidden)" if backends.key_set else "not set",
}
for label, value in details.items():
    st.markdown(f"**{label}:** {md_escape(value)}")
for problem in backends.problems:
    st.warning(md_escape(problem))
st.caption(
    "Configure with environment variables (TRAINER_LLM_PROVIDER, TRAINER_LLM_MODEL, "
    "TRAINER_LLM_BASE_URL, TRAINER_LLM_API_KEY) or an [llm] table in .streamlit/secrets.toml, "
    "then restart the app. The key is never displayed."
)

st.subheader("Storage and limits")
user = current_user()
if user is not None and user.role == "admin":  # where the data lives is the operator's business
    st.markdown(f"**Database:** {md_escape(redacted_url(database_url()))}")
sessions = session_settings()
st.markdown(f"**Sign-in lasts:** until sign-out, or {sessions.idle_hours:g} hours unused "
            "(TRAINER_SESSION_IDLE_HOURS)")
for problem in sessions.problems:
    st.warning(md_escape(problem))
st.markdown(f"**Longest message:** {max_message_chars():,} characters (TRAINER_MAX_MESSAGE_CHARS)")
