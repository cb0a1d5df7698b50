"""Helpers the browser tests share: waiting for Streamlit, finding things by the catalogue's texts, reading data
grids, the axe-core scan and screenshots.

Streamlit draws the page over a websocket after the script runs, so every interaction is followed by a wait: for
the script run it started (``rerun``), for the run to finish, and for lazily loaded elements (charts, grids) to
replace their skeletons. Locators use the texts of ``accompaniment/i18n/locales``, through ``t``.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from accompaniment import i18n

ROOT = Path(__file__).resolve().parents[2]
# Where the pictures go: a scratch folder by default, so a test run rewrites no tracked file; `make screenshots`
# points this at docs/screenshots to refresh the README's pictures.
SCREENSHOTS = Path(
    os.environ.get("ACCOMPANIMENT_SCREENSHOTS_DIR")
    or Path(tempfile.gettempdir()) / "accompaniment-screenshots"
)
VIEWPORT = {"width": 1400, "height": 1000}
SCREENSHOT_MAX_HEIGHT = 7000  # px: a longer page is cut there (the README shows the top of it)

PASSWORDS = {
    "especialista": "especialista-e2e-2026",
    "grupo": "grupo-trabajo-e2e-2026",
    "oaxaca": "oaxaca-secretariado-2026",
    "tlaxcala": "tlaxcala-secretariado-26",
    "admin": "administracion-e2e-2026",
    "bloqueo": "bloqueo-secretariado-2026",  # only the lockout journey signs in (and fails) with it
    "sesiones": "sesiones-especialista-2026",  # only the session journeys (test_session.py) sign in with it
    "veracruz": "veracruz-secretariado-2026",  # only the reporting-cycle journey (issue 12) signs in with it
}

# Counts the script runs the page has started, so a wait can tell a finished rerun from one not yet begun
# (right after a click, the app still says "notRunning" until the server answers).
RUN_COUNTER_SCRIPT = """
window.__stRuns = 0;
new MutationObserver((mutations) => {
  for (const m of mutations) {
    if (m.target.getAttribute('data-test-script-state') === 'running' && m.oldValue !== 'running') {
      window.__stRuns += 1;
    }
  }
}).observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                      attributeFilter: ['data-test-script-state']});
"""

_FINISHED = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  return app !== null && app.getAttribute('data-test-script-state') === 'notRunning'
    && document.querySelectorAll("[data-testid='stSkeleton'], [data-stale='true']").length === 0;
}"""


def t(key: str, lang: str = "es", **params: object) -> str:
    """The app's own text for ``key`` (what the person sees)."""
    return i18n.t(key, lang, **params)


# ---- waiting ----------------------------------------------------------------------------------------------------


def runs(page: Page) -> int:
    return int(page.evaluate("() => window.__stRuns || 0"))


def wait_for_app(page: Page, runs_before: int | None = None) -> None:
    """Wait until Streamlit has finished the current script run and drawn its lazy elements.

    With ``runs_before`` (from ``runs``), first wait (briefly) for a new run to start, so a click's rerun is not
    mistaken for the quiet page before it.
    """
    page.wait_for_selector("[data-testid='stApp']", state="attached", timeout=60_000)
    if runs_before is not None:
        try:
            page.wait_for_function("(n) => (window.__stRuns || 0) > n", arg=runs_before, timeout=10_000)
        except PlaywrightTimeout:
            pass  # a run so short it left no trace, or none was needed: the checks below still hold
    page.wait_for_function(_FINISHED, timeout=90_000)
    page.wait_for_timeout(250)
    page.wait_for_function(_FINISHED, timeout=90_000)  # a chart's skeleton can appear just after the run


@contextmanager
def rerun(page: Page) -> Iterator[None]:
    """``with rerun(page): button.click()`` — the action, then the script run it causes."""
    before = runs(page)
    yield
    wait_for_app(page, before)


# ---- finding things ---------------------------------------------------------------------------------------------


def sidebar(page: Page) -> Locator:
    return page.get_by_test_id("stSidebar")


def main(page: Page) -> Locator:
    return page.get_by_test_id("stMain")


def open_app(page: Page, base_url: str) -> None:
    """Open the root URL (a fresh server must run app.py before any page file) and wait for the first run."""
    page.goto(f"{base_url}/", wait_until="domcontentloaded", timeout=90_000)
    wait_for_app(page)


