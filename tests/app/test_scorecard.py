"""The co-creation scorecard: one STL's indicators with their sentences and trend (Secretariado) and the states ×
indicators comparison (Panorama nacional), within what each viewer may see."""

from __future__ import annotations

import pytest

from accompaniment import i18n
from accompaniment.domain.scorecard import INDICATORS, KEYS
from tests.app.conftest import VIEWERS, assert_rendered_cleanly, open_app, page_text

OAXACA = "20"
PRIVATE_KEY = "minutes_share"


def open_scorecard(lang: str = "es", viewer: str = "public", code: str = OAXACA):
    return open_app(
        lang, VIEWERS[viewer], "pages/secretariat.py", secretariat_state=code,
        secretariat_tab=i18n.t("secretariat.tab.scorecard", lang),
    )  # fmt: skip


def scorecard_tab(at, lang: str = "es"):
    return next(tab for tab in at.tabs if tab.label == i18n.t("secretariat.tab.scorecard", lang))


def tab_text(tab) -> str:
    parts = [str(e.value) for e in [*tab.markdown, *tab.caption, *tab.subheader]]
    parts += [f"{m.label} {m.value}" for m in tab.metric]
    return "\n".join(parts)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_working_group_sees_every_indicator_with_its_value_and_plain_sentence(demo_db, lang):
    at = open_scorecard(lang, "working_group")
    assert_rendered_cleanly(at)
    text = tab_text(scorecard_tab(at, lang))
    for indicator in INDICATORS:
        assert i18n.t(f"scorecard.indicator.{indicator.key}.name", lang) in text
        assert i18n.t(f"scorecard.indicator.{indicator.key}.meaning", lang) in text
    assert len(scorecard_tab(at, lang).metric) == len(INDICATORS)


def test_the_public_scorecard_leaves_out_the_indicators_that_rest_on_private_fields(demo_db):
    at = open_scorecard()
    assert_rendered_cleanly(at)
    text = tab_text(scorecard_tab(at))
    assert i18n.t(f"scorecard.indicator.{PRIVATE_KEY}.name") not in page_text(at)
    assert i18n.t("scorecard.public_note") in text
    assert len(scorecard_tab(at).metric) == len([i for i in INDICATORS if i.public])


def test_the_scorecard_shows_a_trend_chart_by_quarter_with_its_table_twin(demo_db):
    at = open_scorecard(viewer="working_group")
    tab = scorecard_tab(at)
    quarters = [
        frame.value for frame in tab.dataframe if i18n.t("scorecard.col.quarter") in frame.value.columns
    ]
    assert quarters and len(quarters[0]) == 8
    assert quarters[0][i18n.t("scorecard.col.quarter")].iloc[-1] == "2026Q4"  # ends with the current quarter
    assert tab.selectbox(key=f"scorecard_trend_{OAXACA}").value == KEYS[0]


def test_a_state_with_nothing_logged_says_sin_datos_rather_than_a_number(reference_db):
    at = open_scorecard()
    assert_rendered_cleanly(at)
    values = [str(m.value) for m in scorecard_tab(at).metric]
    assert values.count(i18n.t("scorecard.no_data")) >= 5


def comparison_table(at):
    state = i18n.t("scorecard.col.state_name")
    name = i18n.t("scorecard.indicator.sessions_per_quarter.name")
    return next(f.value for f in at.dataframe if state in f.value.columns and name in f.value.columns)


def test_the_overview_draws_the_comparison_only_when_asked_except_for_the_working_group(demo_db):
    at = open_app(page="pages/overview.py")
    assert_rendered_cleanly(at)
    assert at.toggle(key="scorecard_compare_public").value is False
    assert i18n.t("scorecard.comparison_hint") in page_text(at)
    assert i18n.t("scorecard.indicator.sessions_per_quarter.name") not in page_text(at)
    signed_in = open_app(actor=VIEWERS["working_group"], page="pages/overview.py")
    assert signed_in.toggle(key="scorecard_compare_working_group").value


def test_the_overview_compares_the_states_indicator_by_indicator_with_its_table_twin(demo_db):
    at = open_app(page="pages/overview.py", scorecard_compare_public=True)
    assert_rendered_cleanly(at)
    assert i18n.t("scorecard.comparison_title") in page_text(at)
    table = comparison_table(at)
    assert len(table) == 15
    assert i18n.t(f"scorecard.indicator.{PRIVATE_KEY}.name") not in table.columns  # the public's view


def test_sorting_the_comparison_by_an_indicator_orders_the_states_by_its_value(demo_db):
    at = open_app(actor=VIEWERS["working_group"], page="pages/overview.py")
    assert i18n.t(f"scorecard.indicator.{PRIVATE_KEY}.name") in comparison_table(at).columns
    at.selectbox(key="scorecard_sort").set_value("civil_society_share").run()
    assert_rendered_cleanly(at)
    values = list(comparison_table(at)[i18n.t("scorecard.indicator.civil_society_share.name")].dropna())
    assert values == sorted(values, reverse=True) and len(values) > 1
