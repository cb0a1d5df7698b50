"""Secretariado: one STL's profile — what it has pending, phase timeline, members, commitments with their
milestones, sessions and workshops, its dialogue sessions one by one, agreements, SDG contributions and the dated
events of its exercise."""

import streamlit as st

from accompaniment.domain.errors import AccompanimentError
from accompaniment.ui import (
    blocks,
    cached,
    commitment_view,
    frames,
    links,
    milestone_forms,
    overview_reporting,
    pending,
    phase_forms,
    present,
    reminders,
    scorecard,
    session_list,
    state_workbook_ui,
    widgets,
)
from accompaniment.ui.context import show_error, t

who = cached.viewer()
today = present.today()
st.title(t("secretariat.title"))
links.open_state("secretariat_state")  # ?estado=20 (or OAX, MX-OAX): issue 13
code = widgets.state_picker(cached.programme_states(*who), key="secretariat_state")
if code is None:
    widgets.empty(t("secretariat.no_states"))
    st.stop()
try:
    stl = cached.secretariat(*who, code)
except AccompanimentError as exc:
    show_error(exc)
    st.stop()
links.show_state(code, stl.state_name)  # the URL and the tab title name the state shown

phase = present.enum_label("Phase", stl.phase)
st.markdown(t("secretariat.phase_now", phase=phase, date=present.day(stl.phase_since)))
overview_reporting.state_approval_note(code)  # the public's figures: approved on (issue 12)
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
with st.container(horizontal=True):  # one row, so the pending items stay in the first screen
    reminders.calendar_download(code)  # the state's public calendar (.ics)
    links.copy_link("secretariat")  # issue 13

# Those who may update this state's milestones open on what is pending, with the update form in view; others on
# the phases. Switching tabs reruns the page, so a milestone form is drawn once: under "Pendientes" or "Compromisos".
landing = pending.may_update(code)
tab_names = ["phases", "members", "commitments", "activity", "sessions", "agreements", "scorecard", "agenda",
             "events"]  # fmt: skip
tab_names.insert(0 if landing else 3, "pending")
labels = [t(f"secretariat.tab.{n}") for n in tab_names]
tabs = dict(zip(tab_names, st.tabs(labels, key="secretariat_tab", on_change="rerun"), strict=True))

with tabs["pending"]:
    if tabs["pending"].open:
        pending.render(code)
        state_workbook_ui.render(code)  # the pre-filled milestone workbook, for those who may update them

with tabs["phases"]:
    blocks.phase_timeline(cached.phase_history(*who, code), today, code)
    phase_forms.phase_change_form(code)  # specialist, working group, admins

with tabs["members"]:
    blocks.members(cached.members_by_sector(*who, code), cached.members(*who, code), code)

with tabs["commitments"]:
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
            if tabs["commitments"].open:
                milestone_forms.render(chosen)  # milestone updates, for those allowed

with tabs["activity"]:
    period = blocks.activity_period(cached.activity_years(*who, code), code)
    shown = (code, period.limit, 0, period.held_from, period.held_to)
    if blocks.activity_timeline(cached.sessions(*who, *shown), cached.workshops(*who, *shown), code, period):
        blocks.participation(cached.participation(*who, code), code)

with tabs["sessions"]:
    session_list.render(code)

with tabs["agreements"]:
    blocks.agreements(
        widgets.open_ended_pages(
            lambda limit, offset: cached.agreements(*who, code, limit, offset), key=f"agreements_{code}"
        )
    )

with tabs["scorecard"]:
    if tabs["scorecard"].open:
        scorecard.state_card(code)

with tabs["agenda"]:
    blocks.state_sdg_contributions(cached.sdg_contributions(*who, code), code)

with tabs["events"]:
    blocks.events(cached.stl_events(*who, code), code)
