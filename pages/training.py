"""Agentes de cambio: the fellows' calls — applicants and fellows as published, per state and by gender — and the
fellows' projects with whether they reached the STL."""

import streamlit as st

from accompaniment.ui import blocks, cached, present, widgets
from accompaniment.ui.context import t

who = cached.viewer()
st.title(t("training.title"))
st.caption(t("training.intro"))

calls = cached.calls_summary(*who)
if calls.empty:
    widgets.empty(t("training.no_calls"))
    st.stop()
blocks.call_figures(calls)

years = [int(year) for year in calls["year"]]
for tab, call in zip(st.tabs([t("training.call", year=y) for y in years]), calls.itertuples(), strict=True):
    year = int(call.year)
    with tab:
        by_gender = cached.fellows_by_state_gender(*who, year)
        blocks.fellows_per_state(cached.call_states(*who, year), by_gender, year)
        st.markdown(f"##### {t('training.projects')}")
        recorded = int(call.fellows_recorded)
        if recorded == 0:
            widgets.empty(t("training.no_projects"))
            continue
        submitted = present.number(call.projects_submitted)
        st.caption(t("training.reached", submitted=submitted, recorded=present.number(recorded)))
        limit, offset = widgets.paginate(recorded, key=f"fellows_page_{year}")
        blocks.fellows_projects(cached.fellows(*who, year, limit, offset))
