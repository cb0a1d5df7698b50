"""Real-browser harness: a fresh demo database, the app started with ``streamlit run`` on a free port, and Debian's
Chromium driven by Playwright. Outside CI, without Chromium, these tests skip with a reason; in CI they must run.

The helpers the tests use (waiting for Streamlit, locating by the catalogue's texts, axe, screenshots) are in
``tests/e2e/support.py``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from accompaniment.access import PUBLIC, SYSTEM
from accompaniment.demo import load_demo
from accompaniment.demo_accounts import create_demo_accounts
from accompaniment.store.database import open_store
from accompaniment.store.secretariats import list_programme_states
from accompaniment.store.users import create_user
from tests.e2e.support import (  # noqa: F401 - re-exported, as before
    PASSWORDS,
    ROOT,
    RUN_COUNTER_SCRIPT,
    SCREENSHOTS,
    VIEWPORT,
    screenshot,
    wait_for_app,
)

CHROMIUM = Path(os.environ.get("ACCOMPANIMENT_CHROMIUM", "/usr/bin/chromium"))
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
DEMO_TODAY = date(2026, 11, 26)
# A secretariat account of its own for the lockout journey, so no other test is locked out.
LOCKOUT_USER = "bloqueo"
# A specialist account of its own for the session journeys (reload, typed URLs, sign-out), read-only there.
SESSION_USER = "sesiones"
# Veracruz's secretariat, for the reporting-cycle journey (issue 12): the demo leaves Veracruz's report untouched.
REPORTING_USER = "veracruz"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """All browser tests share one app server: keep them on one xdist worker."""
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.xdist_group("e2e"))
            # A real browser on a shared 2-core machine can miss a timeout; one retry, reported as such.
            item.add_marker(pytest.mark.flaky(reruns=1, reruns_delay=2))


def _require_chromium() -> None:
    if not CHROMIUM.exists():
        if IN_CI:
            pytest.fail(f"CI must run the browser tests: {CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited early with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("the app did not become healthy in time")


@dataclass(frozen=True)
class RunningApp:
    url: str
    programme_states: tuple[str, ...]  # the names of the states in the programme, as the demo loaded them
    log: Path


def _prepare_database(database_url: str) -> tuple[str, ...]:
    store = open_store(database_url)
    try:
        load_demo(store, today=DEMO_TODAY)
        create_demo_accounts(store, password_for=PASSWORDS)
        create_user(
            store,
            SYSTEM,
            {
                "username": LOCKOUT_USER,
                "display_name": "Secretariado de Tlaxcala (prueba de bloqueo)",
                "role": "secretariat",
                "state_code": "29",
            },
            PASSWORDS[LOCKOUT_USER],
        )
        create_user(
            store,
            SYSTEM,
            {
                "username": SESSION_USER,
                "display_name": "Especialista (prueba de sesiones)",
                "role": "specialist",
            },
            PASSWORDS[SESSION_USER],
        )
        create_user(
            store,
            SYSTEM,
            {
                "username": REPORTING_USER,
                "display_name": "Secretariado de Veracruz (prueba del ciclo de informes)",
                "role": "secretariat",
                "state_code": "30",
            },
            PASSWORDS[REPORTING_USER],
        )
        return tuple(list_programme_states(store, PUBLIC)["state_name"])
    finally:
        store.close()  # a DuckDB file serves one process: the app's


@pytest.fixture(scope="session")
def running_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    """A running app on a fresh demo database with known passwords; stopped at the end of the session."""
    _require_chromium()
    folder = tmp_path_factory.mktemp("e2e")
    database_url = f"duckdb:///{folder / 'e2e.duckdb'}"
    states = _prepare_database(database_url)
    port = _free_port()
    env = {
        **os.environ,
        "ACCOMPANIMENT_DATABASE_URL": database_url,
        "ACCOMPANIMENT_AUTO_BACKUP": "false",
        "ACCOMPANIMENT_BACKUP_DIR": str(folder / "backups"),
    }
    log_path = folder / "streamlit.log"
    log = log_path.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.headless", "true", "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
        yield RunningApp(url, states, log_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


@pytest.fixture(scope="session")
def app_url(running_app: RunningApp) -> str:
    """The base URL of the running app."""
    return running_app.url


@pytest.fixture(scope="session")
def browser(app_url: str):  # noqa: ANN201 - playwright type
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=60_000)  # the machine running CI may be slow and shared
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--no-first-run", "--disable-sync", "--disable-dev-shm-usage"],
        )  # fmt: skip
        yield launched
        launched.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):  # noqa: ANN201
    report = yield
    if report.when == "call":
        item.e2e_failed = report.failed  # read by the page fixture
    return report


@pytest.fixture
def page(browser, running_app: RunningApp, request: pytest.FixtureRequest):  # noqa: ANN001, ANN201
    """A fresh browser context (its own Streamlit session: nobody signed in, Spanish) and page. When the test
    fails, a screenshot of the page is kept next to the app's log (the path is printed)."""
    context = browser.new_context(viewport=VIEWPORT, locale="es-MX", accept_downloads=True)
    context.add_init_script(RUN_COUNTER_SCRIPT)
    opened = context.new_page()
    opened.set_default_timeout(60_000)
    yield opened
    if getattr(request.node, "e2e_failed", False):
        shot = running_app.log.parent / f"failed-{request.node.name}.png"
        try:
            opened.screenshot(path=str(shot), full_page=True)
            print(f"\nscreenshot of the failed page: {shot}\napp log: {running_app.log}")
        except Exception as exc:  # noqa: BLE001 - a failed test's screenshot is a courtesy
            print(f"\nno screenshot of the failed page: {exc}")
    context.close()
