"""Across the view pages: a database with only reference data renders every page with helpful messages, and the
two catalogues have the same keys."""

from __future__ import annotations

import pytest

from accompaniment import i18n
from tests.app.conftest import VIEW_PAGES, WORKING_GROUP, assert_rendered_cleanly, open_app


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("page", VIEW_PAGES)
def test_every_view_page_renders_with_reference_data_only(reference_db, page, lang):
    at = open_app(lang, WORKING_GROUP, page)
    assert_rendered_cleanly(at)


def test_empty_overview_explains_that_no_activity_was_logged(reference_db):
    at = open_app(page="pages/overview.py")
    assert i18n.t("overview.activity.empty") in [info.value for info in at.info]


def test_spanish_and_english_catalogues_have_the_same_keys():
    assert set(i18n.catalogue("es")) == set(i18n.catalogue("en"))
