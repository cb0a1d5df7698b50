"""The durability routine on DuckDB: the write-ahead log is folded into the file on clean shutdown and before a
backup, and a log that cannot be replayed at start-up stops the app with advice to restore the automatic backup.

DuckDB also checkpoints by itself when the last connection to a file closes; the store's own checkpoint matters when
that does not happen, e.g. when a page still holds a connection as the process shuts down. The tests hold one.
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from accompaniment import i18n
from accompaniment.access import SYSTEM
from accompaniment.domain.errors import StoreUnavailable
from accompaniment.io.backup import write_backup
from accompaniment.store.activity import log_session
from accompaniment.store.database import Store, open_store
from accompaniment.store.schema import agreement
from tests.conftest import ACTORS
from tests.reliability.processes import WriterServer

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def wal_of(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def wal_bytes(path: Path) -> int:
    wal = wal_of(path)
    return wal.stat().st_size if wal.exists() else 0


def write_sessions(store: Store, count: int = 3) -> None:
    for n in range(count):
        log_session(
            store,
            ACTORS["specialist"],
            {
                "state_code": "20",
                "held_on": date(2025, 6, 1),
                "session_type": "plenary",
                "topics": f"durable {n}",
                "agreements": [{"text": f"Acuerdo {n}"}],
            },
        )


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "app.duckdb"
    open_store(f"duckdb:///{path}").close()
    return path


def test_closing_the_store_folds_the_write_ahead_log_even_with_a_connection_still_open(
    database: Path,
) -> None:
    store = open_store(f"duckdb:///{database}")
    write_sessions(store)
    assert wal_bytes(database) > 0
    still_open = store.engine.connect()  # a page that has not finished when the process shuts down
    try:
        store.close()
        assert wal_bytes(database) == 0, "Store.close() left the write-ahead log unfolded"
    finally:
        still_open.close()


def test_a_backup_folds_the_write_ahead_log_first(database: Path, tmp_path: Path) -> None:
    store = open_store(f"duckdb:///{database}")
    try:
        write_sessions(store)
        assert wal_bytes(database) > 0
        write_backup(store, SYSTEM, tmp_path / "backup.zip")
        assert wal_bytes(database) == 0, "the backup was taken without a checkpoint"
    finally:
        store.close()


def test_the_app_registers_the_store_s_clean_shutdown_routine(
    database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app's one store (``ui.context``) is closed, and so checkpointed, when the process exits cleanly."""
    from accompaniment.ui import context

    registered: list = []
    monkeypatch.setattr(atexit, "register", lambda fn, *a, **k: registered.append(fn) or fn)
    st.cache_resource.clear()
    store = context._store_for(f"duckdb:///{database}")
    try:
        assert [fn for fn in registered if getattr(fn, "__self__", None) is store and fn.__name__ == "close"]
    finally:
        store.close()
        st.cache_resource.clear()


# ---- a write-ahead log that cannot be replayed ---------------------------------------------------------------------


@pytest.fixture
def damaged_wal(database: Path) -> Iterator[tuple[Path, dict[int, int]]]:
    """A file whose write-ahead log holds ten committed sessions (the writer was SIGKILLed before any checkpoint),
    with the log's last byte flipped, as a bad sector or a half-copied file would leave it.

    The last byte lies in the payload of the last entry, which DuckDB checks against the entry's checksum. (Damage to
    the log's header or to an entry's length field is different: DuckDB 2.0 takes it for a write torn by a crash
    and silently drops that entry and everything after it, committed or not; no message is possible then.)"""
    server = WriterServer(f"duckdb:///{database}")
    try:
        current = server.start("round-0", limit=10)  # idle once done: no half-written tail in the log
        server.wait_for_commits(current, 10)
        reported = server.kill(current)
    finally:
        server.close()
    wal = wal_of(database)
    data = bytearray(wal.read_bytes())
    assert len(data) > 1000, "the killed writer left no write-ahead log to damage"
    data[-1] ^= 0xFF
    wal.write_bytes(bytes(data))
    yield database, reported


def test_a_damaged_write_ahead_log_stops_start_up_with_advice_to_restore_the_automatic_backup(
    damaged_wal: tuple[Path, dict[int, int]],
) -> None:
    """DuckDB 2.0 refuses a log whose checksum fails. Should the damage land in a torn, uncommitted tail instead (or a
    later DuckDB skip it), opening is acceptable only if nothing that was committed is missing."""
    database, reported = damaged_wal
    try:
        store = open_store(f"duckdb:///{database}")
    except StoreUnavailable as exc:
        assert exc.key == "errors.store_wal_damaged"
        assert exc.message("es") == i18n.t("errors.store_wal_damaged", "es", path=str(database))
        assert "copia de seguridad automática" in exc.message("es")
        assert "automatic backup" in exc.message("en")
        return
    try:
        with store.read() as connection:
            stored = dict(
                connection.execute(
                    select(agreement.c.session_id, func.count())
                    .where(agreement.c.session_id.in_(reported))
                    .group_by(agreement.c.session_id)
                ).all()
            )
        assert stored == reported, "the damaged log was skipped and committed sessions were silently lost"
    finally:
        store.close()


def test_the_cli_on_a_damaged_write_ahead_log_explains_instead_of_a_traceback(
    damaged_wal: tuple[Path, dict[int, int]],
) -> None:
    database, _ = damaged_wal
    script = Path(sys.executable).with_name("accompaniment")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "accompaniment.cli"]
    env = {**os.environ, "ACCOMPANIMENT_DATABASE_URL": f"duckdb:///{database}"}
    result = subprocess.run([*command, "init"], env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    assert i18n.t("errors.store_wal_damaged", "es", path=str(database)) in result.stderr


def test_the_app_on_a_damaged_write_ahead_log_shows_the_restore_message(
    damaged_wal: tuple[Path, dict[int, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    database, _ = damaged_wal
    monkeypatch.setenv("ACCOMPANIMENT_DATABASE_URL", f"duckdb:///{database}")
    monkeypatch.setenv("ACCOMPANIMENT_DEMO_ON_EMPTY", "false")
    monkeypatch.setenv("ACCOMPANIMENT_AUTO_BACKUP", "false")
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(APP, default_timeout=60).run()
    finally:
        st.cache_resource.clear()
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == [i18n.t("errors.store_wal_damaged", "es", path=str(database))]
