"""Real-browser harness: a fresh demo database, the app started with ``streamlit run`` on a free port, and Debian's
Chromium driven by Playwright. Outside CI, without Chromium, these tests skip with a reason; in CI they must run.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from accompaniment.demo import load_demo
from accompaniment.demo_accounts import create_demo_accounts
from accompaniment.store.database import open_store

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("ACCOMPANIMENT_CHROMIUM", "/usr/bin/chromium"))
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
DEMO_TODAY = date(2026, 11, 26)
PASSWORDS = {
    "especialista": "especialista-e2e-2026",
    "grupo": "grupo-trabajo-e2e-2026",
    "oaxaca": "oaxaca-secretariado-2026",
    "tlaxcala": "tlaxcala-secretariado-26",
    "admin": "administracion-e2e-2026",
}
SCREENSHOTS = ROOT / "docs" / "screenshots"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """All browser tests share one app server: keep them on one xdist worker."""
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.xdist_group("e2e"))


def _require_chromium() -> None:
    if not CHROMIUM.exists():
        if IN_CI:
            pytest.fail(f"CI must run the browser tests: {CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float = 90) -> None:
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


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a running app on a fresh demo database with known demo passwords."""
    _require_chromium()
    folder = tmp_path_factory.mktemp("e2e")
    database_url = f"duckdb:///{folder / 'e2e.duckdb'}"
    store = open_store(database_url)
    load_demo(store, today=DEMO_TODAY)
    create_demo_accounts(store, password_for=PASSWORDS)
    store.close()
    port = _free_port()
    env = {
        **os.environ,
        "ACCOMPANIMENT_DATABASE_URL": database_url,
        "ACCOMPANIMENT_AUTO_BACKUP": "false",
        "ACCOMPANIMENT_BACKUP_DIR": str(folder / "backups"),
    }
    log = (folder / "streamlit.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.headless", "true", "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def browser(app_url: str):  # noqa: ANN201 - playwright type
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--no-first-run", "--disable-sync"],
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser, app_url: str):  # noqa: ANN001, ANN201
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="es-MX", accept_downloads=True)
    opened = context.new_page()
    opened.set_default_timeout(30_000)
    yield opened
    context.close()


def wait_for_app(page) -> None:  # noqa: ANN001
    """Wait until Streamlit has finished the current script run."""
    page.wait_for_selector("[data-testid='stApp']", state="attached")
    page.wait_for_function(
        "() => { const app = document.querySelector(\"[data-testid='stApp']\");"
        " return app && app.getAttribute('data-test-script-state') === 'notRunning'; }",
        timeout=60_000,
    )
    page.wait_for_timeout(300)


def screenshot(page, name: str) -> None:  # noqa: ANN001
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
