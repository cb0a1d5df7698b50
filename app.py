"""Entry point: configure the page, sign in, build the navigation for the user's role, run the chosen page."""

import streamlit as st

from accompaniment.ui import shell

# A local favicon: a material-icon or emoji favicon would be fetched from a font or emoji CDN.
st.set_page_config(page_title="Monitor STL", page_icon=shell.FAVICON, layout="wide")
shell.run()
