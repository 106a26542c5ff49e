"""The app's pages, one small script each; `streamlit_app.py` wires them into st.navigation."""
