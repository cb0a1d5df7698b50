"""Several processes on one PostgreSQL database (issue 15): what one process does holds in every other.

Each test starts real Python processes (``process_worker.py``) on a schema of its own: several opening a fresh
database at the same moment (one migrates, the others wait for it), a lockout and an idle timeout met in one
process and seen in another, and the automatic backup of a day written by one process only. PostgreSQL only: a
DuckDB file is locked to one process (tests/reliability/test_second_process.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from accompaniment import settings
from accompaniment.store import migrations
from accompaniment.store.database import Store, open_store, utcnow
from accompaniment.store.schema import audit_entry, secretariat, state
from accompaniment.store.users import create_user
from tests.conftest import ACTORS, postgres_schema_url

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

WORKER = Path(__file__).with_name("process_worker.py")
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "una clave larga de prueba 1"
STARTING_TOGETHER = 4


@pytest.fixture
def fresh_url() -> Iterator[str]:
    """An empty PostgreSQL schema: no tables, no revision."""
    yield from postgres_schema_url()


def start(url: str, *args: str, start_at: float | None = None, **env: str) -> subprocess.Popen[str]:
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "ACCOMPANIMENT_BACKUP_SIGNING_KEY": "clave de prueba",
        **env,
    }
    if start_at is not None:
        environment["ACCOMPANIMENT_START_AT"] = str(start_at)
    return subprocess.Popen(
        [sys.executable, str(WORKER), url, *args],
        env=environment,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def outcome(process: subprocess.Popen[str]) -> dict:
    """What the process printed last, with ``"logged"``: whether it logged an error (the app's log)."""
    out, err = process.communicate(timeout=180)
    assert process.returncode == 0, err
    return {**json.loads(out.strip().splitlines()[-1]), "logged": "Traceback" in err or "failed" in err}


def run(url: str, *args: str) -> dict:
    return outcome(start(url, *args))


def together(url: str, count: int, *args: str, **env: str) -> list[dict]:
    """``count`` processes doing the same thing at the same moment (each waits for a start time, so the seconds
    Python takes to start do not spread them out)."""
    start_at = time.time() + 8
    processes = [start(url, *args, start_at=start_at, **env) for _ in range(count)]
    return [outcome(p) for p in processes]


def account(store: Store, username: str) -> None:
    create_user(
        store,
        ACTORS["admin"],
        {"username": username, "display_name": "Cuenta de prueba", "role": "specialist"},
        PASSWORD,
    )


def test_several_processes_opening_a_fresh_database_at_once_migrate_it_once(fresh_url: str) -> None:
    results = together(fresh_url, STARTING_TOGETHER, "open")

    assert results == [{"opened": True, "logged": False}] * STARTING_TOGETHER
    store = open_store(fresh_url, upgrade=False)
    try:
        assert migrations.current_revision(store.engine) == migrations.head_revision()
        with store.read() as connection:
            assert connection.execute(select(func.count()).select_from(state)).scalar_one() == 32
            assert connection.execute(select(func.count()).select_from(secretariat)).scalar_one() == 15
    finally:
        store.engine.dispose()


@pytest.fixture
def shared_store(fresh_url: str) -> Iterator[Store]:
    store = open_store(fresh_url)
    try:
        yield store
    finally:
        store.engine.dispose()


def url_of(store: Store) -> str:
    return store.engine.url.render_as_string(hide_password=False)


def test_an_account_locked_out_in_one_process_is_locked_out_in_another(shared_store: Store) -> None:
    account(shared_store, "bloqueada")
    attempts = int(settings.get("lockout_attempts"))
    url = url_of(shared_store)

    assert run(url, "fail-sign-ins", "bloqueada", str(attempts), "no es la clave")["refused"] == attempts
    other = run(url, "sign-in", "bloqueada", PASSWORD)

    assert other == {"signed_in": False, "error": "SignInFailed", "logged": False}
    with shared_store.read() as connection:
        failures = connection.execute(
            select(func.count()).select_from(audit_entry).where(audit_entry.c.action == "sign_in_failed")
        ).scalar_one()
    assert failures == attempts  # the first process's failures are in the one audit log every process reads


def test_a_session_idle_too_long_in_one_process_is_signed_out_in_another(shared_store: Store) -> None:
    account(shared_store, "inactiva")
    url = url_of(shared_store)
    began = utcnow()
    token = run(url, "sign-in", "inactiva", PASSWORD, began.isoformat())["token"]
    idle = timedelta(minutes=int(settings.get("idle_timeout_minutes")))

    assert run(url, "resume", token, (began + idle / 2).isoformat())["status"] == "valid"
    assert run(url, "resume", token, (began + idle / 2 + idle + timedelta(seconds=1)).isoformat())[
        "status"
    ] == ("expired")
    assert run(url, "resume", token, (began + idle / 2).isoformat())["status"] == "unknown"  # gone for all


def test_two_processes_on_one_database_write_one_automatic_backup_a_day(
    shared_store: Store, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    results = together(url_of(shared_store), 2, "auto-backup", str(folder))

    written = [r["written"] for r in results if r["written"]]
    assert len(written) == 1, results
    assert not any(r["logged"] for r in results), results  # the other one left it alone, it did not fail
    assert [p.name for p in folder.glob("accompaniment-auto-*.zip")] == [Path(written[0]).name]
