"""The published figures and the overview of the reporting cycle (issue 12): the baseline, the approval date of
each state's figures, and each state's standing in the current period. Re-exported by store/reporting.py."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Connection, Select, and_, func, insert, select

from accompaniment.access import Action, Actor, require
from accompaniment.domain.reporting import period_status as _period_status
from accompaniment.store.database import Store
from accompaniment.store.reporting_periods import (
    current_of,
    period_rows,
)
from accompaniment.store.schema import (
    action_plan,
    approved_milestone,
    commitment,
    milestone,
    reporting_period_state,
    state,
    state_report,
)

# ---- published figures and the overview ------------------------------------------------------------------------


def publish_baseline(
    connection_or_store: Connection | Store, approved_on: date, state_codes: list[str] | None = None
) -> int:
    """Count the live figures of every milestone without a published row as approved on ``approved_on``: the
    starting record, before any report. Returns how many milestones it published. No permission check: the loaders
    (reference data, demo, migration) call it, never a page."""
    if isinstance(connection_or_store, Store):
        return connection_or_store.write(
            lambda connection: publish_baseline(connection, approved_on, state_codes)
        )
    connection = connection_or_store
    query = (
        select(
            milestone.c.id,
            milestone.c.progress,
            milestone.c.status,
        )
        .join(commitment, commitment.c.id == milestone.c.commitment_id)
        .join(action_plan, action_plan.c.id == commitment.c.plan_id)
        .outerjoin(approved_milestone, approved_milestone.c.milestone_id == milestone.c.id)
        .where(milestone.c.archived_at.is_(None), approved_milestone.c.milestone_id.is_(None))
    )
    if state_codes is not None:
        query = query.where(action_plan.c.state_code.in_(state_codes))
    rows = [
        {
            "milestone_id": r.id,
            "progress": r.progress,
            "status": r.status,
            "approved_on": approved_on,
            "report_id": None,
        }
        for r in connection.execute(query)
    ]
    if rows:
        connection.execute(insert(approved_milestone), rows)
    return len(rows)


def approval_dates_query() -> Select:
    """Per state (state_code, approved_on): the date of its latest published figures. The page's "datos aprobados
    al <fecha>" and the public export's ``figures_approved_on`` both read this one statement."""
    return (
        select(action_plan.c.state_code, func.max(approved_milestone.c.approved_on).label("approved_on"))
        .join(commitment, commitment.c.plan_id == action_plan.c.id)
        .join(milestone, milestone.c.commitment_id == commitment.c.id)
        .join(approved_milestone, approved_milestone.c.milestone_id == milestone.c.id)
        .group_by(action_plan.c.state_code)
    )


def approval_dates(store: Store, viewer: Actor) -> dict[str, date]:
    """Per state, the date of its latest published figures ("datos aprobados al <fecha>")."""
    require(viewer, Action.READ_PUBLISHED)
    with store.read() as connection:
        return {code: day for code, day in connection.execute(approval_dates_query())}


_STATUS_COLUMNS = ["state_code", "state_name", "period_id", "period_name", "status"]


def period_status_by_state(store: Store, viewer: Actor, today: date) -> pd.DataFrame:
    """The current period's standing of each state it covers (not_started, draft, submitted, returned, approved,
    late); no rows before the first period."""
    require(viewer, Action.READ_PUBLISHED)
    with store.read() as connection:
        period = current_of(period_rows(connection, viewer), today)
        if period is None:
            return pd.DataFrame(columns=_STATUS_COLUMNS)
        rows = connection.execute(
            select(state.c.code, state.c.name, state_report.c.status)
            .join(reporting_period_state, reporting_period_state.c.state_code == state.c.code)
            .outerjoin(
                state_report,
                and_(state_report.c.period_id == period["id"], state_report.c.state_code == state.c.code),
            )
            .where(reporting_period_state.c.period_id == period["id"])
            .order_by(state.c.name)
        ).all()
    records = [
        {
            "state_code": code,
            "state_name": name,
            "period_id": period["id"],
            "period_name": period["name"],
            "status": _period_status(status, period["due_on"], today).value,
        }
        for code, name, status in rows
    ]
    return pd.DataFrame(records, columns=_STATUS_COLUMNS)
