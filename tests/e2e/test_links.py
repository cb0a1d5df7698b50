"""Issue 13 in a real browser: a deep link opened cold shows the state it names; a change of state is written to the
URL, a reload shows the same view, the browser's back button returns to the previous one, and the link the page offers
to copy opens the same view for a visitor who is not signed in. The open-data package is fetched over HTTP from the
running app's static files, validated, and seen to change after a public write (a milestone's progress).
"""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path

from frictionless import validate
from playwright.sync_api import Browser, Page, expect

from tests.e2e.support import choose, main, open_app, open_page, rerun, t, wait_for_app
from tests.e2e.test_forms import _milestone_form, _pick_milestone, _specialist_on_logbook

PACKAGE = "app/static/open-data"
PRIVATE_FIELDS = {
    "summary",
    "notes",
    "person_name",
    "person_email",
    "person_phone",
    "password_hash",
    "username",
}


def test_a_state_link_opens_cold_survives_a_reload_and_back_returns_to_the_previous_state(
    page: Page, app_url: str, browser: Browser
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

    main(page).get_by_role("button", name=t("links.copy")).click()
    copied = page.get_by_test_id("stCode").filter(has_text="estado=").first.inner_text().strip()
    assert copied.endswith("/secretariat?estado=20"), (
        copied
    )  # at app_base_url, which this test server does not set
    signed_out = browser.new_context(locale="es-MX")
    try:
        visitor = signed_out.new_page()
        visitor.goto(f"{app_url}/{copied.split('/', 3)[3]}", wait_until="domcontentloaded")
        wait_for_app(visitor)
        expect(main(visitor).get_by_label(t("widgets.state"), exact=True)).to_have_value("Oaxaca")
        expect(main(visitor).get_by_test_id("stForm")).to_have_count(0)  # the public view: no update forms
    finally:
        signed_out.close()


def _fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - the test's own app server
        return response.read()


def _download_package(app_url: str, into: Path) -> dict[str, bytes]:
    """The descriptor and every CSV it lists, fetched over HTTP as a harvester would, saved under ``into``."""
    descriptor = _fetch(f"{app_url}/{PACKAGE}/datapackage.json")
    files = {"datapackage.json": descriptor}
    for resource in json.loads(descriptor)["resources"]:
        files[resource["path"]] = _fetch(f"{app_url}/{PACKAGE}/{resource['path']}")
    for relative, content in files.items():
        (into / relative).parent.mkdir(parents=True, exist_ok=True)
        (into / relative).write_bytes(content)
    return files


def test_the_open_data_package_is_served_valid_public_and_refreshed_after_a_public_write(
    page: Page, app_url: str, tmp_path: Path
) -> None:
    open_app(page, app_url)
    before = _download_package(app_url, tmp_path / "before")
    report = validate(str(tmp_path / "before" / "datapackage.json"))
    assert report.valid, [(task.name, e.message) for task in report.tasks for e in task.errors][:5]
    fields = {
        f["name"] for r in json.loads(before["datapackage.json"])["resources"] for f in r["schema"]["fields"]
    }
    assert not fields & PRIVATE_FIELDS

    _specialist_on_logbook(page, app_url)
    open_page(page, t("nav.commitments"))
    picker = _pick_milestone(page, "Sinaloa", 2)  # not started in the demo (test_forms adds 15)
    progress = int(re.search(r"(\d+) %$", picker.input_value()).group(1))
    form = _milestone_form(page)
    assert progress <= 90, "the demo's milestone is meant to have room to move up"
    form.get_by_label(t("fields.progress"), exact=True).fill(str(progress + 5))
    form.get_by_label(t("fields.note"), exact=True).fill("Avance de la prueba e2e de los datos abiertos")
    with rerun(page):
        form.get_by_role("button", name=t("milestone_form.save"), exact=True).click()
    # The save's own rerun read the new data version and republished before drawing the page.

    after = _download_package(app_url, tmp_path / "after")
    assert after["data/milestone.csv"] != before["data/milestone.csv"]
    assert validate(str(tmp_path / "after" / "datapackage.json")).valid
