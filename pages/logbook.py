"""Bitácora (specialist, admin): log a dialogue session with its participants and agreements, or a workshop; open
a recent entry to edit or archive it; follow up the open agreements of every state, overdue first."""

import streamlit as st

from accompaniment.ui import followup, logbook_entries, logbook_forms
from accompaniment.ui.context import t

logbook_forms.require_writer()
st.title(t("logbook.title"))
st.caption(t("logbook.intro"))

entry, recent, agreements = st.tabs(logbook_forms.tab_labels(), key=logbook_forms.TAB, on_change="rerun")
with entry:
    logbook_forms.entry_form()
with recent:
    logbook_entries.recent_entries()
with agreements:
    followup.agreements_panel()
