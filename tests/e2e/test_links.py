"""Issue 13 in a real browser: a deep link opened cold shows the state it names; a change of state is written to the
URL, a reload shows the same view, and the browser's back button returns to the previous one.

Read-only on the shared demo database.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.support import choose, main, open_app, t, wait_for_app


def test_a_state_link_opens_cold_survives_a_reload_and_back_returns_to_the_previous_state(
    page: Page, app_url: str
) -> None:
    open_app(page, app_url)  # the server has run app.py; the link below opens in a new session
    page.goto(f"{app_url}/secretariat?estado=oax", wait_until="domcontentloaded")
    wait_for_app(page)
    picker = main(page).get_by_label(t("widgets.state"), exact=True)
    expect(picker).to_have_value("Oaxaca")
    expect(page).to_have_url(re.compile(r"/secretariat\?estado=20$"))
    expect(page).to_have_title(re.compile(r"^Oaxaca · "))

    choose(page, main(page), t("widgets.state"), "Chihuahua")
    expect(page).to_have_url(re.compile(r"estado=08"))
    expect(page).to_have_title(re.compile(r"^Chihuahua · "))

    page.reload(wait_until="domcontentloaded")
    wait_for_app(page)
    expect(main(page).get_by_label(t("widgets.state"), exact=True)).to_have_value("Chihuahua")

    page.go_back(wait_until="domcontentloaded")
    wait_for_app(page)
    expect(page).to_have_url(re.compile(r"estado=20"))
    expect(main(page).get_by_label(t("widgets.state"), exact=True)).to_have_value("Oaxaca")
