"""What each kind of user does, in a real browser against the running app (see conftest.py).

Every journey starts at the root URL and moves with the sidebar links, as a person would; every text it looks for
comes from the catalogues (``t``).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from accompaniment import i18n
from tests.e2e.conftest import LOCKOUT_USER, RunningApp
from tests.e2e.support import (
    PASSWORDS,
    all_grid_texts,
    choose,
    download,
    grid_rows,
    grid_texts,
    main,
    nav_links,
    open_app,
    open_page,
    open_tab,
    pdf_text,
    rerun,
    sidebar,
    sign_in,
    switch_language,
    t,
)

AGREEMENTS = (
    "Publicar la minuta de la mesa de trabajo en el micrositio (prueba e2e)",
    "Convocar a la dependencia responsable a la siguiente mesa (prueba e2e)",
)


def label(enum: str, value: str, lang: str = "es") -> str:
    return t(f"enum.{enum}.{value}", lang)


# ---- (a) the public --------------------------------------------------------------------------------------------


def test_public_sees_the_map_opens_oaxaca_switches_to_english_and_downloads_open_data(
    page: Page, running_app: RunningApp
) -> None:
    open_app(page, running_app.url)
    body = main(page)
    expect(body.get_by_role("heading", level=1)).to_have_text(t("overview.title"))

    tile_map = body.get_by_label(t("overview.map.description"), exact=True)
    expect(tile_map).to_be_visible()
    expect(tile_map.locator("svg").first).to_be_visible()

    assert len(running_app.programme_states) == 15
    table = body.get_by_test_id("stTable")
    expect(table.locator("tbody tr")).to_have_count(15)
    named = [row.locator("th, td").first.inner_text().strip() for row in table.locator("tbody tr").all()]
    assert sorted(named) == sorted(running_app.programme_states)

    open_page(page, t("nav.secretariat"))
    choose(page, body, t("widgets.state"), "Oaxaca")
    expect(body.get_by_label(t("widgets.state"), exact=True)).to_have_value("Oaxaca")
    expect(body.get_by_role("tab", name=t("secretariat.tab.commitments"), exact=True)).to_be_visible()

    switch_language(page, "English")
    expect(body.get_by_role("heading", level=1)).to_have_text(t("secretariat.title", "en"))
    expect(body.get_by_label(t("widgets.state", "en"), exact=True)).to_have_value("Oaxaca")
    assert nav_links(page)[0] == t("nav.overview", "en")

    open_page(page, t("nav.reports", "en"))
    expect(body.get_by_role("heading", level=1)).to_have_text(t("io.page.title", "en"))
    name, content = download(page, body.get_by_role("button", name=t("io.page.download_package", "en")))
    if zipfile.is_zipfile(io.BytesIO(content)):
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            names = package.namelist()
            descriptor = next(n for n in names if n.rsplit("/", 1)[-1] == "datapackage.json")
            resources = json.loads(package.read(descriptor))["resources"]
    else:
        resources = json.loads(content)["resources"]
    assert name.endswith((".zip", ".json"))
    assert resources, "the data package lists its tables"


def test_working_group_downloads_oaxacas_report_the_national_summary_and_a_table_as_csv(
    page: Page, app_url: str
) -> None:
    open_app(page, app_url)
    sign_in(page, "grupo", PASSWORDS["grupo"])
    open_page(page, t("nav.reports"))
    body = main(page)
    choose(page, body, t("io.page.report_state"), "Oaxaca")

    name, content = download(page, body.get_by_role("button", name=t("io.page.report_download"), exact=True))
    assert name.startswith("reporte_stl_20_") and name.endswith(".pdf")
    text = pdf_text(content)
    assert "Oaxaca" in text and "Tlaxcala" not in text

    name, content = download(
        page, body.get_by_role("button", name=t("io.page.national_download"), exact=True)
    )
    assert name.startswith("resumen_nacional_")
    text = pdf_text(content)
    assert "Oaxaca" in text and "Tlaxcala" in text

    name, content = download(page, body.get_by_role("button", name=t("io.page.download_csv"), exact=True))
    assert name.endswith(".csv")
    header = content.decode("utf-8-sig").splitlines()[0]
    assert "," in header or ";" in header


# ---- (b) the specialist ----------------------------------------------------------------------------------------


def add_agreement(page: Page, form: Locator, text: str) -> None:
    """A new row in the session's agreements grid (a canvas): the toolbar's add-row button (pressed with the
    keyboard: the toolbar only shows while the grid is hovered or focused), then Enter on the new row's first cell
    opens its text editor."""
    grid = form.get_by_test_id("stDataFrame")
    form.get_by_role("button", name=f"Add row: {t('logbook.agreements.alt')}", exact=True).focus()
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    grid.get_by_test_id("data-grid-canvas").focus()
    page.keyboard.press("Enter")
    editor = page.locator("textarea.gdg-input")
    editor.wait_for(state="visible")
    editor.fill(text)
    editor.press("Enter")
    editor.wait_for(state="detached")
    page.wait_for_timeout(300)


def test_specialist_logs_a_session_in_tlaxcala_and_finds_it_on_the_profile_and_in_the_follow_up(
    page: Page, app_url: str
) -> None:
    open_app(page, app_url)
    sign_in(page, "especialista", PASSWORDS["especialista"])
    open_page(page, t("nav.logbook"))
    body = main(page)
    form = body.get_by_test_id("stForm")
    expect(form.get_by_role("button", name=t("logbook.save.session"))).to_be_visible()

    choose(page, form, t("fields.state_code"), "Tlaxcala", in_form=True)
    choose(page, form, t("fields.session_type"), label("SessionType", "working_table"), in_form=True)
    counts = {("civil_society", "women"): 7, ("government", "men"): 4}
    for (sector, gender), count in counts.items():
        cell = t("logbook.form.cell", sector=label("Sector", sector), gender=label("Gender", gender))
        form.get_by_label(cell, exact=True).fill(str(count))
    form.get_by_label(t("fields.topics"), exact=True).fill("Revisión del avance del plan de acción local")
    form.get_by_label(t("fields.public_summary"), exact=True).fill(
        "Mesa de trabajo registrada por la prueba e2e."
    )
    for text in AGREEMENTS:
        add_agreement(page, form, text)
    assert [c for c in grid_texts(form.get_by_test_id("stDataFrame")) if c] == list(AGREEMENTS)

    save = form.get_by_role("button", name=t("logbook.save.session"), exact=True)
    with rerun(page):
        save.click()
    duplicate = body.get_by_label(t("logbook.duplicate.confirm"), exact=True)
    if duplicate.count():  # the demo already has a Tlaxcala working table today: confirm it is another one
        duplicate.check()
        with rerun(page):
            save.click()
    saved = t("logbook.saved.session", state="Tlaxcala", date=i18n.format_date(date.today()), agreements=2)
    expect(body.get_by_text(saved, exact=True)).to_be_visible()

    open_page(page, t("nav.secretariat"))
    choose(page, body, t("widgets.state"), "Tlaxcala")
    panel = open_tab(page, body, t("secretariat.tab.agreements"))
    found = all_grid_texts(page, panel)
    for text in AGREEMENTS:
        assert text in found, f"{text!r} is not among Tlaxcala's agreements"

    panel = open_tab(page, body, t("secretariat.tab.activity"))
    panel.get_by_text(t("widgets.numbers"), exact=True).first.click()
    row = [i18n.format_date(date.today()), t("activity_kind.session"), label("SessionType", "working_table"),
           label("Modality", "in_person"), str(sum(counts.values()))]  # fmt: skip
    sessions = grid_rows(panel.get_by_test_id("stDataFrame").first)
    assert row in sessions, f"no row {row} among Tlaxcala's sessions and workshops: {sessions}"

    open_page(page, t("nav.logbook"))
    panel = open_tab(page, body, t("logbook.tab.agreements"))
    choose(page, panel, t("followup.state"), "Tlaxcala")
    found = all_grid_texts(page, panel)
    for text in AGREEMENTS:
        assert text in found, f"{text!r} is not in the agreements follow-up"


def test_specialist_imports_sessions_from_the_page_after_a_dry_run_that_refuses_a_bad_date(
    page: Page, app_url: str, tmp_path: Path
) -> None:
    """The import of issue 6 from the Reportes page: upload, check, see the problem, fix, check again, import."""
    topic = "Sesión importada desde una hoja de cálculo (prueba e2e)"
    header = ",".join([t("fields.state_code"), "Fecha", t("fields.session_type"), "Temas de la agenda"])
    bad = tmp_path / "sesiones.csv"
    bad.write_text(f"{header}\r\nTlaxcala,31/02/2026,Mesa de trabajo,{topic}\r\n", encoding="utf-8")
    fixed = tmp_path / "sesiones_corregidas.csv"
    fixed.write_text(bad.read_text(encoding="utf-8").replace("31/02/2026", "27/02/2026"), encoding="utf-8")

    open_app(page, app_url)
    sign_in(page, "especialista", PASSWORDS["especialista"])
    open_page(page, t("nav.reports"))
    body = main(page)
    upload = body.get_by_test_id("stFileUploaderDropzoneInput")
    check = body.get_by_role("button", name=t("io.page.import_check"), exact=True)

    with rerun(page):
        upload.set_input_files(str(bad))
    with rerun(page):
        check.click()
    expect(body.get_by_text(t("io.page.import_problems", count=1), exact=True)).to_be_visible()
    expect(body.get_by_role("button", name=t("roundtrip.page.commit", summary=summary(1, 0)))).to_have_count(
        0
    )

    with rerun(page):
        upload.set_input_files(str(fixed))
    with rerun(page):
        check.click()
    expect(body.get_by_text(t("roundtrip.page.ok", summary=summary(1, 0)), exact=True)).to_be_visible()
    with rerun(page):
        body.get_by_role("button", name=t("roundtrip.page.commit", summary=summary(1, 0)), exact=True).click()
    expect(body.get_by_text(t("roundtrip.page.done", summary=summary(1, 0)), exact=True)).to_be_visible()

    with rerun(page):
        check.click()  # the same file again: nothing new, nothing duplicated
    expect(body.get_by_text(t("roundtrip.page.ok", summary=summary(0, 1)), exact=True)).to_be_visible()


def summary(new: int, unchanged: int) -> str:
    """The import's 'n nuevas, m actualizadas, k sin cambios' (issue 20)."""
    return t("roundtrip.summary", new=new, updated=0, unchanged=unchanged)