def nav_links(page: Page) -> list[str]:
    """The page titles in the sidebar navigation, in order."""
    links = sidebar(page).get_by_test_id("stSidebarNavLink")
    return [text.split("\n")[-1].strip() for text in links.all_inner_texts()]


def open_page(page: Page, title: str) -> None:
    """Open a page with its sidebar link and wait for it."""
    link = sidebar(page).get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True)
    with rerun(page):
        link.click()


def switch_language(page: Page, name: str) -> None:
    """Choose a language ("English", "Español") with the sidebar's radio."""
    option = sidebar(page).get_by_test_id("stRadioOption").filter(has_text=name)
    with rerun(page):
        option.click()


def sign_in(page: Page, username: str, password: str, lang: str = "es") -> None:
    """Fill and send the sidebar's sign-in form."""
    box = sidebar(page)
    box.get_by_label(t("auth.username", lang), exact=True).fill(username)
    box.get_by_label(t("auth.password", lang), exact=True).fill(password)
    with rerun(page):
        box.get_by_role("button", name=t("auth.submit", lang), exact=True).click()


def choose(page: Page, scope: Locator, label: str, option: str, *, in_form: bool = False) -> None:
    """Pick ``option`` in the select box labelled ``label`` (inside a form nothing reruns until it is sent)."""
    box = scope.get_by_label(label, exact=True)
    listed = page.get_by_role("option", name=option, exact=True)
    box.click()
    try:
        listed.wait_for(state="visible", timeout=10_000)
    except PlaywrightTimeout:  # the click landed while the page was redrawing: open the list again
        box.click()
    if in_form:
        listed.click()
        return
    with rerun(page):
        listed.click()


def open_tab(page: Page, scope: Locator, name: str) -> Locator:
    """Click a tab (some rerun the script, most do not) and return its panel."""
    before = runs(page)
    scope.get_by_role("tab", name=name, exact=True).click()
    wait_for_app(page)
    if runs(page) > before:
        wait_for_app(page, before)
    return scope.get_by_role("tabpanel", name=name)


_VISIBLE_ROWS = """(grid) => Array.from(grid.querySelectorAll("table[role='grid'] tbody tr")).map((tr) => [
  Number(tr.getAttribute('aria-rowindex')),
  Array.from(tr.querySelectorAll('td')).map((td) => [Number(td.getAttribute('aria-colindex')), td.textContent]),
])"""


def grid_rows(grid: Locator) -> list[list[str]]:
    """Every row of a Streamlit data grid (``st.dataframe``), as cell texts. The grid draws on a canvas and keeps
    only the rows in view in its accessible table, so it is scrolled from top to bottom, reading on the way."""
    grid.wait_for(state="visible")
    grid.page.wait_for_timeout(300)
    grid.locator("table[role='grid']").evaluate(
        "(t) => new Promise((done) => { let tries = 600; const ready = () => t.getAttribute('aria-rowcount')"
        " === '1' || t.querySelector('tbody tr') !== null; const poll = () => (ready() || --tries < 0) ? done()"
        " : setTimeout(poll, 100); poll(); })"
    )  # the rows in view reach the accessible table a moment after a grid is shown (waits up to a minute)
    scroller = grid.locator(".dvn-scroller").first
    rows: dict[int, dict[int, str]] = {}
    position = 0
    while True:
        for index, cells in grid.evaluate(_VISIBLE_ROWS):
            rows.setdefault(index, {}).update({column: text for column, text in cells})
        height, view = scroller.evaluate("(e) => [e.scrollHeight, e.clientHeight]")
        if position + view >= height:
            break
        position += max(view - 40, 40)
        scroller.evaluate("(e, y) => { e.scrollTop = y; }", position)
        grid.page.wait_for_timeout(300)
    return [[cells[c] for c in sorted(cells)] for _, cells in sorted(rows.items())]


def grid_texts(grid: Locator) -> list[str]:
    """The cell texts of a data grid, row after row (see ``grid_rows``)."""
    return [text for row in grid_rows(grid) for text in row]


