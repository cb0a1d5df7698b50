"""The demo data set: deterministic, on top of the real starting record, marked as demo, with the situations the
dashboard must show (overdue agreements, stalled STLs), and loaded once only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from accompaniment.demo import STALLED_ON_PURPOSE, has_demo_data, load_demo
from accompaniment.domain.rules import is_stalled
from accompaniment.store import reference
from accompaniment.store.agreements import open_agreements
from accompaniment.store.database import Store, open_store
from accompaniment.store.schema import (
    action_plan,
    agreement,
    commitment,
    dialogue_session,
    metadata,
    milestone,
    milestone_update,
    phase_event,
    secretariat,
    workshop,
)
from tests.conftest import ACTORS, FIXED_NOW, OAXACA, database_url
from tests.store.builders import count_rows

TODAY = FIXED_NOW.date()
ALL_TABLES = tuple(metadata.tables)


@pytest.fixture
def second_store(backend: str, tmp_path: Path) -> Iterator[Store]:
    """Another fresh store on the same backend as ``store``."""
    folder = tmp_path / "second"
    folder.mkdir()
    urls = database_url(backend, folder)
    opened = open_store(next(urls), clock=lambda: FIXED_NOW)
    try:
        yield opened
    finally:
        opened.engine.dispose()
        urls.close()  # drops the PostgreSQL schema


def session_dates(store: Store) -> list[tuple]:
    with store.read() as connection:
        return [
            tuple(r)
            for r in connection.execute(
                select(
                    dialogue_session.c.id, dialogue_session.c.state_code, dialogue_session.c.held_on
                ).order_by(dialogue_session.c.id)
            )
        ]


def test_the_demo_is_the_same_on_two_fresh_stores(store: Store, second_store: Store) -> None:
    first = load_demo(store)
    second = load_demo(second_store)

    assert first == second
    assert count_rows(store, *ALL_TABLES) == count_rows(second_store, *ALL_TABLES)
    assert session_dates(store) == session_dates(second_store)


def test_the_demo_keeps_the_fifteen_stls_and_oaxacas_real_first_plan(store: Store) -> None:
    summary = load_demo(store)

    assert summary.states == 15
    assert count_rows(store, "secretariat")["secretariat"] == 15
    real_titles = {
        row["title_es"] for row in reference.read_csv("stl_commitments.csv") if row["state_name"] == "Oaxaca"
    }
    assert len(real_titles) == 6
    with store.read() as connection:
        first_plan = connection.execute(
            select(commitment.c.title, commitment.c.is_demo)
            .join(action_plan, action_plan.c.id == commitment.c.plan_id)
            .where(action_plan.c.state_code == OAXACA, action_plan.c.number == 1)
        ).all()
    assert {title for title, _ in first_plan} == real_titles
    assert not any(is_demo for _, is_demo in first_plan)


def test_every_demo_row_is_marked_as_demo_and_the_real_record_is_not(store: Store) -> None:
    load_demo(store)

    with store.read() as connection:

        def count(table, *where) -> int:
            return connection.execute(select(func.count()).select_from(table).where(*where)).scalar_one()

        for table in (dialogue_session, workshop, agreement, milestone):
            assert count(table) > 0, table.name
            assert count(table, table.c.is_demo.is_(False)) == 0, table.name
        assert count(milestone_update, milestone_update.c.is_demo.is_(False)) == 0
        assert count(commitment, commitment.c.source.is_not(None), commitment.c.is_demo) == 0
        assert count(commitment, commitment.c.source.is_(None), commitment.c.is_demo.is_(False)) == 0
        assert count(phase_event, phase_event.c.recorded_by == "demo", phase_event.c.is_demo.is_(False)) == 0
        assert count(phase_event, phase_event.c.recorded_by == "system", phase_event.c.is_demo) == 0
    assert has_demo_data(store)


def test_the_demo_has_overdue_agreements(store: Store) -> None:
    load_demo(store)

    agreements = open_agreements(store, ACTORS["public"], limit=1000)

    assert agreements["overdue"].sum() > 0
    assert agreements["overdue"].iloc[0]  # overdue first
    assert (agreements[agreements["overdue"]]["due_date"] < TODAY).all()


def test_the_demos_milestone_history_is_dated_within_each_commitments_period_and_before_today(
    store: Store,
) -> None:
    """Issue 21 (9): every update of the demo was dated at the start of its two-year window (2 Dec 2024), even for
    milestones completed in 2017–2019. An update falls between its commitment's start (or its plan's publication)
    and today; a completed milestone's updates end on the day it was completed."""
    load_demo(store)

    start = func.coalesce(commitment.c.start_date, action_plan.c.published_on, action_plan.c.period_start)
    with store.read() as connection:
        rows = connection.execute(
            select(
                milestone_update.c.milestone_id,
                milestone_update.c.recorded_at,
                milestone_update.c.progress,
                milestone.c.completed_on,
                start.label("start"),
            )
            .join(milestone, milestone.c.id == milestone_update.c.milestone_id)
            .join(commitment, commitment.c.id == milestone.c.commitment_id)
            .join(action_plan, action_plan.c.id == commitment.c.plan_id)
        ).all()

    assert rows
    assert all(row.recorded_at.date() <= TODAY for row in rows)
    assert all(row.recorded_at.date() >= row.start for row in rows if row.start is not None)
    early = [row for row in rows if row.completed_on is not None and 2017 <= row.completed_on.year <= 2019]
    assert early, "the demo completes milestones of the real 2017–2019 plans"
    # Dated in those years: in the year of completion or the one before (Morelos published its plan in 2015, so
    # work on a milestone completed early in 2017 was reported in 2016), never in the demo's recent window.
    assert all(row.completed_on.year - 1 <= row.recorded_at.year <= row.completed_on.year for row in early)
    assert all(row.recorded_at.date() <= row.completed_on for row in early)
    completions = [row for row in rows if row.completed_on is not None and row.progress == 100]
    assert completions and all(row.recorded_at.date() == row.completed_on for row in completions)
    assert len({row.recorded_at.date() for row in rows}) > 100  # not one day for all


