"""A signed-in session in a real browser (issue 21, items 3 and 6): it survives a reload and a typed URL within the
idle timeout, thanks to a cookie holding a random token the server checks; signing out ends it, and a staff page
opened by URL while signed out says, in Spanish, that it needs signing in, instead of Streamlit's "Page not found".

Each journey opens a fresh browser context (no cookie, nobody signed in) and signs in with accounts that the other
journeys do not change: ``sesiones``, a specialist of its own, and ``grupo`` only to read.
"""

from __future__ import annotations

from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import SESSION_USER
from tests.e2e.support import (
    PASSWORDS,
    main,
    nav_links,
    open_app,
    rerun,
    sidebar,
    sign_in,
    t,
    wait_for_app,
)

COOKIE = "accompaniment_session"
SPECIALIST_ROLE = t("auth.role", role=t("enum.Role.specialist"))


def session_cookies(context: BrowserContext) -> list[dict]:
    return [cookie for cookie in context.cookies() if cookie["name"] == COOKIE]


def expect_signed_in(page: Page, role_caption: str) -> None:
    box = sidebar(page)
    expect(box.get_by_role("button", name=t("auth.sign_out"))).to_be_visible()
    expect(box.get_by_text(role_caption, exact=True)).to_be_visible()
    expect(box.get_by_role("button", name=t("auth.submit"), exact=True)).to_have_count(0)


def expect_signed_out(page: Page) -> None:
    box = sidebar(page)
    expect(box.get_by_role("button", name=t("auth.submit"), exact=True)).to_be_visible()
    expect(box.get_by_role("button", name=t("auth.sign_out"))).to_have_count(0)


def go(page: Page, url: str) -> None:
    """Type ``url`` in the address bar: a new page load, and so a new Streamlit session."""
    page.goto(url, wait_until="domcontentloaded", timeout=90_000)
    wait_for_app(page)


def test_a_reload_and_a_typed_url_keep_the_session_and_after_signing_out_a_reload_stays_signed_out(
    page: Page, app_url: str
) -> None:
    open_app(page, app_url)
    sign_in(page, SESSION_USER, PASSWORDS[SESSION_USER])
    expect_signed_in(page, SPECIALIST_ROLE)
    assert t("nav.logbook") in nav_links(page)

    # The cookie: first-party, whole site, never sent by another site's request; its token is not on the page.
    (cookie,) = session_cookies(page.context)
    assert cookie["sameSite"] == "Strict"
    assert cookie["path"] == "/"
    assert len(cookie["value"]) >= 40
    assert cookie["value"] not in page.content()

    page.reload(wait_until="domcontentloaded", timeout=90_000)
    wait_for_app(page)
    expect_signed_in(page, SPECIALIST_ROLE)
    assert t("nav.logbook") in nav_links(page)

    go(page, f"{app_url}/secretariat")
    expect_signed_in(page, SPECIALIST_ROLE)
    expect(main(page).get_by_role("heading", name=t("secretariat.title"), exact=True)).to_be_visible()

    with rerun(page):
        sidebar(page).get_by_role("button", name=t("auth.sign_out")).click()
    expect_signed_out(page)
    assert session_cookies(page.context) == []

    page.reload(wait_until="domcontentloaded", timeout=90_000)
    wait_for_app(page)
    expect_signed_out(page)
    assert t("nav.logbook") not in nav_links(page)


def test_a_stolen_copy_of_a_signed_out_token_opens_nothing(page: Page, app_url: str) -> None:
    """Sign-out revokes the token on the server, not only in this browser: a copy put back is refused."""
    open_app(page, app_url)
    sign_in(page, SESSION_USER, PASSWORDS[SESSION_USER])
    (cookie,) = session_cookies(page.context)
    with rerun(page):
        sidebar(page).get_by_role("button", name=t("auth.sign_out")).click()

    page.context.add_cookies([{key: cookie[key] for key in ("name", "value", "domain", "path", "sameSite")}])
    page.reload(wait_until="domcontentloaded", timeout=90_000)
    wait_for_app(page)
    expect_signed_out(page)
    assert session_cookies(page.context) == []  # the refused cookie is cleared


def test_a_staff_url_opened_signed_out_asks_in_spanish_to_sign_in_and_then_opens_the_page(
    page: Page, app_url: str
) -> None:
    open_app(page, app_url)  # a fresh server runs app.py once before it serves any page by its URL
    go(page, f"{app_url}/logbook")
    body = main(page)
    expect(body.get_by_role("heading", name=t("nav.sign_in_required.title"), exact=True)).to_be_visible()
    expect(body).to_contain_text(t("nav.sign_in_required.body", page=t("nav.logbook")))
    expect(page.get_by_text("Page not found")).to_have_count(0)
    expect_signed_out(page)

    sign_in(page, SESSION_USER, PASSWORDS[SESSION_USER])
    expect_signed_in(page, SPECIALIST_ROLE)
    expect(body.get_by_role("heading", name=t("logbook.title"), exact=True)).to_be_visible()
    expect(body.get_by_role("heading", name=t("nav.sign_in_required.title"), exact=True)).to_have_count(0)


def test_a_signed_in_role_without_the_page_is_told_its_role_cannot_open_it(page: Page, app_url: str) -> None:
    open_app(page, app_url)
    sign_in(page, "grupo", PASSWORDS["grupo"])
    go(page, f"{app_url}/admin")
    role = t("enum.Role.working_group")
    expect_signed_in(page, t("auth.role", role=role))
    body = main(page)
    expect(body.get_by_role("heading", name=t("nav.role_cannot_open.title"), exact=True)).to_be_visible()
    expect(body).to_contain_text(t("nav.role_cannot_open.body", page=t("nav.admin"), role=role))
    expect(page.get_by_text("Page not found")).to_have_count(0)
