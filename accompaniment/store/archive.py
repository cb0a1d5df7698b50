"""Soft deletion: nothing is deleted outright. Archiving sets ``archived_at``; an admin can restore.

Archiving follows the write rule of the record's kind (the specialist archives sessions, …); restoring is an
admin's decision. Both are versioned edits and both are audited. Archiving or restoring an account also bumps its
security stamp, which ends its signed-in sessions (store/sessions.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from accompaniment.access import Action, Actor, require
from accompaniment.domain.errors import NotFound
from accompaniment.store.database import Store, fetch_row, update_versioned
from accompaniment.store.schema import (
    EDITABLE_TABLES,
    action_plan,
    commitment,
    dialogue_session,
)

# entity -> the action that may archive it
ARCHIVE_RULE: dict[str, Action] = {
    "dialogue_session": Action.WRITE_ACTIVITY,
    "workshop": Action.WRITE_ACTIVITY,
    "agreement": Action.WRITE_ACTIVITY,
    "member": Action.WRITE_STRUCTURE,
    "action_plan": Action.WRITE_STRUCTURE,
    "commitment": Action.WRITE_STRUCTURE,
    "milestone": Action.WRITE_STRUCTURE,
    "fellow": Action.WRITE_STRUCTURE,
    "stl_event": Action.WRITE_STRUCTURE,
    "phase_event": Action.CHANGE_PHASE,
    "app_user": Action.MANAGE_ACCOUNTS,
}


def state_of(connection: Connection, entity: str, row: dict[str, Any]) -> str | None:
    """The state a record belongs to, following its parents."""
    if "state_code" in row:
        return row["state_code"]
    if entity == "agreement":
        return connection.execute(
            select(dialogue_session.c.state_code).where(dialogue_session.c.id == row["session_id"])
        ).scalar_one_or_none()
    if entity == "commitment":
        return connection.execute(
            select(action_plan.c.state_code).where(action_plan.c.id == row["plan_id"])
        ).scalar_one_or_none()
    if entity == "milestone":
        return connection.execute(
            select(action_plan.c.state_code)
            .join(commitment, commitment.c.plan_id == action_plan.c.id)
            .where(commitment.c.id == row["commitment_id"])
        ).scalar_one_or_none()
    return None


def _stamp_bump(entity: str, before: dict[str, Any]) -> dict[str, Any]:
    return {"security_stamp": before["security_stamp"] + 1} if entity == "app_user" else {}


def _audited(row: dict[str, Any]) -> dict[str, Any]:
    """A row as the audit log keeps it: never an account's password hash (the working group reads and exports
    the audit log)."""
    return {name: value for name, value in row.items() if name != "password_hash"}


def _table(entity: str):
    if entity not in ARCHIVE_RULE or entity not in EDITABLE_TABLES:
        raise NotFound(entity=entity, id="")
    return EDITABLE_TABLES[entity]


def archive(store: Store, actor: Actor, entity: str, row_id: int, version: int) -> dict[str, Any]:
    """Archive one record (soft delete) if it is still at ``version``."""
    table = _table(entity)

    def work(connection: Connection) -> dict[str, Any]:
        before = fetch_row(connection, table, row_id)
        state_code = state_of(connection, entity, before)
        require(actor, ARCHIVE_RULE[entity], state_code)
        values = {"archived_at": store.clock(), **_stamp_bump(entity, before)}
        after = update_versioned(store, connection, table, row_id, version, values)
        store.audit(
            connection,
            actor,
            "archive",
            entity,
            row_id,
            before=_audited(before),
            after=_audited(after),
            state_code=state_code,
        )
        return after

    return store.write(work)


def restore(store: Store, actor: Actor, entity: str, row_id: int) -> dict[str, Any]:
    """Bring an archived record back (admins only)."""
    table = _table(entity)
    require(actor, Action.RESTORE_ARCHIVED)

    def work(connection: Connection) -> dict[str, Any]:
        before = fetch_row(connection, table, row_id)
        values = {"archived_at": None, **_stamp_bump(entity, before)}
        after = update_versioned(store, connection, table, row_id, before["version"], values)
        store.audit(
            connection,
            actor,
            "restore",
            entity,
            row_id,
            before=_audited(before),
            after=_audited(after),
            state_code=state_of(connection, entity, before),
        )
        return after

    return store.write(work)
