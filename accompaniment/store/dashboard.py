"""The read queries behind the dashboard pages: national figures, the state overview, overdue work, activity.

Everything is aggregated by the database with bound parameters and portable SQLAlchemy Core, so the pages read a
few dozen rows whatever the size of the record. Rules that decide a single state's status (stalled) run in Python
over the small aggregated result with ``domain.rules`` itself, so the dashboard and the rules cannot disagree.
Archived rows, and rows under an archived parent, are ignored; no private column (session summaries, workshop
notes, members' personal data) is ever selected.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

import pandas as pd
from sqlalchemy import (
    ColumnElement,
    Connection,
    Date,
    Integer,
    Select,
    Table,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.sql import FromClause

from accompaniment import settings
from accompaniment.access import Action, Actor, require
from accompaniment.domain.enums import AgreementStatus, Phase
from accompaniment.domain.rules import stall_reason
from accompaniment.store.commitments_query import (
    commitment_progress_query,
    count_commitments,
    frame,
    list_commitments,
    milestone_source,
    overdue_milestones,
    overdue_milestones_on,
    sdg_contributions,
    sdg_matrix,
    shows_published,
)
from accompaniment.store.database import Store
from accompaniment.store.schema import (
    action_plan,
    agreement,
    commitment,
    dialogue_session,
    participation,
    secretariat,
    state,
    workshop,
)

__all__ = [
    "NationalFigures", "NationalOverview", "activity_by_month", "commitment_progress_query", "count_commitments", "list_commitments",
    "national_figures", "national_overview", "overdue_milestones", "participation_by_sector_gender", "recent_activity",
    "sdg_contributions", "sdg_matrix", "state_overview", "stalled_stls",
]  # fmt: skip

RECENT_DAYS = 90
# The dates the overview's cached statements are built with and bound to when they run.
TODAY = bindparam("today", type_=Date)
SINCE = bindparam("since", type_=Date)
ACTIVITY_KINDS: tuple[tuple[str, Table], ...] = (("session", dialogue_session), ("workshop", workshop))

STATE_COLUMNS = [
    "state_code", "state_name", "iso_code", "short_name", "programme", "call_year", "grid_row", "grid_col",
    "phase", "phase_since", "progress", "commitments", "overdue_milestones", "last_session_on", "stalled",
    "days_since_session",
]  # fmt: skip
STALLED_COLUMNS = [*STATE_COLUMNS, "no_session_days", "phase_unchanged_months"]
_STATE_INTEGERS = ["call_year", "grid_row", "grid_col", "phase", "commitments", "overdue_milestones"]
MONTH_COLUMNS = ["month", "kind", "activities", "participants"]
RECENT_COLUMNS = [
    "kind", "id", "state_code", "state_name", "held_on", "label", "participant_total", "public_summary",
]  # fmt: skip
PARTICIPATION_COLUMNS = ["kind", "sector", "gender", "participants"]


@dataclass(frozen=True)
class NationalFigures:
    """The headline figures of the national overview.

    ``stls_by_phase`` maps every phase (0–5) to its number of programme STLs; ``share_milestones_complete`` is a
    percentage (0–100), or None when there are no milestones. Sessions and workshops count those held in the last
    90 days up to today; ``stalled_stls`` counts programme states stalled by ``domain.rules.stall_reason``.
    """

    stls_by_phase: dict[int, int]
    programme_states: int
    commitments: int
    milestones: int
    milestones_complete: int
    share_milestones_complete: float | None
    sessions_last_90_days: int
    workshops_last_90_days: int
    overdue_milestones: int
    overdue_agreements: int
    stalled_stls: int


# ---- building blocks -------------------------------------------------------------------------------------------


def _last_session(joined: FromClause, today: Any, by_index: bool) -> tuple[FromClause, ColumnElement]:
    """``joined`` (which holds ``state``) with, per state, the date of its latest live dialogue session held on or
    before today, as (from clause, column).

    ``by_index`` (PostgreSQL): a correlated lookup per state, one step down the (state_code, held_on) index each.
    Otherwise (DuckDB, which keeps no such index): one grouped pass over the sessions, joined on the state; DuckDB
    runs that faster than its rewrite of the correlated form.
    """
    live = and_(dialogue_session.c.archived_at.is_(None), dialogue_session.c.held_on <= today)
    if by_index:
        latest = (
            select(func.max(dialogue_session.c.held_on))
            .where(dialogue_session.c.state_code == state.c.code, live)
            .correlate(state)
            .scalar_subquery()
        )
        return joined, latest.label("last_session_on")
    grouped = (
        select(dialogue_session.c.state_code, func.max(dialogue_session.c.held_on).label("last_session_on"))
        .where(live)
        .group_by(dialogue_session.c.state_code)
        .subquery("last_session")
    )
    return joined.outerjoin(grouped, grouped.c.state_code == state.c.code), grouped.c.last_session_on


def _by_index(connection: Connection) -> bool:
    return connection.dialect.name != "duckdb"


def _plan_figures(today: date, public: bool = False) -> Select:
    """Per state, in one pass over its milestones: the latest live plan's mean commitment progress and number of
    live commitments, and the overdue milestones of all its live plans (``public``: the approved figures)."""
    progress = commitment_progress_query(today, with_plan=True, public=public).subquery("progress")
    latest = (
        select(action_plan.c.state_code, func.max(action_plan.c.number).label("number"))
        .where(action_plan.c.archived_at.is_(None))
        .group_by(action_plan.c.state_code)
        .subquery("latest")
    )
    current = progress.c.plan_number == latest.c.number
    return (
        select(
            progress.c.state_code,
            func.avg(case((current, progress.c.progress))).label("progress"),
            func.count(case((current, 1))).label("commitments"),
            func.sum(progress.c.milestones_overdue).label("overdue_milestones"),
        )
        .select_from(progress.join(latest, latest.c.state_code == progress.c.state_code))
        .group_by(progress.c.state_code)
    )


def _with_stall(rows: list[dict[str, Any]], today: date) -> list[dict[str, Any]]:
    """Add days_since_session, stalled and its reasons to each state row (only programme states can be stalled)."""
    session_days = int(settings.get("stalled_session_days"))
    phase_months = int(settings.get("stalled_phase_months"))
    for row in rows:
        last = row["last_session_on"]
        row["days_since_session"] = (today - last).days if last is not None else None
        reason = stall_reason(last, row["phase_since"], today, session_days, phase_months)
        stalled = bool(row["programme"]) and reason.stalled
        row["stalled"] = stalled
        row["no_session_days"] = reason.no_session_days if stalled else None
        row["phase_unchanged_months"] = reason.phase_unchanged_months if stalled else None
    return rows


@cache
def _state_rows_query(by_index: bool, public: bool = False) -> Select:
    """The state table's query, built once with ``today`` as a bound parameter (``TODAY``): constructing it took
    about as long as DuckDB took to run it. ``public``: from the approved figures (issue 12)."""
    plans = _plan_figures(TODAY, public).subquery("plan_figures")
    programme_secretariat = and_(
        secretariat.c.state_code == state.c.code,
        secretariat.c.archived_at.is_(None),
        state.c.programme.is_(True),
    )
    joined = state.outerjoin(secretariat, programme_secretariat).outerjoin(
        plans, plans.c.state_code == state.c.code
    )
    joined, last_session_on = _last_session(joined, TODAY, by_index)
    return (
        select(
            state.c.code.label("state_code"),
            state.c.name.label("state_name"),
            state.c.iso_code,
            state.c.short_name,
            state.c.programme,
            state.c.call_year,
            state.c.grid_row,
            state.c.grid_col,
            secretariat.c.phase,
            secretariat.c.phase_since,
            plans.c.progress,
            func.coalesce(plans.c.commitments, 0).label("commitments"),
            func.coalesce(plans.c.overdue_milestones, 0).label("overdue_milestones"),
            last_session_on,
        )
        .select_from(joined)
        .order_by(state.c.code)
    )


def _state_rows(connection: Connection, today: date, public: bool = False) -> list[dict[str, Any]]:
    rows = connection.execute(_state_rows_query(_by_index(connection), public), {"today": today}).mappings()
    return _with_stall([dict(row) for row in rows], today)


@cache
def _programme_rows_query(by_index: bool) -> Select:
    live_secretariat = and_(secretariat.c.state_code == state.c.code, secretariat.c.archived_at.is_(None))
    joined, last_session_on = _last_session(state.outerjoin(secretariat, live_secretariat), TODAY, by_index)
    return (
        select(
            state.c.code, state.c.programme, secretariat.c.phase, secretariat.c.phase_since, last_session_on
        )
        .select_from(joined)
        .where(state.c.programme.is_(True))
    )


def _programme_rows(connection: Connection, today: date) -> list[dict[str, Any]]:
    """Each programme state's phase, phase date and last session, with ``_with_stall``'s columns: what the
    headline figures need, without the plan figures of ``_state_rows``."""
    rows = connection.execute(_programme_rows_query(_by_index(connection)), {"today": today}).mappings()
    return _with_stall([dict(row) for row in rows], today)


@cache
def _national_totals_query(public: bool = False) -> Select:
    """One row: live commitments, their counted, complete and overdue milestones, sessions and workshops held
    from ``since`` to ``today``, overdue open agreements (``today`` and ``since`` bound at execution).
    ``public``: the milestone figures are the approved ones (issue 12)."""
    progress = commitment_progress_query(TODAY, public=public).subquery("progress")
    totals = [
        func.count(progress.c.commitment_id),
        *(func.coalesce(func.sum(progress.c[name]), 0) for name in ("milestones", "milestones_complete",
                                                                     "milestones_overdue")),
    ]  # fmt: skip
    recent = [
        select(func.count())
        .select_from(table)
        .where(table.c.archived_at.is_(None), table.c.held_on >= SINCE, table.c.held_on <= TODAY)
        .scalar_subquery()
        for _, table in ACTIVITY_KINDS
    ]
    open_agreements = [AgreementStatus.PENDING.value, AgreementStatus.IN_PROGRESS.value]
    # "Not under an archived session" rather than "joined to a live session": the same agreements (every one has
    # its session), but the database checks them against the few archived sessions, not against all of them.
    archived_session = (
        select(dialogue_session.c.id)
        .where(dialogue_session.c.id == agreement.c.session_id, dialogue_session.c.archived_at.is_not(None))
        .exists()
    )
    overdue_agreements = (
        select(func.count())
        .select_from(agreement)
        .where(
            agreement.c.archived_at.is_(None),
            ~archived_session,
            agreement.c.due_date < TODAY,
            agreement.c.status.in_(open_agreements),
        )
        .scalar_subquery()
    )
    return select(*totals, *recent, overdue_agreements).select_from(progress)


def _figures_on(
    connection: Connection, today: date, programme: list[dict[str, Any]], public: bool = False
) -> NationalFigures:
    """The headline figures from one row of totals and the programme states' rows (phase and stall rule)."""
    since = today - timedelta(days=RECENT_DAYS - 1)
    totals = connection.execute(_national_totals_query(public), {"today": today, "since": since}).one()
    commitments, milestones, complete, overdue, sessions, workshops, agreements = (int(v) for v in totals)
    by_phase = Counter(int(row["phase"]) for row in programme if row["phase"] is not None)
    return NationalFigures(
        stls_by_phase={int(p): by_phase.get(int(p), 0) for p in Phase},
        programme_states=len(programme),
        commitments=commitments,
        milestones=milestones,
        milestones_complete=complete,
        share_milestones_complete=100.0 * complete / milestones if milestones else None,
        sessions_last_90_days=sessions,
        workshops_last_90_days=workshops,
        overdue_milestones=overdue,
        overdue_agreements=agreements,
        stalled_stls=sum(1 for row in programme if row["stalled"]),
    )


