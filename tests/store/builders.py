"""Small builders for store tests: valid input with one override away from the case a test needs, and counts.

Writes here go through the store's public functions (acting as the specialist or the system), so a test
that uses a builder also exercises the path a page would take.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from accompaniment.access import SYSTEM
from accompaniment.store import activity, commitments
from accompaniment.store.database import Store
from accompaniment.store.schema import action_plan, audit_entry, commitment, metadata, milestone
from accompaniment.store.users import create_user
from tests.conftest import ACTORS, FIXED_NOW, OAXACA

TODAY = FIXED_NOW.date()
SPECIALIST = ACTORS["specialist"]

PARTICIPANTS = {
    "civil_society": {"women": 4, "men": 3},
    "government": {"women": 2, "men": 5, "other": 1},
    "guarantor_body": {"women": 1},
}
PARTICIPANT_TOTAL = 16
ORGANIZATIONS = ["Colectivo Oaxaqueño por la Transparencia", "Secretaría de la Contraloría", "IAIP Oaxaca"]


def days_ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def session_data(**overrides: Any) -> dict[str, Any]:
    """A plenary session of Oaxaca's STL ten days ago with participants, three organisations and three agreements."""
    data: dict[str, Any] = {
        "state_code": OAXACA,
        "held_on": days_ago(10),
        "session_type": "plenary",
        "modality": "hybrid",
        "phase": 4,
        "topics": "Seguimiento de hitos del primer plan",
        "participants": PARTICIPANTS,
        "organizations": list(ORGANIZATIONS),
        "consensus": 4,
        "public_summary": "El STL revisó el avance de los compromisos.",
        "summary": "Tensión entre la contraloría y las OSC por los plazos.",
        "evidence_url": "https://gobiernoabierto.example.org/oaxaca/sesion",
        "agreements": [
            {
                "text": "Enviar la minuta a las personas integrantes",
                "responsible_sector": "government",
                "due_date": days_ago(3),
            },
            {
                "text": "Convocar a una mesa de trabajo con el órgano garante",
                "responsible_sector": "guarantor_body",
                "responsible_organization": "IAIP Oaxaca",
                "due_date": TODAY + timedelta(days=20),
            },
            {"text": "Publicar el avance en el micrositio", "responsible_sector": "civil_society"},
        ],
    }
    data.update(overrides)
    return data


def workshop_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "state_code": OAXACA,
        "held_on": days_ago(5),
        "title": "Taller: árbol de problemas públicos",
        "topic": "Árbol de problemas",
        "modality": "in_person",
        "hours": 3.5,
        "satisfaction": 5,
        "participants": {"civil_society": {"women": 6, "men": 2}, "academia": {"other": 1}},
        "public_summary": "Taller con integrantes del STL.",
        "notes": "La academia pidió materiales en lengua zapoteca.",
        "evidence_url": "https://gobiernoabierto.example.org/oaxaca/taller",
    }
    data.update(overrides)
    return data


def log_session(store: Store, **overrides: Any) -> int:
    return activity.log_session(store, SPECIALIST, session_data(**overrides))


def session_agreements(store: Store, session_id: int) -> list[dict[str, Any]]:
    return activity.get_session(store, ACTORS["admin"], session_id)["agreements"]


def first_commitment(store: Store, state_code: str = OAXACA) -> int:
    """The first commitment of the state's real first plan (from the starting record)."""
    with store.read() as connection:
        return (
            connection.execute(
                select(commitment.c.id)
                .join(action_plan, action_plan.c.id == commitment.c.plan_id)
                .where(action_plan.c.state_code == state_code)
                .order_by(commitment.c.id)
            )
            .scalars()
            .first()
        )


def first_plan(store: Store, state_code: str = OAXACA) -> int:
    with store.read() as connection:
        return (
            connection.execute(
                select(action_plan.c.id)
                .where(action_plan.c.state_code == state_code)
                .order_by(action_plan.c.number)
            )
            .scalars()
            .first()
        )


def add_milestone(
    store: Store, commitment_id: int | None = None, number: int | None = None, **overrides: Any
) -> int:
    """A milestone of ``commitment_id`` (the state's first commitment); ``number`` defaults to the commitment's next
    free one, as milestone numbers are unique per commitment (migration 0006)."""
    commitment_id = commitment_id or first_commitment(store)
    if number is None:
        with store.read() as connection:
            top = connection.execute(
                select(func.max(milestone.c.number)).where(milestone.c.commitment_id == commitment_id)
            ).scalar_one()
        number = 1 if top is None else int(top) + 1
    data = {
        "commitment_id": commitment_id,
        "number": number,
        "description": "Diagnóstico participativo del problema público",
        "responsible": "Secretaría de la Contraloría",
        "due_date": TODAY + timedelta(days=60),
        **overrides,
    }
    return commitments.create_milestone(store, SPECIALIST, data)


def milestone_version(store: Store, milestone_id: int) -> int:
    with store.read() as connection:
        return connection.execute(
            select(milestone.c.version).where(milestone.c.id == milestone_id)
        ).scalar_one()


def add_account(
    store: Store, username: str, role: str = "working_group", state_code: str | None = None
) -> int:
    """An account with no password (single sign-on only): no Argon2 hashing, so it costs nothing."""
    return create_user(
        store,
        SYSTEM,
        {"username": username, "display_name": username.title(), "role": role, "state_code": state_code},
        None,
    )


def count_rows(store: Store, *tables: str) -> dict[str, int]:
    """Rows per table, by name."""
    with store.read() as connection:
        return {
            name: connection.execute(select(func.count()).select_from(metadata.tables[name])).scalar_one()
            for name in tables
        }


def audit_entries(
    store: Store, entity: str | None = None, entity_id: int | None = None
) -> list[dict[str, Any]]:
    """Audit entries, oldest first, with ``before`` and ``after`` parsed from JSON."""
    query = select(audit_entry).order_by(audit_entry.c.id)
    if entity is not None:
        query = query.where(audit_entry.c.entity == entity)
    if entity_id is not None:
        query = query.where(audit_entry.c.entity_id == entity_id)
    with store.read() as connection:
        rows = [dict(r) for r in connection.execute(query).mappings()]
    for row in rows:
        row["before"] = json.loads(row["before"]) if row["before"] is not None else None
        row["after"] = json.loads(row["after"]) if row["after"] is not None else None
    return rows
