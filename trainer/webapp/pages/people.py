"""People page (admins): accounts, roles, passwords, locks, supervision, cohorts, sign-in log."""

from __future__ import annotations

import streamlit as st

from trainer.webapp.auth import require_role
from trainer.webapp.components import admin_people
from trainer.webapp.resources import get_store

viewer = require_role("admin")
store = get_store()
st.title("People")
admin_people.show_flash()
accounts, supervision, cohorts, log = st.tabs(["Accounts", "Supervision", "Cohorts", "Sign-in log"])
with accounts:
    admin_people.accounts_tab(store, viewer)
with supervision:
    admin_people.supervision_tab(store, viewer)
with cohorts:
    admin_people.cohorts_tab(store, viewer)
with log:
    admin_people.log_tab(store)
st.caption("The same is scriptable on the command line: `trainer users --help`, `trainer cohorts --help`.")
