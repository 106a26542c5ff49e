"""The practice app: `streamlit run streamlit_app.py` (offline by default).

Pages are small modules in trainer/webapp/pages; the business logic they call
lives in trainer.practice and trainer.store.
"""

from __future__ import annotations

import streamlit as st

from trainer.practice import md_escape
from trainer.webapp import state
from trainer.webapp.identity import current_user, sign_out
from trainer.webapp.resources import warm_up

st.set_page_config(page_title="Couples Practice", page_icon=":material/forum:", layout="wide")

pages = {
    "Practise": [
        st.Page(state.PAGES["practice"], title="Practice", icon=":material/forum:", default=True),
        st.Page(state.PAGES["report"], title="Report", icon=":material/description:"),
        st.Page(state.PAGES["progress"], title="Progress", icon=":material/timeline:"),
    ],
    "Tools": [
        st.Page(state.PAGES["score"], title="Score a transcript", icon=":material/upload_file:"),
        st.Page(state.PAGES["library"], title="Library", icon=":material/menu_book:"),
        st.Page(state.PAGES["settings"], title="Settings", icon=":material/tune:"),
    ],
}
page = st.navigation(pages)
warm_up()  # charts library loaded in the background while the trainee practises

with st.sidebar:
    user = current_user()
    if user is not None:
        st.caption(f"Signed in as **{md_escape(user.display_name)}**")
        if st.button("Switch person", icon=":material/logout:", type="tertiary", key="sign-out"):
            sign_out()
            st.rerun()

page.run()
