"""Accessibility in a real browser: axe-core finds nothing serious or critical on any page a role can open, and the
sign-in, the language switch and the navigation work with the keyboard alone.

The public tour and two staff pages also save the README's screenshots (docs/screenshots/), taken here, before the
journeys add their test data to the database.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from accompaniment.access import Actor
from accompaniment.domain.enums import Role
from accompaniment.ui.navigation import menu_pages_for
from tests.e2e.support import (
    PASSWORDS,
    ROOT,
    axe_violations,
    describe,
    main,
    nav_links,
    open_app,
    open_page,
    rerun,
    screenshot,
    sidebar,
    sign_in,
    t,
)

ACCOUNTS = {
    Role.PUBLIC: None,
    Role.SPECIALIST: "especialista",
    Role.SECRETARIAT: "oaxaca",
    Role.WORKING_GROUP: "grupo",
    Role.ADMIN: "admin",
}
# Which role's view of a page is the README's screenshot (file name = the page file's name).
SCREENSHOT_BY = {Role.PUBLIC: {"overview", "secretariat", "commitments", "agenda2030", "training", "reports"},
                 Role.SPECIALIST: {"logbook"}, Role.ADMIN: {"admin"}}  # fmt: skip


def expected_pages(role: Role) -> list[tuple[str, str]]:
    """(title, page file stem) of each page the role's navigation offers, from the app's own page list."""
    return [
        (t(spec.title_key), spec.path.removeprefix("pages/").removesuffix(".py"))
        for spec in menu_pages_for(Actor(role))
        if (ROOT / spec.path).is_file()
    ]


@pytest.mark.parametrize("role", list(ACCOUNTS), ids=[r.value for r in ACCOUNTS])
def test_every_page_of_each_role_has_no_serious_axe_violation(page: Page, app_url: str, role: Role) -> None:
    open_app(page, app_url)
    username = ACCOUNTS[role]
    if username:
        sign_in(page, username, PASSWORDS[username])
    pages = expected_pages(role)
    links = nav_links(page)  # "Pendientes (3)": the pending page's link carries its count (issue 14)
    assert [re.sub(r" \(\d+\)$", "", link) for link in links] == [title for title, _ in pages]
    if role == Role.PUBLIC:
        assert len(pages) == 6

    problems = []
    for link, (title, stem) in zip(links, pages, strict=True):
        open_page(page, link)
        expect(main(page).get_by_role("heading", level=1).first).to_be_visible()
        if stem in SCREENSHOT_BY.get(role, ()):
            screenshot(page, stem)
        found = axe_violations(page)
        if found:
            problems.append(f"{title}:\n{describe(found)}")
    assert not problems, f"axe: serious or critical violations for {role.value}:\n" + "\n".join(problems)


# ---- the keyboard alone ----------------------------------------------------------------------------------------

_FOCUSED = """() => {
  const e = document.activeElement;
  if (!e) return {};
  return {tag: e.tagName.toLowerCase(), type: e.getAttribute('type') || '', label: e.getAttribute('aria-label') || '',
          text: (e.innerText || '').trim(), checked: !!e.checked, value: e.value || ''};
}"""


def focused(page: Page) -> dict:
    return page.evaluate(_FOCUSED)


def tab_to(page: Page, wanted, *, backwards: bool = False, limit: int = 60) -> dict:  # noqa: ANN001
    """Press Tab (or Shift+Tab) until the focused element satisfies ``wanted``; fail after ``limit`` presses."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        now = focused(page)
        if wanted(now):
            return now
    raise AssertionError(f"{key} never reached the element wanted; last focused: {focused(page)}")


def test_sign_in_switch_language_and_navigate_with_the_keyboard_only(page: Page, app_url: str) -> None:
    """Only key presses after the page opens: Tab to the sign-in form, type, Enter; arrow keys on the language
    radio; Tab to a page link and Enter."""
    open_app(page, app_url)
    page.locator("body").focus()

    tab_to(page, lambda f: f.get("tag") == "input" and f.get("label") == t("auth.username"))
    page.keyboard.type("grupo")
    tab_to(page, lambda f: f.get("tag") == "input" and f.get("label") == t("auth.password"), limit=3)
    page.keyboard.type(PASSWORDS["grupo"])
    with rerun(page):
        page.keyboard.press("Enter")
    expect(sidebar(page).get_by_text(t("auth.sign_out"), exact=True)).to_be_visible()
    expect(sidebar(page)).to_contain_text(t("auth.signed_in_as", name="Grupo de Trabajo del Proyecto (demo)"))

    radio = tab_to(page, lambda f: f.get("type") == "radio", backwards=True)
    assert radio["checked"], "Tab lands on the chosen language"
    with rerun(page):
        page.keyboard.press("ArrowRight")
    expect(sidebar(page).get_by_text(t("nav.language", "en"), exact=True)).to_be_visible()
    expect(main(page).get_by_role("heading", level=1)).to_have_text(t("overview.title", "en"))

    reports = t("nav.reports", "en")
    tab_to(page, lambda f: f.get("tag") == "a" and f.get("text", "").endswith(reports), backwards=True)
    with rerun(page):
        page.keyboard.press("Enter")
    expect(main(page).get_by_role("heading", level=1)).to_have_text(t("io.page.title", "en"))
    expect(main(page).get_by_role("button", name=t("io.page.download_package", "en"))).to_be_visible()
