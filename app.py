"""Entry point: configure the page, sign in, build the navigation for the user's role, run the chosen page."""

import streamlit as st

from accompaniment.ui import shell

st.set_page_config(page_title="Monitor STL", page_icon=":material/account_balance:", layout="wide")
shell.run()
