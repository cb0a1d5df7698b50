"""The audit log cannot be altered through the application's database connection on PostgreSQL (issue 17,
item 6): UPDATE, DELETE and TRUNCATE of audit_entry are refused unless a restore has set
``accompaniment.restoring`` in its transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from accompaniment.store.activity import log_session
from accompaniment.store.database import Store
from accompaniment.store.schema import audit_entry
from tests.conftest import ACTORS

pytestmark = pytest.mark.postgres

SESSION = {"state_code": "20", "held_on": "2025-06-01", "session_type": "plenary", "topics": "t"}


@pytest.fixture
def pg_store(store: Store, backend: str) -> Store:
    if backend != "postgres":
        pytest.skip("PostgreSQL only: DuckDB has no triggers (the store only ever inserts into the log)")
    log_session(store, ACTORS["specialist"], SESSION)
    return store


def entries(store: Store) -> int:
    with store.read() as connection:
        return connection.execute(select(func.count()).select_from(audit_entry)).scalar_one()


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_entry SET actor = 'otro'", "DELETE FROM audit_entry", "TRUNCATE audit_entry"],
    ids=["update", "delete", "truncate"],
)
def test_altering_the_audit_log_through_the_apps_engine_is_refused_on_postgresql(
    pg_store: Store, statement: str
) -> None:
    before = entries(pg_store)

    with pytest.raises(DBAPIError, match="append-only"), pg_store.engine.begin() as connection:
        connection.execute(text(statement))

    assert entries(pg_store) == before > 0


def test_a_restore_transaction_that_sets_the_flag_may_empty_the_audit_log(pg_store: Store) -> None:
    with pg_store.engine.begin() as connection:
        connection.execute(text("SELECT set_config('accompaniment.restoring', 'on', true)"))
        connection.execute(text("DELETE FROM audit_entry"))

    assert entries(pg_store) == 0
    with pytest.raises(DBAPIError, match="append-only"), pg_store.engine.begin() as connection:
        connection.execute(text("UPDATE audit_entry SET actor = 'otro'"))
        connection.execute(text("TRUNCATE audit_entry"))
