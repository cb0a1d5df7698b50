"""Issue 21, item 8, in a real browser: a secretariat signs in and sees at once what its STL has overdue and the
milestone update form, in the window without scrolling; and "Archivar" in the logbook's recent entries archives
nothing until the person confirms it.

Read-only on the shared demo database: nothing here is saved or archived, so other journeys are not affected.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.support import (
    PASSWORDS,
    VIEWPORT,
    grid_texts,
    main,
    open_app,
    open_page,
    open_tab,
    rerun,
    sign_in,
    t,
)


def _starts_overdue() -> re.Pattern[str]:
    """ "Vencido hace 12 días" or "Vencido hace 1 día", from the catalogue's texts."""
    many = t("secretariat.pending.overdue_by", days=0).split("0")
    one = t("secretariat.pending.overdue_by_one")
    return re.compile(rf"^({re.escape(many[0])}\d+{re.escape(many[1])}|{re.escape(one)})")


def test_oaxacas_secretariat_lands_on_its_overdue_items_with_the_update_form_in_view(
    page: Page, app_url: str
) -> None:
    open_app(page, app_url)
    sign_in(page, "oaxaca", PASSWORDS["oaxaca"])
    body = main(page)
    expect(body.get_by_role("heading", level=1)).to_have_text(t("secretariat.title"))
    expect(body.get_by_label(t("widgets.state"), exact=True)).to_have_value("Oaxaca")

    # No click needed: the first tab, already open, is what the STL has pending.
    tab = body.get_by_role("tab", name=t("secretariat.tab.pending"), exact=True)
    expect(tab).to_have_attribute("aria-selected", "true")
    panel = body.get_by_role("tabpanel", name=t("secretariat.tab.pending"))
    overdue = t("secretariat.pending.summary").split("**")[1]
    expect(panel.get_by_text(overdue, exact=False).first).to_be_visible()
    expect(panel.get_by_text(t("secretariat.pending.milestones"), exact=True)).to_be_visible()
    situations = grid_texts(panel.get_by_test_id("stDataFrame").first)
    assert any(_starts_overdue().match(text) for text in situations), situations[:8]

    picker = panel.get_by_label(t("secretariat.pending.pick"), exact=True)
    expect(picker).to_have_value(_starts_overdue())  # the most overdue milestone is the one offered first
    save = page.get_by_role("button", name=t("milestone_form.save"), exact=True)  # relative to the form
    form = panel.get_by_test_id("stForm").filter(has=save)
    expect(form).to_be_visible()
    for part in (form, form.get_by_label(t("fields.progress"), exact=True)):
        box = part.bounding_box()
        assert box is not None and 0 <= box["y"] < VIEWPORT["height"], f"below the window: {box}"

    # The form is still on "Compromisos", for the commitment chosen there (the journey of test_journeys.py).
    commitments = open_tab(page, body, t("secretariat.tab.commitments"))
    expect(commitments.get_by_text(t("milestone_form.heading"), exact=True)).to_be_visible()
    expect(commitments.get_by_test_id("stForm")).to_have_count(1)


def test_archiving_a_recent_logbook_entry_needs_the_confirmation_first(page: Page, app_url: str) -> None:
    open_app(page, app_url)
    sign_in(page, "especialista", PASSWORDS["especialista"])
    open_page(page, t("nav.logbook"))
    body = main(page)
    panel = open_tab(page, body, t("logbook.tab.recent"))
    picker = panel.get_by_label(t("logbook.recent.pick"), exact=True)
    entry = picker.input_value()
    archive = panel.get_by_role("button", name=t("logbook.recent.archive"), exact=True)
    expect(archive).to_be_disabled()

    archive.click(force=True)  # a click on the disabled button does nothing
    page.wait_for_timeout(1500)
    expect(body.get_by_text(t("logbook.recent.archived", entry=entry), exact=True)).to_have_count(0)
    expect(picker).to_have_value(entry)

    confirm = panel.get_by_text(t("logbook.recent.archive_confirm"), exact=True)
    with rerun(page):
        confirm.click()
    expect(archive).to_be_enabled()
    with rerun(page):
        confirm.click()  # changing one's mind: disabled again, and still nothing archived
    expect(archive).to_be_disabled()
    expect(picker).to_have_value(entry)
    expect(body.get_by_text(t("logbook.recent.archived", entry=entry), exact=True)).to_have_count(0)
