"""The dashboard's recurring blocks: a store frame in, a titled chart or table with its numbers out.

Each block ties ``present`` (labels, formats), ``charts`` (the figure) and ``widgets`` (chart with its numbers,
tables) together, so a page reads as the list of blocks it shows. Blocks read nothing from the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from accompaniment import charts
from accompaniment.store.dashboard import NationalFigures
from accompaniment.ui import chart_specs, frames, present, widgets
from accompaniment.ui.context import t

DONE_ICON = ":material/check_circle:"
YEAR_LIMIT = 500  # sessions (and workshops) of one state in one year: more than any STL has logged


def heading(key: str) -> None:
    st.markdown(f"##### {t(key)}")


# ---- national overview ----------------------------------------------------------------------------------------


def national_kpis(figures: NationalFigures) -> None:
    n = present.number
    by_phase = " · ".join(f"{phase}: {count}" for phase, count in figures.stls_by_phase.items())
    activity = figures.sessions_last_90_days + figures.workshops_last_90_days
    items = [
        (t("overview.kpi.stls"), n(figures.programme_states), t("overview.kpi.stls_help", phases=by_phase)),
        (t("overview.kpi.commitments"), n(figures.commitments), None),
        (
            t("overview.kpi.milestones_complete"),
            present.percent(figures.share_milestones_complete),
            t("overview.kpi.milestones_complete_help", complete=n(figures.milestones_complete),
              total=n(figures.milestones)),
        ),
        (
            t("overview.kpi.activity_90"),
            n(activity),
            t("overview.kpi.activity_90_help", sessions=n(figures.sessions_last_90_days),
              workshops=n(figures.workshops_last_90_days)),
        ),
        # Milestones and agreements apart, the milestones worded and counted as the PDF report has them.
        (t("overview.kpi.overdue_milestones"), n(figures.overdue_milestones), t("overview.kpi.overdue_milestones_help")),
        (t("overview.kpi.overdue_agreements"), n(figures.overdue_agreements), t("overview.kpi.overdue_agreements_help")),
        (t("overview.kpi.stalled"), n(figures.stalled_stls), t("overview.kpi.stalled_help", **frames.stall_rule())),
    ]  # fmt: skip
    widgets.kpi_row(items, per_row=4)


def state_map(states: pd.DataFrame, colour_by: str) -> None:
    """The tile map of the 32 states (``frames.state_frame``) and the programme states' figures as a table."""
    tooltip = ["state_name", "phase_label", "progress_text", "commitments_text", "status_text"]
    figure = chart_specs.spec(
        "state_tile_map",
        states,
        colour_by=colour_by,
        titles=present.titles(),
        phase_labels=present.phase_labels(),
        tooltip=tooltip,
        stalled_label=t("overview.map.stalled"),
    )
    table = present.cached_readable(frames.programme_only(states), tooltip)
    widgets.chart(figure, table, key="map", description=t("overview.map.description"), stretch=False)
    st.caption(t("overview.map.legend_note"))


def progress_bars(programme: pd.DataFrame) -> None:
    st.subheader(t("overview.progress.title"))
    figure = chart_specs.spec(
        "progress_by_state", programme, titles=present.titles(), tooltip=["state_name", "progress_text", "phase_label"],
        no_plan_label=t("overview.progress.no_plan"),
    )  # fmt: skip
    table = present.cached_readable(programme, ["state_name", "progress_text", "commitments_text"])
    csv = present.cached_readable(programme, ["state_name", "progress", "commitments"], raw=True)
    widgets.chart(figure, table, key="progress_by_state", description=t("overview.progress.title"), csv=csv)


def phase_dots(programme: pd.DataFrame) -> None:
    st.subheader(t("overview.phase.title"))
    figure = chart_specs.spec(
        "phase_by_state", programme, titles=present.titles(), phase_labels=present.phase_labels(),
        tooltip=["state_name", "phase_label", "status_text"],
    )  # fmt: skip
    table = present.cached_readable(programme, ["state_name", "phase_label"])
    widgets.chart(figure, table, key="phase_by_state", description=t("overview.phase.title"))


# The two "needs attention" tables run the page's full width, one under the other, their key columns (why the
# STL is stalled, how many days a milestone is overdue) right after the state and every column sized, so at a
# laptop's width (1400 px) nothing hides behind a sideways scroll. Widths in px; the long texts take the rest.
NAME_WIDTH = 150
SHORT_WIDTH = 120


