"""Agenda 2030: the states × SDGs matrix of commitments in the official SDG colours, a drill-down to the
commitments of a goal or target, and each state's SDG contributions as a list."""

import streamlit as st

from accompaniment import charts
from accompaniment.ui import cached, present, widgets
from accompaniment.ui.context import t

who = cached.viewer()
names = present.titles()
st.title(t("agenda.title"))
st.caption(t("agenda.intro"))

matrix = present.sdg_cells(cached.sdg_matrix(*who))
states = cached.programme_states(*who)
goals = cached.sdg_goals(*who)
goal_names = present.goal_names(goals)

st.subheader(t("agenda.matrix.title"))
if matrix.empty:
    widgets.empty(t("agenda.matrix.empty"))
else:
    grid = charts.sdg_matrix(matrix, titles=names, states=sorted(states["state_name"]))
    widgets.chart(
        grid,
        present.readable(matrix, ["state_name", "goal_label", "commitments"], numbers=["commitments"]),
        key="sdg_matrix",
        description=t("agenda.matrix.description"),
    )
    st.caption(t("agenda.matrix.note"))

st.subheader(t("agenda.drill.title"))
left, right = st.columns(2)
goal = left.selectbox(
    t("agenda.drill.goal"),
    list(goal_names),
    format_func=goal_names.__getitem__,
    key="agenda_goal",
    index=15 if len(goal_names) >= 16 else 0,
)
targets = present.target_names(cached.sdg_targets(*who, goal)) if goal is not None else None
target_options = (
    {} if targets is None else dict(zip(targets["target_code"], targets["target_name"], strict=True))
)
target = right.selectbox(
    t("agenda.drill.target"),
    [None, *target_options],
    key=f"agenda_target_{goal}",
    format_func=lambda c: t("agenda.drill.all_targets") if c is None else f"{c} · {target_options[c]}",
)
if goal is not None:
    found = present.target_names(cached.sdg_contributions(*who, goal=goal, target=target))
    if found.empty:
        widgets.empty(t("agenda.drill.empty"))
    else:
        limit, offset = widgets.paginate(len(found), key=f"agenda_page_{goal}_{target}")
        page = found.iloc[offset : offset + limit]
        widgets.table(present.readable(page, ["state_name", "title", "target_code", "target_name"]))
        widgets.numbers(
            present.readable(
                found, ["state_name", "commitment_id", "title", "target_code", "target_name"], raw=True
            ),
            key=f"sdg_{goal}_{target or 'all'}",
            title=t("agenda.drill.download"),
        )

st.subheader(t("agenda.by_state.title"))
by_state = present.contributions_by_state(matrix, states)
if by_state.empty:
    widgets.empty(t("agenda.matrix.empty"))
else:
    st.table(present.readable(by_state, ["state_name", "goals_text"]), hide_index=True)
