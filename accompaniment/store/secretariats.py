"""Each state's Local Technical Secretariat: its phase and dated phase history, its members by sector, and the
dated events of its exercise. Members' personal data (names, e-mails, phones) is private (DESIGN §6)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Connection, func, insert, select

from accompaniment.access import Action, Actor, allowed, require
from accompaniment.domain.errors import NotFound
from accompaniment.domain.models import MemberInput, PhaseChangeInput, validate
from accompaniment.store.activity import ensure_known_state
from accompaniment.store.database import Store, fetch_row, update_versioned
from accompaniment.store.schema import member, phase_event, secretariat, state, stl_event

PERSONAL_COLUMNS = ("person_name", "person_email", "person_phone")


@dataclass(frozen=True)
class SecretariatSummary:
    id: int
    version: int
    state_code: str
    state_name: str
    iso_code: str
    call_year: int | None
    phase: int
    phase_since: date | None
    declaration_date: date | None
    installation_date: date | None
    status_note: str
    source: str | None


def list_programme_states(store: Store, actor: Actor) -> pd.DataFrame:
    """The states with a secretariat. Columns: state_code, state_name, call_year, phase."""
    require(actor, Action.READ_PUBLISHED)
    query = (
        select(
            state.c.code.label("state_code"),
            state.c.name.label("state_name"),
            state.c.call_year,
            secretariat.c.phase,
        )
        .join(secretariat, secretariat.c.state_code == state.c.code)
        .where(secretariat.c.archived_at.is_(None))
        .order_by(state.c.name)
    )
    with store.read() as connection:
        return pd.DataFrame(
            connection.execute(query).mappings().all(),
            columns=["state_code", "state_name", "call_year", "phase"],
        )


def all_states(store: Store, actor: Actor) -> pd.DataFrame:
    """All 32 states. Columns: code, iso_code, name, short_name, programme, call_year, grid_row, grid_col."""
    require(actor, Action.READ_PUBLISHED)
    with store.read() as connection:
        return pd.DataFrame(
            connection.execute(select(state).order_by(state.c.code)).mappings().all(),
            columns=[c.name for c in state.c],
        )


def get_secretariat(store: Store, actor: Actor, state_code: str) -> SecretariatSummary:
    require(actor, Action.READ_PUBLISHED)
    with store.read() as connection:
        row = (
            connection.execute(
                select(secretariat, state.c.name.label("state_name"), state.c.iso_code, state.c.call_year)
                .join(state, state.c.code == secretariat.c.state_code)
                .where(secretariat.c.state_code == state_code, secretariat.c.archived_at.is_(None))
            )
            .mappings()
            .first()
        )
    if row is None:
        raise NotFound(entity="secretariat", id=state_code)
    return SecretariatSummary(
        id=row["id"],
        version=row["version"],
        state_code=row["state_code"],
        state_name=row["state_name"],
        iso_code=row["iso_code"],
        call_year=row["call_year"],
        phase=row["phase"],
        phase_since=row["phase_since"],
        declaration_date=row["declaration_date"],
        installation_date=row["installation_date"],
        status_note=row["status_note"],
        source=row["source"],
    )


def change_phase(
    store: Store, actor: Actor, state_code: str, version: int, data: PhaseChangeInput | dict[str, Any]
) -> dict[str, Any]:
    """Move an STL to a phase on a date, with a note; the change is a dated event of its history."""
    data = validate(PhaseChangeInput, data, today=store.today())
    require(actor, Action.CHANGE_PHASE, state_code)

    def work(connection: Connection) -> dict[str, Any]:
        row_id = connection.execute(
            select(secretariat.c.id).where(secretariat.c.state_code == state_code)
        ).scalar()
        if row_id is None:
            raise NotFound(entity="secretariat", id=state_code)
        before = fetch_row(connection, secretariat, row_id)
        after = update_versioned(
            store,
            connection,
            secretariat,
            row_id,
            version,
            {"phase": int(data.phase), "phase_since": data.changed_on},
        )
        connection.execute(
            insert(phase_event).values(
                **store.stamp(
                    {
                        "state_code": state_code,
                        "phase": int(data.phase),
                        "changed_on": data.changed_on,
                        "note": data.note,
                        "recorded_by": actor.username,
                    },
                    new=True,
                )
            )
        )
        store.audit(
            connection,
            actor,
            "update",
            "secretariat",
            row_id,
            before=before,
            after=after,
            state_code=state_code,
        )
        return after

    return store.write(work)


def phase_history(store: Store, actor: Actor, state_code: str) -> pd.DataFrame:
    """Columns: phase, changed_on, note (a catalogue key for the starting record), source. Oldest first."""
    require(actor, Action.READ_PUBLISHED)
    query = (
        select(phase_event.c.phase, phase_event.c.changed_on, phase_event.c.note, phase_event.c.source)
        .where(phase_event.c.state_code == state_code, phase_event.c.archived_at.is_(None))
        .order_by(phase_event.c.changed_on, phase_event.c.phase, phase_event.c.id)
    )
    with store.read() as connection:
        return pd.DataFrame(
            connection.execute(query).mappings().all(), columns=["phase", "changed_on", "note", "source"]
        )


def stl_events(store: Store, actor: Actor, state_code: str) -> pd.DataFrame:
    """Dated events of the exercise (reference timeline). Columns: happened_on, date_precision, kind, description,
    source. Undated events come last."""
    require(actor, Action.READ_PUBLISHED)
    query = (
        select(
            stl_event.c.happened_on,
            stl_event.c.date_precision,
            stl_event.c.kind,
            stl_event.c.description,
            stl_event.c.source,
        )
        .where(stl_event.c.state_code == state_code, stl_event.c.archived_at.is_(None))
        .order_by(stl_event.c.happened_on.asc().nulls_last(), stl_event.c.id)
    )
    with store.read() as connection:
        return pd.DataFrame(
            connection.execute(query).mappings().all(),
            columns=["happened_on", "date_precision", "kind", "description", "source"],
        )


def list_members(store: Store, actor: Actor, state_code: str) -> pd.DataFrame:
    """Members of a state's STL. Columns: id, version, organization, sector, seat, active_from, active_to, source,
    and person_name/person_email/person_phone only for those allowed to read that state's personal data."""
    require(actor, Action.READ_PUBLISHED)
    personal = allowed(actor, Action.READ_PERSONAL_DATA, state_code)
    columns = ["id", "version", "organization", "sector", "seat", "active_from", "active_to", "source"]
    if personal:
        columns += list(PERSONAL_COLUMNS)
    query = (
        select(*(member.c[name] for name in columns))
        .where(member.c.state_code == state_code, member.c.archived_at.is_(None))
        .order_by(member.c.sector, member.c.organization)
    )
    with store.read() as connection:
        return pd.DataFrame(connection.execute(query).mappings().all(), columns=columns)


