"""The overview draws its charts from cached specs (issue 18): a rerun with the same data and language builds
no chart again and draws the same specs; another language or colouring is a chart of its own."""

from __future__ import annotations

from collections import Counter

import pytest

from accompaniment import charts as chart_builders
from tests.app.conftest import charts, open_app

BUILDERS = ["state_tile_map", "progress_by_state", "phase_by_state", "activity_by_month"]


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> Counter:
    """How many times each overview chart builder ran."""
    calls: Counter = Counter()
    for name in BUILDERS:
        original = getattr(chart_builders, name)

        def counted(*args, _name=name, _original=original, **kwargs):  # noqa: ANN002, ANN003, ANN202
            calls[_name] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(chart_builders, name, counted)
    return calls


def test_a_rerun_of_the_overview_builds_no_chart_again_and_draws_the_same(demo_db, built: Counter) -> None:
    at = open_app("es")
    first = charts(at)
    assert dict(built) == dict.fromkeys(BUILDERS, 1)
    at.run()
    assert dict(built) == dict.fromkeys(BUILDERS, 1)
    assert charts(at) == first


def test_the_english_overview_builds_its_own_charts(demo_db, built: Counter) -> None:
    spanish = charts(open_app("es"))
    english = charts(open_app("en"))
    assert dict(built) == dict.fromkeys(BUILDERS, 2)
    assert spanish != english


def test_a_rerun_of_the_overview_formats_none_of_its_tables_again(
    demo_db, monkeypatch: pytest.MonkeyPatch
) -> None:
    from accompaniment.ui import present

    calls: list[tuple] = []
    original = present.readable

    def counted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(tuple(kwargs))
        return original(*args, **kwargs)

    monkeypatch.setattr(present, "readable", counted)
    at = open_app("es")
    formatted, tables = len(calls), [element.value.to_dict() for element in at.dataframe]
    assert formatted > 0
    at.run()
    assert len(calls) == formatted
    assert [element.value.to_dict() for element in at.dataframe] == tables