def _state_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    return frame(rows, STATE_COLUMNS, integers=[*_STATE_INTEGERS, "days_since_session"])


def _stalled_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    integers = [*_STATE_INTEGERS, "days_since_session", "no_session_days", "phase_unchanged_months"]
    return frame([row for row in rows if row["stalled"]], STALLED_COLUMNS, integers=integers)


# ---- public reads ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NationalOverview:
    """Everything the Panorama nacional shows, as ``national_overview`` reads it: the headline figures, the 32
    states (``state_overview``'s frame), the stalled STLs, the first overdue milestones, activity by month and
    the latest activity."""

    figures: NationalFigures
    states: pd.DataFrame
    stalled: pd.DataFrame
    overdue: pd.DataFrame
    monthly: pd.DataFrame
    recent: pd.DataFrame


def national_overview(
    store: Store, actor: Actor, today: date | None = None, list_limit: int = 10, months: int = 24
) -> NationalOverview:
    """The national overview in one visit to the database: one connection, five statements.

    The same answers as ``national_figures``, ``state_overview``, ``stalled_stls``, ``overdue_milestones``,
    ``activity_by_month`` and ``recent_activity`` called one by one, but the per-state rows are computed once
    (they give the map, the phase counts and the stall rule alike) and no call pays for its own connection.
    """
    require(actor, Action.READ_PUBLISHED)
    require(actor, Action.READ_ACTIVITY)
    today = today or store.today()
    public = shows_published(actor)  # the public sees the approved figures (issue 12)
    with store.read() as connection:
        rows = _state_rows(connection, today, public)
        figures = _figures_on(connection, today, [row for row in rows if row["programme"]], public)
        overdue = overdue_milestones_on(connection, today, limit=list_limit, public=public)
        monthly = _activity_by_month_on(connection, None, months, today)
        recent = _recent_activity_on(connection, None, list_limit, today)
    return NationalOverview(figures, _state_frame(rows), _stalled_frame(rows), overdue, monthly, recent)


