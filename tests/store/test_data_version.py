"""The data version (issue 15): one counter that every write moves in its own transaction, so cached reads keyed
by it are never stale in any process, on DuckDB and PostgreSQL alike. Sign-in bookkeeping (sessions, counters)
leaves it alone, so a click does not empty every cache; a restore and a migration move it too."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from accompaniment.access import SYSTEM
from accompaniment.domain.errors import ValidationError
from accompaniment.io.backup import restore_backup, write_backup
from accompaniment.store import activity, data_version, migrations, sessions, users
from accompaniment.store.database import Store
from accompaniment.store.schema import data_version as data_version_table
from tests.conftest import ACTORS
from tests.store.builders import session_data

PASSWORD = "una clave larga de prueba 1"


def test_a_fresh_database_has_one_data_version_row(store: Store) -> None:
    with store.read() as connection:
        rows = connection.execute(select(data_version_table)).all()
    assert len(rows) == 1


def test_every_write_moves_the_data_version_by_one(store: Store) -> None:
    before = data_version.current(store)
    activity.log_session(store, ACTORS["specialist"], session_data())
    assert data_version.current(store) == before + 1


def test_a_refused_write_leaves_the_data_version_alone(store: Store) -> None:
    before = data_version.current(store)
    with pytest.raises(ValidationError):
        activity.log_session(store, ACTORS["specialist"], session_data(state_code="99"))
    assert data_version.current(store) == before


def test_a_write_inside_another_write_counts_and_conflicts_with_nothing(store: Store) -> None:
    before = data_version.current(store)

    def outer(connection) -> None:  # noqa: ANN001
        activity.log_session(store, ACTORS["specialist"], session_data())

    store.write(outer)
    assert data_version.current(store) > before


def test_sign_in_bookkeeping_leaves_the_data_version_alone(store: Store) -> None:
    users.create_user(
        store,
        ACTORS["admin"],
        {"username": "lectora", "display_name": "Lectora", "role": "specialist"},
        PASSWORD,
    )
    before = data_version.current(store)
    with pytest.raises(users.SignInFailed):
        users.authenticate(store, "lectora", "no es la clave")
    account = users.authenticate(store, "lectora", PASSWORD)
    token = sessions.start(store, account)
    sessions.resume(store, token)
    sessions.end(store, token)
    assert data_version.current(store) == before


def test_a_restore_moves_the_data_version_forward(store: Store, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("ACCOMPANIMENT_BACKUP_DIR", str(tmp_path / "backups"))
    monkeypatch.setenv("ACCOMPANIMENT_BACKUP_SIGNING_KEY", "clave de prueba")
    buffer = io.BytesIO()
    write_backup(store, SYSTEM, buffer)
    activity.log_session(store, ACTORS["specialist"], session_data())
    before = data_version.current(store)
    buffer.seek(0)
    restore_backup(store, SYSTEM, buffer, replace=True)
    assert data_version.current(store) > before


def test_an_upgrade_that_runs_migrations_moves_the_data_version_forward_and_one_with_none_does_not(
    store: Store,
) -> None:
    from alembic import command

    before = data_version.current(store)
    migrations.upgrade(store.engine)  # already at the head: nothing to run
    assert data_version.current(store) == before
    command.downgrade(migrations.alembic_config(store.engine), "0008")
    migrations.upgrade(store.engine)
    assert data_version.current(store) > before
