"""Test entry point: the role navigation of trainer.webapp.roles_nav, as the app wires it.

With `_all_pages` in session state every page is registered whatever the role,
as if navigation were misconfigured: the pages themselves must still refuse.
"""

from datetime import UTC, datetime

import streamlit as st

from trainer.store.records import UserRecord
from trainer.webapp.auth import restore, sync_oidc_user
from trainer.webapp.roles_nav import pages_for

user = sync_oidc_user() or restore()
if st.session_state.get("_all_pages"):
    everything = UserRecord(id=user.id if user else None, display_name="", role="admin",  # type: ignore[arg-type]
                            created_at=datetime.now(UTC))
    st.navigation(pages_for(everything, accounts=True)).run()
else:
    st.navigation(pages_for(user, accounts=True)).run()
