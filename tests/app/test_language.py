"""No Streamlit default in English on the dashboard's pages (issue 21, item 6): every select box says its own
placeholder from the catalogue (Streamlit's is "Choose an option"), every grid holding a missing value draws the
catalogue's dash (Streamlit's is a grey "None"), the IRM assessment of an unassessed commitment reads "Sin valorar",
and the training page's sources are in the reader's language. The browser test of the same is
tests/e2e/test_language.py.
"""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from accompaniment import i18n
from accompaniment.access import Actor
from accompaniment.domain.enums import Role
from accompaniment.store.reference import DATA_DIR
from tests.app.conftest import VIEW_PAGES, WORKING_GROUP, open_app

READERS = {
    "working_group": WORKING_GROUP,
    "specialist": Actor(Role.SPECIALIST, username="especialista"),
    "secretariat": Actor(Role.SECRETARIAT, state_code="20", username="oaxaca"),
}
PAGES = [*VIEW_PAGES, "pages/reports.py"]


def _catalogue_texts(lang: str) -> set[str]:
    return set(i18n.catalogue(lang).values())


def _has_missing(frame: pd.DataFrame) -> bool:
    return bool(frame.isna().to_numpy().any())


@pytest.mark.parametrize("reader", list(READERS))
@pytest.mark.parametrize("page", PAGES)
def test_every_select_box_and_grid_of_a_page_speaks_the_catalogue_not_streamlits_english(
    demo_db, page, reader
):
    at = open_app("es", READERS[reader], page)
    texts = _catalogue_texts("es")
    for box in at.selectbox:
        assert box.proto.placeholder in texts, (page, box.label, box.proto.placeholder)
    for grid in at.dataframe:
        if _has_missing(grid.value):
            assert grid.proto.placeholder == i18n.t("common.none"), (page, list(grid.value.columns))


def test_the_assessment_of_an_unassessed_commitment_reads_sin_valorar_in_each_box(demo_db):
    at = open_app("es", WORKING_GROUP, "pages/commitments.py")
    unassessed = i18n.t("assessment.unassessed")
    boxes = [box for box in at.selectbox if (box.key or "").startswith("assessment_")]
    assert len(boxes) == 3
    for box in boxes:
        assert box.index is not None, (box.key, "no option chosen: the browser shows the placeholder")
        assert box.format_func(box.value) == unassessed


def test_the_training_pages_sources_follow_the_reader_into_english(demo_db):
    at = open_app("en", page="pages/training.py")
    captions = [str(caption.value) for caption in at.caption]
    for year in (2017, 2018):
        english = i18n.t(f"reference.call_source.{year}", "en")
        assert i18n.t("training.source", "en", source=english) in captions, captions


def test_the_spanish_sources_in_the_catalogue_are_the_reference_datas_own_words():
    """The English source is shown only for the reference's own text: the two must not drift apart."""
    with (DATA_DIR / "fellows_calls.csv").open(encoding="utf-8") as handle:
        sources = {int(row["year"]): row["source"] for row in csv.DictReader(handle)}
    assert sources == {year: i18n.t(f"reference.call_source.{year}", "es") for year in sources}
