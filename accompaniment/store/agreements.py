"""Agreements of dialogue sessions: adding one to a logged session, following it up (a dated status change kept
as its history), correcting what was agreed, and listing them for the follow-up and the profiles.

An agreement belongs to its session's state: every write checks the actor against that state, and an agreement
that is archived, or whose session is, is not found. The sessions themselves are logged in ``store.activity``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Connection, case, func, insert, select

from accompaniment.access import Action, Actor, allowed, require
from accompaniment.domain.enums import AgreementStatus
from accompaniment.domain.errors import NotFound
from accompaniment.domain.models import AgreementCorrection, AgreementInput, AgreementStatusChange, validate
from accompaniment.store import rule_sql
from accompaniment.store.activity import agreement_values, ensure_commitment_in_state
from accompaniment.store.database import Store, fetch_row, update_versioned
from accompaniment.store.schema import agreement, agreement_update, dialogue_session, state


def _live_agreement(connection: Connection, agreement_id: int) -> tuple[dict[str, Any], str, bool]:
    """The agreement's row, its session's state, and whether it or its session is archived."""
    row = (
        connection.execute(
            select(
                agreement,
                dialogue_session.c.state_code,
                dialogue_session.c.archived_at.label("session_archived_at"),
            )
            .join(dialogue_session, dialogue_session.c.id == agreement.c.session_id)
            .where(agreement.c.id == agreement_id)
        )
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound(entity="agreement", id=agreement_id)
    values = dict(row)
    state_code = values.pop("state_code")
    session_archived = values.pop("session_archived_at") is not None
    return values, state_code, values["archived_at"] is not None or session_archived


def next_position(connection: Connection, session_id: int) -> int:
    """The session's next free agreement position (its highest + 1, 0 for the first), computed in the write.

    Positions are unique per session (migration 0006). On PostgreSQL the session row is locked first, so concurrent
    additions to one session take turns instead of reading the same highest position; on DuckDB a process's writes
    already take turns (Store.write)."""
    if connection.dialect.name == "postgresql":
        connection.execute(
            select(dialogue_session.c.id).where(dialogue_session.c.id == session_id).with_for_update()
        )
    top = connection.execute(
        select(func.max(agreement.c.position)).where(agreement.c.session_id == session_id)
    ).scalar_one()
    return 0 if top is None else int(top) + 1


def add_agreement(store: Store, actor: Actor, session_id: int, data: AgreementInput | dict[str, Any]) -> int:
    data = validate(AgreementInput, data)

    def work(connection: Connection) -> int:
        session = fetch_row(connection, dialogue_session, session_id)
        require(actor, Action.WRITE_ACTIVITY, session["state_code"])
        if data.commitment_id is not None:
            ensure_commitment_in_state(connection, data.commitment_id, session["state_code"], "commitment_id")
        position = next_position(connection, session_id)
        values = store.stamp({"session_id": session_id, **agreement_values(data, position)}, new=True)
        agreement_id = connection.execute(
            insert(agreement).values(**values).returning(agreement.c.id)
        ).scalar_one()
        store.audit(
            connection,
            actor,
            "create",
            "agreement",
            agreement_id,
            after=values,
            state_code=session["state_code"],
        )
        return agreement_id

    return store.write(work)


def follow_up_agreement(
    store: Store,
    actor: Actor,
    agreement_id: int,
    version: int,
    change: AgreementStatusChange | dict[str, Any],
) -> dict[str, Any]:
    """Change an agreement's status with a dated note (kept as its history); optionally link a commitment. An
    archived agreement, or one under an archived session, is not found."""
    change = validate(AgreementStatusChange, change, today=store.today())

    def work(connection: Connection) -> dict[str, Any]:
        before, state_code, archived = _live_agreement(connection, agreement_id)
        require(actor, Action.WRITE_ACTIVITY, state_code)
        if archived:  # restore it first: an archived agreement's history is not written to
            raise NotFound(entity="agreement", id=agreement_id)
        values: dict[str, Any] = {"status": change.status.value}
        closing = change.status in (AgreementStatus.DONE, AgreementStatus.CANCELLED)
        values["closed_on"] = change.changed_on if closing else None
        if change.commitment_id is not None:
            ensure_commitment_in_state(connection, change.commitment_id, state_code, "commitment_id")
            values["commitment_id"] = change.commitment_id
        after = update_versioned(store, connection, agreement, agreement_id, version, values)
        connection.execute(
            insert(agreement_update).values(
                agreement_id=agreement_id,
                changed_on=change.changed_on,
                recorded_at=store.clock(),
                recorded_by=actor.username,
                status=change.status.value,
                note=change.note,
            )
        )
        store.audit(
            connection,
            actor,
            "update",
            "agreement",
            agreement_id,
            before=before,
            after=after,
            state_code=state_code,
        )
        return after

    return store.write(work)


CORRECTED_AGREEMENT_COLUMNS = ("text", "responsible_sector", "responsible_organization", "due_date")


def correct_agreement(
    store: Store,
    actor: Actor,
    agreement_id: int,
    version: int,
    data: AgreementCorrection | dict[str, Any],
) -> int:
    """Correct what a session agreed as it was logged (text, responsible sector and organisation, due date) if
    nobody saved the agreement since ``version``; return its new version.

    An archived agreement, or one under an archived session, is not found: restore it first. The status, closing
    date and commitment link change only through ``follow_up_agreement``, which keeps them in the agreement's
    history; the audit entry keeps the corrected fields as they were and as they are.
    """
    data = validate(AgreementCorrection, data)
    values = {
        "text": data.text,
        "responsible_sector": data.responsible_sector.value if data.responsible_sector else None,
        "responsible_organization": data.responsible_organization,
        "due_date": data.due_date,
    }

    def work(connection: Connection) -> int:
        before, state_code, archived = _live_agreement(connection, agreement_id)
        require(actor, Action.WRITE_ACTIVITY, state_code)
        if archived:
            raise NotFound(entity="agreement", id=agreement_id)
        after = update_versioned(store, connection, agreement, agreement_id, version, values)
        changed = [name for name in CORRECTED_AGREEMENT_COLUMNS if before[name] != after[name]]
        store.audit(
            connection,
            actor,
            "correct",
            "agreement",
            agreement_id,
            before={name: before[name] for name in changed},
            after={name: after[name] for name in changed},
            state_code=state_code,
        )
        return int(after["version"])

    return store.write(work)


def agreement_history(store: Store, actor: Actor, agreement_id: int) -> pd.DataFrame:
    """Columns: changed_on, status, note, recorded_by (recorded_by only for staff)."""
    require(actor, Action.READ_ACTIVITY)
    query = (
        select(
            agreement_update.c.changed_on,
            agreement_update.c.status,
            agreement_update.c.note,
            agreement_update.c.recorded_by,
        )
        .where(agreement_update.c.agreement_id == agreement_id)
        .order_by(agreement_update.c.changed_on, agreement_update.c.id)
    )
    with store.read() as connection:
        frame = pd.DataFrame(
            connection.execute(query).mappings().all(),
            columns=["changed_on", "status", "note", "recorded_by"],
        )
    if not allowed(actor, Action.READ_PRIVATE_NOTES):
        frame = frame.drop(columns=["recorded_by", "note"])
    return frame


def open_agreements(
    store: Store,
    actor: Actor,
    state_code: str | None = None,
    today: date | None = None,
    limit: int = 50,
    offset: int = 0,
    include_closed: bool = False,
) -> pd.DataFrame:
    """Agreements still pending or in progress, overdue first, then by due date; with ``include_closed`` the done
    and cancelled ones follow, most recently closed first.
    Columns: id, version, session_id, state_code, state_name, held_on, text, responsible_sector,
    responsible_organization, due_date, status, closed_on, commitment_id, overdue."""
    require(actor, Action.READ_ACTIVITY)
    today = today or store.today()
    is_open = rule_sql.agreement_open()
    overdue = rule_sql.agreement_overdue(today)
    # Among open agreements "overdue first, then by due date" is plain due-date order (the overdue ones are due
    # earliest), which PostgreSQL reads from the due-date index instead of sorting every open agreement.
    ordering = [agreement.c.due_date.asc().nulls_last(), agreement.c.id]
    if include_closed:
        ordering = [
            case((overdue, 0), (is_open, 1), else_=2),
            case((is_open, agreement.c.due_date), else_=None).asc().nulls_last(),
            agreement.c.closed_on.desc().nulls_last(),
            agreement.c.id,
        ]
    query = (
        select(
            agreement.c.id,
            agreement.c.version,
            agreement.c.session_id,
            dialogue_session.c.state_code,
            state.c.name.label("state_name"),
            dialogue_session.c.held_on,
            agreement.c.text,
            agreement.c.responsible_sector,
            agreement.c.responsible_organization,
            agreement.c.due_date,
            agreement.c.status,
            agreement.c.closed_on,
            agreement.c.commitment_id,
            case((overdue, True), else_=False).label("overdue"),
        )
        .join(dialogue_session, dialogue_session.c.id == agreement.c.session_id)
        .join(state, state.c.code == dialogue_session.c.state_code)
        .where(agreement.c.archived_at.is_(None), dialogue_session.c.archived_at.is_(None))
        .order_by(*ordering)
        .limit(limit)
        .offset(offset)
    )
    if not include_closed:
        query = query.where(is_open)
    if state_code:
        query = query.where(dialogue_session.c.state_code == state_code)
    with store.read() as connection:
        return pd.DataFrame(
            connection.execute(query).mappings().all(), columns=[c.name for c in query.selected_columns]
        )
