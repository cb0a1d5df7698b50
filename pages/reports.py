"""Reportes y datos abiertos: a state's printable report, the open-data downloads, and imports for staff.

Every download holds only what the signed-in user's role may read; the store decides, not this page.
"""

import streamlit as st

from accompaniment.ui import links, reports_ui
from accompaniment.ui.context import current_actor, get_store, t

st.title(t("io.page.title"))
st.caption(t("io.page.intro"))

store = get_store()
actor = current_actor()

reports_ui.report_section(store, actor)
st.divider()
reports_ui.open_data_section(store, actor)
links.open_data_urls()  # the same package at a stable URL, for scripts and data portals (issue 13)
reports_ui.import_section(store, actor)
