"""Secretariado: one STL's profile — phase timeline, members, commitments with their milestones, sessions and
workshops, agreements, SDG contributions and the dated events of its exercise."""

import streamlit as st

from accompaniment.domain.errors import AccompanimentError
from accompaniment.ui import (
    blocks,
    cached,
    commitment_view,
    frames,
    milestone_forms,
    phase_forms,
    present,
    widgets,
)
from accompaniment.ui.context import show_error, t

who = cached.viewer()
today = present.today()
st.title(t("secretariat.title"))
code = widgets.state_picker(cached.programme_states(*who), key="secretariat_state")
if code is None:
    widgets.empty(t("secretariat.no_states"))
    st.stop()
try:
    stl = cached.secretariat(*who, code)
except AccompanimentError as exc:
    show_error(exc)
    st.stop()

phase = present.enum_label("Phase", stl.phase)
st.markdown(t("secretariat.phase_now", phase=phase, date=present.day(stl.phase_since)))
widgets.kpi_row(
    [
        (t("col.declaration_date"), present.day(stl.declaration_date), None),
        (t("col.installation_date"), present.day(stl.installation_date), None),
        (t("col.call_year"), present.text(stl.call_year), None),
    ],
    per_row=3,
)
if stl.status_note:
    st.caption(present.text(stl.status_note))

tab_names = ["phases", "members", "commitments", "activity", "agreements", "agenda", "events"]
phases, people, plan, work, agreements, agenda, events = st.tabs(
    [t(f"secretariat.tab.{n}") for n in tab_names]
)

with phases:
    blocks.phase_timeline(cached.phase_history(*who, code), today, code)
    phase_forms.phase_change_form(code)  # specialist, working group, admins

with people:
    blocks.members(cached.members_by_sector(*who, code), cached.members(*who, code), code)

with plan:
    scope = (("state_code", code),)
    total = cached.count_commitments(*who, scope)
    if total == 0:
        widgets.empty(t("secretariat.no_commitments"))
    else:
        limit, offset = widgets.paginate(total, key=f"secretariat_commitments_{code}")
        rows = frames.commitment_rows(cached.list_commitments(*who, scope, limit, offset))
        commitment_view.listing(rows)
        blocks.milestone_gantt(cached.milestone_schedule(*who, code, tuple(rows["id"])), today, code)
        chosen = commitment_view.commitment_choice(rows, key=f"secretariat_commitment_{code}")
        if chosen is not None:
            commitment_view.render(chosen, rows.set_index("id").loc[chosen])
            milestone_forms.render(chosen)  # milestone updates, for those allowed

with work:
    period = blocks.activity_period(cached.activity_years(*who, code), code)
    shown = (code, period.limit, 0, period.held_from, period.held_to)
    if blocks.activity_timeline(cached.sessions(*who, *shown), cached.workshops(*who, *shown), code, period):
        blocks.participation(cached.participation(*who, code), code)

with agreements:
    blocks.agreements(
        widgets.open_ended_pages(
            lambda limit, offset: cached.agreements(*who, code, limit, offset), key=f"agreements_{code}"
        )
    )

with agenda:
    blocks.state_sdg_contributions(cached.sdg_contributions(*who, code), code)

with events:
    blocks.events(cached.stl_events(*who, code), code)