def stalled_table(stalled: pd.DataFrame) -> None:
    heading("overview.stalled.title")
    if stalled.empty:
        st.success(t("overview.stalled.none"), icon=DONE_ICON)
        return
    columns = ["state_name", "stall_reason", "last_session_text", "phase_label"]
    shown = present.cached_readable(frames.state_frame(stalled), columns)
    names = present.titles()
    widgets.table(shown, **widths({names["state_name"]: NAME_WIDTH, names["stall_reason"]: 360,
                                   names["last_session_text"]: SHORT_WIDTH, names["phase_label"]: 250}))  # fmt: skip
    st.caption(t("overview.stalled.rule", **frames.stall_rule()))


def overdue_table(overdue: pd.DataFrame, total: int) -> None:
    heading("overview.overdue.title")
    if overdue.empty:
        st.success(t("overview.overdue.none"), icon=DONE_ICON)
        return
    columns = ["state_name", "days_overdue", "due_date", "description", "commitment_title"]
    shown = present.cached_readable(overdue, columns, dates=["due_date"], numbers=["days_overdue"])
    names = present.titles()
    widgets.table(shown, **widths({names["state_name"]: NAME_WIDTH, names["days_overdue"]: SHORT_WIDTH,
                                   names["due_date"]: SHORT_WIDTH, names["description"]: 260,
                                   names["commitment_title"]: 260}))  # fmt: skip
    st.caption(t("overview.overdue.more", total=present.number(total)))


def widths(columns: dict[str, int]) -> dict[str, object]:
    """Text columns of fixed widths (px), by their titles, for ``widgets.table``."""
    return {title: st.column_config.TextColumn(title, width=width) for title, width in columns.items()}


def monthly_activity(months: pd.DataFrame) -> bool:
    """Sessions and workshops per month; False (and a message) when nothing was logged in the window."""
    if int(months["activities"].sum()) == 0:
        widgets.empty(t("overview.activity.empty"))
        return False
    labelled = frames.activity_months(months)
    figure = chart_specs.spec(
        "activity_by_month", labelled, titles=present.titles(), kind_labels=frames.kind_labels()
    )
    columns = ["month_label", "kind_label", "activities", "participants"]
    table = present.cached_readable(labelled, columns, numbers=["activities", "participants"])
    widgets.chart(figure, table, key="activity_by_month", description=t("overview.activity.title"))
    return True


def recent_table(recent: pd.DataFrame) -> None:
    heading("overview.recent.title")
    columns = ["held_on", "state_name", "kind_label", "label_text", "participant_total"]
    rows = frames.recent_rows(recent)
    widgets.table(present.cached_readable(rows, columns, dates=["held_on"], numbers=["participant_total"]))


def panorama_table(programme: pd.DataFrame) -> None:
    """Every programme state with its phase and progress, as a real (accessible) table."""
    st.subheader(t("overview.panorama.title"))
    columns = ["state_name", "call_year", "phase_label", "progress_text", "commitments_text", "overdue_milestones",
               "last_session_text", "status_text"]  # fmt: skip
    columns += [c for c in ("report_status_text", "approved_on_text") if c in programme]  # issue 12
    st.table(present.cached_readable(programme, columns, numbers=["overdue_milestones"]), hide_index=True)


# ---- one secretariat ------------------------------------------------------------------------------------------


def phase_timeline(history: pd.DataFrame, today: date, code: str) -> None:
    spans = frames.phase_spans(history, today)
    if spans.empty:
        widgets.empty(t("secretariat.no_phases"))
        return
    tips = ["phase_label", "start_text", "end_text", "note_text"]
    figure = charts.phase_timeline(
        spans, titles=present.titles(), phase_labels=present.phase_labels(), tooltip=tips,
        month_names=present.month_names(),
    )  # fmt: skip
    widgets.chart(
        figure, present.readable(spans, tips), key=f"phases_{code}", description=t("secretariat.tab.phases")
    )


def members(by_sector: pd.DataFrame, roster: pd.DataFrame, code: str) -> None:
    if by_sector.empty:
        widgets.empty(t("secretariat.no_members"))
        return
    counts = present.with_labels(by_sector, sector="Sector")
    figure = charts.count_bars(counts, category="sector_label", value="members", titles=present.titles())
    table = present.readable(counts, ["sector_label", "members"])
    widgets.chart(figure, table, key=f"members_{code}", description=t("secretariat.members_chart"))
    people = present.with_labels(
        widgets.page_of(roster, key=f"members_page_{code}"), sector="Sector", seat="Seat"
    )
    wanted = ["organization", "sector_label", "seat_label", "person_name", "person_email"]
    shown = [
        c for c in wanted if c in people
    ]  # the store sends people's names only to those allowed to see them
    widgets.table(present.readable(people, shown))


