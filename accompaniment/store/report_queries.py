"""Reads for the printable reports: a state's activity and agreements within a period, its milestones, and the
activity of every state side by side. Public fields only, like the dashboard: a report may go to anyone.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import and_, case, func, literal, select, union_all

from accompaniment.access import Action, Actor, require
from accompaniment.store import rule_sql
from accompaniment.store.commitments_query import (
    counted_milestone,
    frame,
    live_commitment,
    milestone_has_evidence,
    milestone_source,
    overdue_milestone,
)
from accompaniment.store.database import Store
from accompaniment.store.schema import (
    action_plan,
    agreement,
    commitment,
    dialogue_session,
    participation,
    workshop,
)

SESSION_COLUMNS = [
    "id",
    "held_on",
    "session_type",
    "modality",
    "consensus",
    "participant_total",
    "agreements",
]
WORKSHOP_COLUMNS = ["id", "held_on", "title", "modality", "hours", "satisfaction", "participant_total"]
PARTICIPATION_COLUMNS = ["kind", "sector", "gender", "participants"]
AGREEMENT_COLUMNS = [
    "id",
    "held_on",
    "text",
    "responsible_sector",
    "due_date",
    "status",
    "closed_on",
    "overdue",
]
MILESTONE_COLUMNS = [
    "commitment_id",
    "number",
    "description",
    "due_date",
    "progress",
    "status",
    "has_evidence",
    "overdue",
]
ACTIVITY_COLUMNS = ["state_code", "sessions", "workshops", "participants"]


def _in_period(table, start: date, end: date):  # noqa: ANN001, ANN202 - a table and its condition
    return and_(table.c.archived_at.is_(None), table.c.held_on >= start, table.c.held_on <= end)


def sessions_in_period(store: Store, actor: Actor, state_code: str, start: date, end: date) -> pd.DataFrame:
    """Columns: id, held_on, session_type, modality, consensus, participant_total, agreements. Oldest first."""
    require(actor, Action.READ_ACTIVITY)
    agreements = (
        select(agreement.c.session_id, func.count().label("agreements"))
        .where(agreement.c.archived_at.is_(None))
        .group_by(agreement.c.session_id)
        .subquery()
    )
    s = dialogue_session.c
    query = (
        select(
            s.id,
            s.held_on,
            s.session_type,
            s.modality,
            s.consensus,
            s.participant_total,
            func.coalesce(agreements.c.agreements, 0).label("agreements"),
        )
        .outerjoin(agreements, agreements.c.session_id == s.id)
        .where(_in_period(dialogue_session, start, end), s.state_code == state_code)
        .order_by(s.held_on, s.id)
    )
    with store.read() as connection:
        rows = connection.execute(query).mappings().all()
    return frame(rows, SESSION_COLUMNS, integers=["consensus", "participant_total", "agreements"])


def workshops_in_period(store: Store, actor: Actor, state_code: str, start: date, end: date) -> pd.DataFrame:
    """Columns: id, held_on, title, modality, hours, satisfaction, participant_total. Oldest first."""
    require(actor, Action.READ_ACTIVITY)
    w = workshop.c
    query = (
        select(w.id, w.held_on, w.title, w.modality, w.hours, w.satisfaction, w.participant_total)
        .where(_in_period(workshop, start, end), w.state_code == state_code)
        .order_by(w.held_on, w.id)
    )
    with store.read() as connection:
        rows = connection.execute(query).mappings().all()
    return frame(rows, WORKSHOP_COLUMNS, integers=["satisfaction", "participant_total"])


def participation_in_period(
    store: Store, actor: Actor, state_code: str | None, start: date, end: date
) -> pd.DataFrame:
    """Participants of the period's sessions and workshops by sector and gender (non-zero groups only).
    Columns: kind ('session' or 'workshop'), sector, gender, participants."""
    require(actor, Action.READ_ACTIVITY)
    parts = []
    for kind, table, key in (
        ("session", dialogue_session, participation.c.session_id),
        ("workshop", workshop, participation.c.workshop_id),
    ):
        query = (
            select(
                literal(kind).label("kind"),
                participation.c.sector,
                participation.c.gender,
                func.sum(participation.c.count).label("participants"),
            )
            .select_from(participation.join(table, table.c.id == key))
            .where(_in_period(table, start, end))
            .group_by(participation.c.sector, participation.c.gender)
            .having(func.sum(participation.c.count) > 0)
        )
        if state_code:
            query = query.where(table.c.state_code == state_code)
        parts.append(query)
    combined = union_all(*parts).subquery("totals")
    with store.read() as connection:
        rows = (
            connection.execute(
                select(combined).order_by(combined.c.kind, combined.c.sector, combined.c.gender)
            )
            .mappings()
            .all()
        )
    return frame(rows, PARTICIPATION_COLUMNS, integers=["participants"])


def agreements_in_period(
    store: Store, actor: Actor, state_code: str, start: date, end: date, today: date | None = None
) -> pd.DataFrame:
    """Agreements of the period's sessions, by session date. Columns: id, held_on, text, responsible_sector,
    due_date, status, closed_on, overdue (due before today and still pending or in progress)."""
    require(actor, Action.READ_ACTIVITY)
    today = today or store.today()
    overdue = rule_sql.agreement_overdue(today)
    query = (
        select(
            agreement.c.id,
            dialogue_session.c.held_on,
            agreement.c.text,
            agreement.c.responsible_sector,
            agreement.c.due_date,
            agreement.c.status,
            agreement.c.closed_on,
            case((overdue, True), else_=False).label("overdue"),
        )
        .join(dialogue_session, dialogue_session.c.id == agreement.c.session_id)
        .where(
            _in_period(dialogue_session, start, end),
            agreement.c.archived_at.is_(None),
            dialogue_session.c.state_code == state_code,
        )
        .order_by(dialogue_session.c.held_on, agreement.c.position, agreement.c.id)
    )
    with store.read() as connection:
        rows = connection.execute(query).mappings().all()
    return frame(rows, AGREEMENT_COLUMNS)


def milestones_of_state(
    store: Store, actor: Actor, state_code: str, today: date | None = None
) -> pd.DataFrame:
    """The counted milestones of a state's live commitments (for the public, their approved figures: issue 12).
    Columns: commitment_id, number, description, due_date, progress, status, has_evidence, overdue."""
    require(actor, Action.READ_PUBLISHED)
    today = today or store.today()
    source = milestone_source(actor)
    m = source.c
    query = (
        select(
            m.commitment_id,
            m.number,
            m.description,
            m.due_date,
            m.progress,
            m.status,
            case((milestone_has_evidence(source), True), else_=False).label("has_evidence"),
            case((overdue_milestone(today, source), True), else_=False).label("overdue"),
        )
        .join(commitment, commitment.c.id == m.commitment_id)
        .join(action_plan, action_plan.c.id == commitment.c.plan_id)
        .where(live_commitment(), counted_milestone(source), action_plan.c.state_code == state_code)
        .order_by(m.commitment_id, m.number, m.id)
    )
    with store.read() as connection:
        rows = connection.execute(query).mappings().all()
    return frame(rows, MILESTONE_COLUMNS, integers=["number"])


def activity_by_state(store: Store, actor: Actor, start: date, end: date) -> pd.DataFrame:
    """Per state with any activity in the period. Columns: state_code, sessions, workshops, participants."""
    require(actor, Action.READ_ACTIVITY)
    parts = [
        select(table.c.state_code, literal(kind).label("kind"), table.c.participant_total).where(
            _in_period(table, start, end)
        )
        for kind, table in (("session", dialogue_session), ("workshop", workshop))
    ]
    activity = union_all(*parts).subquery("activity")
    query = (
        select(
            activity.c.state_code,
            func.count(case((activity.c.kind == "session", 1))).label("sessions"),
            func.count(case((activity.c.kind == "workshop", 1))).label("workshops"),
            func.coalesce(func.sum(activity.c.participant_total), 0).label("participants"),
        )
        .group_by(activity.c.state_code)
        .order_by(activity.c.state_code)
    )
    with store.read() as connection:
        rows = connection.execute(query).mappings().all()
    return frame(rows, ACTIVITY_COLUMNS, integers=["sessions", "workshops", "participants"])
