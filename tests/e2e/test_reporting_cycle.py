"""The reporting cycle in a real browser (issue 12): Veracruz's secretariat drafts its period report with a PDF as
evidence and submits it; the working group returns it with a comment on the milestone; the secretariat corrects and
resubmits; the working group approves; the public overview then shows Veracruz's new figure and the approval date.

Veracruz is this journey's own state: the demo leaves its report untouched and no other browser test reads it.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from accompaniment.demo_reports import quarter, quarter_start
from tests.e2e.conftest import DEMO_TODAY
from tests.e2e.support import (
    PASSWORDS,
    choose,
    main,
    open_app,
    open_page,
    rerun,
    screenshot,
    sidebar,
    sign_in,
    t,
)

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MILESTONE = re.compile(r"Tablero público.*2\. Diseño de la herramienta")
COMMENT = "Falta la minuta firmada de la mesa de trabajo (prueba e2e)"


def _veracruz_row(page: Page) -> str:
    return main(page).get_by_role("row").filter(has_text="Veracruz").last.inner_text()


def _sign_out(page: Page) -> None:
    with rerun(page):
        sidebar(page).get_by_role("button", name=t("auth.sign_out"), exact=True).click()


def _report_milestone(page: Page, progress: str, pdf: Path | None) -> None:
    """The secretariat's item form: pick the milestone, set its progress (and a file), save it in the draft."""
    body = main(page)
    box = body.get_by_label(t("reporting.item.pick"), exact=True)
    box.click()
    page.keyboard.type("Tablero público")  # the list draws only the options in view: narrow it first
    with rerun(page):
        page.get_by_role("option").filter(has_text=MILESTONE).first.click()
    form = body.get_by_test_id("stForm").filter(has=page.get_by_role("button", name=t("reporting.item.save")))
    form.get_by_label(t("fields.progress"), exact=True).fill(progress)
    choose(page, form, t("fields.status"), t("enum.MilestoneStatus.in_progress"), in_form=True)
    if pdf is not None:
        form.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(pdf))
        expect(form.get_by_text(pdf.name)).to_be_visible()
    with rerun(page):
        form.get_by_role("button", name=t("reporting.item.save"), exact=True).click()
    expect(body.get_by_text(t("reporting.item.saved"), exact=True)).to_be_visible()
    with rerun(page):
        body.get_by_role("button", name=t("reporting.submit.button"), exact=True).click()
    expect(body.get_by_text(t("reporting.submit.done"), exact=True)).to_be_visible()


def _review(page: Page) -> Locator:
    body = main(page)
    period = quarter(quarter_start(DEMO_TODAY))["name"]
    choose(page, body, t("reporting.review.pick"), f"Veracruz · {period}")
    return body


def test_a_report_goes_from_the_secretariat_through_review_to_the_public_figures(
    page: Page, app_url: str, tmp_path: Path
) -> None:
    pdf = tmp_path / "minuta-veracruz.pdf"
    pdf.write_bytes(PDF)
    open_app(page, app_url)
    before = _veracruz_row(page)

    sign_in(page, "veracruz", PASSWORDS["veracruz"])
    open_page(page, t("nav.periodic_reports"))
    _report_milestone(page, "40", pdf)
    expect(main(page).get_by_text(t("reporting.draft.frozen_submitted"))).to_be_visible()
    screenshot(page, "reporting-secretariat")
    _sign_out(page)

    sign_in(page, "grupo", PASSWORDS["grupo"])
    open_page(page, t("nav.periodic_reports"))
    body = _review(page)
    with rerun(page):
        body.get_by_role("button", name=t("reporting.file.prepare", name=pdf.name), exact=True).click()
    expect(body.get_by_role("button", name=t("reporting.file.download", name=pdf.name))).to_be_visible()
    comment = body.get_by_label(t("reporting.review.comment"), exact=True).first
    comment.fill(COMMENT)
    with rerun(page):
        comment.press("Enter")
    screenshot(page, "reporting-review")
    with rerun(page):
        body.get_by_role("button", name=t("reporting.review.return"), exact=True).click()
    expect(body.get_by_text(t("reporting.review.returned"), exact=True)).to_be_visible()
    _sign_out(page)

    sign_in(page, "veracruz", PASSWORDS["veracruz"])
    open_page(page, t("nav.periodic_reports"))
    expect(main(page).get_by_text(COMMENT).first).to_be_visible()
    _report_milestone(page, "60", None)
    _sign_out(page)

    sign_in(page, "grupo", PASSWORDS["grupo"])
    open_page(page, t("nav.periodic_reports"))
    body = _review(page)
    with rerun(page):
        body.get_by_role("button", name=t("reporting.review.approve"), exact=True).click()
    expect(body.get_by_text(t("reporting.review.approved"), exact=True)).to_be_visible()
    _sign_out(page)

    open_page(page, t("nav.overview"))
    expect(
        main(page).get_by_text(re.compile(re.escape(t("reporting.approved_on_states", date="X")[:30])))
    ).to_be_visible()
    after = _veracruz_row(page)
    assert after != before, "the approved figure reached the public overview"
    screenshot(page, "reporting-public")
