"""Test entry point: the role navigation of trainer.webapp.roles_nav, as the app wires it."""

import streamlit as st

from trainer.webapp.auth import current_user, sync_oidc_user
from trainer.webapp.roles_nav import pages_for

user = sync_oidc_user() or current_user()
st.navigation(pages_for(user, accounts=True)).run()
