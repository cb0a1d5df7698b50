"""Compromisos: filters return only matching rows, one page at a time; links only from http(s) URLs."""

from __future__ import annotations

import pytest

from accompaniment import i18n
from accompaniment.ui.present import digest
from accompaniment.ui.widgets import PAGE_SIZE, escape_markdown, markdown_link, safe_url
from tests.app.conftest import LANGS_AND_VIEWERS, VIEWERS, assert_rendered_cleanly, open_app, page_text

PAGE = "pages/commitments.py"


def listing(at, lang: str = "es"):
    """The commitment list (the dataframe carrying the SDG targets column)."""
    column = i18n.t("col.sdg_targets", lang)
    return next(frame.value for frame in at.dataframe if column in frame.value.columns)


@pytest.mark.parametrize(("lang", "viewer"), LANGS_AND_VIEWERS)
def test_commitments_render_for_each_viewer_in_each_language(demo_db, lang, viewer):
    at = open_app(lang, VIEWERS[viewer], PAGE)
    assert_rendered_cleanly(at)
    assert len(listing(at, lang)) == PAGE_SIZE  # 78 commitments: the first page only


@pytest.mark.parametrize("goal", [4, 16])
def test_filtering_by_sdg_returns_only_commitments_aligned_to_that_goal(demo_db, goal):
    at = open_app(page=PAGE)
    at.selectbox(key="commitments_goal").set_value(goal).run()
    assert_rendered_cleanly(at)
    rows = listing(at)
    assert len(rows) > 0
    for targets in rows[i18n.t("col.sdg_targets")]:
        assert any(code.strip().split(".")[0] == str(goal) for code in targets.split(","))


def test_filtering_by_state_and_overdue_milestones_narrows_the_list(demo_db):
    at = open_app(page=PAGE)
    at.selectbox(key="commitments_state").set_value("20").run()
    at.toggle(key="commitments_overdue").set_value(True).run()
    assert_rendered_cleanly(at)
    rows = listing(at)
    assert set(rows[i18n.t("col.state_name")]) == {"Oaxaca"}
    assert all(int(n) > 0 for n in rows[i18n.t("col.milestones_overdue")])


def test_text_search_with_no_match_says_so(demo_db):
    at = open_app(page=PAGE)
    at.text_input(key="commitments_search").input("zzz-nada-coincide").run()
    assert_rendered_cleanly(at)
    assert i18n.t("commitments.none_match") in page_text(at)


def test_the_list_pages_through_all_commitments(demo_db):
    at = open_app(page=PAGE)
    first = listing(at)
    at.session_state["commitments_page_" + digest(())] = 2
    at.run()
    second = listing(at)
    assert len(first) == len(second) == PAGE_SIZE
    assert not first.equals(second)
    assert i18n.t("widgets.showing", first=26, last=50, total=78) in [c.value for c in at.caption]


def test_detail_shows_the_chosen_commitment(demo_db):
    at = open_app(page=PAGE)
    options = at.selectbox(key="commitments_detail").options
    at.selectbox(key="commitments_detail").set_value(at.selectbox(key="commitments_detail").value).run()
    assert_rendered_cleanly(at)
    assert len(options) == PAGE_SIZE
    assert i18n.t("commitment.milestones") in page_text(at)


def test_only_http_and_https_urls_become_links():
    assert safe_url("https://example.org/a") == "https://example.org/a"
    assert safe_url("http://example.org") == "http://example.org"
    for unsafe in (
        "javascript:alert(1)",
        "data:text/html,x",
        "/relative",
        "ftp://x.org",
        "",
        None,
        "https://",
    ):
        assert safe_url(unsafe) is None
    assert markdown_link("ver", "javascript:alert(1)") == "ver"
    assert markdown_link("ver", "https://e.org/a b)") == "[ver](https://e.org/a%20b%29)"


def test_user_text_is_escaped_for_markdown():
    assert escape_markdown("**x** <b>y</b> [z](http://e) :red[w]") == (
        r"\*\*x\*\* \<b\>y\</b\> \[z\]\(http\://e\) \:red\[w\]"
    )
