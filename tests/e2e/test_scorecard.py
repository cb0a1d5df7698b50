"""Issue 16 in a real browser: Oaxaca's co-creation scorecard on Secretariado, as the public sees it, with no
serious axe violation; its picture is the README's docs/screenshots/scorecard.png. Read-only."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from accompaniment.domain.scorecard import INDICATORS
from tests.e2e.support import (
    axe_violations,
    choose,
    describe,
    main,
    open_app,
    open_page,
    open_tab,
    screenshot,
    t,
)


def test_the_public_reads_oaxacas_scorecard_with_a_sentence_per_indicator(page: Page, app_url: str) -> None:
    open_app(page, app_url)
    open_page(page, t("nav.secretariat"))
    body = main(page)
    choose(page, body, t("widgets.state"), "Oaxaca")
    panel = open_tab(page, body, t("secretariat.tab.scorecard"))
    for indicator in (i for i in INDICATORS if i.public):
        expect(
            panel.get_by_text(t(f"scorecard.indicator.{indicator.key}.meaning"), exact=True)
        ).to_be_visible()
    expect(panel.get_by_text(t("scorecard.indicator.minutes_share.name"), exact=True)).to_have_count(0)
    expect(panel.get_by_text(t("scorecard.trend_title"), exact=True)).to_be_visible()
    screenshot(page, "scorecard")
    found = axe_violations(page)
    assert not found, describe(found)
