"""Natural keys are unique (issue 17, item 5): an agreement's position in its session, on both backends, under
concurrent additions, and after an upgrade that finds duplicates already stored."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, insert, select

from accompaniment.domain.errors import ValidationError
from accompaniment.store import commitments, migrations, reference
from accompaniment.store.activity import edit_session, log_session
from accompaniment.store.agreements import add_agreement
from accompaniment.store.database import Store
from accompaniment.store.engine import make_engine
from accompaniment.store.schema import agreement, commitment, milestone
from tests.conftest import ACTORS, FIXED_NOW, postgres_schema_url
from tests.store.builders import add_milestone, first_commitment, first_plan

THREADS = 8
SPECIALIST = ACTORS["specialist"]
SESSION = {"state_code": "20", "held_on": date(2025, 6, 1), "session_type": "plenary", "topics": "t"}


def positions(store: Store, session_id: int) -> list[int]:
    with store.read() as connection:
        return list(
            connection.execute(
                select(agreement.c.position)
                .where(agreement.c.session_id == session_id)
                .order_by(agreement.c.id)
            ).scalars()
        )


def test_concurrent_additions_of_agreements_to_one_session_get_distinct_positions(store: Store) -> None:
    session_id = log_session(store, SPECIALIST, SESSION)
    start = threading.Barrier(THREADS)

    def add(thread: int) -> int:
        start.wait()
        return add_agreement(store, SPECIALIST, session_id, {"text": f"Acuerdo del hilo {thread}"})

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        ids = list(pool.map(add, range(THREADS)))

    assert len(set(ids)) == THREADS
    assert sorted(positions(store, session_id)) == list(range(THREADS))


def test_an_agreement_added_after_a_gap_in_positions_takes_the_next_free_one(store: Store) -> None:
    session_id = log_session(store, SPECIALIST, SESSION)
    add_agreement(store, SPECIALIST, session_id, {"text": "uno"})
    with store.engine.begin() as connection:
        connection.execute(agreement.update().where(agreement.c.session_id == session_id).values(position=5))

    add_agreement(store, SPECIALIST, session_id, {"text": "dos"})

    assert positions(store, session_id) == [5, 6]


def test_agreements_added_in_a_session_edit_after_a_gap_take_the_next_free_positions(store: Store) -> None:
    session_id = log_session(store, SPECIALIST, {**SESSION, "agreements": [{"text": "uno"}, {"text": "dos"}]})
    with store.engine.begin() as connection:
        connection.execute(
            agreement.update()
            .where(agreement.c.session_id == session_id)
            .values(position=agreement.c.position + 10)
        )

    edit_session(store, SPECIALIST, session_id, 1, {**SESSION, "agreements": [{"text": "tres"}]})

    assert positions(store, session_id) == [10, 11, 12]


@pytest.fixture
def engine_at_0005(backend: str, tmp_path: Path) -> Iterator[Engine]:
    urls = postgres_schema_url() if backend == "postgres" else iter([f"duckdb:///{tmp_path / 'old.duckdb'}"])
    for url in urls:
        engine = make_engine(url)
        migrations.upgrade(engine, "0005")
        try:
            yield engine
        finally:
            engine.dispose()


def test_an_upgrade_from_0005_renumbers_duplicate_agreement_positions_in_id_order(
    engine_at_0005: Engine,
) -> None:
    old = Store(engine_at_0005, clock=lambda: FIXED_NOW)
    reference.load_reference_data(old)
    session_id = log_session(old, SPECIALIST, SESSION)
    stamp = {"created_at": FIXED_NOW, "updated_at": FIXED_NOW}
    with engine_at_0005.begin() as connection:
        for text, position in [("a", 0), ("b", 0), ("c", 1), ("d", 0)]:
            connection.execute(
                insert(agreement).values(session_id=session_id, text=text, position=position, **stamp)
            )

    migrations.upgrade(engine_at_0005, "head")

    with engine_at_0005.connect() as connection:
        rows = connection.execute(
            select(agreement.c.text, agreement.c.position)
            .where(agreement.c.session_id == session_id)
            .order_by(agreement.c.id)
        ).all()
        distinct = connection.execute(
            select(func.count(func.distinct(agreement.c.position))).where(
                agreement.c.session_id == session_id
            )
        ).scalar_one()
    assert [tuple(r) for r in rows] == [("a", 0), ("b", 2), ("c", 1), ("d", 3)]
    assert distinct == 4


def _numbers(error: ValidationError) -> list[tuple[str, str]]:
    return [(p.field, p.code) for p in error.problems]


def test_a_second_commitment_with_a_plans_number_is_refused_naming_the_number(store: Store) -> None:
    plan_id = first_plan(store)
    commitments.create_commitment(store, SPECIALIST, {"plan_id": plan_id, "number": 401, "title": "Primero"})

    with pytest.raises(ValidationError) as caught:
        commitments.create_commitment(
            store, SPECIALIST, {"plan_id": plan_id, "number": 401, "title": "Segundo"}
        )

    assert _numbers(caught.value) == [("number", "duplicate")]


def test_a_commitment_edited_to_another_ones_number_is_refused_and_keeping_its_own_is_not(
    store: Store,
) -> None:
    plan_id = first_plan(store)
    commitments.create_commitment(store, SPECIALIST, {"plan_id": plan_id, "number": 402, "title": "Uno"})
    second = commitments.create_commitment(
        store, SPECIALIST, {"plan_id": plan_id, "number": 403, "title": "Dos"}
    )

    edited = commitments.edit_commitment(
        store, SPECIALIST, second, 1, {"plan_id": plan_id, "number": 403, "title": "Dos, corregido"}
    )
    with pytest.raises(ValidationError) as caught:
        commitments.edit_commitment(
            store, SPECIALIST, second, edited["version"], {"plan_id": plan_id, "number": 402, "title": "Dos"}
        )

    assert _numbers(caught.value) == [("number", "duplicate")]


def test_a_second_milestone_with_a_commitments_number_is_refused_naming_the_number(store: Store) -> None:
    commitment_id = first_commitment(store)
    add_milestone(store, commitment_id, number=401)

    with pytest.raises(ValidationError) as caught:
        add_milestone(store, commitment_id, number=401)

    assert _numbers(caught.value) == [("number", "duplicate")]


def test_an_upgrade_from_0005_renumbers_duplicate_commitment_and_milestone_numbers(
    engine_at_0005: Engine,
) -> None:
    old = Store(engine_at_0005, clock=lambda: FIXED_NOW)
    reference.load_reference_data(old)
    plan_id = commitments.create_plan(old, SPECIALIST, {"state_code": "20", "number": 40})
    made = [
        commitments.create_commitment(old, SPECIALIST, {"plan_id": plan_id, "number": n, "title": f"C{n}"})
        for n in (1, 2, 3)
    ]
    steps = [add_milestone(old, made[0], number=n) for n in (1, 2)]
    with engine_at_0005.begin() as connection:  # duplicates as an older release could store them
        connection.execute(commitment.update().where(commitment.c.id.in_(made[1:])).values(number=1))
        connection.execute(milestone.update().where(milestone.c.id == steps[1]).values(number=1))

    migrations.upgrade(engine_at_0005, "head")

    with engine_at_0005.connect() as connection:
        numbers = (
            connection.execute(
                select(commitment.c.number).where(commitment.c.plan_id == plan_id).order_by(commitment.c.id)
            )
            .scalars()
            .all()
        )
        steps_after = (
            connection.execute(
                select(milestone.c.number)
                .where(milestone.c.commitment_id == made[0])
                .order_by(milestone.c.id)
            )
            .scalars()
            .all()
        )
        assert (list(numbers), list(steps_after)) == ([1, 2, 3], [1, 2])
