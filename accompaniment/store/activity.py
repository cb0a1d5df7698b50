"""Workshops and dialogue sessions (with participants, attending organisations and agreements). A session and its
agreements are written in one transaction: either all of it is stored or none. The agreements' own life afterwards
(adding one, its follow-up, corrections, the lists) is in ``store.agreements``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    Table,
    cast,
    delete,
    extract,
    func,
    insert,
    select,
    update,
)

from accompaniment.access import Action, Actor, allowed, require
from accompaniment.domain.enums import AgreementStatus
from accompaniment.domain.errors import NotFound, ValidationError
from accompaniment.domain.models import (
    AgreementInput,
    SessionInput,
    WorkshopInput,
    validate,
)
from accompaniment.store.database import Store, fetch_row, update_versioned
from accompaniment.store.schema import (
    action_plan,
    agreement,
    commitment,
    dialogue_session,
    participation,
    session_organization,
    state,
    workshop,
)

PRIVATE_SESSION_COLUMNS = ("summary",)
PRIVATE_WORKSHOP_COLUMNS = ("notes",)


# ---- shared checks -------------------------------------------------------------------------------------------------


def ensure_known_state(connection: Connection, state_code: str, field: str = "state_code") -> None:
    found = connection.execute(select(state.c.code).where(state.c.code == state_code)).first()
    if found is None:
        raise ValidationError.single(field, "unknown_state")


def ensure_commitment_in_state(
    connection: Connection, commitment_id: int, state_code: str, field: str
) -> None:
    found = connection.execute(
        select(commitment.c.id)
        .join(action_plan, action_plan.c.id == commitment.c.plan_id)
        .where(
            commitment.c.id == commitment_id,
            action_plan.c.state_code == state_code,
            commitment.c.archived_at.is_(None),
        )
    ).first()
    if found is None:
        raise ValidationError.single(field, "unknown_commitment")


def ensure_same_state(stored: dict[str, Any], data: SessionInput | WorkshopInput) -> None:
    """A logged activity stays in its state: agreements and follow-up hang on it. To move one, archive it and log it
    again in the right state (DuckDB could not move a row that others reference anyway)."""
    if stored["state_code"] != data.state_code:
        raise ValidationError.single("state_code", "state_fixed")


def _participation_rows(
    grid: dict, *, session_id: int | None = None, workshop_id: int | None = None
) -> list[dict]:
    return [
        {
            "session_id": session_id,
            "workshop_id": workshop_id,
            "sector": sector.value,
            "gender": gender.value,
            "count": count,
        }
        for sector, by_gender in grid.items()
        for gender, count in by_gender.items()
        if count > 0
    ]


def agreement_values(item: AgreementInput, position: int) -> dict[str, Any]:
    return {
        "position": position,
        "text": item.text,
        "responsible_sector": item.responsible_sector.value if item.responsible_sector else None,
        "responsible_organization": item.responsible_organization,
        "due_date": item.due_date,
        "commitment_id": item.commitment_id,
        "status": AgreementStatus.PENDING.value,
    }


def _session_values(data: SessionInput) -> dict[str, Any]:
    return {
        "state_code": data.state_code,
        "held_on": data.held_on,
        "session_type": data.session_type.value,
        "modality": data.modality.value,
        "phase": int(data.phase) if data.phase is not None else None,
        "topics": data.topics,
        "consensus": data.consensus,
        "public_summary": data.public_summary,
        "summary": data.summary,
        "evidence_url": data.evidence_url,
        "participant_total": data.participant_total,
    }


def _workshop_values(data: WorkshopInput) -> dict[str, Any]:
    return {
        "state_code": data.state_code,
        "held_on": data.held_on,
        "title": data.title,
        "topic": data.topic,
        "modality": data.modality.value,
        "hours": data.hours,
        "satisfaction": data.satisfaction,
        "public_summary": data.public_summary,
        "notes": data.notes,
        "evidence_url": data.evidence_url,
        "participant_total": data.participant_total,
    }


def _check_agreement_links(connection: Connection, data: SessionInput) -> None:
    problems = []
    for index, item in enumerate(data.agreements):
        if item.commitment_id is None:
            continue
        try:
            ensure_commitment_in_state(
                connection, item.commitment_id, data.state_code, f"agreements.{index}.commitment_id"
            )
        except ValidationError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ValidationError(problems)


def _held_between(table: Table, held_from: date | None, held_to: date | None) -> list[ColumnElement[bool]]:
    bounds = []
    if held_from is not None:
        bounds.append(table.c.held_on >= held_from)
    if held_to is not None:
        bounds.append(table.c.held_on <= held_to)
    return bounds


def activity_years(store: Store, actor: Actor, state_code: str) -> list[int]:
    """The years in which ``state_code`` held a live session or workshop, newest first: the periods a reader of
    its profile can pick."""
    require(actor, Action.READ_ACTIVITY, state_code)
    years = set()
    with store.read() as connection:
        for table in (dialogue_session, workshop):
            year = cast(extract("year", table.c.held_on), Integer)
            query = (
                select(year)
                .where(table.c.state_code == state_code, table.c.archived_at.is_(None))
                .group_by(year)
            )
            years.update(int(found) for found in connection.execute(query).scalars())
    return sorted(years, reverse=True)


# ---- sessions ------------------------------------------------------------------------------------------------------


def log_session(
    store: Store, actor: Actor, data: SessionInput | dict[str, Any], *, is_demo: bool = False
) -> int:
    """Store a dialogue session with its participants, organisations and agreements; return its id."""
    data = validate(SessionInput, data, today=store.today())
    require(actor, Action.WRITE_ACTIVITY, data.state_code)

    def work(connection: Connection) -> int:
        ensure_known_state(connection, data.state_code)
        _check_agreement_links(connection, data)
        values = store.stamp({**_session_values(data), "is_demo": is_demo}, new=True)
        session_id = connection.execute(
            insert(dialogue_session).values(**values).returning(dialogue_session.c.id)
        ).scalar_one()
        _write_session_children(connection, store, data, session_id, is_demo)
        store.audit(
            connection,
            actor,
            "create",
            "dialogue_session",
            session_id,
            after=_audit_view(data),
            state_code=data.state_code,
        )
        return session_id

    return store.write(work)


def _write_session_children(
    connection: Connection, store: Store, data: SessionInput, session_id: int, is_demo: bool
) -> None:
    rows = _participation_rows(data.participants, session_id=session_id)
    if rows:
        connection.execute(insert(participation), rows)
    if data.organizations:
        connection.execute(
            insert(session_organization),
            [
                {"session_id": session_id, "position": i, "name": name}
                for i, name in enumerate(data.organizations)
            ],
        )
    if data.agreements:
        stamp = store.stamp({"is_demo": is_demo}, new=True)
        connection.execute(
            insert(agreement),
            [
                {"session_id": session_id, **agreement_values(item, i), **stamp}
                for i, item in enumerate(data.agreements)
            ],
        )


def _sync_children(
    connection: Connection,
    store: Store,
    actor: Actor,
    table: Table,
    belongs: ColumnElement[bool],
    wanted: list[dict[str, Any]],
    key: tuple[str, ...],
    state_code: str,
) -> None:
    """Make a parent's child rows in ``table`` the ``wanted`` ones, matched on ``key``: a row whose other values
    differ is updated, a row no longer wanted is deleted, a new one inserted, one left as it was untouched. Each
    change leaves its own audit entry (table, record, before/after) in the edit's transaction."""
    stored = {
        tuple(row[k] for k in key): dict(row)
        for row in connection.execute(select(table).where(belongs).order_by(table.c.id)).mappings()
    }
    wanted_by_key = {tuple(row[k] for k in key): row for row in wanted}
    for found, before in stored.items():
        if found not in wanted_by_key:
            connection.execute(delete(table).where(table.c.id == before["id"]))
            store.audit(
                connection, actor, "delete", table.name, before["id"], before=before, state_code=state_code
            )
    for found, values in wanted_by_key.items():
        before = stored.get(found)
        if before is None:
            row_id = connection.execute(insert(table).values(**values).returning(table.c.id)).scalar_one()
            after = dict(connection.execute(select(table).where(table.c.id == row_id)).mappings().one())
            store.audit(connection, actor, "create", table.name, row_id, after=after, state_code=state_code)
        elif any(before[column] != value for column, value in values.items()):
            connection.execute(update(table).where(table.c.id == before["id"]).values(**values))
            store.audit(
                connection,
                actor,
                "update",
                table.name,
                before["id"],
                before=before,
                after={**before, **values},
                state_code=state_code,
            )


