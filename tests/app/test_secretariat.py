"""Secretariado: a state's profile, its real first-plan commitments, and profiles without commitments."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from accompaniment import i18n
from tests.app.conftest import LANGS_AND_VIEWERS, VIEWERS, assert_rendered_cleanly, open_app, page_text

PAGE = "pages/secretariat.py"
OAXACA, CHIHUAHUA = "20", "08"
DATA = Path(__file__).resolve().parents[2] / "data"


def oaxaca_first_plan_titles() -> list[str]:
    with (DATA / "stl_commitments.csv").open(encoding="utf-8") as fh:
        return [row["title_es"] for row in csv.DictReader(fh) if row["state_name"] == "Oaxaca"]


def open_state(code: str, lang: str = "es", viewer: str = "public"):
    return open_app(lang, VIEWERS[viewer], PAGE, secretariat_state=code)


def listed_titles(at, lang: str = "es") -> list[str]:
    column = i18n.t("col.title", lang)
    return [title for frame in at.dataframe if column in frame.value.columns for title in frame.value[column]]


@pytest.mark.parametrize(("lang", "viewer"), LANGS_AND_VIEWERS)
def test_secretariat_of_oaxaca_renders_for_each_viewer_in_each_language(demo_db, lang, viewer):
    at = open_state(OAXACA, lang, viewer)
    assert_rendered_cleanly(at)
    assert at.selectbox(key="secretariat_state").value == OAXACA


def test_secretariat_of_oaxaca_lists_its_six_real_first_plan_commitments(demo_db):
    titles = oaxaca_first_plan_titles()
    assert len(titles) == 6
    at = open_state(OAXACA)
    assert set(titles) <= set(listed_titles(at))


def test_secretariat_of_oaxaca_lists_its_real_commitments_without_demo_data(reference_db):
    at = open_state(OAXACA)
    assert_rendered_cleanly(at)
    assert set(oaxaca_first_plan_titles()) <= set(listed_titles(at))


def test_a_state_without_commitments_still_has_a_profile(demo_db):
    at = open_state(CHIHUAHUA)
    assert_rendered_cleanly(at)
    assert i18n.t("secretariat.no_commitments") in page_text(at)
    assert "Chihuahua" in page_text(at)  # its members and events are listed


def test_secretariat_starts_on_the_home_state_when_one_is_set(demo_db):
    at = open_app(page=PAGE, home_state=OAXACA)
    assert at.selectbox(key="secretariat_state").value == OAXACA


def test_choosing_another_state_shows_its_profile(demo_db):
    at = open_app(page=PAGE)
    at.selectbox(key="secretariat_state").set_value(OAXACA).run()
    assert_rendered_cleanly(at)
    assert set(oaxaca_first_plan_titles()) <= set(listed_titles(at))


def test_secretariat_members_show_no_personal_data_to_the_public(demo_db):
    at = open_state(OAXACA)
    headers = {column for frame in at.dataframe for column in frame.value.columns}
    assert i18n.t("col.person_name") not in headers
    assert i18n.t("col.person_email") not in headers


def test_secretariat_commitment_detail_shows_milestones_and_evidence_links(demo_db):
    at = open_state(OAXACA)
    evidence = [m.value for m in at.markdown if i18n.t("commitment.evidence") in m.value]
    assert evidence, "the first commitment's evidence links are listed"
    assert all("](https://" in line for line in evidence[0].splitlines()[2:])


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_reader_picks_a_year_and_sees_that_years_sessions_and_workshops(demo_db, lang):
    from datetime import date

    from accompaniment.access import PUBLIC
    from accompaniment.store import activity
    from accompaniment.store.database import open_store

    store = open_store(f"duckdb:///{demo_db}")
    try:
        years = activity.activity_years(store, PUBLIC, OAXACA)
        year = years[1]  # a past, whole year
        period = {"held_from": date(year, 1, 1), "held_to": date(year, 12, 31), "limit": 500}
        sessions = len(activity.list_sessions(store, PUBLIC, OAXACA, **period))
        workshops = len(activity.list_workshops(store, PUBLIC, OAXACA, **period))
    finally:
        store.close()
    at = open_state(OAXACA, lang)
    picker = at.selectbox(key=f"activity_period_{OAXACA}")
    assert picker.value is None and picker.options[1:] == [str(y) for y in years]

    picker.set_value(year).run()

    assert_rendered_cleanly(at)
    said = i18n.t("secretariat.year_activity", lang, year=year, sessions=sessions, workshops=workshops)
    assert said in [caption.value for caption in at.caption]
    held = i18n.t("col.held_on_text", lang)
    shown = [frame.value[held] for frame in at.dataframe if held in frame.value.columns][0]
    assert len(shown) == sessions + workshops and all(text.endswith(str(year)) for text in shown)