# ---- (c) a secretariat -----------------------------------------------------------------------------------------


def test_oaxaca_updates_a_milestone_with_evidence_and_cannot_edit_another_state(
    page: Page, app_url: str
) -> None:
    open_app(page, app_url)
    sign_in(page, "oaxaca", PASSWORDS["oaxaca"])
    body = main(page)
    expect(body.get_by_role("heading", level=1)).to_have_text(t("secretariat.title"))
    expect(body.get_by_label(t("widgets.state"), exact=True)).to_have_value("Oaxaca")
    current = sidebar(page).locator("[data-testid='stSidebarNavLink'][aria-current='page']")
    expect(current).to_contain_text(t("nav.secretariat"))
    links = nav_links(page)
    assert t("nav.logbook") not in links and t("nav.admin") not in links

    panel = open_tab(page, body, t("secretariat.tab.commitments"))
    expect(panel.get_by_text(t("milestone_form.heading"), exact=True)).to_be_visible()
    picked = panel.get_by_label(t("milestone_form.pick"), exact=True).input_value()
    number = int(re.match(r"\D*(\d+)", picked).group(1))
    form = panel.get_by_test_id("stForm")
    choose(page, form, t("fields.status"), label("MilestoneStatus", "complete"), in_form=True)
    evidence = "https://gobiernoabierto.oaxaca.example/minutas/mesa-e2e"
    note = "Minuta firmada por el Secretariado (prueba e2e)"
    form.get_by_label(t("fields.evidence_url"), exact=True).fill(evidence)
    form.get_by_label(t("fields.evidence_note"), exact=True).fill(note)
    form.get_by_label(t("fields.note"), exact=True).fill("Hito cumplido según la minuta")
    with rerun(page):
        form.get_by_role("button", name=t("milestone_form.save"), exact=True).click()
    expect(panel.get_by_text(t("milestone_form.saved", number=number), exact=True)).to_be_visible()

    history = grid_texts(panel.get_by_test_id("stDataFrame").last)  # the milestone's timeline, under the form
    for text in ("oaxaca", "100 %", label("MilestoneStatus", "complete"), note):
        assert text in history, f"{text!r} is not on the milestone's timeline"

    # Another state's profile: readable, with no editing.
    choose(page, body, t("widgets.state"), "Tlaxcala")
    panel = open_tab(page, body, t("secretariat.tab.commitments"))
    expect(panel.get_by_text(t("commitment.milestones"), exact=True)).to_be_visible()
    expect(panel.get_by_text(t("milestone_form.heading"), exact=True)).to_have_count(0)
    expect(panel.get_by_test_id("stForm")).to_have_count(0)
    panel = open_tab(page, body, t("secretariat.tab.phases"))
    expect(panel.get_by_text(t("phase_form.heading"), exact=True)).to_have_count(0)
    assert t("nav.logbook") not in nav_links(page)


