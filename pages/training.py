"""Agentes de cambio: the fellows' calls — applicants and fellows as published, per state and by gender — and the
fellows' projects with whether they reached the STL."""

import streamlit as st

from accompaniment import charts
from accompaniment.ui import cached, present, widgets
from accompaniment.ui.context import t

who = cached.viewer()
names = present.titles()
st.title(t("training.title"))
st.caption(t("training.intro"))

calls = cached.calls_summary(*who)
if calls.empty:
    widgets.empty(t("training.no_calls"))
    st.stop()

st.subheader(t("training.published.title"))
for call in calls.itertuples():
    st.markdown(f"##### {t('training.call', year=call.year)}")
    widgets.kpi_row([
        (t("training.measure.applicants"), present.published_applicants(call.applicants, call.applicants_at_least),
         None),
        (t("training.measure.fellows"), present.number(call.fellows), None),
        (t("training.measure.fellows_women"), present.number(call.fellows_women), None),
        (t("training.measure.states"), present.number(call.states), None),
    ])  # fmt: skip
    st.caption(t("training.source", source=present.text(call.source)))

measures = present.call_measures(calls)
widgets.chart(
    charts.applicants_vs_fellows(measures, titles=names, measure_labels=present.measure_labels()),
    present.readable(measures, ["year_label", "measure_label", "value_text"]),
    key="applicants_vs_fellows", description=t("training.chart.description"),
)  # fmt: skip

for tab, call in zip(
    st.tabs([t("training.call", year=y) for y in calls["year"]]), calls.itertuples(), strict=True
):
    with tab:
        by_gender = cached.fellows_by_state_gender(*who, int(call.year))
        per_state = present.state_fellows(cached.call_states(*who, int(call.year)), by_gender)
        st.markdown(f"##### {t('training.per_state')}")
        widgets.table(
            present.readable(
                per_state,
                ["state_name", "applicants", "fellows", "fellows_women"],
                numbers=["applicants", "fellows", "fellows_women"],
            )
        )
        if by_gender.empty:
            widgets.empty(t("training.no_records"))
            continue
        rows = present.gender_rows(by_gender)
        widgets.chart(
            charts.gender_split_bars(rows, category="state_name", value="fellows", titles=names,
                                     gender_labels=present.gender_labels()),
            present.readable(rows, ["state_name", "gender_label", "fellows"], numbers=["fellows"]),
            key=f"fellows_{call.year}", description=t("training.gender_chart", year=call.year),
        )  # fmt: skip
        st.markdown(f"##### {t('training.projects')}")
        st.caption(
            t(
                "training.reached",
                submitted=present.number(call.projects_submitted),
                recorded=present.number(call.fellows_recorded),
            )
        )
        limit, offset = widgets.paginate(int(call.fellows_recorded), key=f"fellows_page_{call.year}")
        projects = present.with_labels(cached.fellows(*who, int(call.year), limit, offset), gender="Gender")
        widgets.table(
            present.readable(
                projects,
                ["state_name", "gender_label", "project_title", "submitted_to_stl", "commitment_title"],
                flags=["submitted_to_stl"],
            )
        )
