"""Migration 0010 (issue 12) on a database made before it: the milestones' live figures become the published
baseline (approved as of the upgrade day), so the public keeps seeing what it saw; later milestones have no
published row until a report or ``publish_baseline`` gives them one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from accompaniment.store import commitments, migrations, reference
from accompaniment.store.database import Store
from accompaniment.store.engine import make_engine
from accompaniment.store.schema import approved_milestone
from tests.conftest import ACTORS, FIXED_NOW, postgres_schema_url
from tests.store.builders import add_milestone, milestone_version


@pytest.fixture
def old_engine(backend: str, tmp_path: Path) -> Iterator[Engine]:
    """An empty database on ``backend``, migrated to 0009 (the revision before the reporting cycle)."""
    urls = postgres_schema_url() if backend == "postgres" else iter([f"duckdb:///{tmp_path / 'old.duckdb'}"])
    url = next(urls)
    engine = make_engine(url)
    migrations.upgrade(engine, "0009")
    try:
        yield engine
    finally:
        engine.dispose()
        for _ in urls:  # drop the PostgreSQL schema
            pass


def test_upgrading_publishes_the_live_milestone_figures_as_the_baseline(old_engine: Engine) -> None:
    old = Store(old_engine, clock=lambda: FIXED_NOW)
    reference.load_reference_data(old)
    moved, untouched = add_milestone(old), add_milestone(old)
    commitments.update_milestone(
        old,
        ACTORS["specialist"],
        moved,
        milestone_version(old, moved),
        {"progress": 35, "status": "in_progress"},
    )

    migrations.upgrade(old_engine, "head")

    with old_engine.connect() as connection:
        rows = {
            row.milestone_id: (row.progress, row.status, row.report_id)
            for row in connection.execute(select(approved_milestone))
        }
    assert rows == {moved: (35, "in_progress", None), untouched: (0, "not_started", None)}
