"""The overview's "what needs attention" at a laptop's width (issue 21, item 7): the reason an STL is stalled and a
milestone's days overdue are in view without scrolling a grid sideways, and the headline figures name overdue
milestones and overdue agreements apart, as the PDF report does.

A grid draws its header on a canvas, so a header cell has no box of its own: its accessible header row holds the
columns drawn in view, and the grid's scroller says whether anything lies beyond its visible width.
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from tests.e2e.support import VIEWPORT, main, open_app, t

NO_SIDEWAYS_SCROLL = """(grid) => {
  const scroller = grid.querySelector('.dvn-scroller');
  return [scroller.scrollWidth, scroller.clientWidth];
}"""


def _grid(page: Page, heading: str) -> Locator:
    """The first data grid after the block's heading."""
    grid = main(page).locator(
        f"xpath=.//h5[normalize-space()='{t(heading)}']/following::*[@data-testid='stDataFrame'][1]"
    )
    grid.scroll_into_view_if_needed()
    grid.locator("table[role='grid'] thead th").first.wait_for(state="attached")
    return grid


def _headers_in_view(grid: Locator) -> list[str]:
    return grid.locator("table[role='grid'] thead th").all_text_contents()


def _assert_key_columns_in_view(page: Page, heading: str, columns: list[str]) -> None:
    grid = _grid(page, heading)
    box = grid.bounding_box()
    body = main(page).bounding_box()
    assert box is not None and body is not None
    assert box["x"] >= body["x"] and box["x"] + box["width"] <= min(
        body["x"] + body["width"], VIEWPORT["width"]
    )
    headers = _headers_in_view(grid)
    scroll_width, visible_width = grid.evaluate(NO_SIDEWAYS_SCROLL)
    assert scroll_width <= visible_width + 1, (heading, scroll_width, visible_width, headers)
    for column in columns:
        assert column in headers, (heading, column, headers)


def test_the_stalled_and_overdue_tables_show_their_key_columns_without_scrolling_sideways_at_1400_px(
    page: Page, app_url: str
) -> None:
    assert VIEWPORT["width"] == 1400 and VIEWPORT["height"] == 1000
    open_app(page, app_url)
    _assert_key_columns_in_view(page, "overview.stalled.title", [t("col.state_name"), t("col.stall_reason")])
    _assert_key_columns_in_view(page, "overview.overdue.title", [t("col.state_name"), t("col.days_overdue")])


def test_the_headline_figures_name_overdue_milestones_and_overdue_agreements_apart(
    page: Page, app_url: str
) -> None:
    open_app(page, app_url)
    labels = [text.strip() for text in main(page).get_by_test_id("stMetricLabel").all_inner_texts()]
    milestones, agreements = t("overview.kpi.overdue_milestones"), t("overview.kpi.overdue_agreements")
    assert milestones in labels and agreements in labels, labels
    assert milestones == t("io.report.figure_overdue"), "worded as the PDF report words it"
    assert not [label for label in labels if "pendientes" in label.lower()], labels
