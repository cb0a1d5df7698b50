"""Panorama nacional: headline figures, the map of Mexico, progress and phase of each STL, what needs attention,
recent activity, and a table naming every programme state with its phase and progress."""

import streamlit as st

from accompaniment.ui import blocks, cached, frames, overview_reporting, scorecard
from accompaniment.ui.context import t

who = cached.viewer()
st.title(t("overview.title"))
st.caption(t("overview.intro"))
overview_reporting.notice()  # whose figures these are; reports waiting for review (issue 12)

overview = cached.national_overview(*who, list_limit=10)
figures = overview.figures
states = frames.state_frame(overview.states)
programme = frames.programme_only(states)
blocks.national_kpis(figures)

st.subheader(t("overview.map.title"))
colour_names = {option: t(f"overview.map.by_{option}") for option in ("phase", "progress")}
colour_by = st.segmented_control(
    t("overview.map.colour_by"),
    list(colour_names),
    default="phase",
    required=True,
    format_func=colour_names.__getitem__,
    key="overview_colour_by",
)
blocks.state_map(states, colour_by or "phase")

left, right = st.columns(2)
with left:
    blocks.progress_bars(programme)
with right:
    blocks.phase_dots(programme)

st.subheader(t("overview.attention.title"))
blocks.stalled_table(overview.stalled)  # one under the other: each needs the full width (blocks.NAME_WIDTH)
blocks.overdue_table(overview.overdue, total=figures.overdue_milestones)

st.subheader(t("overview.activity.title"))
if blocks.monthly_activity(overview.monthly):
    blocks.recent_table(overview.recent)

scorecard.comparison()

blocks.panorama_table(overview_reporting.with_reporting(programme))