def all_grid_texts(page: Page, panel: Locator) -> list[str]:
    """The cell texts of the first data grid in ``panel`` over all its pages (``st.pagination`` under it)."""
    texts = grid_texts(panel.get_by_test_id("stDataFrame").first)
    pager = panel.get_by_test_id("stPagination")
    if pager.count() == 0:
        return texts
    for number in range(2, pager.first.get_by_test_id("stPaginationPage").count() + 2):
        button = pager.first.get_by_role("button", name=f"Page {number}", exact=True)
        if button.count() == 0:
            break
        with rerun(page):
            button.click()
        texts += grid_texts(panel.get_by_test_id("stDataFrame").first)
    return texts


# ---- screenshots ------------------------------------------------------------------------------------------------


def screenshot(page: Page, name: str) -> Path:
    """A full-page PNG, 1400 px wide, in docs/screenshots/NAME.png, reduced to a 256-colour palette.

    Streamlit scrolls its main area inside a fixed-height box, so a "full page" screenshot would only show the
    window: the viewport is stretched to the content's height for the shot, then restored.
    """
    from PIL import Image

    height = page.evaluate(
        """() => Math.max(...["stMain", "stSidebarContent"].map((id) => {
             const el = document.querySelector(`[data-testid='${id}']`);
             return el ? el.scrollHeight : 0; }))"""
    )
    page.set_viewport_size(
        {"width": VIEWPORT["width"], "height": min(max(height, 600), SCREENSHOT_MAX_HEIGHT)}
    )
    try:
        page.wait_for_timeout(800)  # charts re-measure their width
        wait_for_app(page)
        shot = page.screenshot(full_page=True, animations="disabled", caret="hide")
    finally:
        page.set_viewport_size(VIEWPORT)
    image = Image.open(io.BytesIO(shot)).convert("RGB")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        path, optimize=True
    )
    return path


# ---- accessibility ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AxeExclusion:
    """A violation axe reports inside markup Streamlit draws, which the app cannot change."""

    rule: str
    within: str  # CSS selector: nodes inside (or equal to) this element are not counted for ``rule``
    why: str


AXE_EXCLUSIONS = (
    AxeExclusion(
        "list",
        "[data-testid='stSidebarNavItems']",
        "Streamlit's sidebar navigation with sections (st.navigation given a dict) puts each section's header and "
        "links in a <div> directly inside the <ul>; the app only supplies the page titles.",
    ),
    AxeExclusion(
        "listitem",
        "[data-testid='stSidebarNavItems']",
        "the same Streamlit markup: each <li> of a section sits inside that <div>, not directly in the <ul>.",
    ),
    AxeExclusion(
        "color-contrast",
        "label[data-testid='stWidgetLabel'][disabled]",
        "Streamlit greys out the label of a disabled widget (e.g. the admin's own role on Administración). WCAG "
        "1.4.3 exempts inactive components, but axe cannot tell: the label's 'disabled' is not an HTML state.",
    ),
)

_AXE_RUN = """async (exclusions) => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  const excluded = (rule, node) => exclusions.some(([id, within]) => {
    if (id !== rule || node.target.length !== 1) return false;
    const element = document.querySelector(node.target[0]);
    return element !== null && element.closest(within) !== null;
  });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.filter((n) => !excluded(v.id, n)).map((n) => ({target: n.target, html: n.html.slice(0, 300)})),
  })).filter((v) => v.nodes.length > 0);
}"""


def axe_violations(page: Page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict]:
    """axe-core's violations of the given impacts on the page as it is now, less ``AXE_EXCLUSIONS``."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)  # bundled with axe-playwright-python: no network
    found = page.evaluate(_AXE_RUN, [[e.rule, e.within] for e in AXE_EXCLUSIONS])
    return [v for v in found if v["impact"] in impacts]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"  {v['id']} ({v['impact']}): {v['help']}")
        lines += [f"    {' > '.join(n['target'])}: {n['html']}" for n in v["nodes"][:5]]
    return "\n".join(lines)


# ---- files the page hands over -------------------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def download(page: Page, button: Locator) -> tuple[str, bytes]:
    """Click a download button and wait for the file: its suggested name and its bytes."""
    with page.expect_download(timeout=180_000) as started:
        button.click()
    got = started.value
    assert got.failure() is None
    return got.suggested_filename, got.path().read_bytes()
