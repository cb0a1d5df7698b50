"""Issue 14, in a real browser: a secretariat and then the specialist sign in and each finds "Pendientes" in the
navigation with its count of overdue items, and opens the panel of what they follow up (the secretariat its own
STL's milestones and agreements; the specialist the agreements of every state).

Read-only on the shared demo database: nothing is saved.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.support import (
    PASSWORDS,
    grid_texts,
    main,
    nav_links,
    open_app,
    open_page,
    rerun,
    sidebar,
    sign_in,
    t,
)

STATES = {"Chihuahua", "Morelos", "Nuevo León", "Oaxaca", "Sonora", "Campeche", "Durango", "Guanajuato",
          "Estado de México", "México", "Quintana Roo", "San Luis Potosí", "Sinaloa", "Tabasco", "Tlaxcala",
          "Veracruz"}  # fmt: skip


def _pending_link(page: Page) -> str:
    """The navigation's "Pendientes (N)", N > 0 (the demo has overdue items for every role)."""
    pattern = re.compile(re.escape(t("reminders.nav_count", count=0)).replace("0", r"([1-9]\d*)"))
    expect(sidebar(page).get_by_test_id("stSidebarNavLink").filter(has_text=pattern)).to_have_count(1)
    return next(title for title in nav_links(page) if pattern.fullmatch(title))


def test_a_secretariat_and_the_specialist_each_see_their_pending_panel_with_its_count(
    page: Page, app_url: str
) -> None:
    open_app(page, app_url)
    sign_in(page, "oaxaca", PASSWORDS["oaxaca"])
    open_page(page, _pending_link(page))
    body = main(page)
    expect(body.get_by_role("heading", level=1)).to_have_text(t("reminders.page.title"))
    expect(
        body.get_by_text(t("secretariat.pending.summary").split("**")[1], exact=False).first
    ).to_be_visible()
    expect(body.get_by_text(t("secretariat.pending.milestones"), exact=True)).to_be_visible()
    expect(body.get_by_text(t("reminders.prefs.header"), exact=True)).to_be_visible()

    with rerun(page):
        sidebar(page).get_by_role("button", name=t("auth.sign_out"), exact=True).click()
    sign_in(page, "especialista", PASSWORDS["especialista"])
    open_page(page, _pending_link(page))
    body = main(page)
    expect(body.get_by_role("heading", level=1)).to_have_text(t("reminders.page.title"))
    expect(body.get_by_text(t("reminders.page.intro_specialist"), exact=True)).to_be_visible()
    expect(
        body.get_by_label(t("widgets.state"), exact=True)
    ).to_be_visible()  # the states with open agreements
    expect(body.get_by_role("heading", name=t("secretariat.pending.agreements"), exact=True)).to_be_visible()
    expect(body.get_by_role("heading", name=t("secretariat.pending.milestones"), exact=True)).to_have_count(0)
    states = set(grid_texts(body.get_by_test_id("stDataFrame").first))  # the table of states, first
    assert len(states & STATES) >= 2, sorted(states)[:20]