# ---- (d) wrong passwords ---------------------------------------------------------------------------------------


def test_wrong_passwords_show_the_message_and_five_lock_the_account(page: Page, app_url: str) -> None:
    open_app(page, app_url)
    box = sidebar(page)
    for attempt in range(1, 6):
        sign_in(page, LOCKOUT_USER, f"contraseña-equivocada-{attempt}")
        expect(box.get_by_text(t("auth.sign_in_failed"), exact=True)).to_be_visible()
    # Locked: even the right password is refused with the same words (nothing tells a real account from an
    # unknown one), and nobody is signed in.
    sign_in(page, LOCKOUT_USER, PASSWORDS[LOCKOUT_USER])
    expect(box.get_by_text(t("auth.sign_in_failed"), exact=True)).to_be_visible()
    expect(box.get_by_role("button", name=t("auth.submit"), exact=True)).to_be_visible()
    expect(box.get_by_role("button", name=t("auth.sign_out"))).to_have_count(0)


# ---- (e) the administrator ---------------------------------------------------------------------------------------


def test_admin_makes_a_backup_on_the_page_restores_it_and_the_record_is_whole(
    page: Page, app_url: str, running_app: RunningApp, tmp_path: Path
) -> None:
    """Last of the journeys: the restore puts back exactly what the backup took, so what follows is unchanged."""
    open_app(page, app_url)
    sign_in(page, "admin", PASSWORDS["admin"])
    open_page(page, t("nav.admin"))
    body = main(page)
    panel = open_tab(page, body, t("admin.tab.backups"))

    name, content = download(page, panel.get_by_role("button", name=t("io.backup.create"), exact=True))
    assert name.endswith(".zip") and zipfile.is_zipfile(io.BytesIO(content))
    copy = tmp_path / name
    copy.write_bytes(content)

    with rerun(page):
        panel.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(copy))
    restore = panel.get_by_role("button", name=t("io.backup.restore_button"), exact=True)
    expect(restore).to_be_disabled()  # not before the confirmation
    with rerun(page):
        panel.get_by_text(t("io.backup.restore_confirm"), exact=True).click()
    with rerun(page):
        restore.click()
    restored = t("io.backup.restored", rows=0, tables=0, revision="0").split("0")[0]
    expect(body).to_contain_text(restored)

    open_page(page, t("nav.overview"))
    table = body.get_by_test_id("stTable")
    expect(table.locator("tbody tr")).to_have_count(len(running_app.programme_states))
