"""Guards that the PostgreSQL half of the suite really runs.

A parametrised fixture that quietly skips one backend would leave the multi-process store untested while the suite
stays green. In CI the server must be configured and answer; and every store and reliability test that runs on DuckDB
must have a PostgreSQL twin in the same run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import IN_CI, PG_URL

GUARDED_FOLDERS = ("tests/store/", "tests/reliability/")


def test_ci_has_a_configured_and_reachable_postgresql() -> None:
    if not PG_URL:
        if IN_CI:
            pytest.fail(
                "CI=true but ACCOMPANIMENT_TEST_POSTGRES_URL is not set: the PostgreSQL tests would not run"
            )
        pytest.skip("ACCOMPANIMENT_TEST_POSTGRES_URL is not set (CI sets it; see .ci/run)")
    engine = create_engine(PG_URL, connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT 1")).scalar_one() == 1
            assert connection.dialect.name == "postgresql"
    except Exception as exc:  # noqa: BLE001 - any failure to connect is the finding
        pytest.fail(f"PostgreSQL at ACCOMPANIMENT_TEST_POSTGRES_URL does not answer: {exc}")
    finally:
        engine.dispose()


def backend_of(item: pytest.Item) -> str | None:
    """'duckdb' or 'postgres' for a test parametrised over the backends, else None."""
    callspec = getattr(item, "callspec", None)
    if callspec is None:
        return None
    backend = callspec.params.get("backend")
    if backend in ("duckdb", "postgres"):
        return backend
    found = {"duckdb", "postgres"} & set(callspec.id.split("-"))
    return found.pop() if len(found) == 1 else None


def _without_backend(nodeid: str, backend: str) -> str:
    name, _, params = nodeid.partition("[")
    return name + "[" + "-".join("*" if p == backend else p for p in params.rstrip("]").split("-")) + "]"


def test_every_duckdb_store_test_has_a_postgresql_twin(request: pytest.FixtureRequest) -> None:
    """Counts the tests collected in this run (so under ``-k`` it checks the selection)."""
    counts: Counter[str] = Counter()
    by_name: dict[str, set[str]] = {}
    for item in request.session.items:
        path = item.nodeid.replace("\\", "/")
        if not path.startswith(GUARDED_FOLDERS):
            continue
        backend = backend_of(item)
        if backend is None:
            continue
        counts[backend] += 1
        by_name.setdefault(_without_backend(item.nodeid, backend), set()).add(backend)
    missing = sorted(name for name, backends in by_name.items() if backends == {"duckdb"})
    assert counts["postgres"] >= counts["duckdb"], (
        f"{counts['duckdb']} DuckDB tests but only {counts['postgres']} PostgreSQL ones; without a twin: {missing[:10]}"
    )


def test_a_ci_run_that_drops_the_second_backend_fails_whatever_the_selection() -> None:
    """The session-level guard in tests/conftest.py: ``-k`` would deselect a test-level guard along with the
    PostgreSQL tests (their names contain the backend), so the check is a hook no selection removes."""
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "CI": "true"}
    for selection in (["-k", "not postgres"], ["-m", "not postgres"]):
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/store/test_audit.py", *selection],
            cwd=root, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert run.returncode == pytest.ExitCode.TESTS_FAILED, run.stdout[-2000:]
        assert "ran on DuckDB but only 0 on PostgreSQL" in run.stdout
