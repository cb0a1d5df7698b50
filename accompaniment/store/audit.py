"""Reading the audit log: every write the store made, with who, when, which entity and the values before and after.

The log is written by ``Store.audit`` inside each write's own transaction; this module only reads it, for the
administration page and its CSV download. Reading it is the ``READ_AUDIT`` permission (working group and admins).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pandas as pd
from sqlalchemy import Select, func, select

from accompaniment.access import Action, Actor, require
from accompaniment.store.database import Store
from accompaniment.store.schema import audit_entry

AUDIT_COLUMNS = [
    "id",
    "recorded_at",
    "actor",
    "actor_role",
    "action",
    "entity",
    "entity_id",
    "state_code",
    "before",
    "after",
]


def _filtered(
    query: Select, username: str | None, entity: str | None, date_from: date | None, date_to: date | None
) -> Select:
    """Apply the filters; dates are whole days, both ends included."""
    if username:
        query = query.where(audit_entry.c.actor == username)
    if entity:
        query = query.where(audit_entry.c.entity == entity)
    if date_from is not None:
        query = query.where(audit_entry.c.recorded_at >= datetime.combine(date_from, time.min))
    if date_to is not None:
        query = query.where(
            audit_entry.c.recorded_at < datetime.combine(date_to + timedelta(days=1), time.min)
        )
    return query


def audit_log(
    store: Store,
    actor: Actor,
    *,
    username: str | None = None,
    entity: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    limit: int = 200,
    offset: int = 0,
) -> pd.DataFrame:
    """Audit entries, newest first, filtered by who (username), entity (table name) and a date range.

    Columns: id, recorded_at, actor, actor_role, action, entity, entity_id, state_code, before, after
    (``before``/``after`` are JSON text, or empty).
    """
    require(actor, Action.READ_AUDIT)
    query = _filtered(
        select(*(audit_entry.c[c] for c in AUDIT_COLUMNS)), username, entity, date_from, date_to
    )
    query = (
        query.order_by(audit_entry.c.recorded_at.desc(), audit_entry.c.id.desc()).limit(limit).offset(offset)
    )
    with store.read() as connection:
        return pd.DataFrame(connection.execute(query).mappings().all(), columns=AUDIT_COLUMNS)


def count_audit_entries(
    store: Store,
    actor: Actor,
    *,
    username: str | None = None,
    entity: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> int:
    """How many entries ``audit_log`` would page through with the same filters."""
    require(actor, Action.READ_AUDIT)
    query = _filtered(select(func.count()).select_from(audit_entry), username, entity, date_from, date_to)
    with store.read() as connection:
        return int(connection.execute(query).scalar_one())


def audit_actors(store: Store, actor: Actor) -> list[str]:
    """The usernames that appear in the log, for the "who" filter."""
    require(actor, Action.READ_AUDIT)
    query = select(audit_entry.c.actor).distinct().order_by(audit_entry.c.actor)
    with store.read() as connection:
        return list(connection.execute(query).scalars())


def audit_entities(store: Store, actor: Actor) -> list[str]:
    """The entity (table) names that appear in the log, for the "entity" filter."""
    require(actor, Action.READ_AUDIT)
    query = select(audit_entry.c.entity).distinct().order_by(audit_entry.c.entity)
    with store.read() as connection:
        return list(connection.execute(query).scalars())
