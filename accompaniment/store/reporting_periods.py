"""Reporting periods and the lookups every step of the reporting cycle shares (issue 12): the periods a viewer sees,
the current one, a state's report row and its live milestones. Re-exported by store/reporting.py."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Connection, insert, select

from accompaniment.access import Action, Actor, require
from accompaniment.domain.enums import Role
from accompaniment.domain.errors import (
    NotFound,
    ValidationError,
)
from accompaniment.domain.models import validate
from accompaniment.domain.reporting import PeriodInput
from accompaniment.store.database import Store
from accompaniment.store.reporting_rules import (
    require_reviewer,
)
from accompaniment.store.schema import (
    action_plan,
    commitment,
    milestone,
    reporting_period,
    reporting_period_state,
    state,
    state_report,
)

# ---- periods ---------------------------------------------------------------------------------------------------


def programme_states(connection: Connection) -> list[str]:
    return list(
        connection.execute(select(state.c.code).where(state.c.programme).order_by(state.c.code)).scalars()
    )


def open_period(store: Store, actor: Actor, data: PeriodInput | dict[str, Any]) -> int:
    """Open a reporting period for ``state_codes`` (None: every programme state). Working group and admin only."""
    require_reviewer(actor)
    data = validate(PeriodInput, data)

    def work(connection: Connection) -> int:
        programme = programme_states(connection)
        codes = sorted(set(data.state_codes)) if data.state_codes else programme
        outside = [code for code in codes if code not in programme]
        if outside:
            raise ValidationError.single("state_codes", "not_a_programme_state", value=outside[0])
        values = store.stamp(
            {
                "name": data.name,
                "starts_on": data.starts_on,
                "ends_on": data.ends_on,
                "due_on": data.due_on,
                "opened_by": actor.username,
                "opened_at": store.clock(),
            },
            new=True,
        )
        period_id = connection.execute(
            insert(reporting_period).values(**values).returning(reporting_period.c.id)
        ).scalar_one()
        connection.execute(
            insert(reporting_period_state), [{"period_id": period_id, "state_code": code} for code in codes]
        )
        store.audit(
            connection, actor, "create", "reporting_period", period_id, after={**values, "states": codes}
        )
        return period_id

    return store.write(work)


PERIOD_COLUMNS = ["id", "name", "starts_on", "ends_on", "due_on", "states"]


def period_rows(connection: Connection, viewer: Actor) -> list[dict[str, Any]]:
    """Live periods, newest first, each with its states; a secretariat sees only the periods that cover it."""
    periods = [
        dict(row)
        for row in connection.execute(
            select(
                reporting_period.c.id,
                reporting_period.c.name,
                reporting_period.c.starts_on,
                reporting_period.c.ends_on,
                reporting_period.c.due_on,
            )
            .where(reporting_period.c.archived_at.is_(None))
            .order_by(reporting_period.c.starts_on.desc(), reporting_period.c.id.desc())
        ).mappings()
    ]
    covered: dict[int, list[str]] = {}
    for period_id, code in connection.execute(
        select(reporting_period_state.c.period_id, reporting_period_state.c.state_code).order_by(
            reporting_period_state.c.state_code
        )
    ):
        covered.setdefault(period_id, []).append(code)
    for period in periods:
        period["states"] = covered.get(period["id"], [])
    if viewer.role == Role.SECRETARIAT:
        periods = [p for p in periods if viewer.state_code in p["states"]]
    return periods


def list_periods(store: Store, viewer: Actor) -> pd.DataFrame:
    """Columns: id, name, starts_on, ends_on, due_on, states (list of state codes); newest first."""
    require(viewer, Action.READ_PUBLISHED)
    with store.read() as connection:
        return pd.DataFrame(period_rows(connection, viewer), columns=PERIOD_COLUMNS)


def current_of(periods: list[dict[str, Any]], today: date) -> dict[str, Any] | None:
    running = [p for p in periods if p["starts_on"] <= today <= p["due_on"]]
    if running:
        return max(running, key=lambda p: (p["starts_on"], p["id"]))
    past = [p for p in periods if p["due_on"] < today]
    if past:
        return max(past, key=lambda p: (p["due_on"], p["id"]))
    return None


def current_period(store: Store, viewer: Actor, today: date) -> dict[str, Any] | None:
    """The period whose start..due contains ``today`` (the latest started, if several), else the latest past one;
    None before the first. Keys as the columns of ``list_periods``."""
    require(viewer, Action.READ_PUBLISHED)
    with store.read() as connection:
        return current_of(period_rows(connection, viewer), today)


def live_period(connection: Connection, period_id: int) -> dict[str, Any]:
    row = (
        connection.execute(
            select(reporting_period).where(
                reporting_period.c.id == period_id, reporting_period.c.archived_at.is_(None)
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound(entity="reporting_period", id=period_id)
    return dict(row)


def ensure_covered(connection: Connection, period_id: int, state_code: str) -> None:
    found = connection.execute(
        select(reporting_period_state.c.state_code).where(
            reporting_period_state.c.period_id == period_id, reporting_period_state.c.state_code == state_code
        )
    ).first()
    if found is None:
        raise ValidationError.single("state_code", "not_in_period")


# ---- reading a report ------------------------------------------------------------------------------------------


def report_row(connection: Connection, period_id: int, state_code: str) -> dict[str, Any] | None:
    row = (
        connection.execute(
            select(state_report).where(
                state_report.c.period_id == period_id, state_report.c.state_code == state_code
            )
        )
        .mappings()
        .first()
    )
    return dict(row) if row else None


def state_milestones(connection: Connection, state_code: str) -> list[dict[str, Any]]:
    query = (
        select(
            milestone.c.id,
            milestone.c.number,
            milestone.c.description,
            milestone.c.progress,
            milestone.c.status,
            milestone.c.evidence_url,
            milestone.c.evidence_note,
            commitment.c.number.label("commitment_number"),
            commitment.c.title,
        )
        .join(commitment, commitment.c.id == milestone.c.commitment_id)
        .join(action_plan, action_plan.c.id == commitment.c.plan_id)
        .where(
            action_plan.c.state_code == state_code,
            milestone.c.archived_at.is_(None),
            commitment.c.archived_at.is_(None),
            action_plan.c.archived_at.is_(None),
        )
        .order_by(
            action_plan.c.number, commitment.c.number, commitment.c.id, milestone.c.number, milestone.c.id
        )
    )
    return [dict(row) for row in connection.execute(query).mappings()]
