"""Compromisos: every commitment across the states, filtered by state, SDG, OGP value, completion level, overdue
milestones and text; one page of results at a time, and the detail of the commitment chosen."""

import streamlit as st

from accompaniment.domain.enums import CompletionLevel, OgpValue
from accompaniment.ui import cached, commitment_view, frames, links, milestone_forms, present, widgets
from accompaniment.ui.context import label, t

who = cached.viewer()
st.title(t("commitments.title"))
st.caption(t("commitments.intro"))
links.open_commitment("commitments_detail")  # ?compromiso=OAX-1-3 (issue 13)
links.open_milestone("commitments_detail", "milestone_pick_{}")  # ?hito=OAX-1-3-2

states = cached.programme_states(*who)
goals = cached.sdg_goals(*who)
state_names = dict(zip(states["state_code"], states["state_name"], strict=True))
goal_names = frames.goal_names(goals)
everything = t("commitments.filter.all")
ogp_names = {v.value: label("OgpValue", v.value) for v in OgpValue}
level_names = {c.value: label("CompletionLevel", c.value) for c in CompletionLevel}

links.open_state("commitments_state")  # ?estado= filters by that state
with st.container(border=True):
    first, second, third = st.columns(3)
    state_code = widgets.choice(
        t("commitments.filter.state"),
        state_names,
        key="commitments_state",
        everything=everything,
        where=first,
    )
    goal = widgets.choice(
        t("commitments.filter.sdg"), goal_names, key="commitments_goal", everything=everything, where=second
    )
    ogp_value = widgets.choice(
        t("commitments.filter.ogp"), ogp_names, key="commitments_ogp", everything=everything, where=third
    )
    first, second, third = st.columns(3)
    completion = widgets.choice(
        t("commitments.filter.completion"), level_names, key="commitments_completion", everything=everything,
        where=first,
    )  # fmt: skip
    search = second.text_input(
        t("commitments.filter.search"),
        key="commitments_search",
        max_chars=200,
        placeholder=t("commitments.filter.search_hint"),
    )
    third.space("small")
    overdue_only = third.toggle(t("commitments.filter.overdue"), key="commitments_overdue")

links.show_state_filter(state_code)
filters = present.filter_key(
    state_code=state_code,
    sdg_goal=goal,
    ogp_value=ogp_value,
    completion=completion,
    overdue_only=overdue_only,
    search=(search or "").strip(),
)
total = cached.count_commitments(*who, filters)
if total == 0:
    widgets.empty(t("commitments.none_match") if filters else t("commitments.none"))
    links.show_commitment(None)
    st.stop()

limit, offset = widgets.paginate(total, key=f"commitments_page_{present.digest(filters)}")
rows = frames.commitment_rows(cached.list_commitments(*who, filters, limit, offset))
commitment_view.listing(rows)
widgets.numbers(
    present.readable(rows, ["code", "state_name", "title", "progress", "completion_level_label"], percents=["progress"]),
    key="commitments", title=t("commitments.download"),
    csv=present.readable(rows, ["id", "state_name", "plan_number", "number", "title", "progress", "completion_level",
                                "milestones", "milestones_complete", "milestones_overdue", "sdg_targets",
                                "ogp_values"], raw=True),
)  # fmt: skip

st.subheader(t("commitments.detail"))
linked = links.linked_commitment(present.digest(filters))  # a link's commitment, while the filters stay
chosen = commitment_view.commitment_choice(rows, key="commitments_detail", linked=linked)
listed = rows.set_index("id")
links.show_commitment(chosen, listed.loc[chosen, "title"] if chosen in listed.index else "")
if chosen is not None:
    commitment_view.render(chosen, listed.loc[chosen] if chosen in listed.index else None)
    milestone_forms.render(chosen, assessment=True)  # milestone updates; IRM assessment (working group)