def national_figures(store: Store, actor: Actor, today: date | None = None) -> NationalFigures:
    """The KPIs of the national overview, from two aggregate queries: one row of totals, and one row per
    programme state (phase and last session) for the phase counts and the stall rule."""
    require(actor, Action.READ_PUBLISHED)
    today = today or store.today()
    with store.read() as connection:
        return _figures_on(connection, today, _programme_rows(connection, today), shows_published(actor))


def state_overview(store: Store, actor: Actor, today: date | None = None) -> pd.DataFrame:
    """One row for each of the 32 states, by INEGI code.

    Columns: state_code, state_name, iso_code, short_name, programme (bool), call_year, grid_row, grid_col,
    phase and phase_since (null outside the programme), progress (mean commitment progress of the latest live plan;
    null without a plan or commitments), commitments (of that plan), overdue_milestones (all plans),
    last_session_on (date or null), stalled (bool; programme states only), days_since_session (null if none).
    """
    require(actor, Action.READ_PUBLISHED)
    today = today or store.today()
    with store.read() as connection:
        return _state_frame(_state_rows(connection, today, shows_published(actor)))


def stalled_stls(store: Store, actor: Actor, today: date | None = None) -> pd.DataFrame:
    """The stalled programme STLs: the columns of ``state_overview`` plus why each one is stalled.

    no_session_days: days since the last session when that is a reason, -1 when the STL never met (the convention
    of ``domain.rules.stall_reason``), null when it is not a reason; phase_unchanged_months likewise (null or months).
    """
    require(actor, Action.READ_PUBLISHED)
    today = today or store.today()
    with store.read() as connection:
        return _stalled_frame(_state_rows(connection, today, shows_published(actor)))


