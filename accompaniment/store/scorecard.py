"""The co-creation scorecard's figures in SQL: per state over a period, and per state and quarter for the trends.

Each indicator is defined once in ``domain.scorecard``; the statements here count its numerator and denominator
(named after the definition they mirror) in the database, a handful of grouped passes whatever the size of the
record, and the domain's own ``share``/``per_quarter``/``days_between`` turn the counts into values, so the page and
the definition cannot disagree (tests/store/test_scorecard.py checks them on the demo data, on both backends).
Only live rows count (not archived, under a live parent). No private text is selected: the minutes indicator reads
only whether a session's private summary is written, and only for those who may read private notes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import (
    ColumnElement,
    Double,
    Integer,
    Select,
    and_,
    case,
    cast,
    exists,
    func,
    select,
    type_coerce,
)

from accompaniment.access import Action, Actor, allowed, require
from accompaniment.domain import scorecard as definitions
from accompaniment.domain.enums import AgreementStatus, Gender
from accompaniment.domain.scorecard import Period, Quarter, days_between, per_quarter, share
from accompaniment.store.database import Store
from accompaniment.store.schema import (
    action_plan,
    agreement,
    commitment,
    commitment_ogp_value,
    commitment_sdg_target,
    dialogue_session,
    participation,
    secretariat,
    state,
)

__all__ = ["SCORECARD_COLUMNS", "TREND_COLUMNS", "scorecard_trends", "state_scorecard", "state_scorecards"]

SCORECARD_COLUMNS = ["state_code", "state_name", "short_name", *definitions.KEYS]
TREND_COLUMNS = ["state_code", "state_name", "quarter", *definitions.PERIODIC_KEYS]


def _quarter_of(day: ColumnElement[Any]) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    return (
        cast(func.extract("year", day), Integer).label("year"),
        cast(func.extract("quarter", day), Integer).label("quarter"),
    )


def _live_sessions_in(period: Period, state_code: str | None) -> list[ColumnElement[bool]]:
    s = dialogue_session.c
    where = [s.archived_at.is_(None), s.held_on >= period.start, s.held_on <= period.end]
    return where if state_code is None else [*where, s.state_code == state_code]


def session_figures_sql(period: Period, by_quarter: bool, state_code: str | None = None) -> Select:
    """Mirrors sessions_per_quarter, public_summary_share and minutes_share: per state (and quarter), the period's
    live sessions, those with a public summary and those whose (private) minutes are written."""
    s = dialogue_session.c
    keys = [s.state_code, *(_quarter_of(s.held_on) if by_quarter else ())]
    written = func.length(func.trim(s.public_summary)) > 0
    minutes = func.length(func.trim(s.summary)) > 0
    return (
        select(
            *keys,
            func.count().label("sessions"),
            func.sum(case((written, 1), else_=0)).label("sessions_with_public_summary"),
            func.sum(case((minutes, 1), else_=0)).label("sessions_with_minutes"),
        )
        .where(*_live_sessions_in(period, state_code))
        .group_by(*keys)
    )


def participant_figures_sql(period: Period, by_quarter: bool, state_code: str | None = None) -> Select:
    """Mirrors civil_society_share, government_share and women_share: per state (and quarter), the participants of
    the period's live sessions the shares count (facilitators aside: domain.COUNTED_OUT_SECTORS), and those of
    civil society, of the state government and the women among them."""
    s, p = dialogue_session.c, participation.c

    def among(condition: ColumnElement[bool]) -> ColumnElement[Any]:
        return func.sum(case((condition, p.count), else_=0))

    keys = [s.state_code, *(_quarter_of(s.held_on) if by_quarter else ())]
    return (
        select(
            *keys,
            func.sum(p.count).label("participants"),
            among(p.sector.in_(sorted(definitions.CIVIL_SOCIETY_SECTORS))).label("civil_society"),
            among(p.sector.in_(sorted(definitions.GOVERNMENT_SECTORS))).label("government"),
            among(p.gender == Gender.WOMEN.value).label("women"),
        )
        .select_from(participation.join(dialogue_session, dialogue_session.c.id == p.session_id))
        .where(
            *_live_sessions_in(period, state_code), p.sector.not_in(sorted(definitions.COUNTED_OUT_SECTORS))
        )
        .group_by(*keys)
    )


def agreement_figures_sql(period: Period, by_quarter: bool, state_code: str | None = None) -> Select:
    """Mirrors agreements_on_time_share and median_closing_delay: per state (and quarter of the due date), the live
    agreements due in the period (cancelled ones aside), those done by their due date, and the median delay of the
    done ones in days."""
    a = agreement.c
    keys = [dialogue_session.c.state_code, *(_quarter_of(a.due_date) if by_quarter else ())]
    closed = and_(a.status == AgreementStatus.DONE.value, a.closed_on.is_not(None))
    delay = case((closed, a.closed_on - a.due_date))
    query = (
        select(
            *keys,
            func.count().label("agreements_due"),
            func.sum(case((and_(closed, a.closed_on <= a.due_date), 1), else_=0)).label("agreements_on_time"),
            type_coerce(func.percentile_cont(0.5).within_group(delay), Double).label("median_closing_delay"),
        )
        .select_from(agreement.join(dialogue_session, dialogue_session.c.id == a.session_id))
        .where(
            a.archived_at.is_(None),
            dialogue_session.c.archived_at.is_(None),
            a.status != AgreementStatus.CANCELLED.value,
            a.due_date >= period.start,
            a.due_date <= period.end,
        )
        .group_by(*keys)
    )
    if state_code is None:
        return query
    # One state's agreements through its sessions (the session index, then the agreements by session), rather than
    # every state's agreements due in the period filtered afterwards.
    sessions = select(dialogue_session.c.id).where(dialogue_session.c.state_code == state_code)
    return query.where(dialogue_session.c.state_code == state_code, a.session_id.in_(sessions))


def commitment_figures_sql(state_code: str | None = None) -> Select:
    """Mirrors aligned_commitments_share: per state, the live commitments of its latest live plan and those that
    name an SDG target and an OGP value."""
    latest = (
        select(action_plan.c.state_code, func.max(action_plan.c.number).label("number"))
        .where(action_plan.c.archived_at.is_(None))
        .group_by(action_plan.c.state_code)
        .subquery("latest_plan")
    )
    has_target = exists().where(commitment_sdg_target.c.commitment_id == commitment.c.id)
    has_value = exists().where(commitment_ogp_value.c.commitment_id == commitment.c.id)
    current = and_(latest.c.state_code == action_plan.c.state_code, latest.c.number == action_plan.c.number)
    query = (
        select(
            action_plan.c.state_code,
            func.count().label("commitments"),
            func.sum(case((and_(has_target, has_value), 1), else_=0)).label("aligned_commitments"),
        )
        .select_from(
            commitment.join(action_plan, action_plan.c.id == commitment.c.plan_id).join(latest, current)
        )
        .where(commitment.c.archived_at.is_(None), action_plan.c.archived_at.is_(None))
        .group_by(action_plan.c.state_code)
    )
    return query if state_code is None else query.where(action_plan.c.state_code == state_code)


def last_session_sql(as_of: date, by_index: bool, state_code: str | None = None) -> Select:
    """Mirrors days_since_last_session: per state, its latest live session held on or before ``as_of``.

    ``by_index`` (PostgreSQL): a correlated lookup per state, one step down the (state_code, held_on) index each;
    otherwise (DuckDB, which keeps no such index) one grouped pass, as store.dashboard does."""
    s = dialogue_session.c
    live = and_(s.archived_at.is_(None), s.held_on <= as_of)
    if by_index:
        latest = select(func.max(s.held_on)).where(s.state_code == state.c.code, live).correlate(state)
        query = select(state.c.code.label("state_code"), latest.scalar_subquery().label("last_session_on"))
        return query if state_code is None else query.where(state.c.code == state_code)
    query = (
        select(s.state_code, func.max(s.held_on).label("last_session_on")).where(live).group_by(s.state_code)
    )
    return query if state_code is None else query.where(s.state_code == state_code)


def _states_sql(state_code: str | None) -> Select:
    query = (
        select(state.c.code.label("state_code"), state.c.name.label("state_name"), state.c.short_name)
        .join(secretariat, secretariat.c.state_code == state.c.code)
        .where(secretariat.c.archived_at.is_(None))
        .order_by(state.c.name)
    )
    return query if state_code is None else query.where(state.c.code == state_code)


# ---- from counts to values, with the domain's own arithmetic ---------------------------------------------------


def _period_values(
    sessions: dict[str, Any] | None,
    people: dict[str, Any] | None,
    agreements: dict[str, Any] | None,
    quarters: int,
) -> dict[str, float | None]:
    s = {**(sessions or {}), **(people or {})}
    a = agreements or {}
    median = a.get("median_closing_delay")
    return {
        "sessions_per_quarter": per_quarter(s.get("sessions", 0), quarters),
        "civil_society_share": share(s.get("civil_society"), s.get("participants")),
        "government_share": share(s.get("government"), s.get("participants")),
        "women_share": share(s.get("women"), s.get("participants")),
        "public_summary_share": share(s.get("sessions_with_public_summary"), s.get("sessions")),
        "minutes_share": share(s.get("sessions_with_minutes"), s.get("sessions")),
        "agreements_on_time_share": share(a.get("agreements_on_time"), a.get("agreements_due")),
        "median_closing_delay": None if median is None else float(median),
    }


def _by_key(rows: Iterable[Any], *names: str) -> dict[tuple, dict[str, Any]]:
    return {tuple(row[n] for n in names): dict(row) for row in rows}


def _hide_private(frame: pd.DataFrame, actor: Actor) -> pd.DataFrame:
    """Drop the columns of indicators resting on private fields for those who may not read private notes."""
    shown = {i.key for i in definitions.shown_indicators(allowed(actor, Action.READ_PRIVATE_NOTES, None))}
    return frame.drop(columns=[k for k in definitions.KEYS if k not in shown and k in frame.columns])


def state_scorecards(
    store: Store, actor: Actor, period: Period | None = None, state_code: str | None = None
) -> pd.DataFrame:
    """Every STL's indicators over ``period`` (default: the four quarters to today), one row per state with a live
    secretariat, by name (only ``state_code``'s when given). Columns: ``SCORECARD_COLUMNS`` (indicator values are
    floats, or None for "sin datos"); the indicators resting on private fields are left out for those who may not
    read private notes."""
    require(actor, Action.READ_ACTIVITY, state_code)
    period = period or Period.last_quarters(store.today())
    with store.read() as connection:
        by_index = connection.dialect.name != "duckdb"

        def figures(query: Select) -> dict[tuple, dict[str, Any]]:
            return _by_key(connection.execute(query).mappings(), "state_code")

        states = connection.execute(_states_sql(state_code)).mappings().all()
        sessions = figures(session_figures_sql(period, False, state_code))
        people = figures(participant_figures_sql(period, False, state_code))
        agreements = figures(agreement_figures_sql(period, False, state_code))
        plans = figures(commitment_figures_sql(state_code))
        last = figures(last_session_sql(period.as_of, by_index, state_code))
    rows = []
    for row in states:
        key = (row["state_code"],)
        values = _period_values(sessions.get(key), people.get(key), agreements.get(key), len(period.quarters))
        plan = plans.get(key, {})
        values["aligned_commitments_share"] = share(plan.get("aligned_commitments"), plan.get("commitments"))
        days = days_between(last.get(key, {}).get("last_session_on"), period.as_of)
        values["days_since_last_session"] = None if days is None else float(days)
        rows.append({**dict(row), **values})
    return _hide_private(pd.DataFrame(rows, columns=SCORECARD_COLUMNS), actor)


def state_scorecard(
    store: Store, actor: Actor, state_code: str, period: Period | None = None
) -> dict[str, Any]:
    """One STL's indicators over ``period`` by key (only those ``actor`` may see); empty if it has no secretariat."""
    frame = state_scorecards(store, actor, period, state_code=state_code)
    if frame.empty:
        return {}
    record = frame.iloc[0].to_dict()
    return {k: (None if pd.isna(v) else v) for k, v in record.items() if k in definitions.BY_KEY}


