"""Two app processes on one PostgreSQL database (issue 15): a write committed anywhere shows in both at once.

Two ``streamlit run`` processes serve the same demo database, as two replicas behind a proxy would. Both show
Panorama nacional (so each has the national figures cached); a commitment is then added through the store from a
third process, and a reload in each app shows the new count at once. Before the data version keyed the caches,
both kept showing the old count for the cache's lifetime (set long here, so a slow machine cannot hide that).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from accompaniment.store.commitments import create_commitment
from accompaniment.store.database import open_store
from accompaniment.store.schema import action_plan, commitment
from tests.conftest import ACTORS, postgres_schema_url
from tests.e2e.conftest import ROOT, _free_port, _prepare_database, _require_chromium, _wait_healthy
from tests.e2e.support import t, wait_for_app

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture(scope="module")
def two_apps(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    """(database URL, [URL of app A, URL of app B]) on one fresh demo schema."""
    _require_chromium()
    folder = tmp_path_factory.mktemp("two-apps")
    for database_url in postgres_schema_url():
        _prepare_database(database_url)
        env = {**os.environ, "ACCOMPANIMENT_DATABASE_URL": database_url, "ACCOMPANIMENT_AUTO_BACKUP": "false",
               "ACCOMPANIMENT_BACKUP_DIR": str(folder / "backups"), "ACCOMPANIMENT_CACHE_TTL_SECONDS": "3600"}  # fmt: skip
        processes, urls, logs = [], [], []
        try:
            for name in ("a", "b"):
                port = _free_port()
                logs.append((folder / f"streamlit-{name}.log").open("w"))
                processes.append(subprocess.Popen(
                    [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                     "--server.headless", "true", "--server.address", "127.0.0.1",
                     "--browser.gatherUsageStats", "false"],
                    cwd=ROOT, env=env, stdout=logs[-1], stderr=subprocess.STDOUT,
                ))  # fmt: skip
                urls.append(f"http://127.0.0.1:{port}")
            for url, process in zip(urls, processes, strict=True):
                _wait_healthy(url, process)
            yield database_url, urls
        finally:
            for process in processes:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
            for log in logs:
                log.close()


def commitments_shown(page, url: str) -> str:  # noqa: ANN001 - playwright Page
    """The "Compromisos" headline figure of Panorama nacional, freshly loaded (a new script run)."""
    page.goto(url)
    wait_for_app(page)
    metric = page.locator("[data-testid='stMetric']").filter(has_text=t("overview.kpi.commitments")).first
    return metric.locator("[data-testid='stMetricValue']").inner_text().strip()


def add_a_commitment(database_url: str) -> None:
    """Through the store, from this (third) process: the apps' caches are not cleared by it."""
    store = open_store(database_url)
    try:
        with store.read() as connection:
            plan_id = connection.execute(select(func.min(action_plan.c.id))).scalar_one()
            number = connection.execute(
                select(func.coalesce(func.max(commitment.c.number), 0)).where(commitment.c.plan_id == plan_id)
            ).scalar_one()
        create_commitment(
            store,
            ACTORS["specialist"],
            {"plan_id": plan_id, "number": number + 1, "title": "Compromiso escrito por otro proceso"},
        )
    finally:
        store.engine.dispose()


def test_a_commitment_added_elsewhere_shows_at_once_in_both_app_processes(two_apps, browser) -> None:  # noqa: ANN001
    """The suite's own Chromium (a second sync Playwright in one worker would refuse to start) in a fresh context."""
    database_url, (app_a, app_b) = two_apps
    context = browser.new_context(locale="es-MX")
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        before = {url: commitments_shown(page, url) for url in (app_a, app_b)}
        assert before[app_a] == before[app_b]

        add_a_commitment(database_url)

        after = {url: commitments_shown(page, url) for url in (app_b, app_a)}
    finally:
        context.close()
    expected = str(int(before[app_a].replace(",", "").replace(" ", "")) + 1)
    assert {url: value.replace(",", "").replace(" ", "") for url, value in after.items()} == {
        app_a: expected,
        app_b: expected,
    }
