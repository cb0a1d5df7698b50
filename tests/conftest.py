"""Fixtures shared by the suite: a fresh store on each backend, acting users, a fixed clock.

Store tests take ``store`` and run twice, on a DuckDB file and on PostgreSQL (a schema of their own). The PostgreSQL
URL comes from ACCOMPANIMENT_TEST_POSTGRES_URL (``.ci/run`` sets it); without it those tests skip with a reason,
except in CI, where a missing server is a failure.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from accompaniment.access import Actor
from accompaniment.domain.enums import Role
from accompaniment.store.database import Store, open_store

PG_URL = os.environ.get("ACCOMPANIMENT_TEST_POSTGRES_URL", "")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
FIXED_NOW = datetime(2026, 11, 26, 12, 0, 0)

BACKENDS = ["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)]


def _require_postgres() -> str:
    if not PG_URL:
        if IN_CI:
            pytest.fail("CI must run the PostgreSQL tests: ACCOMPANIMENT_TEST_POSTGRES_URL is not set")
        pytest.skip(
            "PostgreSQL tests need ACCOMPANIMENT_TEST_POSTGRES_URL (e.g. postgresql+psycopg://postgres@127.0.0.1/test)"
        )
    return PG_URL


def postgres_schema_url() -> Iterator[str]:
    """A throw-away schema on the test server, as a URL whose search_path points at it.

    (Cloning a template database per test was tried: CREATE DATABASE forces a checkpoint, which is slow when the
    server is busy; a schema per test stays predictable.)"""
    base = _require_postgres()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


_TEMPLATE: dict[str, Path] = {}


def _duckdb_template(folder: Path) -> Path:
    """A migrated DuckDB file with the reference data, built once per test process and copied per test."""
    if "path" not in _TEMPLATE:
        path = folder / "template.duckdb"
        open_store(f"duckdb:///{path}", clock=lambda: FIXED_NOW).close()
        _TEMPLATE["path"] = path
    return _TEMPLATE["path"]


def database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    if backend == "postgres":
        yield from postgres_schema_url()
    else:
        target = tmp_path / "store.duckdb"
        shutil.copyfile(_duckdb_template(tmp_path.parent), target)
        yield f"duckdb:///{target}"


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def store_url(backend: str, tmp_path: Path) -> Iterator[str]:
    yield from database_url(backend, tmp_path)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """A migrated store holding the reference data and the 15 STLs' starting record; clock fixed at FIXED_NOW."""
    opened = open_store(store_url, clock=lambda: FIXED_NOW)
    try:
        yield opened
    finally:
        opened.engine.dispose()


@pytest.fixture
def duckdb_store(tmp_path: Path) -> Iterator[Store]:
    url = next(database_url("duckdb", tmp_path))
    opened = open_store(url, clock=lambda: FIXED_NOW)
    try:
        yield opened
    finally:
        opened.engine.dispose()


OAXACA = "20"
TLAXCALA = "29"

ACTORS = {
    "public": Actor(Role.PUBLIC),
    "secretariat_own": Actor(Role.SECRETARIAT, state_code=OAXACA, username="sec-oaxaca"),
    "secretariat_other": Actor(Role.SECRETARIAT, state_code=TLAXCALA, username="sec-tlaxcala"),
    "specialist": Actor(Role.SPECIALIST, username="especialista"),
    "working_group": Actor(Role.WORKING_GROUP, username="gtp"),
    "admin": Actor(Role.ADMIN, username="admin"),
}


@pytest.fixture
def specialist() -> Actor:
    return ACTORS["specialist"]


@pytest.fixture
def admin() -> Actor:
    return ACTORS["admin"]


@pytest.fixture
def working_group() -> Actor:
    return ACTORS["working_group"]


@pytest.fixture
def oaxaca_secretariat() -> Actor:
    return ACTORS["secretariat_own"]


@pytest.fixture
def public() -> Actor:
    return ACTORS["public"]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print how long the browser suite took, all phases of its tests summed (they run one after another on one
    worker): CI's record of that suite's 10-minute budget, printed and never asserted (timings vary by machine)."""
    reports = [
        report
        for reports in terminalreporter.stats.values()
        for report in reports
        if isinstance(report, pytest.TestReport) and report.nodeid.startswith("tests/e2e/")
    ]
    if not reports:
        return
    tests = {report.nodeid for report in reports}
    skipped = {report.nodeid for report in reports if report.skipped}
    minutes = sum(report.duration for report in reports) / 60
    terminalreporter.write_sep(
        "-", f"browser suite: {len(tests)} tests, {len(skipped)} skipped, {minutes:.1f} min (budget 10 min)"
    )


def _ran_on(reports: list[pytest.TestReport], backend: str) -> int:
    """How many store or reliability tests ran (passed or failed, not skipped) on ``backend``."""
    return sum(
        1
        for report in reports
        if report.when == "call"
        and not report.skipped
        and report.nodeid.startswith(("tests/store/", "tests/reliability/"))
        and backend in report.nodeid.partition("[")[2].rstrip("]").split("-")
    )


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """In CI, a run whose store tests ran on DuckDB must have run at least as many on PostgreSQL, however the
    PostgreSQL ones were dropped (a skip, ``-k``, ``-m``, a broken fixture): the session fails otherwise. A hook
    rather than a test, so no test selection can remove the check along with what it checks."""
    if not IN_CI or hasattr(session.config, "workerinput"):  # xdist workers: the controller sees every report
        return
    if session.exitstatus not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return
    reports = [r for group in reporter.stats.values() for r in group if isinstance(r, pytest.TestReport)]
    duckdb, postgres = _ran_on(reports, "duckdb"), _ran_on(reports, "postgres")
    if duckdb and postgres < duckdb:
        reporter.write_sep(
            "=", f"FAILED: {duckdb} store tests ran on DuckDB but only {postgres} on PostgreSQL", red=True
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
