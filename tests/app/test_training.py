"""Agentes de cambio: the published figures of both calls, per state and by gender, and the fellows' projects."""

from __future__ import annotations

import pytest

from accompaniment import i18n
from tests.app.conftest import LANGS_AND_VIEWERS, VIEWERS, assert_rendered_cleanly, open_app

PAGE = "pages/training.py"


def call_figures(at, lang: str = "es") -> list[dict[str, str]]:
    """The KPI rows in page order, one dict (label → value) per call."""
    per_call, current = [], {}
    for metric in at.metric:
        if metric.label in current:
            per_call.append(current)
            current = {}
        current[metric.label] = metric.value
    return [*per_call, current]


@pytest.mark.parametrize(("lang", "viewer"), LANGS_AND_VIEWERS)
def test_training_renders_for_each_viewer_in_each_language(demo_db, lang, viewer):
    assert_rendered_cleanly(open_app(lang, VIEWERS[viewer], PAGE))


@pytest.mark.parametrize("lang", ["es", "en"])
def test_training_shows_the_published_figures_of_both_calls(demo_db, lang):
    at = open_app(lang, page=PAGE)
    first, second = call_figures(at, lang)
    fellows = i18n.t("training.measure.fellows", lang)
    women = i18n.t("training.measure.fellows_women", lang)
    states = i18n.t("training.measure.states", lang)
    applicants = i18n.t("training.measure.applicants", lang)
    assert (first[fellows], first[states]) == ("20", "5")
    assert (second[fellows], second[women], second[states]) == ("40", "21", "10")
    assert second[applicants] == "400+"
    help_texts = [metric.help for metric in at.metric if metric.label == applicants]
    assert i18n.t("training.more_than_help", lang, figure="400") in help_texts


def test_training_figures_hold_without_demo_data(reference_db):
    at = open_app(page=PAGE)
    assert_rendered_cleanly(at)
    first, second = call_figures(at)
    fellows = i18n.t("training.measure.fellows")
    assert (first[fellows], second[fellows]) == ("20", "40")


def test_training_lists_fellows_per_state_and_their_projects(demo_db):
    at = open_app(page=PAGE)
    per_state = next(f.value for f in at.dataframe if i18n.t("col.applicants") in f.value.columns)
    assert len(per_state) == 5  # the 2017 call's states
    projects = next(f.value for f in at.dataframe if i18n.t("col.project_title") in f.value.columns)
    assert 0 < len(projects) <= 25
    assert set(projects[i18n.t("col.submitted_to_stl")]) <= {i18n.t("common.yes"), i18n.t("common.no")}
