"""Secretariado: one STL's profile — phase timeline, members, commitments with their milestones, sessions and
workshops, agreements, SDG contributions and the dated events of its exercise."""

import streamlit as st

from accompaniment import charts
from accompaniment.domain.errors import AccompanimentError
from accompaniment.ui import cached, commitment_view, present, widgets
from accompaniment.ui.context import show_error, t

who = cached.viewer()
names = present.titles()
today = present.today()
st.title(t("secretariat.title"))
states = cached.programme_states(*who)
code = widgets.state_picker(states, key="secretariat_state")
if code is None:
    widgets.empty(t("secretariat.no_states"))
    st.stop()
try:
    stl = cached.secretariat(*who, code)
except AccompanimentError as exc:
    show_error(exc)
    st.stop()

widgets.kpi_row([
    (t("col.phase_label"), present.enum_label("Phase", stl.phase), t("secretariat.since", date=present.day(stl.phase_since))),
    (t("col.declaration_date"), present.day(stl.declaration_date), None),
    (t("col.installation_date"), present.day(stl.installation_date), None),
    (t("col.call_year"), present.text(stl.call_year), None),
])  # fmt: skip
if stl.status_note:
    st.caption(present.text(stl.status_note))

phases, people, plan, work, agreements, agenda, events = st.tabs([t(f"secretariat.tab.{name}") for name in (
    "phases", "members", "commitments", "activity", "agreements", "agenda", "events")])  # fmt: skip

with phases:
    spans = present.phase_spans(cached.phase_history(*who, code), today)
    tips = ["phase_label", "start_text", "end_text", "note_text"]
    widgets.chart(
        charts.phase_timeline(spans, titles=names, phase_labels=present.phase_labels(), tooltip=tips),
        present.readable(spans, tips),
        key=f"phases_{code}",
        description=t("secretariat.tab.phases"),
    )

with people:
    by_sector = present.with_labels(cached.members_by_sector(*who, code), sector="Sector")
    if by_sector.empty:
        widgets.empty(t("secretariat.no_members"))
    else:
        widgets.chart(
            charts.count_bars(by_sector, category="sector_label", value="members", titles=names),
            present.readable(by_sector, ["sector_label", "members"]),
            key=f"members_{code}",
            description=t("secretariat.members_chart"),
        )
        roster = present.with_labels(cached.members(*who, code), sector="Sector", seat="Seat")
        widgets.table(
            present.readable(
                roster,
                [
                    c
                    for c in ("organization", "sector_label", "seat_label", "person_name", "person_email")
                    if c in roster
                ],
            )
        )

with plan:
    scope = (("state_code", code),)
    total = cached.count_commitments(*who, scope)
    if total == 0:
        widgets.empty(t("secretariat.no_commitments"))
    else:
        limit, offset = widgets.paginate(total, key=f"secretariat_commitments_{code}")
        rows = present.commitment_rows(cached.list_commitments(*who, scope, limit, offset))
        commitment_view.listing(rows)
        schedule = present.schedule_frame(cached.milestone_schedule(*who, code, tuple(rows["id"])), today)
        st.markdown(f"##### {t('secretariat.gantt.title')}")
        if schedule.empty:
            widgets.empty(t("secretariat.gantt.empty"))
        else:
            tips = [
                "row_label",
                "title_text",
                "description_text",
                "due_text",
                "progress_text",
                "status_label",
            ]
            gantt = charts.milestone_gantt(
                schedule,
                titles=names,
                status_labels=present.status_labels(),
                today=present.timestamp(today),
                tooltip=tips,
            )
            widgets.chart(
                gantt,
                present.readable(schedule, tips),
                key=f"gantt_{code}",
                description=t("secretariat.gantt.title"),
            )
        chosen = commitment_view.commitment_choice(rows, key=f"secretariat_commitment_{code}")
        if chosen is not None:
            commitment_view.render(chosen, rows.set_index("id").loc[chosen])

with work:
    points = present.activity_points(cached.sessions(*who, code), cached.workshops(*who, code))
    if points.empty:
        widgets.empty(t("secretariat.no_activity"))
    else:
        tips = ["held_on_text", "kind_label", "label_text", "modality_label", "participant_total"]
        widgets.chart(
            charts.activity_timeline(points, titles=names, kind_labels=present.kind_labels(), tooltip=tips),
            present.readable(points, tips, numbers=["participant_total"]),
            key=f"activity_{code}",
            description=t("secretariat.activity_chart"),
        )
        st.caption(t("secretariat.latest_activity", count=widgets.PAGE_SIZE))
        shares = present.participation_totals(cached.participation(*who, code))
        st.markdown(f"##### {t('secretariat.participation')}")
        widgets.chart(
            charts.gender_split_bars(
                shares,
                category="sector_label",
                value="participants",
                titles=names,
                gender_labels=present.gender_labels(),
            ),
            present.readable(
                shares, ["sector_label", "gender_label", "participants"], numbers=["participants"]
            ),
            key=f"participation_{code}",
            description=t("secretariat.participation"),
        )

with agreements:
    listed = widgets.open_ended_pages(
        lambda n, skip: cached.agreements(*who, code, n, skip), key=f"agreements_{code}"
    )
    if listed.empty:
        widgets.empty(t("secretariat.no_agreements"))
    else:
        widgets.table(present.agreement_table(listed))

with agenda:
    contributions = present.target_names(cached.sdg_contributions(*who, code))
    if contributions.empty:
        widgets.empty(t("secretariat.no_sdg"))
    else:
        widgets.table(present.readable(contributions, ["title", "goal", "target_code", "target_name"]))

with events:
    dated = present.event_rows(cached.stl_events(*who, code))
    if dated.empty:
        widgets.empty(t("secretariat.no_events"))
    else:
        widgets.table(present.readable(dated, ["when", "kind_label", "description"]))