def _audit_view(data: SessionInput | WorkshopInput) -> dict[str, Any]:
    return data.model_dump(mode="json")


def edit_session(
    store: Store, actor: Actor, session_id: int, version: int, data: SessionInput | dict[str, Any]
) -> dict[str, Any]:
    """Replace a session's fields, participants and organisations if nobody saved it since ``version``.

    New agreements in ``data`` are added after the existing ones; existing agreements change through their own
    follow-up so their history is kept.
    """
    data = validate(SessionInput, data, today=store.today())
    require(actor, Action.WRITE_ACTIVITY, data.state_code)

    def work(connection: Connection) -> dict[str, Any]:
        before = fetch_row(connection, dialogue_session, session_id)
        require(actor, Action.WRITE_ACTIVITY, before["state_code"])
        ensure_same_state(before, data)
        ensure_known_state(connection, data.state_code)
        _check_agreement_links(connection, data)
        after = update_versioned(
            store, connection, dialogue_session, session_id, version, _session_values(data)
        )
        _sync_children(
            connection,
            store,
            actor,
            participation,
            participation.c.session_id == session_id,
            _participation_rows(data.participants, session_id=session_id),
            ("sector", "gender"),
            data.state_code,
        )
        _sync_children(
            connection,
            store,
            actor,
            session_organization,
            session_organization.c.session_id == session_id,
            [{"session_id": session_id, "position": i, "name": n} for i, n in enumerate(data.organizations)],
            ("position",),
            data.state_code,
        )
        # Added agreements follow the highest position in use (not the count: positions may have gaps, and a
        # session's positions are unique).
        highest = connection.execute(
            select(func.max(agreement.c.position)).where(agreement.c.session_id == session_id)
        ).scalar_one()
        first_free = 0 if highest is None else highest + 1
        stamp = store.stamp({"is_demo": False}, new=True)
        for i, item in enumerate(data.agreements):
            values = {"session_id": session_id, **agreement_values(item, first_free + i), **stamp}
            agreement_id = connection.execute(
                insert(agreement).values(**values).returning(agreement.c.id)
            ).scalar_one()
            store.audit(
                connection,
                actor,
                "create",
                "agreement",
                agreement_id,
                after=fetch_row(connection, agreement, agreement_id),
                state_code=data.state_code,
            )
        store.audit(
            connection,
            actor,
            "update",
            "dialogue_session",
            session_id,
            before=before,
            after=after,
            state_code=data.state_code,
        )
        return after

    return store.write(work)