def scorecard_trends(
    store: Store, actor: Actor, period: Period | None = None, state_code: str | None = None
) -> pd.DataFrame:
    """Each periodic indicator per state and quarter of ``period`` (default: the eight quarters to today), every
    quarter present even when nothing happened in it. Columns: ``TREND_COLUMNS`` (``quarter`` like ``2026Q4``)."""
    require(actor, Action.READ_ACTIVITY, state_code)
    period = period or Period.last_quarters(store.today(), 8)
    with store.read() as connection:

        def figures(query: Select) -> dict[tuple, dict[str, Any]]:
            return _by_key(connection.execute(query).mappings(), "state_code", "year", "quarter")

        states = connection.execute(_states_sql(state_code)).mappings().all()
        sessions = figures(session_figures_sql(period, True, state_code))
        people = figures(participant_figures_sql(period, True, state_code))
        agreements = figures(agreement_figures_sql(period, True, state_code))
    rows = []
    for row in states:
        for quarter in period.quarters:
            key = (row["state_code"], quarter.year, quarter.quarter)
            values = _period_values(sessions.get(key), people.get(key), agreements.get(key), 1)
            rows.append({"state_code": row["state_code"], "state_name": row["state_name"],
                         "quarter": quarter.code, **values})  # fmt: skip
    return _hide_private(pd.DataFrame(rows, columns=TREND_COLUMNS), actor)


def quarter_from_code(code: str) -> Quarter:
    """``2026Q4`` back to its quarter (the trends' column)."""
    year, _, number = code.partition("Q")
    return Quarter(int(year), int(number))