def members_by_sector(store: Store, actor: Actor, state_code: str | None = None) -> pd.DataFrame:
    """Columns: state_code, sector, members."""
    require(actor, Action.READ_PUBLISHED)
    query = (
        select(member.c.state_code, member.c.sector, func.count().label("members"))
        .where(member.c.archived_at.is_(None))
        .group_by(member.c.state_code, member.c.sector)
        .order_by(member.c.state_code, member.c.sector)
    )
    if state_code:
        query = query.where(member.c.state_code == state_code)
    with store.read() as connection:
        return pd.DataFrame(
            connection.execute(query).mappings().all(), columns=["state_code", "sector", "members"]
        )


def add_member(
    store: Store, actor: Actor, data: MemberInput | dict[str, Any], *, is_demo: bool = False
) -> int:
    data = validate(MemberInput, data)
    require(actor, Action.WRITE_STRUCTURE, data.state_code)

    def work(connection: Connection) -> int:
        ensure_known_state(connection, data.state_code)
        values = store.stamp({**data.model_dump(mode="json"), "is_demo": is_demo}, new=True)
        values["active_from"], values["active_to"] = data.active_from, data.active_to
        member_id = connection.execute(insert(member).values(**values).returning(member.c.id)).scalar_one()
        store.audit(
            connection, actor, "create", "member", member_id, after=values, state_code=data.state_code
        )
        return member_id

    return store.write(work)


def edit_member(
    store: Store, actor: Actor, member_id: int, version: int, data: MemberInput | dict[str, Any]
) -> dict[str, Any]:
    data = validate(MemberInput, data)
    require(actor, Action.WRITE_STRUCTURE, data.state_code)

    def work(connection: Connection) -> dict[str, Any]:
        before = fetch_row(connection, member, member_id)
        require(actor, Action.WRITE_STRUCTURE, before["state_code"])
        values = data.model_dump(mode="json")
        values["active_from"], values["active_to"] = data.active_from, data.active_to
        after = update_versioned(store, connection, member, member_id, version, values)
        store.audit(
            connection,
            actor,
            "update",
            "member",
            member_id,
            before=before,
            after=after,
            state_code=data.state_code,
        )
        return after

    return store.write(work)
