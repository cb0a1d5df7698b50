"""Panorama nacional: every programme state on the map and in the table, with its phase, in both languages."""

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

PAGE = "pages/overview.py"
FIFTEEN = {
    "Chihuahua", "Morelos", "Nuevo León", "Oaxaca", "Sonora", "Campeche", "Durango", "Guanajuato",
    "Estado de México", "Quintana Roo", "San Luis Potosí", "Sinaloa", "Tabasco", "Tlaxcala", "Veracruz",
}  # fmt: skip


@pytest.mark.parametrize(("lang", "viewer"), LANGS_AND_VIEWERS)
def test_overview_renders_for_each_viewer_in_each_language(demo_db, lang, viewer):
    at = open_app(lang, VIEWERS[viewer], PAGE)
    assert_rendered_cleanly(at)
    assert at.title[0].value == i18n.t("overview.title", lang)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_overview_table_names_the_fifteen_programme_states_with_their_phases(demo_db, demo_phases, lang):
    at = open_app(lang, page=PAGE)
    panorama = at.table[-1].value
    state, phase = i18n.t("col.state_name", lang), i18n.t("col.phase_label", lang)
    assert set(panorama[state]) == FIFTEEN == set(demo_phases)
    shown = dict(zip(panorama[state], panorama[phase], strict=True))
    assert shown == {name: i18n.t(f"enum.Phase.{p}", lang) for name, p in demo_phases.items()}
    assert i18n.t("col.progress_text", lang) in panorama.columns


def test_overview_map_has_a_tile_for_each_of_the_32_states_and_greys_the_others(demo_db):
    at = open_app(page=PAGE)
    tile_map = charts(at)[0]
    rows = chart_rows(at, 0)
    assert len(rows) == 32
    assert sum(1 for row in rows if row["programme"]) == 15
    assert "#D9D9D9" in str(tile_map["layer"][0]["encoding"]["fill"])
    assert {row["short_name"] for row in rows} >= {"OAX", "CDMX", "QROO"}


def test_overview_headline_figures_count_fifteen_stls(demo_db):
    at = open_app(page=PAGE)
    figures = {metric.label: metric.value for metric in at.metric}
    assert figures[i18n.t("overview.kpi.stls")] == "15"


def test_overview_map_can_be_coloured_by_progress(demo_db):
    at = open_app(page=PAGE)
    at.segmented_control(key="overview_colour_by").set_value("progress").run()
    assert_rendered_cleanly(at)
    coloured = charts(at)[0]["layer"][1]["encoding"]["color"]
    assert coloured["field"] == "progress"


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_database_holding_demo_data_says_so_in_the_page_and_in_the_sidebar(demo_db, lang):
    banner = i18n.t("app.demo_banner", lang)
    demo = open_app(
        lang
    )  # the first run (AppTest drops elements drawn before the navigation on a switch_page)
    assert banner in [str(note.value) for note in demo.info]
    assert banner in [str(caption.value) for caption in demo.sidebar.caption]


def test_the_starting_record_without_demo_data_shows_no_demo_banner(reference_db):
    at = open_app()
    assert_rendered_cleanly(at)
    shown = [str(note.value) for note in at.info] + [str(caption.value) for caption in at.sidebar.caption]
    assert i18n.t("app.demo_banner", "es") not in shown


@pytest.mark.parametrize("lang", ["es", "en"])
def test_overdue_milestones_and_overdue_agreements_are_two_named_figures_worded_as_in_the_pdf(demo_db, lang):
    from accompaniment.access import PUBLIC
    from accompaniment.store.dashboard import national_figures
    from accompaniment.store.database import open_store

    store = open_store(f"duckdb:///{demo_db}", upgrade=False)
    try:
        expected = national_figures(store, PUBLIC)  # today, as the page counts
    finally:
        store.close()
    at = open_app(lang, page=PAGE)
    figures = {metric.label: metric.value for metric in at.metric}
    milestones = i18n.t("overview.kpi.overdue_milestones", lang)
    assert milestones == i18n.t("io.report.figure_overdue", lang)
    assert figures[milestones] == i18n.format_number(expected.overdue_milestones, lang)
    assert figures[i18n.t("overview.kpi.overdue_agreements", lang)] == i18n.format_number(
        expected.overdue_agreements, lang
    )
    assert expected.overdue_milestones != expected.overdue_agreements, "the demo tells the two figures apart"
