"""What one STL has pending: its milestones overdue or due soon, and its open agreements, overdue first, each
with the days it is overdue. It is what a secretariat lands on (Secretariado's "Pendientes"), so it is read in one
connection and counted in SQL; the lists are bounded, the counts are not.

Both are published or public activity fields (DESIGN §6), readable by everyone; "overdue" is the rule of
``domain.rules`` (due strictly before today, neither complete nor cancelled; an agreement still pending or in
progress), as in ``commitments_query.overdue_milestone``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import Integer, and_, case, cast, func, select

from accompaniment import settings
from accompaniment.access import Action, Actor, require
from accompaniment.store import rule_sql
from accompaniment.store.commitments_query import counted_milestone, frame, live_commitment
from accompaniment.store.database import Store
from accompaniment.store.schema import action_plan, agreement, commitment, dialogue_session, milestone

LIST_LIMIT = 100
MILESTONE_COLUMNS = [
    "milestone_id",
    "commitment_id",
    "plan_number",
    "commitment_number",
    "commitment_title",
    "number",
    "description",
    "due_date",
    "days_overdue",
    "progress",
    "status",
    "overdue",
]
AGREEMENT_COLUMNS = [
    "id",
    "session_id",
    "held_on",
    "text",
    "responsible_sector",
    "responsible_organization",
    "due_date",
    "days_overdue",
    "status",
    "commitment_id",
    "overdue",
]


@dataclass(frozen=True)
class PendingItems:
    """``milestones`` (``MILESTONE_COLUMNS``): not complete, due before ``today + soon_days``, earliest due first
    (the overdue ones lead); ``agreements`` (``AGREEMENT_COLUMNS``): still open, earliest due first, undated last.
    ``days_overdue`` is positive when overdue, zero or negative (days left) otherwise. The counts cover all of
    them, beyond the ``LIST_LIMIT`` rows listed."""

    today: date
    soon_days: int
    milestones: pd.DataFrame
    agreements: pd.DataFrame
    overdue_milestones: int
    due_soon_milestones: int
    open_agreements: int
    overdue_agreements: int


def pending_items(
    store: Store,
    actor: Actor,
    state_code: str,
    today: date | None = None,
    soon_days: int | None = None,
    limit: int = LIST_LIMIT,
) -> PendingItems:
    require(actor, Action.READ_PUBLISHED, state_code)
    require(actor, Action.READ_ACTIVITY, state_code)
    today = today or store.today()
    soon_days = int(settings.get("due_soon_days") if soon_days is None else soon_days)
    horizon = today + timedelta(days=soon_days)

    milestone_overdue = rule_sql.milestone_overdue(today)
    pending_milestone = and_(
        live_commitment(),
        counted_milestone(),
        rule_sql.milestone_open(),
        milestone.c.due_date <= horizon,
        action_plan.c.state_code == state_code,
    )
    milestones_from = milestone.join(commitment, commitment.c.id == milestone.c.commitment_id).join(
        action_plan, action_plan.c.id == commitment.c.plan_id
    )
    milestone_rows = (
        select(
            milestone.c.id.label("milestone_id"),
            commitment.c.id.label("commitment_id"),
            action_plan.c.number.label("plan_number"),
            commitment.c.number.label("commitment_number"),
            commitment.c.title.label("commitment_title"),
            milestone.c.number,
            milestone.c.description,
            milestone.c.due_date,
            milestone.c.progress,
            milestone.c.status,
        )
        .select_from(milestones_from)
        .where(pending_milestone)
        .order_by(
            milestone.c.due_date, action_plan.c.number, commitment.c.number.nulls_last(), milestone.c.number
        )
        .limit(max(int(limit), 0))
    )
    milestone_counts = (
        select(
            func.coalesce(func.sum(cast(case((milestone_overdue, 1), else_=0), Integer)), 0),
            func.count(milestone.c.id),
        )
        .select_from(milestones_from)
        .where(pending_milestone)
    )

    agreement_open = and_(
        dialogue_session.c.state_code == state_code,
        dialogue_session.c.archived_at.is_(None),
        agreement.c.archived_at.is_(None),
        rule_sql.agreement_open(),
    )
    agreement_overdue = rule_sql.agreement_overdue(today)
    agreements_from = agreement.join(dialogue_session, dialogue_session.c.id == agreement.c.session_id)
    agreement_rows = (
        select(
            agreement.c.id,
            agreement.c.session_id,
            dialogue_session.c.held_on,
            agreement.c.text,
            agreement.c.responsible_sector,
            agreement.c.responsible_organization,
            agreement.c.due_date,
            agreement.c.status,
            agreement.c.commitment_id,
        )
        .select_from(agreements_from)
        .where(agreement_open)
        .order_by(agreement.c.due_date.asc().nulls_last(), dialogue_session.c.held_on, agreement.c.id)
        .limit(max(int(limit), 0))
    )
    agreement_counts = (
        select(
            func.coalesce(func.sum(cast(case((agreement_overdue, 1), else_=0), Integer)), 0),
            func.count(agreement.c.id),
        )
        .select_from(agreements_from)
        .where(agreement_open)
    )

    with store.read() as connection:
        milestones = [dict(row) for row in connection.execute(milestone_rows).mappings()]
        overdue_milestones, listed_milestones = connection.execute(milestone_counts).one()
        agreements = [dict(row) for row in connection.execute(agreement_rows).mappings()]
        overdue_agreements, open_agreements = connection.execute(agreement_counts).one()
    return PendingItems(
        today=today,
        soon_days=soon_days,
        milestones=frame(
            _dated(milestones, today),
            MILESTONE_COLUMNS,
            integers=["plan_number", "commitment_number", "number", "days_overdue"],
        ),
        agreements=frame(_dated(agreements, today), AGREEMENT_COLUMNS, integers=["days_overdue"]),
        overdue_milestones=int(overdue_milestones),
        due_soon_milestones=int(listed_milestones) - int(overdue_milestones),
        open_agreements=int(open_agreements),
        overdue_agreements=int(overdue_agreements),
    )


def _dated(rows: list[dict[str, Any]], today: date) -> list[dict[str, Any]]:
    for row in rows:
        due = row["due_date"]
        row["days_overdue"] = None if due is None else (today - due).days
        row["overdue"] = due is not None and due < today
    return rows