def likely_duplicates(
    store: Store, actor: Actor, state_code: str, held_on: date, session_type: str
) -> list[int]:
    """Ids of stored sessions with the same state, date and type: the form warns before saving another."""
    require(actor, Action.WRITE_ACTIVITY, state_code)
    with store.read() as connection:
        rows = connection.execute(
            select(dialogue_session.c.id).where(
                dialogue_session.c.state_code == state_code,
                dialogue_session.c.held_on == held_on,
                dialogue_session.c.session_type == session_type,
                dialogue_session.c.archived_at.is_(None),
            )
        ).scalars()
        return list(rows)


def get_session(store: Store, actor: Actor, session_id: int) -> dict[str, Any]:
    """A session with ``participants`` (sector → gender → count), ``organizations`` and ``agreements``.
    The private summary is present only for those allowed to read private notes."""
    require(actor, Action.READ_ACTIVITY)
    with store.read() as connection:
        row = (
            connection.execute(
                select(dialogue_session).where(
                    dialogue_session.c.id == session_id, dialogue_session.c.archived_at.is_(None)
                )
            )
            .mappings()
            .first()
        )
        if row is None:
            raise NotFound(entity="dialogue_session", id=session_id)
        result = dict(row)
        if not allowed(actor, Action.READ_PRIVATE_NOTES, result["state_code"]):
            for column in PRIVATE_SESSION_COLUMNS:
                result.pop(column, None)
        grid: dict[str, dict[str, int]] = {}
        for p in connection.execute(
            select(participation.c.sector, participation.c.gender, participation.c.count).where(
                participation.c.session_id == session_id
            )
        ):
            grid.setdefault(p.sector, {})[p.gender] = p.count
        result["participants"] = grid
        result["organizations"] = list(
            connection.execute(
                select(session_organization.c.name)
                .where(session_organization.c.session_id == session_id)
                .order_by(session_organization.c.position)
            ).scalars()
        )
        result["agreements"] = [
            dict(a)
            for a in connection.execute(
                select(agreement)
                .where(agreement.c.session_id == session_id, agreement.c.archived_at.is_(None))
                .order_by(agreement.c.position)
            ).mappings()
        ]
        return result


