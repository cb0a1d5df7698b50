"""A constraint broken by a bulk insert (imports, restore, demo) reaches the user as the same field-named
ValidationError on both backends, not as a driver message raised while cleaning up (issue 17, item 4)."""

from __future__ import annotations

from typing import Any

import pytest

from accompaniment.domain.errors import ValidationError
from accompaniment.store import bulk
from accompaniment.store.database import Store
from accompaniment.store.schema import ogp_value, sdg_goal


def _goal(number: Any, name: Any = "Meta") -> dict[str, Any]:
    return {"number": number, "name_es": name, "name_en": name, "colour": "#000000"}


def _problems(store: Store, rows: list[dict[str, Any]], table: Any = sdg_goal) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        store.write(lambda connection: bulk.insert_rows(connection, table, rows))
    return [(p.field, p.code) for p in caught.value.problems]


def test_a_bulk_insert_breaking_a_check_constraint_names_the_form_as_a_constraint_problem(
    store: Store,
) -> None:
    assert _problems(store, [_goal(99)]) == [("form", "constraint")]


def test_a_bulk_insert_leaving_a_required_value_empty_names_the_form_as_a_constraint_problem(
    store: Store,
) -> None:
    row = {"code": "bulk_test_value", "name_es": None, "name_en": "Value"}
    assert _problems(store, [row], table=ogp_value) == [("form", "constraint")]


def test_a_bulk_insert_repeating_a_key_names_the_form_as_a_duplicate(store: Store) -> None:
    assert _problems(store, [_goal(1)]) == [("form", "duplicate")]


def test_a_failed_bulk_insert_leaves_the_store_usable_for_the_next_one(store: Store) -> None:
    _problems(store, [_goal(99)])
    with store.read() as connection:
        count = connection.execute(sdg_goal.select()).all()
    assert len(count) == 17
