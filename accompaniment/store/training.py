"""The training programme: calls for fellows ("agentes locales de cambio"), applicants and fellows per state, and
the fellows' projects. No names are kept or needed: figures and projects only."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import Connection, case, func, insert, select

from accompaniment.access import Action, Actor, require
from accompaniment.domain.enums import Gender
from accompaniment.domain.errors import ValidationError
from accompaniment.store.database import Store
from accompaniment.store.schema import call_state, commitment, fellow, fellows_call, state


def calls_summary(store: Store, actor: Actor) -> pd.DataFrame:
    """One row per call. Columns: call_id, year, applicants, applicants_at_least, fellows, fellows_women, states,
    fellows_recorded, projects_submitted, source. ``fellows`` is the published figure; ``fellows_recorded`` counts
    fellow records kept in the tool."""
    require(actor, Action.READ_PUBLISHED)
    states = (
        select(call_state.c.call_id, func.count().label("states"))
        .where(call_state.c.archived_at.is_(None))
        .group_by(call_state.c.call_id)
        .subquery()
    )
    recorded = (
        select(
            fellow.c.call_id,
            func.count().label("fellows_recorded"),
            func.sum(case((fellow.c.submitted_to_stl, 1), else_=0)).label("projects_submitted"),
        )
        .where(fellow.c.archived_at.is_(None))
        .group_by(fellow.c.call_id)
        .subquery()
    )
    query = (
        select(
            fellows_call.c.id.label("call_id"),
            fellows_call.c.year,
            fellows_call.c.applicants,
            fellows_call.c.applicants_at_least,
            fellows_call.c.fellows,
            fellows_call.c.fellows_women,
            func.coalesce(states.c.states, 0).label("states"),
            func.coalesce(recorded.c.fellows_recorded, 0).label("fellows_recorded"),
            func.coalesce(recorded.c.projects_submitted, 0).label("projects_submitted"),
            fellows_call.c.source,
        )
        .outerjoin(states, states.c.call_id == fellows_call.c.id)
        .outerjoin(recorded, recorded.c.call_id == fellows_call.c.id)
        .where(fellows_call.c.archived_at.is_(None))
        .order_by(fellows_call.c.year)
    )
    with store.read() as connection:
        return pd.DataFrame(
            connection.execute(query).mappings().all(), columns=[c.name for c in query.selected_columns]
        )


def call_states(store: Store, actor: Actor, year: int | None = None) -> pd.DataFrame:
    """Per call and state. Columns: year, state_code, state_name, applicants, complete_applications, fellows,
    fellows_women (null where the figure was not published and no fellow records exist)."""
    require(actor, Action.READ_PUBLISHED)
    query = (
        select(
            fellows_call.c.year,
            call_state.c.state_code,
            state.c.name.label("state_name"),
            call_state.c.applicants,
            call_state.c.complete_applications,
            call_state.c.fellows,
            call_state.c.fellows_women,
        )
        .join(fellows_call, fellows_call.c.id == call_state.c.call_id)
        .join(state, state.c.code == call_state.c.state_code)
        .where(call_state.c.archived_at.is_(None))
        .order_by(fellows_call.c.year, state.c.name)
    )
    if year is not None:
        query = query.where(fellows_call.c.year == year)
    with store.read() as connection:
        return pd.DataFrame(
            connection.execute(query).mappings().all(), columns=[c.name for c in query.selected_columns]
        )


def list_fellows(
    store: Store,
    actor: Actor,
    year: int | None = None,
    state_code: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> pd.DataFrame:
    """Fellows' projects. Columns: id, year, state_code, state_name, gender, project_title, submitted_to_stl,
    commitment_id, commitment_title."""
    require(actor, Action.READ_PUBLISHED)
    query = (
        select(
            fellow.c.id,
            fellows_call.c.year,
            fellow.c.state_code,
            state.c.name.label("state_name"),
            fellow.c.gender,
            fellow.c.project_title,
            fellow.c.submitted_to_stl,
            fellow.c.commitment_id,
            commitment.c.title.label("commitment_title"),
        )
        .join(fellows_call, fellows_call.c.id == fellow.c.call_id)
        .join(state, state.c.code == fellow.c.state_code)
        .outerjoin(commitment, commitment.c.id == fellow.c.commitment_id)
        .where(fellow.c.archived_at.is_(None))
        .order_by(fellows_call.c.year, state.c.name, fellow.c.id)
        .limit(limit)
        .offset(offset)
    )
    if year is not None:
        query = query.where(fellows_call.c.year == year)
    if state_code:
        query = query.where(fellow.c.state_code == state_code)
    with store.read() as connection:
        return pd.DataFrame(
            connection.execute(query).mappings().all(), columns=[c.name for c in query.selected_columns]
        )


def fellows_by_state_gender(store: Store, actor: Actor, year: int | None = None) -> pd.DataFrame:
    """Recorded fellows counted by call year, state and gender. Columns: year, state_code, state_name, gender,
    fellows."""
    require(actor, Action.READ_PUBLISHED)
    query = (
        select(
            fellows_call.c.year,
            fellow.c.state_code,
            state.c.name.label("state_name"),
            fellow.c.gender,
            func.count().label("fellows"),
        )
        .join(fellows_call, fellows_call.c.id == fellow.c.call_id)
        .join(state, state.c.code == fellow.c.state_code)
        .where(fellow.c.archived_at.is_(None))
        .group_by(fellows_call.c.year, fellow.c.state_code, state.c.name, fellow.c.gender)
        .order_by(fellows_call.c.year, state.c.name, fellow.c.gender)
    )
    if year is not None:
        query = query.where(fellows_call.c.year == year)
    with store.read() as connection:
        return pd.DataFrame(
            connection.execute(query).mappings().all(), columns=[c.name for c in query.selected_columns]
        )


def add_fellow(
    store: Store,
    actor: Actor,
    year: int,
    state_code: str,
    gender: str,
    project_title: str | None,
    submitted_to_stl: bool = False,
    commitment_id: int | None = None,
    *,
    is_demo: bool = False,
) -> int:
    require(actor, Action.WRITE_STRUCTURE, state_code)
    if gender not in {g.value for g in Gender}:
        raise ValidationError.single("gender", "not_an_option")

    def work(connection: Connection) -> int:
        call_id = connection.execute(select(fellows_call.c.id).where(fellows_call.c.year == year)).scalar()
        if call_id is None:
            raise ValidationError.single("year", "unknown_reference")
        values: dict[str, Any] = store.stamp(
            {
                "call_id": call_id,
                "state_code": state_code,
                "gender": gender,
                "project_title": project_title,
                "submitted_to_stl": submitted_to_stl,
                "commitment_id": commitment_id,
                "is_demo": is_demo,
            },
            new=True,
        )
        fellow_id = connection.execute(insert(fellow).values(**values).returning(fellow.c.id)).scalar_one()
        store.audit(connection, actor, "create", "fellow", fellow_id, after=values, state_code=state_code)
        return fellow_id

    return store.write(work)
