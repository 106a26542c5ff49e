"""The practice app: `streamlit run streamlit_app.py` (offline by default).

Pages are small modules in trainer/webapp/pages; the business logic they call
lives in the trainer package. Which pages a visitor gets depends on their role
(`trainer.webapp.roles_nav`); what they can read is decided in the data layer
(`trainer.authz`). Until an account exists (or an identity provider is
configured) nobody signs in: a display name is enough, as on a fresh install.

Any fault a page meets (database down, hanging or read-only, unknown schema,
broken data file) is shown as a short page of sentences, never a traceback;
pages that do not need the failed part keep working.
"""

from __future__ import annotations

import streamlit as st

from trainer.practice import md_escape
from trainer.review.status import awaiting_review
from trainer.webapp import auth, cookies
from trainer.webapp.components.fault_view import show_exception
from trainer.webapp.resources import store_or_none, warm_up
from trainer.webapp.roles_nav import accounts_required, pages_for

st.set_page_config(page_title="Couples Practice", page_icon=":material/forum:", layout="wide")

try:
    user = auth.sync_oidc_user() or auth.restore()  # a refresh or a new tab stays signed in
except Exception as exc:  # noqa: BLE001 - e.g. the database is down during an OIDC sign-in
    show_exception(exc)
    st.stop()
store = store_or_none()  # None: the database is down; pages that need it say so
try:
    accounts = accounts_required(store) if store is not None else False
    awaiting = awaiting_review(store, auth.current_viewer()) if (
        store is not None and user and user.role in ("supervisor", "admin")) else 0
except Exception:  # noqa: BLE001 - the database went away between two calls
    accounts, awaiting = False, 0
page = st.navigation(pages_for(user, accounts=accounts, awaiting=awaiting))
cookies.sync()  # writes or drops the session cookie when sign-in or sign-out asked for it
warm_up()  # charts library loaded in the background while the trainee practises

with st.sidebar:
    if user is not None:
        role = f" \u00b7 {user.role}" if accounts else ""
        st.caption(f"Signed in as **{md_escape(user.display_name)}**{role}")
        label = "Sign out" if accounts else "Switch person"
        if st.button(label, icon=":material/logout:", type="tertiary", key="sign-out"):
            auth.sign_out()
            st.rerun()

try:
    page.run()
except Exception as exc:  # noqa: BLE001 - Streamlit's stop/rerun are BaseExceptions and pass
    show_exception(exc)