def _add_months(first_of_month: date, months: int) -> date:
    index = first_of_month.year * 12 + first_of_month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def activity_by_month(
    store: Store, actor: Actor, state_code: str | None = None, months: int = 24, today: date | None = None
) -> pd.DataFrame:
    """Sessions and workshops per calendar month, over the last ``months`` months up to today.

    Columns: month (date, first day), kind ('session' or 'workshop'), activities, participants (sum of the
    activities' participant totals). Every month of the window appears for both kinds, with zeros when quiet.
    """
    require(actor, Action.READ_ACTIVITY, state_code)
    today = today or store.today()
    with store.read() as connection:
        return _activity_by_month_on(connection, state_code, months, today)


def _activity_by_month_on(
    connection: Connection, state_code: str | None, months: int, today: date
) -> pd.DataFrame:
    """Grouped by month in the database (issue 18): one row per month and kind crosses the driver, at most
    ``months`` per kind, where grouping by day sent up to 731 rows per kind to be folded in Python. A month is
    its index ``year * 12 + month - 1``, portable SQL on both backends."""
    months = max(int(months), 1)
    start = _add_months(today.replace(day=1), -(months - 1))
    grouped = []
    for kind, table in ACTIVITY_KINDS:
        month = cast(
            func.extract("year", table.c.held_on) * 12 + func.extract("month", table.c.held_on) - 1, Integer
        ).label("month_index")
        query = (
            select(
                literal(kind).label("kind"),
                month,
                func.count().label("activities"),
                func.coalesce(func.sum(table.c.participant_total), 0).label("participants"),
            )
            .where(table.c.archived_at.is_(None), table.c.held_on >= start, table.c.held_on <= today)
            .group_by(month)
        )
        if state_code:
            query = query.where(table.c.state_code == state_code)
        grouped.append(query)
    found = {(int(row.month_index), row.kind): row for row in connection.execute(union_all(*grouped))}
    rows = []
    for index in range(months):
        first = _add_months(start, index)
        for kind, _ in ACTIVITY_KINDS:
            row = found.get((first.year * 12 + first.month - 1, kind))
            rows.append(
                {
                    "month": first,
                    "kind": kind,
                    "activities": int(row.activities) if row else 0,
                    "participants": int(row.participants) if row else 0,
                }
            )
    return frame(rows, MONTH_COLUMNS, integers=["activities", "participants"])