def test_the_demo_has_the_stalled_stls_it_means_to_have(store: Store) -> None:
    load_demo(store)

    with store.read() as connection:
        last_session = dict(
            connection.execute(
                select(dialogue_session.c.state_code, func.max(dialogue_session.c.held_on))
                .where(dialogue_session.c.archived_at.is_(None))
                .group_by(dialogue_session.c.state_code)
            ).all()
        )
        phase_since = dict(
            connection.execute(select(secretariat.c.state_code, secretariat.c.phase_since)).all()
        )
    stalled = {code for code in phase_since if is_stalled(last_session.get(code), phase_since[code], TODAY)}

    assert stalled >= STALLED_ON_PURPOSE
    assert len(stalled) < 15


def test_loading_the_demo_twice_is_refused_and_changes_nothing(store: Store) -> None:
    load_demo(store)
    counts = count_rows(store, *ALL_TABLES)

    with pytest.raises(RuntimeError):
        load_demo(store)

    assert count_rows(store, *ALL_TABLES) == counts


@pytest.mark.slow
def test_the_demo_at_scale_ten_covers_all_32_states(duckdb_store: Store) -> None:
    summary = load_demo(duckdb_store, scale=10)

    assert summary.states == 32
    assert count_rows(duckdb_store, "secretariat")["secretariat"] == 32
    with duckdb_store.read() as connection:
        states_with_sessions = connection.execute(
            select(func.count(func.distinct(dialogue_session.c.state_code)))
        ).scalar_one()
    assert states_with_sessions == 32
    assert summary.sessions == count_rows(duckdb_store, "dialogue_session")["dialogue_session"]