def milestone_gantt(schedule: pd.DataFrame, today: date, code: str) -> None:
    heading("secretariat.gantt.title")
    rows = frames.schedule_frame(schedule, today)
    if rows.empty:
        widgets.empty(t("secretariat.gantt.empty"))
        return
    tips = ["row_label", "title_text", "description_text", "due_text", "progress_text", "status_label"]
    figure = charts.milestone_gantt(
        rows, titles=present.titles(), status_labels=frames.status_labels(), today=pd.Timestamp(today),
        tooltip=tips, month_names=present.month_names(),
    )  # fmt: skip
    widgets.chart(
        figure, present.readable(rows, tips), key=f"gantt_{code}", description=t("secretariat.gantt.title")
    )


@dataclass(frozen=True)
class Period:
    """What the activity tab reads: the latest entries (``year`` None) or those of one calendar year."""

    year: int | None

    @property
    def limit(self) -> int:
        return widgets.PAGE_SIZE if self.year is None else YEAR_LIMIT

    @property
    def held_from(self) -> date | None:
        return None if self.year is None else date(self.year, 1, 1)

    @property
    def held_to(self) -> date | None:
        return None if self.year is None else date(self.year, 12, 31)


def activity_period(years: list[int], code: str) -> Period:
    """The period picker of a state's activity: the latest entries, or any year in which it held some."""
    year = widgets.choice(
        t("secretariat.activity_period"), {year: str(year) for year in years}, key=f"activity_period_{code}",
        everything=t("secretariat.activity_latest"),
    )  # fmt: skip
    return Period(year)


def activity_timeline(sessions: pd.DataFrame, workshops: pd.DataFrame, code: str, period: Period) -> bool:
    points = frames.activity_points(sessions, workshops)
    if points.empty:
        widgets.empty(
            t("secretariat.no_activity" if period.year is None else "secretariat.no_activity_in_year")
        )
        return False
    tips = ["held_on_text", "kind_label", "label_text", "modality_label", "participant_total"]
    figure = charts.activity_timeline(
        points, titles=present.titles(), kind_labels=frames.kind_labels(), tooltip=tips,
        month_names=present.month_names(),
    )  # fmt: skip
    table = present.readable(points, tips, numbers=["participant_total"])
    widgets.chart(figure, table, key=f"activity_{code}", description=t("secretariat.activity_chart"))
    if period.year is None:
        st.caption(t("secretariat.latest_activity", count=widgets.PAGE_SIZE))
    else:
        counts = {"sessions": present.number(len(sessions)), "workshops": present.number(len(workshops))}
        st.caption(t("secretariat.year_activity", year=period.year, **counts))
        if max(len(sessions), len(workshops)) >= period.limit:
            st.caption(t("secretariat.year_capped", count=present.number(period.limit)))
    return True


def participation(totals: pd.DataFrame, code: str) -> None:
    heading("secretariat.participation")
    if totals.empty:
        widgets.empty(t("secretariat.no_participation"))
        return
    shares = frames.participation_totals(totals)
    figure = charts.gender_split_bars(
        shares, category="sector_label", value="participants", titles=present.titles(),
        gender_labels=present.gender_labels(),
    )  # fmt: skip
    table = present.readable(
        shares, ["sector_label", "gender_label", "participants"], numbers=["participants"]
    )
    widgets.chart(figure, table, key=f"participation_{code}", description=t("secretariat.participation"))


def agreements(listed: pd.DataFrame) -> None:
    if listed.empty:
        widgets.empty(t("secretariat.no_agreements"))
        return
    widgets.table(frames.agreement_table(listed))


def state_sdg_contributions(contributions: pd.DataFrame, code: str) -> None:
    if contributions.empty:
        widgets.empty(t("secretariat.no_sdg"))
        return
    rows = frames.target_names(widgets.page_of(contributions, key=f"sdg_page_{code}"))
    widgets.table(present.readable(rows, ["title", "goal", "target_code", "target_name"]))