def recent_activity(
    store: Store, actor: Actor, state_code: str | None = None, limit: int = 10, today: date | None = None
) -> pd.DataFrame:
    """The latest sessions and workshops held up to today, newest first (public fields only).

    Columns: kind ('session' or 'workshop'), id, state_code, state_name, held_on, label (the session type for a
    session, the title for a workshop), participant_total, public_summary.
    """
    require(actor, Action.READ_ACTIVITY, state_code)
    today = today or store.today()
    with store.read() as connection:
        return _recent_activity_on(connection, state_code, limit, today)


def _recent_activity_on(
    connection: Connection, state_code: str | None, limit: int, today: date
) -> pd.DataFrame:
    limit = max(int(limit), 0)
    parts = []
    for kind, table in ACTIVITY_KINDS:
        label = table.c.session_type if table is dialogue_session else table.c.title
        # Each kind's own latest ``limit`` first (an index scan on PostgreSQL), so the union is never the
        # whole activity record of the country.
        query = (
            select(
                literal(kind).label("kind"),
                table.c.id,
                table.c.state_code,
                table.c.held_on,
                label.label("label"),
                table.c.participant_total,
                table.c.public_summary,
            )
            .where(table.c.archived_at.is_(None), table.c.held_on <= today)
            .order_by(table.c.held_on.desc(), table.c.id.desc())
            .limit(limit)
        )
        if state_code:
            query = query.where(table.c.state_code == state_code)
        parts.append(query)
    activity = union_all(*parts).subquery("activity")
    query = (
        select(
            activity.c.kind,
            activity.c.id,
            activity.c.state_code,
            state.c.name.label("state_name"),
            activity.c.held_on,
            activity.c.label,
            activity.c.participant_total,
            activity.c.public_summary,
        )
        .join(state, state.c.code == activity.c.state_code)
        .order_by(activity.c.held_on.desc(), activity.c.kind, activity.c.id.desc())
        .limit(limit)
    )
    rows = connection.execute(query).mappings().all()
    return frame(rows, RECENT_COLUMNS, integers=["id", "participant_total"])


def participation_by_sector_gender(
    store: Store, actor: Actor, state_code: str | None = None, since: date | None = None
) -> pd.DataFrame:
    """Participants of live sessions and workshops by sector and gender (from the participant breakdowns).

    Columns: kind ('session' or 'workshop'), sector, gender, participants. Only non-zero groups appear.
    """
    require(actor, Action.READ_ACTIVITY, state_code)
    parts = []
    for kind, table in ACTIVITY_KINDS:
        key = participation.c.session_id if table is dialogue_session else participation.c.workshop_id
        query = (
            select(
                literal(kind).label("kind"),
                participation.c.sector,
                participation.c.gender,
                func.sum(participation.c.count).label("participants"),
            )
            .select_from(participation.join(table, table.c.id == key))
            .where(table.c.archived_at.is_(None))
            .group_by(participation.c.sector, participation.c.gender)
            .having(func.sum(participation.c.count) > 0)
        )
        if state_code:
            query = query.where(table.c.state_code == state_code)
        if since is not None:
            query = query.where(table.c.held_on >= since)
        parts.append(query)
    combined = union_all(*parts).subquery("participation_totals")
    query = select(combined).order_by(combined.c.kind, combined.c.sector, combined.c.gender)
    with store.read() as connection:
        rows = connection.execute(query).mappings().all()
    return frame(rows, PARTICIPATION_COLUMNS, integers=["participants"])


# ---- milestone schedule (added for the views issue: the Secretariado Gantt) ------------------------------------

