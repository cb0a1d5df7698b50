"""Fixtures for the open-data tests: a record with private markers planted in every private place.

``seed_record`` writes, through the store's public functions, sessions, workshops, agreements (one linked to a
commitment, one followed up), a commitment with milestones (one complete with evidence) in a new second plan, and
STL members with personal data. Every private value carries a ``PRIVATE_*`` marker, so a test can search any
exported byte for them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from accompaniment.access import SYSTEM
from accompaniment.store import activity, commitments, secretariats
from accompaniment.store.agreements import follow_up_agreement
from accompaniment.store.database import Store, open_store
from tests.conftest import FIXED_NOW, OAXACA, TLAXCALA, database_url

TODAY = FIXED_NOW.date()
PRIVATE = {
    "person_name": "PRIVATE-NAME-Xq7",
    "person_email": "private-mail-xq7@example.org",
    "person_phone": "PRIVATE-PHONE-Xq7",
    "summary": "PRIVATE-SUMMARY-Xq7",
    "notes": "PRIVATE-NOTES-Xq7",
    "milestone_note": "PRIVATE-MILESTONE-NOTE-Xq7",
    "evidence_note": "PRIVATE-EVIDENCE-NOTE-Xq7",
    "agreement_note": "PRIVATE-AGREEMENT-NOTE-Xq7",
}
FORMULA = '=HYPERLINK("http://x")'


@dataclass(frozen=True)
class Seeded:
    sessions: list[int]
    workshops: list[int]
    commitment_id: int
    milestones: list[int]
    plan_id: int


def seed_record(store: Store) -> Seeded:
    members = [
        {
            "state_code": OAXACA,
            "organization": "Colectivo Oaxaqueño",
            "sector": "civil_society",
            "person_name": PRIVATE["person_name"],
            "person_email": PRIVATE["person_email"],
            "person_phone": PRIVATE["person_phone"],
        },
        {
            "state_code": TLAXCALA,
            "organization": "Contraloría de Tlaxcala",
            "sector": "government",
            "person_name": PRIVATE["person_name"] + "-T",
        },
    ]
    for data in members:
        secretariats.add_member(store, SYSTEM, data)
    plan_id = commitments.create_plan(
        store, SYSTEM, {"state_code": TLAXCALA, "number": 2, "period_start": date(2026, 1, 1)}
    )
    commitment_id = commitments.create_commitment(
        store,
        SYSTEM,
        {
            "plan_id": plan_id,
            "number": 1,
            "title": "Tablero ciudadano de obra pública en Tlaxcala",
            "public_problem": "Opacidad en la obra pública municipal",
            "objective": "Publicar el avance de cada obra",
            "lead_institution": "Secretaría de Obras",
            "co_responsible": "Observatorio Ciudadano",
            "start_date": date(2026, 1, 15),
            "end_date": date(2027, 12, 31),
            "ogp_values": ["access_to_information", "public_accountability"],
            "sdg_targets": ["16.6", "11.3"],
        },
    )
    milestones = []
    for number, description in enumerate(["Diagnóstico participativo", "Piloto en Apizaco", "Evaluación"], 1):
        milestones.append(
            commitments.create_milestone(
                store,
                SYSTEM,
                {
                    "commitment_id": commitment_id,
                    "number": number,
                    "description": description,
                    "responsible": "Secretaría de Obras",
                    "due_date": date(2026, 3 * number, 1),
                    "weight": float(number),
                },
            )
        )
    commitments.update_milestone(
        store,
        SYSTEM,
        milestones[0],
        1,
        {
            "progress": 100,
            "status": "complete",
            "evidence_url": "https://evidencia.example.org/tlx/1",
            "evidence_note": PRIVATE["evidence_note"],
            "note": PRIVATE["milestone_note"],
        },
    )
    commitments.update_milestone(
        store,
        SYSTEM,
        milestones[1],
        1,
        {"progress": 40, "status": "in_progress", "evidence_note": "Minuta de la mesa de trabajo"},
    )
    sessions = [
        activity.log_session(
            store,
            SYSTEM,
            {
                "state_code": OAXACA,
                "held_on": date(2026, 3, 5),
                "session_type": "working_table",
                "modality": "hybrid",
                "phase": 4,
                "topics": "Seguimiento de hitos",
                "participants": {
                    "civil_society": {"women": 4, "men": 3},
                    "government": {"women": 2, "other": 1},
                },
                "organizations": ["Colectivo Oaxaqueño", "IAIP Oaxaca"],
                "consensus": 4,
                "public_summary": FORMULA,
                "summary": PRIVATE["summary"],
                "evidence_url": "https://gobiernoabierto.example.org/oax/1",
                "agreements": [
                    {
                        "text": "Enviar la minuta",
                        "responsible_sector": "government",
                        "due_date": date(2026, 3, 20),
                    },
                    {
                        "text": "Convocar al órgano garante",
                        "responsible_sector": "guarantor_body",
                        "responsible_organization": "IAIP Oaxaca",
                    },
                ],
            },
        ),
        activity.log_session(
            store,
            SYSTEM,
            {
                "state_code": TLAXCALA,
                "held_on": date(2026, 4, 10),
                "session_type": "plenary",
                "participants": {"academia": {"women": 2}},
                "public_summary": "- punto uno; + punto dos",
                "summary": PRIVATE["summary"],
                "agreements": [
                    {
                        "text": "Publicar el tablero",
                        "commitment_id": commitment_id,
                        "due_date": date(2026, 6, 30),
                    }
                ],
            },
        ),
    ]
    agreement_id = activity.get_session(store, SYSTEM, sessions[0])["agreements"][0]["id"]
    follow_up_agreement(
        store,
        SYSTEM,
        agreement_id,
        1,
        {"status": "done", "changed_on": date(2026, 3, 18), "note": PRIVATE["agreement_note"]},
    )
    workshops = [
        activity.log_workshop(
            store,
            SYSTEM,
            {
                "state_code": OAXACA,
                "held_on": date(2026, 2, 12),
                "title": "Taller: árbol de problemas",
                "topic": "Árbol de problemas",
                "modality": "in_person",
                "hours": 3.5,
                "satisfaction": 5,
                "participants": {"civil_society": {"women": 6, "men": 2}, "academia": {"other": 1}},
                "public_summary": "@usuario del taller",
                "notes": PRIVATE["notes"],
            },
        ),
    ]
    return Seeded(sessions, workshops, commitment_id, milestones, plan_id)


@pytest.fixture
def seeded(store: Store) -> tuple[Store, Seeded]:
    return store, seed_record(store)


@pytest.fixture
def seeded_duckdb(duckdb_store: Store) -> tuple[Store, Seeded]:
    return duckdb_store, seed_record(duckdb_store)


@pytest.fixture
def second_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """Another empty database on ``backend`` (DuckDB in its own file), e.g. the target of a restore."""
    target = tmp_path / "second"
    target.mkdir()
    yield from database_url(backend, target)


@pytest.fixture
def second_store(second_url: str) -> Iterator[Store]:
    opened = open_store(second_url, clock=lambda: FIXED_NOW)
    try:
        yield opened
    finally:
        opened.engine.dispose()
