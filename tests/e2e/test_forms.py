"""The write forms as a person uses them in a real browser (issue 21, items 1, 2, 4 and 5): a form starts empty
after a save, a picker always names the record its form edits, and every refusal is a message in the person's
language that names the field, never a silently ignored click.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from accompaniment import i18n
from tests.e2e.support import (
    PASSWORDS,
    choose,
    grid_texts,
    main,
    open_app,
    open_page,
    open_tab,
    rerun,
    sign_in,
    t,
)
from tests.e2e.test_journeys import add_agreement, label

FIRST = {
    "topics": "Agenda de Campeche: revisión de la minuta (prueba e2e de formularios)",
    "public_summary": "Resumen público de Campeche (prueba e2e de formularios)",
    "summary": "Nota privada de Campeche que no debe pasar a otra sesión (prueba e2e)",
}
FIRST_AGREEMENTS = (
    "Acuerdo de Campeche uno (prueba e2e de formularios)",
    "Acuerdo de Campeche dos (prueba e2e de formularios)",
)


def _save_session(page: Page, form: Locator) -> None:
    """Press save; confirm a likely duplicate (the demo may hold a session of that state, day and type)."""
    save = form.get_by_role("button", name=t("logbook.save.session"), exact=True)
    with rerun(page):
        save.click()
    duplicate = main(page).get_by_text(t("logbook.duplicate.confirm"), exact=True)
    if duplicate.count():
        duplicate.click()  # inside the form: no rerun until it is sent
        with rerun(page):
            save.click()


def _text_fields(form: Locator) -> dict[str, str]:
    texts = {name: form.get_by_label(t(f"fields.{name}"), exact=True).input_value() for name in FIRST}
    return texts | {
        "organizations": form.get_by_label(t("logbook.form.organizations"), exact=True).input_value()
    }


def _milestone_form(page: Page) -> Locator:
    save = page.get_by_role("button", name=t("milestone_form.save"), exact=True)
    return main(page).get_by_test_id("stForm").filter(has=save)


def _pick_milestone(page: Page, state: str, number: int) -> Locator:
    """On Compromisos: the state's first commitment, and its milestone ``number`` in the update form's picker."""
    body = main(page)
    choose(page, body, t("commitments.filter.state"), state)
    picker = body.get_by_label(t("milestone_form.pick"), exact=True)
    wanted = t("milestone_form.number", number=number) + " · "
    listed = page.get_by_role("option").filter(has_text=wanted).first
    picker.click()
    try:
        listed.wait_for(state="visible", timeout=10_000)
    except PlaywrightTimeout:  # the click landed while the page was redrawing: open the list again
        picker.click()
    with rerun(page):
        listed.click()
    expect(picker).to_have_value(re.compile(f"^{re.escape(wanted)}"))
    return picker


def _specialist_on_logbook(page: Page, app_url: str) -> Locator:
    open_app(page, app_url)
    sign_in(page, "especialista", PASSWORDS["especialista"])
    open_page(page, t("nav.logbook"))
    form = main(page).get_by_test_id("stForm")
    expect(form.get_by_role("button", name=t("logbook.save.session"))).to_be_visible()
    return form


def test_a_second_session_logged_after_the_first_holds_only_what_was_typed_into_it(
    page: Page, app_url: str
) -> None:
    form = _specialist_on_logbook(page, app_url)
    body = main(page)

    choose(page, form, t("fields.state_code"), "Campeche", in_form=True)
    choose(page, form, t("fields.session_type"), label("SessionType", "working_table"), in_form=True)
    cell = t("logbook.form.cell", sector=label("Sector", "civil_society"), gender=label("Gender", "women"))
    form.get_by_label(cell, exact=True).fill("6")
    for name, text in FIRST.items():
        form.get_by_label(t(f"fields.{name}"), exact=True).fill(text)
    form.get_by_label(t("logbook.form.organizations"), exact=True).fill("Colectivo de Campeche (prueba e2e)")
    for text in FIRST_AGREEMENTS:
        add_agreement(page, form, text)
    _save_session(page, form)
    today = i18n.format_date(date.today())
    saved = t("logbook.saved.session", state="Campeche", date=today, agreements=2)
    expect(body.get_by_text(saved, exact=True)).to_be_visible()

    # Every widget starts empty again: texts, counts and the agreements grid.
    assert _text_fields(form) == {"topics": "", "public_summary": "", "summary": "", "organizations": ""}
    expect(form.get_by_label(cell, exact=True)).to_have_value("0")
    assert [c for c in grid_texts(form.get_by_test_id("stDataFrame")) if c] == []

    # The second session: only a state and a type.
    choose(page, form, t("fields.state_code"), "Chihuahua", in_form=True)
    choose(page, form, t("fields.session_type"), label("SessionType", "bilateral"), in_form=True)
    _save_session(page, form)
    saved = t("logbook.saved.session", state="Chihuahua", date=today, agreements=0)
    expect(body.get_by_text(saved, exact=True)).to_be_visible()

    # What was stored for Chihuahua: open it from the recent entries.
    panel = open_tab(page, body, t("logbook.tab.recent"))
    pick = f"{today} · Chihuahua · {label('SessionType', 'bilateral')}"
    choose(page, panel, t("logbook.recent.pick"), pick)
    with rerun(page):
        panel.get_by_role("button", name=t("logbook.recent.open"), exact=True).click()
    panel = open_tab(page, body, t("logbook.tab.entry"))
    form = body.get_by_test_id("stForm")
    expect(form.get_by_label(t("fields.state_code"), exact=True)).to_have_value("Chihuahua")
    assert _text_fields(form) == {"topics": "", "public_summary": "", "summary": "", "organizations": ""}
    expect(form.get_by_text(t("logbook.agreements.existing"), exact=True)).to_have_count(0)
    expect(body.get_by_text(FIRST["summary"])).to_have_count(0)


def test_the_agreement_picker_names_the_agreement_its_forms_edit_after_the_state_filter_changes(
    page: Page, app_url: str
) -> None:
    _specialist_on_logbook(page, app_url)
    body = main(page)
    panel = open_tab(page, body, t("logbook.tab.agreements"))
    picker = panel.get_by_label(t("followup.pick"), exact=True)
    first = picker.input_value()
    for state in ("Campeche", "Durango", "Campeche"):
        if state in first.split(" · ")[:2]:
            continue
        choose(page, panel, t("followup.state"), state)
        shown = picker.input_value()
        assert f"{state} · " in shown, f"the picker still reads {shown!r} after choosing {state}"
        text = panel.get_by_label(t("fields.text"), exact=True).input_value()
        assert shown.split(" · ")[-1].rstrip("…")[:40] == text[:40], (shown, text)
        first = shown


def test_the_milestone_picker_shows_the_progress_just_saved(page: Page, app_url: str) -> None:
    _specialist_on_logbook(page, app_url)
    open_page(page, t("nav.commitments"))
    body = main(page)
    picker = _pick_milestone(page, "Sinaloa", 2)  # not started in the demo
    before = picker.input_value()
    new = int(re.search(r"(\d+) %$", before).group(1)) + 15
    form = _milestone_form(page)
    form.get_by_label(t("fields.progress"), exact=True).fill(str(new))
    form.get_by_label(t("fields.note"), exact=True).fill("Avance registrado por la prueba e2e del selector")
    with rerun(page):
        form.get_by_role("button", name=t("milestone_form.save"), exact=True).click()
    number = int(re.match(r"\D*(\d+)", before).group(1))
    expect(body.get_by_text(t("milestone_form.saved", number=number), exact=True)).to_be_visible()
    expect(picker).to_have_value(re.compile(rf" {new} %$"))
    expect(form.get_by_label(t("fields.progress"), exact=True)).to_have_value(str(new))


def test_out_of_range_numbers_and_overlong_text_are_refused_with_a_message_naming_the_field(
    page: Page, app_url: str
) -> None:
    form = _specialist_on_logbook(page, app_url)
    body = main(page)
    choose(page, form, t("fields.state_code"), "Tabasco", in_form=True)
    choose(page, form, t("fields.session_type"), label("SessionType", "follow_up"), in_form=True)
    cell = t("logbook.form.cell", sector=label("Sector", "government"), gender=label("Gender", "men"))
    form.get_by_label(cell, exact=True).fill("-5")
    form.get_by_label(t("fields.public_summary"), exact=True).focus()
    page.keyboard.insert_text("x" * 10_000)  # a paste longer than the field takes
    with rerun(page):
        form.get_by_role("button", name=t("logbook.save.session"), exact=True).click()
    expect(body.get_by_text(t("errors.validation"), exact=True)).to_be_visible()
    participants = i18n.t("fields.participants")
    expect(body.get_by_text(re.compile(rf"^{participants}.*0\.$"))).to_be_visible()
    too_long = i18n.t("validation.too_long", field=t("fields.public_summary"), max=5000)
    expect(body.get_by_text(too_long, exact=True)).to_be_visible()

    # Fix the count only: the old message about it goes, the one about the text stays.
    form.get_by_label(cell, exact=True).fill("3")
    with rerun(page):
        form.get_by_role("button", name=t("logbook.save.session"), exact=True).click()
    expect(body.get_by_text(re.compile(rf"^{participants}.*0\.$"))).to_have_count(0)
    expect(body.get_by_text(too_long, exact=True)).to_be_visible()

    # A milestone's progress of 150 on Compromisos: refused, naming the progress.
    open_page(page, t("nav.commitments"))
    _pick_milestone(page, "Tabasco", 2)
    milestone = _milestone_form(page)
    for value in ("150", "-10"):
        milestone.get_by_label(t("fields.progress"), exact=True).fill(value)
        with rerun(page):
            milestone.get_by_role("button", name=t("milestone_form.save"), exact=True).click()
        expect(body.get_by_text(re.compile(rf"^{re.escape(t('fields.progress'))}: "))).to_have_count(1)


def test_a_session_dated_after_today_is_refused_with_the_date_written_as_the_ui_writes_it(
    page: Page, app_url: str
) -> None:
    form = _specialist_on_logbook(page, app_url)
    body = main(page)
    choose(page, form, t("fields.state_code"), "Tabasco", in_form=True)
    choose(page, form, t("fields.session_type"), label("SessionType", "public_forum"), in_form=True)
    ahead = date.today() + timedelta(days=10)
    form.get_by_label(t("fields.held_on"), exact=True).get_by_role("spinbutton").first.click()
    page.keyboard.type(ahead.strftime("%d%m%Y"))  # day, month and year segments, each moving to the next
    with rerun(page):
        form.get_by_role("button", name=t("logbook.save.session"), exact=True).click()
    refused = i18n.t(
        "validation.date_in_future", field=t("fields.held_on"), max=i18n.format_date(date.today())
    )
    expect(body.get_by_text(refused, exact=True)).to_be_visible()
    expect(body.get_by_text(re.compile(r"\d{4}-\d{2}-\d{2}"))).to_have_count(0)


def test_lowering_a_milestones_progress_asks_for_a_reason_before_it_is_saved(
    page: Page, app_url: str
) -> None:
    """Issue 21, item 8: a drop in progress is never silent."""
    _specialist_on_logbook(page, app_url)
    open_page(page, t("nav.commitments"))
    body = main(page)
    _pick_milestone(page, "Tabasco", 3)
    form = _milestone_form(page)
    progress = form.get_by_label(t("fields.progress"), exact=True)
    save = form.get_by_role("button", name=t("milestone_form.save"), exact=True)
    progress.fill("60")
    form.get_by_label(t("fields.note"), exact=True).fill("Avance inicial (prueba e2e)")
    with rerun(page):
        save.click()
    progress.fill("40")
    with rerun(page):
        save.click()
    asked = i18n.t("validation.reason_for_lower_progress", field=t("fields.note"), before=60, after=40)
    expect(body.get_by_text(asked, exact=True)).to_be_visible()
    form.get_by_label(t("fields.note"), exact=True).fill("La evidencia no correspondía al hito (prueba e2e)")
    with rerun(page):
        save.click()
    expect(body.get_by_text(asked, exact=True)).to_have_count(0)
    expect(body.get_by_label(t("milestone_form.pick"), exact=True)).to_have_value(re.compile(r" 40 %$"))