SCHEDULE_COLUMNS = [
    "milestone_id", "commitment_id", "plan_number", "commitment_number", "commitment_title", "commitment_start",
    "number", "description", "responsible", "due_date", "completed_on", "progress", "status", "overdue",
    "evidence_url", "unapproved",
]  # fmt: skip


def milestone_schedule(
    store: Store,
    actor: Actor,
    state_code: str,
    commitment_ids: list[int] | None = None,
    today: date | None = None,
) -> pd.DataFrame:
    """The live milestones of a state's live commitments (or of ``commitment_ids`` only), in one query.

    Ordered by plan, commitment number (proactive last) and milestone number. Columns: milestone_id,
    commitment_id, plan_number, commitment_number (null if proactive), commitment_title, commitment_start,
    number, description, responsible, due_date, completed_on, progress, status, overdue (``domain.rules``'
    milestone_overdue, cancelled ones included as not overdue), evidence_url, unapproved (issue 12: the figures
    shown differ from the approved ones, which only signed-in people can see; always False for the public, who
    see the approved figures). No evidence note (private detail).
    """
    from accompaniment.store.commitments_query import live_commitment, overdue_milestone
    from accompaniment.store.schema import approved_milestone

    require(actor, Action.READ_PUBLISHED, state_code)
    today = today or store.today()
    source = milestone_source(actor)
    m, approved = source.c, approved_milestone.c
    differs = (
        approved.milestone_id.is_(None) | (approved.progress != m.progress) | (approved.status != m.status)
    )
    unapproved = literal(False) if shows_published(actor) else case((differs, True), else_=False)
    query = (
        select(
            m.id.label("milestone_id"),
            commitment.c.id.label("commitment_id"),
            action_plan.c.number.label("plan_number"),
            commitment.c.number.label("commitment_number"),
            commitment.c.title.label("commitment_title"),
            commitment.c.start_date.label("commitment_start"),
            m.number,
            m.description,
            m.responsible,
            m.due_date,
            m.completed_on,
            m.progress,
            m.status,
            overdue_milestone(today, source).label("overdue"),
            m.evidence_url,
            unapproved.label("unapproved"),
        )
        .select_from(
            source.join(commitment, commitment.c.id == m.commitment_id)
            .join(action_plan, action_plan.c.id == commitment.c.plan_id)
            .outerjoin(approved_milestone, approved.milestone_id == m.id)
        )
        .where(live_commitment(), m.archived_at.is_(None), action_plan.c.state_code == state_code)
        .order_by(action_plan.c.number, commitment.c.number.nulls_last(), commitment.c.id, m.number)
    )
    if commitment_ids:
        query = query.where(commitment.c.id.in_([int(i) for i in commitment_ids]))
    with store.read() as connection:
        rows = [dict(row) for row in connection.execute(query).mappings()]
    for row in rows:
        row["overdue"] = bool(row["overdue"])
        row["unapproved"] = bool(row["unapproved"])
    return frame(rows, SCHEDULE_COLUMNS, integers=["plan_number", "commitment_number", "number"])


def sdg_goals(store: Store, actor: Actor) -> pd.DataFrame:
    """The 17 SDGs (reference data). Columns: goal, name_es, name_en, colour (official hex)."""
    from accompaniment.store.schema import sdg_goal

    require(actor, Action.READ_PUBLISHED)
    query = select(
        sdg_goal.c.number.label("goal"), sdg_goal.c.name_es, sdg_goal.c.name_en, sdg_goal.c.colour
    ).order_by(sdg_goal.c.number)
    with store.read() as connection:
        rows = connection.execute(query).mappings().all()
    return frame(rows, ["goal", "name_es", "name_en", "colour"], integers=["goal"])


def sdg_targets(store: Store, actor: Actor, goal: int) -> pd.DataFrame:
    """The targets of one SDG in their natural order (1.1 … 1.5, 1.a). Columns: target_code, target_name_es,
    target_name_en."""
    from accompaniment.store.schema import sdg_target

    require(actor, Action.READ_PUBLISHED)
    query = (
        select(
            sdg_target.c.code.label("target_code"),
            sdg_target.c.name_es.label("target_name_es"),
            sdg_target.c.name_en.label("target_name_en"),
        )
        .where(sdg_target.c.goal == int(goal))
        .order_by(sdg_target.c.position)
    )
    with store.read() as connection:
        rows = connection.execute(query).mappings().all()
    return frame(rows, ["target_code", "target_name_es", "target_name_en"])
