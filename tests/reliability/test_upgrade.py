"""A database made by the first release upgrades to the current schema with every row intact, on both backends.

The database is built by running only the oldest migration, then filled the way that release would have left it:
rows in every one of its tables, inserted with plain SQL Core against table *names* (not ``schema.py``, which
describes today's tables). It is then upgraded one revision at a time, and after each step every row must still read
back the same; at the end the app's own ``open_store`` opens it and the store functions read the old rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, column, inspect, literal_column, select, table

from accompaniment.store import migrations
from accompaniment.store.activity import get_session
from accompaniment.store.commitments import get_commitment, milestone_timeline
from accompaniment.store.database import open_store
from accompaniment.store.engine import make_engine
from accompaniment.store.secretariats import list_members
from tests.conftest import ACTORS, postgres_schema_url

FIRST = "0001"
STAMP = {"created_at": datetime(2018, 3, 1, 9, 30), "updated_at": datetime(2018, 3, 2, 17, 5), "version": 3}


def insert_row(connection: Connection, name: str, values: dict[str, Any], key: str | None = "id") -> Any:
    """INSERT into table ``name`` by name only; return the new key."""
    target = table(name, *(column(c) for c in values), *([column(key)] if key and key not in values else []))
    statement = target.insert().values(**values)
    if key is None:
        connection.execute(statement)
        return None
    return connection.execute(statement.returning(target.c[key])).scalar_one()


def fill_first_release(connection: Connection) -> dict[str, int]:
    """Rows in every table of revision 0001, with the awkward values real data has. Returns some of the new ids."""
    ids: dict[str, int] = {}
    for code, iso, name, short, year, row, col in [
        ("20", "MX-OAX", "Oaxaca", "OAX", 2017, 7, 6),
        ("29", "MX-TLA", "Tlaxcala", "TLAX", 2018, 5, 7),
        ("01", "MX-AGU", "Aguascalientes", "AGS", None, 3, 3),
    ]:
        insert_row(
            connection,
            "state",
            {
                "code": code,
                "iso_code": iso,
                "name": name,
                "short_name": short,
                "programme": year is not None,
                "call_year": year,
                "grid_row": row,
                "grid_col": col,
            },
            key=None,
        )
    insert_row(
        connection,
        "sdg_goal",
        {
            "number": 16,
            "name_es": "Paz, justicia e instituciones sólidas",
            "name_en": "Peace, justice and strong institutions",
            "colour": "#00689D",
        },
        key=None,
    )
    insert_row(
        connection,
        "sdg_target",
        {
            "code": "16.10",
            "goal": 16,
            "position": 16010,
            "name_es": "Acceso público a la información",
            "name_en": "Public access to information",
        },
        key=None,
    )
    insert_row(
        connection,
        "ogp_value",
        {
            "code": "access_to_information",
            "name_es": "Acceso a la información",
            "name_en": "Access to information",
        },
        key=None,
    )
    ids["secretariat"] = insert_row(
        connection,
        "secretariat",
        {
            "state_code": "20",
            "declaration_date": date(2016, 10, 14),
            "installation_date": date(2017, 2, 1),
            "phase": 4,
            "phase_since": date(2018, 1, 31),
            "status_note": "Nota con «comillas» y 'apóstrofos'",
            "source": "APERTUS",
            "is_demo": False,
            **STAMP,
        },
    )
    insert_row(
        connection,
        "phase_event",
        {
            "state_code": "20",
            "phase": 4,
            "changed_on": date(2018, 1, 31),
            "note": "Publicación del PAL 🎉",
            "recorded_by": "especialista",
            "source": None,
            "is_demo": False,
            **STAMP,
        },
    )
    insert_row(
        connection,
        "stl_event",
        {
            "state_code": "20",
            "happened_on": None,
            "date_precision": "none",
            "kind": "forum",
            "description": "Foro sin fecha; ' OR 1=1 --",
            "source": "APERTUS",
            "is_demo": False,
            **STAMP,
        },
    )
    ids["member"] = insert_row(
        connection,
        "member",
        {
            "state_code": "20",
            "organization": "Colectivo Ñuu Savi",
            "sector": "civil_society",
            "seat": "titular",
            "active_from": date(2017, 2, 1),
            "active_to": None,
            "person_name": "María José Pérez",
            "person_email": "mj@example.org",
            "person_phone": "+52 951 000 0000",
            "source": None,
            "is_demo": False,
            **STAMP,
        },
    )
    ids["workshop"] = insert_row(
        connection,
        "workshop",
        {
            "state_code": "29",
            "held_on": date(2018, 4, 20),
            "title": "Taller de cocreación",
            "topic": "ODS 16",
            "modality": "hybrid",
            "hours": 3.5,
            "satisfaction": 5,
            "public_summary": "عربي — texto de derecha a izquierda",
            "notes": "privado",
            "evidence_url": "https://example.org/taller?id=1&x='y'",
            "participant_total": 12,
            "is_demo": False,
            **STAMP,
        },
    )
    ids["session"] = insert_row(
        connection,
        "dialogue_session",
        {
            "state_code": "20",
            "held_on": date(2018, 5, 3),
            "session_type": "plenary",
            "modality": "in_person",
            "phase": 4,
            "topics": "Seguimiento; DROP TABLE agreement; --",
            "consensus": 4,
            "public_summary": "Resumen público",
            "summary": "x" * 5000,
            "evidence_url": None,
            "participant_total": 9,
            "is_demo": True,
            **STAMP,
        },
    )
    insert_row(
        connection,
        "participation",
        {
            "workshop_id": ids["workshop"],
            "session_id": None,
            "sector": "government",
            "gender": "women",
            "count": 7,
        },
    )
    insert_row(
        connection,
        "participation",
        {
            "workshop_id": None,
            "session_id": ids["session"],
            "sector": "civil_society",
            "gender": "men",
            "count": 9,
        },
    )
    insert_row(
        connection,
        "session_organization",
        {"session_id": ids["session"], "position": 0, "name": "Órgano Garante de Oaxaca"},
    )
    ids["plan"] = insert_row(
        connection,
        "action_plan",
        {
            "state_code": "20",
            "number": 1,
            "period_start": date(2018, 1, 1),
            "period_end": date(2019, 12, 31),
            "published_on": date(2018, 1, 31),
            "link": "https://example.org/pal.pdf",
            "source": None,
            "is_demo": False,
            **STAMP,
        },
    )
    ids["commitment"] = insert_row(
        connection,
        "commitment",
        {
            "plan_id": ids["plan"],
            "number": 1,
            "title": "Transparencia presupuestaria",
            "public_problem": "Opacidad",
            "objective": "Publicar datos abiertos",
            "lead_institution": "Secretaría de Finanzas",
            "co_responsible": None,
            "start_date": date(2018, 2, 1),
            "end_date": date(2045, 12, 31),
            "proactive": False,
            "verifiable": True,
            "ambition": "substantial",
            "early_results": "marginal",
            "source": None,
            "is_demo": False,
            **STAMP,
        },
    )
    insert_row(
        connection,
        "commitment_ogp_value",
        {"commitment_id": ids["commitment"], "ogp_value": "access_to_information"},
        key=None,
    )
    insert_row(
        connection,
        "commitment_sdg_target",
        {"commitment_id": ids["commitment"], "target_code": "16.10"},
        key=None,
    )
    ids["milestone"] = insert_row(
        connection,
        "milestone",
        {
            "commitment_id": ids["commitment"],
            "number": 1,
            "description": "Portal publicado",
            "responsible": None,
            "due_date": date(2010, 1, 1),
            "weight": 2.0,
            "progress": 100.0,
            "status": "complete",
            "completed_on": date(2018, 9, 1),
            "evidence_url": "https://example.org/portal",
            "evidence_note": "",
            "is_demo": False,
            **STAMP,
        },
    )
    insert_row(
        connection,
        "milestone_update",
        {
            "milestone_id": ids["milestone"],
            "recorded_at": datetime(2018, 9, 1, 12, 0),
            "recorded_by": "sec-oaxaca",
            "progress": 100.0,
            "status": "complete",
            "evidence_url": "https://example.org/portal",
            "evidence_note": "",
            "note": "¡Listo! ✅",
            "is_demo": False,
        },
    )
    ids["agreement"] = insert_row(
        connection,
        "agreement",
        {
            "session_id": ids["session"],
            "position": 0,
            "text": 'Publicar la minuta "firmada"',
            "responsible_sector": "government",
            "responsible_organization": "Secretaría Técnica",
            "due_date": date(2018, 6, 1),
            "status": "done",
            "closed_on": date(2018, 5, 30),
            "commitment_id": ids["commitment"],
            "is_demo": True,
            **STAMP,
        },
    )
    insert_row(
        connection,
        "agreement_update",
        {
            "agreement_id": ids["agreement"],
            "changed_on": date(2018, 5, 30),
            "recorded_at": datetime(2018, 5, 30, 10, 0),
            "recorded_by": "especialista",
            "status": "done",
            "note": "",
            "is_demo": True,
        },
    )
    ids["call"] = insert_row(
        connection,
        "fellows_call",
        {
            "year": 2018,
            "opens_on": date(2018, 2, 1),
            "closes_on": date(2018, 3, 1),
            "applicants": 400,
            "applicants_at_least": True,
            "fellows": 40,
            "fellows_women": 21,
            "source": "INAI",
            "is_demo": False,
            **STAMP,
        },
    )
    insert_row(
        connection,
        "call_state",
        {
            "call_id": ids["call"],
            "state_code": "29",
            "applicants": 31,
            "complete_applications": 20,
            "fellows": 4,
            "fellows_women": 2,
            "is_demo": False,
            **STAMP,
        },
    )
    insert_row(
        connection,
        "fellow",
        {
            "call_id": ids["call"],
            "state_code": "29",
            "gender": "women",
            "project_title": "Datos abiertos municipales",
            "submitted_to_stl": True,
            "commitment_id": ids["commitment"],
            "is_demo": False,
            **STAMP,
        },
    )
    insert_row(
        connection,
        "app_user",
        {
            "username": "sec-oaxaca",
            "display_name": "Secretariado de Oaxaca",
            "role": "secretariat",
            "state_code": "20",
            "email": "stl@example.org",
            "password_hash": "$argon2id$v=19$m=65536,t=3,p=4$x$y",
            "must_change_password": False,
            "active": True,
            "failed_attempts": 2,
            "locked_until": None,
            "last_sign_in": datetime(2018, 9, 1, 8, 0),
            "is_demo": False,
            **STAMP,
        },
    )
    insert_row(
        connection,
        "audit_entry",
        {
            "recorded_at": datetime(2018, 9, 1, 12, 0),
            "actor": "sec-oaxaca",
            "actor_role": "secretariat",
            "action": "update",
            "entity": "milestone",
            "entity_id": ids["milestone"],
            "state_code": "20",
            "before": json.dumps({"progress": 50.0}),
            "after": json.dumps({"progress": 100.0, "nota": "ñ"}),
        },
    )
    return ids


def user_tables(engine: Engine) -> list[str]:
    return sorted(set(inspect(engine).get_table_names()) - {"alembic_version"})


def snapshot(engine: Engine, tables: list[str]) -> dict[str, list[dict[str, Any]]]:
    with engine.connect() as connection:
        return {
            name: [
                dict(r)
                for r in connection.execute(select(literal_column("*")).select_from(table(name))).mappings()
            ]
            for name in tables
        }


def _canonical(rows: list[dict[str, Any]], columns: list[str]) -> list[str]:
    return sorted(json.dumps({c: row[c] for c in columns}, default=str, sort_keys=True) for row in rows)


def assert_rows_intact(
    before: dict[str, list[dict[str, Any]]], after: dict[str, list[dict[str, Any]]], revision: str
) -> None:
    for name, rows in before.items():
        assert name in after, f"table {name} disappeared at revision {revision}"
        columns = list(rows[0])
        assert _canonical(after[name], columns) == _canonical(rows, columns), (
            f"rows of {name} changed when upgrading to {revision}"
        )


@pytest.fixture
def empty_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """An empty database (``store_url`` may hand out an already migrated copy)."""
    if backend == "postgres":
        yield from postgres_schema_url()
    else:
        yield f"duckdb:///{tmp_path / 'first_release.duckdb'}"


@pytest.fixture
def first_release_engine(empty_url: str) -> Iterator[Engine]:
    engine = make_engine(empty_url)
    assert user_tables(engine) == [], "the database must start empty"
    migrations.upgrade(engine, FIRST)
    yield engine
    engine.dispose()


def test_a_database_made_at_the_first_revision_upgrades_to_head_with_every_row_intact(
    first_release_engine: Engine, empty_url: str
) -> None:
    engine = first_release_engine
    assert migrations.current_revision(engine) == FIRST
    with engine.begin() as connection:
        ids = fill_first_release(connection)
    tables = user_tables(engine)
    before = snapshot(engine, tables)
    empty = [name for name, rows in before.items() if not rows]
    assert not empty, f"the first-release data set must fill every table; empty: {empty}"

    for revision in migrations.all_revisions()[1:]:
        migrations.upgrade(engine, revision)
        assert migrations.current_revision(engine) == revision
        assert_rows_intact(before, snapshot(engine, tables), revision)
    assert migrations.current_revision(engine) == migrations.head_revision()
    engine.dispose()

    # The app opens the upgraded database as it is and reads the old rows through the store.
    store = open_store(empty_url)
    try:
        assert migrations.current_revision(store.engine) == migrations.head_revision()
        assert_rows_intact(before, snapshot(store.engine, tables), "open_store")
        specialist = ACTORS["specialist"]
        session = get_session(store, specialist, ids["session"])
        assert session["summary"] == "x" * 5000
        assert [a["text"] for a in session["agreements"]] == ['Publicar la minuta "firmada"']
        assert session["organizations"] == ["Órgano Garante de Oaxaca"]
        commitment = get_commitment(store, specialist, ids["commitment"])
        assert commitment["sdg_targets"] == ["16.10"]
        assert commitment["ogp_values"] == ["access_to_information"]
        assert [m["id"] for m in commitment["milestones"]] == [ids["milestone"]]
        assert milestone_timeline(store, specialist, ids["milestone"])["note"].tolist() == ["¡Listo! ✅"]
        members = list_members(store, ACTORS["secretariat_own"], "20")
        assert members["person_name"].tolist() == ["María José Pérez"]
    finally:
        store.engine.dispose()


def test_the_first_revision_is_the_oldest_and_the_chain_reaches_head() -> None:
    revisions = migrations.all_revisions()
    assert revisions[0] == FIRST
    assert revisions[-1] == migrations.head_revision()
    assert len(set(revisions)) == len(revisions)
