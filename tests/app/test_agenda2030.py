"""Agenda 2030: the states × SDGs matrix in the official colours, drill-down and each state's contributions."""

from __future__ import annotations

import pytest

from accompaniment import i18n
from tests.app.conftest import (
    LANGS_AND_VIEWERS,
    VIEWERS,
    assert_rendered_cleanly,
    chart_rows,
    charts,
    open_app,
)

PAGE = "pages/agenda2030.py"


@pytest.mark.parametrize(("lang", "viewer"), LANGS_AND_VIEWERS)
def test_agenda_renders_for_each_viewer_in_each_language(demo_db, lang, viewer):
    assert_rendered_cleanly(open_app(lang, VIEWERS[viewer], PAGE))


def test_matrix_cells_carry_the_official_sdg_colours(demo_db):
    at = open_app(page=PAGE)
    matrix = charts(at)[0]
    cells = chart_rows(at, 0)
    colours = {row["goal"]: row["colour"] for row in cells}
    assert colours.get(16) == "#00689D" and colours.get(4) == "#C5192D"
    assert matrix["layer"][0]["encoding"]["color"] == {"field": "colour", "legend": None, "scale": None,
                                                       "type": "nominal"}  # fmt: skip


def test_drill_down_to_a_target_lists_only_commitments_aligned_to_it(demo_db):
    at = open_app(page=PAGE)
    at.selectbox(key="agenda_goal").set_value(16).run()
    at.selectbox(key="agenda_target_16").set_value("16.10").run()
    assert_rendered_cleanly(at)
    column = i18n.t("col.targets_text")
    rows = next(frame.value for frame in at.dataframe if column in frame.value.columns)
    assert len(rows) > 0 and set(rows[column]) == {"16.10"}


def test_each_programme_state_has_its_contributions_listed(demo_db):
    at = open_app(page=PAGE)
    listed = at.table[-1].value
    assert len(listed) == 15