_SESSION_LIST_COLUMNS = [
    dialogue_session.c.id,
    dialogue_session.c.version,
    dialogue_session.c.state_code,
    state.c.name.label("state_name"),
    dialogue_session.c.held_on,
    dialogue_session.c.session_type,
    dialogue_session.c.modality,
    dialogue_session.c.phase,
    dialogue_session.c.topics,
    dialogue_session.c.consensus,
    dialogue_session.c.participant_total,
    dialogue_session.c.public_summary,
    dialogue_session.c.evidence_url,
]


def list_sessions(
    store: Store,
    actor: Actor,
    state_code: str | None = None,
    limit: int = 25,
    offset: int = 0,
    include_archived: bool = False,
    *,
    held_from: date | None = None,
    held_to: date | None = None,
) -> pd.DataFrame:
    """Sessions, newest first, optionally only those held from ``held_from`` to ``held_to`` (inclusive).
    Columns: id, version, state_code, state_name, held_on, session_type, modality, phase, topics, consensus,
    participant_total, public_summary, evidence_url, agreements, archived."""
    require(actor, Action.READ_ACTIVITY)
    # Counted per listed session (a correlated count, by the agreement.session_id index), not grouped over every
    # agreement of every session before the page is cut: at national scale that grouping was most of the page.
    agreements = (
        select(func.count())
        .where(agreement.c.session_id == dialogue_session.c.id, agreement.c.archived_at.is_(None))
        .correlate(dialogue_session)
        .scalar_subquery()
    )
    query = (
        select(
            *_SESSION_LIST_COLUMNS,
            agreements.label("agreements"),
            dialogue_session.c.archived_at.is_not(None).label("archived"),
        )
        .join(state, state.c.code == dialogue_session.c.state_code)
        .order_by(dialogue_session.c.held_on.desc(), dialogue_session.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    if not (include_archived and allowed(actor, Action.WRITE_ACTIVITY)):
        query = query.where(dialogue_session.c.archived_at.is_(None))
    if state_code:
        query = query.where(dialogue_session.c.state_code == state_code)
    query = query.where(*_held_between(dialogue_session, held_from, held_to))
    with store.read() as connection:
        return pd.DataFrame(
            connection.execute(query).mappings().all(), columns=[c.name for c in query.selected_columns]
        )


# ---- workshops -----------------------------------------------------------------------------------------------------


def log_workshop(
    store: Store, actor: Actor, data: WorkshopInput | dict[str, Any], *, is_demo: bool = False
) -> int:
    data = validate(WorkshopInput, data, today=store.today())
    require(actor, Action.WRITE_ACTIVITY, data.state_code)

    def work(connection: Connection) -> int:
        ensure_known_state(connection, data.state_code)
        values = store.stamp({**_workshop_values(data), "is_demo": is_demo}, new=True)
        workshop_id = connection.execute(
            insert(workshop).values(**values).returning(workshop.c.id)
        ).scalar_one()
        rows = _participation_rows(data.participants, workshop_id=workshop_id)
        if rows:
            connection.execute(insert(participation), rows)
        store.audit(
            connection,
            actor,
            "create",
            "workshop",
            workshop_id,
            after=_audit_view(data),
            state_code=data.state_code,
        )
        return workshop_id

    return store.write(work)


def edit_workshop(
    store: Store, actor: Actor, workshop_id: int, version: int, data: WorkshopInput | dict[str, Any]
) -> dict[str, Any]:
    data = validate(WorkshopInput, data, today=store.today())
    require(actor, Action.WRITE_ACTIVITY, data.state_code)

    def work(connection: Connection) -> dict[str, Any]:
        before = fetch_row(connection, workshop, workshop_id)
        require(actor, Action.WRITE_ACTIVITY, before["state_code"])
        ensure_same_state(before, data)
        ensure_known_state(connection, data.state_code)
        after = update_versioned(store, connection, workshop, workshop_id, version, _workshop_values(data))
        _sync_children(
            connection,
            store,
            actor,
            participation,
            participation.c.workshop_id == workshop_id,
            _participation_rows(data.participants, workshop_id=workshop_id),
            ("sector", "gender"),
            data.state_code,
        )
        store.audit(
            connection,
            actor,
            "update",
            "workshop",
            workshop_id,
            before=before,
            after=after,
            state_code=data.state_code,
        )
        return after

    return store.write(work)


def get_workshop(store: Store, actor: Actor, workshop_id: int) -> dict[str, Any]:
    require(actor, Action.READ_ACTIVITY)
    with store.read() as connection:
        row = (
            connection.execute(
                select(workshop).where(workshop.c.id == workshop_id, workshop.c.archived_at.is_(None))
            )
            .mappings()
            .first()
        )
        if row is None:
            raise NotFound(entity="workshop", id=workshop_id)
        result = dict(row)
        if not allowed(actor, Action.READ_PRIVATE_NOTES, result["state_code"]):
            for column in PRIVATE_WORKSHOP_COLUMNS:
                result.pop(column, None)
        grid: dict[str, dict[str, int]] = {}
        for p in connection.execute(
            select(participation.c.sector, participation.c.gender, participation.c.count).where(
                participation.c.workshop_id == workshop_id
            )
        ):
            grid.setdefault(p.sector, {})[p.gender] = p.count
        result["participants"] = grid
        return result


def list_workshops(
    store: Store,
    actor: Actor,
    state_code: str | None = None,
    limit: int = 25,
    offset: int = 0,
    *,
    held_from: date | None = None,
    held_to: date | None = None,
) -> pd.DataFrame:
    """Workshops, newest first, optionally only those held from ``held_from`` to ``held_to`` (inclusive).
    Columns: id, version, state_code, state_name, held_on, title, topic, modality, hours, satisfaction,
    participant_total, public_summary, evidence_url."""
    require(actor, Action.READ_ACTIVITY)
    query = (
        select(
            workshop.c.id,
            workshop.c.version,
            workshop.c.state_code,
            state.c.name.label("state_name"),
            workshop.c.held_on,
            workshop.c.title,
            workshop.c.topic,
            workshop.c.modality,
            workshop.c.hours,
            workshop.c.satisfaction,
            workshop.c.participant_total,
            workshop.c.public_summary,
            workshop.c.evidence_url,
        )
        .join(state, state.c.code == workshop.c.state_code)
        .where(workshop.c.archived_at.is_(None))
        .order_by(workshop.c.held_on.desc(), workshop.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    if state_code:
        query = query.where(workshop.c.state_code == state_code)
    query = query.where(*_held_between(workshop, held_from, held_to))
    with store.read() as connection:
        return pd.DataFrame(
            connection.execute(query).mappings().all(), columns=[c.name for c in query.selected_columns]
        )
