"""Helpers shared by the reliability tests: a seeded action plan to write against, and whole-database row counts.

The backend fixtures (``store``, ``duckdb_store``, ``store_url``) come from ``tests/conftest.py``; this file only adds
what several reliability tests need on top of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, literal, select, union_all

from accompaniment.store.commitments import create_commitment, create_milestone, create_plan
from accompaniment.store.database import Store
from accompaniment.store.schema import metadata
from tests.conftest import ACTORS

# Chihuahua has no action plan in the starting record, so a plan number 1 can be created there.
SEEDED_STATE = "08"


@dataclass(frozen=True)
class SeededPlan:
    plan_id: int
    commitment_id: int
    milestone_ids: tuple[int, ...]


def seed_plan(store: Store, milestones: int) -> SeededPlan:
    """A plan with one commitment and ``milestones`` milestones, written through the store as the specialist."""
    specialist = ACTORS["specialist"]
    plan_id = create_plan(store, specialist, {"state_code": SEEDED_STATE, "number": 1})
    commitment_id = create_commitment(
        store, specialist, {"plan_id": plan_id, "number": 1, "title": "Compromiso de prueba de concurrencia"}
    )
    milestone_ids = tuple(
        create_milestone(
            store,
            specialist,
            {"commitment_id": commitment_id, "number": n + 1, "description": f"Hito {n + 1}"},
        )
        for n in range(milestones)
    )
    return SeededPlan(plan_id, commitment_id, milestone_ids)


def row_counts(store: Store) -> dict[str, int]:
    """Rows in every table of the schema, read in one statement (a UNION ALL is the fastest form on DuckDB)."""
    query = union_all(
        *(
            select(literal(t.name).label("name"), func.count().label("rows")).select_from(t)
            for t in metadata.sorted_tables
        )
    )
    with store.read() as connection:
        return dict(connection.execute(query).all())


@pytest.fixture
def seeded(store: Store) -> SeededPlan:
    return seed_plan(store, milestones=17)