def events(dated: pd.DataFrame, code: str) -> None:
    if dated.empty:
        widgets.empty(t("secretariat.no_events"))
        return
    rows = frames.event_rows(widgets.page_of(dated, key=f"events_page_{code}"))
    widgets.table(present.readable(rows, ["when", "kind_label", "description"]))


# ---- Agenda 2030 ----------------------------------------------------------------------------------------------


def sdg_matrix(matrix: pd.DataFrame, states: pd.DataFrame) -> None:
    st.subheader(t("agenda.matrix.title"))
    if matrix.empty:
        widgets.empty(t("agenda.matrix.empty"))
        return
    cells = frames.sdg_cells(matrix)
    figure = charts.sdg_matrix(cells, titles=present.titles(), states=sorted(states["state_name"]))
    table = present.readable(cells, ["state_name", "goal_label", "commitments"], numbers=["commitments"])
    widgets.chart(figure, table, key="sdg_matrix", description=t("agenda.matrix.description"))
    st.caption(t("agenda.matrix.note"))


def goal_commitments(contributions: pd.DataFrame, key: str) -> None:
    """The commitments aligned to the chosen goal or target, one row each with its targets, a page at a time."""
    found = frames.targets_per_commitment(contributions)
    if found.empty:
        widgets.empty(t("agenda.drill.empty"))
        return
    limit, offset = widgets.paginate(len(found), key=f"agenda_page_{key}")
    page = found.iloc[offset : offset + limit]
    widgets.table(present.readable(page, ["state_name", "title", "targets_text"]))
    csv = present.readable(found, ["state_name", "commitment_id", "title", "targets_text"], raw=True)
    widgets.numbers(csv, key=f"sdg_{key}", title=t("agenda.drill.download"))


def contributions_by_state(matrix: pd.DataFrame, states: pd.DataFrame) -> None:
    st.subheader(t("agenda.by_state.title"))
    if states.empty:
        widgets.empty(t("secretariat.no_states"))
        return
    rows = frames.contributions_by_state(matrix, states)
    st.table(present.readable(rows, ["state_name", "goals_text"]), hide_index=True)


# ---- training programme ---------------------------------------------------------------------------------------


def call_figures(calls: pd.DataFrame) -> None:
    """The published figures of each call, as given by the programme (with its source)."""
    st.subheader(t("training.published.title"))
    for call in calls.itertuples():
        st.markdown(f"##### {t('training.call', year=call.year)}")
        applicants, applicants_help = frames.applicants_figure(call.applicants, call.applicants_at_least)
        widgets.kpi_row([
            (t("training.measure.applicants"), applicants, applicants_help),
            (t("training.measure.fellows"), present.number(call.fellows), None),
            (t("training.measure.fellows_women"), present.number(call.fellows_women), None),
            (t("training.measure.states"), present.number(call.states), None),
        ])  # fmt: skip
        st.caption(t("training.source", source=frames.call_source(call.year, call.source)))
    measures = frames.call_measures(calls)
    figure = charts.applicants_vs_fellows(
        measures, titles=present.titles(), measure_labels=frames.measure_labels()
    )
    table = present.readable(measures, ["year_label", "measure_label", "value_text"])
    widgets.chart(figure, table, key="applicants_vs_fellows", description=t("training.chart.description"))


def fellows_per_state(call_states: pd.DataFrame, by_gender: pd.DataFrame, year: int) -> None:
    heading("training.per_state")
    st.caption(t("training.per_state_note"))
    per_state = frames.state_fellows(call_states, by_gender)
    numbers = ["applicants", "fellows", "fellows_women"]
    widgets.table(present.readable(per_state, ["state_name", *numbers], numbers=numbers))
    if by_gender.empty:
        widgets.empty(t("training.no_records"))
        return
    rows = frames.gender_rows(by_gender)
    figure = charts.gender_split_bars(
        rows,
        category="state_name",
        value="fellows",
        titles=present.titles(),
        gender_labels=present.gender_labels(),
    )
    table = present.readable(rows, ["state_name", "gender_label", "fellows"], numbers=["fellows"])
    widgets.chart(figure, table, key=f"fellows_{year}", description=t("training.gender_chart", year=year))


def fellows_projects(projects: pd.DataFrame) -> None:
    rows = present.with_labels(projects, gender="Gender")
    columns = ["state_name", "gender_label", "project_title", "submitted_to_stl", "commitment_title"]
    widgets.table(present.readable(rows, columns, flags=["submitted_to_stl"]))
