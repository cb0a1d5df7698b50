"""Agenda 2030: the states × SDGs matrix of commitments in the official SDG colours, a drill-down to the
commitments of a goal or target, and each state's SDG contributions as a list."""

import streamlit as st

from accompaniment.ui import blocks, cached, frames, links, widgets
from accompaniment.ui.context import t

who = cached.viewer()
st.title(t("agenda.title"))
st.caption(t("agenda.intro"))

matrix = cached.sdg_matrix(*who)
states = cached.programme_states(*who)
blocks.sdg_matrix(matrix, states)

st.subheader(t("agenda.drill.title"))
goal_names = frames.goal_names(cached.sdg_goals(*who))
left, right = st.columns(2)
links.open_goal("agenda_goal")  # ?ods=5 (issue 13)
goal = widgets.choice(t("agenda.drill.goal"), goal_names, key="agenda_goal", default=16, where=left)
links.show_goal(goal, goal_names.get(goal, "") if goal is not None else "")
targets = frames.target_choices(cached.sdg_targets(*who, goal)) if goal is not None else {}
target = widgets.choice(
    t("agenda.drill.target"), targets, key=f"agenda_target_{goal}", everything=t("agenda.drill.all_targets"),
    where=right,
)  # fmt: skip
if goal is not None:
    blocks.goal_commitments(cached.sdg_contributions(*who, goal=goal, target=target), key=f"{goal}_{target}")

blocks.contributions_by_state(matrix, states)
