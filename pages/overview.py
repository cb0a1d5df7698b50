"""Panorama nacional: headline figures, the map of Mexico, progress and phase of each STL, what needs attention,
recent activity, and a table naming every programme state with its phase and progress."""

import streamlit as st

from accompaniment import charts
from accompaniment.ui import cached, present, widgets
from accompaniment.ui.context import t

who = cached.viewer()
names = present.titles()
st.title(t("overview.title"))
st.caption(t("overview.intro"))

figures = cached.national_figures(*who)
states = present.state_frame(cached.state_overview(*who))
programme = present.programme_only(states)
by_phase = " · ".join(f"{phase}: {n}" for phase, n in figures.stls_by_phase.items())
widgets.kpi_row([
    (t("overview.kpi.stls"), present.number(figures.programme_states), t("overview.kpi.stls_help", phases=by_phase)),
    (t("overview.kpi.commitments"), present.number(figures.commitments), None),
    (t("overview.kpi.milestones_complete"), present.percent(figures.share_milestones_complete),
     t("overview.kpi.milestones_complete_help", complete=present.number(figures.milestones_complete),
       total=present.number(figures.milestones))),
    (t("overview.kpi.activity_90"), present.number(figures.sessions_last_90_days + figures.workshops_last_90_days),
     t("overview.kpi.activity_90_help", sessions=present.number(figures.sessions_last_90_days),
       workshops=present.number(figures.workshops_last_90_days))),
    (t("overview.kpi.overdue"), present.number(figures.overdue_milestones + figures.overdue_agreements),
     t("overview.kpi.overdue_help", milestones=present.number(figures.overdue_milestones),
       agreements=present.number(figures.overdue_agreements))),
    (t("overview.kpi.stalled"), present.number(figures.stalled_stls), t("overview.kpi.stalled_help", **present.stall_rule())),
])  # fmt: skip

st.subheader(t("overview.map.title"))
colour_by = st.segmented_control(
    t("overview.map.colour_by"), ["phase", "progress"], default="phase", required=True,
    format_func=lambda option: t(f"overview.map.by_{option}"), key="overview_colour_by",
)  # fmt: skip
state_table = present.readable(programme, ["state_name", "phase_label", "progress_text", "status_text"])
tile_map = charts.state_tile_map(
    states, colour_by=colour_by or "phase", titles=names, phase_labels=present.phase_labels(),
    tooltip=["state_name", "phase_label", "progress_text", "commitments_text", "status_text"],
)  # fmt: skip
widgets.chart(tile_map, state_table, key="map", description=t("overview.map.description"))
st.caption(t("overview.map.legend_note"))

left, right = st.columns(2)
with left:
    st.subheader(t("overview.progress.title"))
    bars = charts.progress_by_state(
        programme, titles=names, tooltip=["state_name", "progress_text", "phase_label"]
    )
    widgets.chart(
        bars,
        present.readable(programme, ["state_name", "progress_text", "commitments_text"]),
        key="progress_by_state",
        description=t("overview.progress.title"),
        csv=present.readable(programme, ["state_name", "progress", "commitments"], raw=True),
    )
with right:
    st.subheader(t("overview.phase.title"))
    dots = charts.phase_by_state(
        programme,
        titles=names,
        phase_labels=present.phase_labels(),
        tooltip=["state_name", "phase_label", "status_text"],
    )
    widgets.chart(
        dots,
        present.readable(programme, ["state_name", "phase_label"]),
        key="phase_by_state",
        description=t("overview.phase.title"),
    )

st.subheader(t("overview.attention.title"))
left, right = st.columns(2)
with left:
    st.markdown(f"##### {t('overview.stalled.title')}")
    stalled = cached.stalled_stls(*who)
    if stalled.empty:
        st.success(t("overview.stalled.none"), icon=":material/check_circle:")
    else:
        widgets.table(
            present.readable(
                present.state_frame(stalled),
                [
                    "state_name",
                    "phase_label",
                    "last_session_text",
                    "no_session_days",
                    "phase_unchanged_months",
                ],
                numbers=["no_session_days", "phase_unchanged_months"],
            )
        )
        st.caption(t("overview.stalled.rule", **present.stall_rule()))
with right:
    st.markdown(f"##### {t('overview.overdue.title')}")
    overdue = cached.overdue_milestones(*who, limit=10)
    if overdue.empty:
        st.success(t("overview.overdue.none"), icon=":material/check_circle:")
    else:
        widgets.table(
            present.readable(
                overdue,
                ["state_name", "commitment_title", "description", "due_date", "days_overdue"],
                dates=["due_date"],
                numbers=["days_overdue"],
            )
        )
        st.caption(t("overview.overdue.more", total=present.number(figures.overdue_milestones)))

st.subheader(t("overview.activity.title"))
months = present.activity_months(cached.activity_by_month(*who))
if int(months["activities"].sum()) == 0:
    widgets.empty(t("overview.activity.empty"))
else:
    widgets.chart(
        charts.activity_by_month(months, titles=names, kind_labels=present.kind_labels()),
        present.readable(months, ["month_label", "kind_label", "activities", "participants"],
                         numbers=["activities", "participants"]),
        key="activity_by_month", description=t("overview.activity.title"),
    )  # fmt: skip
    recent = present.recent_rows(cached.recent_activity(*who, limit=10))
    st.markdown(f"##### {t('overview.recent.title')}")
    widgets.table(
        present.readable(
            recent,
            ["held_on", "state_name", "kind_label", "label_text", "participant_total"],
            dates=["held_on"],
            numbers=["participant_total"],
        )
    )

st.subheader(t("overview.panorama.title"))
st.table(
    present.readable(
        programme,
        [
            "state_name",
            "call_year",
            "phase_label",
            "progress_text",
            "commitments_text",
            "overdue_milestones",
            "last_session_text",
            "status_text",
        ],
        numbers=["overdue_milestones"],
    ),
    hide_index=True,
)
