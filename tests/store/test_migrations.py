"""Versioned migrations build exactly the schema the code describes, step by step, on an empty database of either
backend; opening a database again changes nothing; a database of the first release upgrades without loss."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text

from accompaniment.store import migrations, reference
from accompaniment.store.activity import get_session
from accompaniment.store.database import Store, open_store
from accompaniment.store.engine import make_engine
from accompaniment.store.schema import metadata
from tests.conftest import ACTORS, FIXED_NOW, postgres_schema_url
from tests.store.builders import count_rows, log_session

REFERENCE_TABLES = (
    "state",
    "sdg_goal",
    "sdg_target",
    "ogp_value",
    "secretariat",
    "phase_event",
    "member",
    "stl_event",
    "action_plan",
    "commitment",
    "fellows_call",
    "call_state",
    "audit_entry",
)


@pytest.fixture
def empty_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """An empty database: a new DuckDB file, or an empty PostgreSQL schema (``store_url`` starts migrated)."""
    if backend == "postgres":
        yield from postgres_schema_url()
    else:
        yield f"duckdb:///{tmp_path / 'empty.duckdb'}"


@pytest.fixture
def empty_engine(empty_url: str) -> Iterator[Engine]:
    engine = make_engine(empty_url)
    try:
        yield engine
    finally:
        engine.dispose()


def columns_by_table(engine: Engine) -> dict[str, set[str]]:
    """Tables and their columns as the database reports them, without Alembic's own table."""
    if engine.dialect.name == "duckdb":
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT table_name, column_name FROM information_schema.columns "
                    "WHERE table_schema = current_schema()"
                )
            ).all()
        found: dict[str, set[str]] = {}
        for table, column in rows:
            found.setdefault(table, set()).add(column)
    else:
        inspector = inspect(engine)
        found = {
            table: {c["name"] for c in inspector.get_columns(table)} for table in inspector.get_table_names()
        }
    found.pop("alembic_version", None)
    return found


def index_names(engine: Engine) -> set[str]:
    if engine.dialect.name == "duckdb":
        with engine.connect() as connection:
            return set(connection.execute(text("SELECT index_name FROM duckdb_indexes()")).scalars())
    inspector = inspect(engine)
    return {index["name"] for table in inspector.get_table_names() for index in inspector.get_indexes(table)}


def test_the_revisions_run_from_the_first_release_to_the_head() -> None:
    revisions = migrations.all_revisions()

    assert revisions[0] == "0001"
    assert revisions[-1] == migrations.head_revision()
    assert len(set(revisions)) == len(revisions)


def test_an_empty_database_upgrades_to_the_first_revision_and_then_to_the_head(empty_engine: Engine) -> None:
    assert migrations.current_revision(empty_engine) is None

    migrations.upgrade(empty_engine, migrations.all_revisions()[0])
    assert migrations.current_revision(empty_engine) == "0001"
    first_release = set(columns_by_table(empty_engine))
    assert {
        "state",
        "secretariat",
        "dialogue_session",
        "agreement",
        "milestone",
        "audit_entry",
    } <= first_release
    assert first_release <= set(metadata.tables)

    migrations.upgrade(empty_engine, "head")
    assert migrations.current_revision(empty_engine) == migrations.head_revision()


def test_the_migrated_schema_has_exactly_the_tables_and_columns_of_the_code(store: Store) -> None:
    expected = {name: {column.name for column in table.columns} for name, table in metadata.tables.items()}

    assert columns_by_table(store.engine) == expected


def test_the_migrated_schema_has_every_index_the_code_declares(store: Store, backend: str) -> None:
    declared = {index.name for table in metadata.tables.values() for index in table.indexes}
    if backend == "duckdb":  # migration 0002 keeps these off DuckDB, where they would block date corrections
        declared -= {"ix_session_state_held", "ix_workshop_state_held"}

    assert declared <= index_names(store.engine)


def test_postgresql_gets_the_national_scale_indexes_and_duckdb_none_of_them(
    store: Store, backend: str
) -> None:
    scale = importlib.import_module("accompaniment.store.migrations.versions.0004_national_scale_indexes")
    wanted = {name for name, *_ in scale.INDEXES} | {name for name, *_ in scale.PARTIAL_INDEXES}

    found = wanted & index_names(store.engine)

    assert found == (wanted if backend == "postgres" else set())


def test_postgresql_gets_the_natural_key_unique_indexes_and_duckdb_none_of_them(
    store: Store, backend: str
) -> None:
    keys = importlib.import_module("accompaniment.store.migrations.versions.0006_natural_keys")
    wanted = {name for name, *_ in keys.NATURAL_KEYS} | {name for name, *_ in keys.INDEXES}

    found = wanted & index_names(store.engine)

    assert found == (wanted if backend == "postgres" else set())


def test_open_store_leaves_the_schema_at_the_head_revision(store: Store) -> None:
    assert migrations.current_revision(store.engine) == migrations.head_revision()


def test_opening_an_existing_database_again_adds_no_reference_rows(store_url: str) -> None:
    first = open_store(store_url, clock=lambda: FIXED_NOW)
    counts = count_rows(first, *REFERENCE_TABLES)
    first.close()

    again = open_store(store_url, clock=lambda: FIXED_NOW)
    try:
        assert count_rows(again, *REFERENCE_TABLES) == counts
        assert counts["secretariat"] == 15
        assert counts["state"] == 32
        assert migrations.current_revision(again.engine) == migrations.head_revision()
    finally:
        again.close()


def test_a_database_of_the_first_release_upgrades_on_open_without_losing_data(
    empty_engine: Engine, empty_url: str
) -> None:
    migrations.upgrade(empty_engine, "0001")
    old = Store(empty_engine, clock=lambda: FIXED_NOW)
    reference.load_reference_data(old)
    session_id = log_session(old)
    counts = count_rows(old, *REFERENCE_TABLES, "dialogue_session", "agreement", "participation")
    empty_engine.dispose()

    upgraded = open_store(empty_url, clock=lambda: FIXED_NOW)
    try:
        assert migrations.current_revision(upgraded.engine) == migrations.head_revision()
        assert (
            count_rows(upgraded, *REFERENCE_TABLES, "dialogue_session", "agreement", "participation")
            == counts
        )
        assert len(get_session(upgraded, ACTORS["admin"], session_id)["agreements"]) == 3
    finally:
        upgraded.close()
