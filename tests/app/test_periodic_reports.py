"""Issue 12: the "Informes del periodo" page, as each role uses it (AppTest on the demo database): the working group
opens a period and reviews what is waiting; a secretariat drafts, saves and submits its own state's report and sees
the comments after a return; version conflicts and validation errors are messages that name the field."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from accompaniment import i18n
from accompaniment.access import Actor
from accompaniment.domain.enums import Role
from accompaniment.store import reporting
from accompaniment.store.database import open_store
from tests.app.conftest import WORKING_GROUP, assert_rendered_cleanly, open_app

PAGE = "pages/periodic_reports.py"
NUEVO_LEON = "19"
SECRETARIAT = Actor(Role.SECRETARIAT, state_code=NUEVO_LEON, username="nuevo-leon")


def _texts(at) -> str:  # noqa: ANN001
    parts = [m.value for m in at.markdown] + [e.value for e in at.error] + [s.value for s in at.success]
    parts += [w.value for w in at.warning] + [i.value for i in at.info] + [c.value for c in at.caption]
    return "\n".join(str(p) for p in parts)


def _pick_nuevo_leon(at) -> None:  # noqa: ANN001
    """The demo has a report of its own waiting (Durango's): review Nuevo León's."""
    picker = at.selectbox(key="review_pick")
    picker.select_index(next(i for i, o in enumerate(picker.options) if "Nuevo León" in o)).run()


def _open_period(demo_db: Path, states: list[str] | None = None) -> int:
    store = open_store(f"duckdb:///{demo_db}", upgrade=False)
    try:
        today = store.today()
        data = {"name": "Periodo de prueba", "starts_on": date(today.year, today.month, 1), "ends_on": today,
                "due_on": today.replace(year=today.year + 1), "state_codes": states}  # fmt: skip
        return reporting.open_period(store, WORKING_GROUP, data)
    finally:
        store.close()


def test_the_working_group_opens_a_period_from_the_page(demo_db) -> None:  # noqa: ANN001
    at = open_app(actor=WORKING_GROUP, page=PAGE)
    assert_rendered_cleanly(at)
    assert at.title[0].value == i18n.t("reporting.title")
    at.text_input(key="period_name").input("Primer trimestre 2027")
    at.date_input(key="period_starts_on").set_value(date(2027, 1, 1))
    at.date_input(key="period_ends_on").set_value(date(2027, 3, 31))
    at.date_input(key="period_due_on").set_value(date(2027, 4, 15))
    at.button(key="period_save").click().run()
    assert_rendered_cleanly(at)
    assert i18n.t("reporting.open.done", name="Primer trimestre 2027") in [s.value for s in at.success]


def test_a_period_whose_due_date_is_before_its_end_is_refused_naming_the_field(demo_db) -> None:  # noqa: ANN001
    at = open_app(actor=WORKING_GROUP, page=PAGE)
    at.text_input(key="period_name").input("Mal fechado")
    at.date_input(key="period_starts_on").set_value(date(2027, 1, 1))
    at.date_input(key="period_ends_on").set_value(date(2027, 3, 31))
    at.date_input(key="period_due_on").set_value(date(2027, 3, 1))
    at.button(key="period_save").click().run()
    assert at.error, "a refused period says why"
    assert not at.exception


def test_a_secretariat_drafts_saves_and_submits_its_own_report(demo_db) -> None:  # noqa: ANN001
    _open_period(demo_db, [NUEVO_LEON])
    at = open_app(actor=SECRETARIAT, page=PAGE)
    assert_rendered_cleanly(at)
    assert i18n.t("reporting.status.not_started") in _texts(at)
    assert not [b for b in at.button if b.key == "report_submit"], "nothing to submit before the first save"
    at.number_input(key="report_item_progress").set_value(40.0)
    at.text_input(key="report_item_evidence_url").input("https://example.org/minuta.pdf")
    at.button(key="report_item_save").click().run()
    assert_rendered_cleanly(at)
    assert i18n.t("reporting.item.saved") in [s.value for s in at.success]
    assert i18n.t("reporting.status.draft") in _texts(at)
    at.text_area(key="report_narrative").input("El STL avanzó en su primer compromiso.")
    at.button(key="report_text_save").click().run()
    assert i18n.t("reporting.text.saved") in [s.value for s in at.success]
    at.button(key="report_submit").click().run()
    assert_rendered_cleanly(at)
    assert i18n.t("reporting.submit.done") in [s.value for s in at.success]
    assert i18n.t("reporting.draft.frozen_submitted") in _texts(at)
    assert not [f for f in at.button if f.key == "report_item_save"], "a submitted report is frozen"


def test_the_working_group_returns_a_report_and_the_secretariat_sees_the_comment(demo_db) -> None:  # noqa: ANN001
    test_a_secretariat_drafts_saves_and_submits_its_own_report(demo_db)
    at = open_app(actor=WORKING_GROUP, page=PAGE)
    assert_rendered_cleanly(at)
    _pick_nuevo_leon(at)
    general = [a for a in at.text_area if a.key.startswith("review_general_")][0]
    general.input("Falta la minuta firmada.")
    at.button(key="review_return").click().run()
    assert_rendered_cleanly(at)
    assert i18n.t("reporting.review.returned") in [s.value for s in at.success]
    at = open_app(actor=SECRETARIAT, page=PAGE)
    assert "Falta la minuta firmada" in _texts(at)
    assert [b for b in at.button if b.key == "report_item_save"], "a returned report can be corrected"


def test_returning_without_any_comment_is_refused_naming_the_comment(demo_db) -> None:  # noqa: ANN001
    test_a_secretariat_drafts_saves_and_submits_its_own_report(demo_db)
    at = open_app(actor=WORKING_GROUP, page=PAGE)
    _pick_nuevo_leon(at)
    at.button(key="review_return").click().run()
    assert not at.exception
    assert i18n.t("fields.review_comment") in "\n".join(e.value for e in at.error)


def test_a_stale_draft_is_a_conflict_with_a_button_to_apply_the_input_again(demo_db) -> None:  # noqa: ANN001
    period_id = _open_period(demo_db, [NUEVO_LEON])
    at = open_app(actor=SECRETARIAT, page=PAGE)
    at.text_area(key="report_narrative").input("Primera versión")
    at.button(key="report_text_save").click().run()
    store = open_store(f"duckdb:///{demo_db}", upgrade=False)
    try:  # someone else saves the same draft meanwhile
        report = reporting.get_report(store, SECRETARIAT, period_id, NUEVO_LEON)
        data = {"narrative": "Versión de otra persona", "internal_notes": "", "items": []}
        reporting.save_draft(store, SECRETARIAT, period_id, NUEVO_LEON, data, report.version)
    finally:
        store.close()
    at.text_area(key="report_narrative").input("Mi versión")
    at.button(key="report_text_save").click().run()
    assert not at.exception
    assert [b for b in at.button if b.key == f"{'report_text'}__reapply"], (
        "the conflict offers to apply the input"
    )


def test_the_page_is_in_every_signed_in_roles_navigation_and_not_the_publics() -> None:
    from accompaniment.access import PUBLIC
    from accompaniment.ui.navigation import pages_for

    assert PAGE not in [spec.path for spec in pages_for(PUBLIC)]
    for actor in (SECRETARIAT, WORKING_GROUP, Actor(Role.SPECIALIST, username="e"), Actor(Role.ADMIN)):
        assert PAGE in [spec.path for spec in pages_for(actor)]


# ---- the overview (issue 12) --------------------------------------------------------------------------------

OVERVIEW = "pages/overview.py"


def test_the_overview_shows_each_states_standing_in_the_current_period_and_its_approval_date(demo_db) -> None:  # noqa: ANN001
    at = open_app(page=OVERVIEW)
    assert_rendered_cleanly(at)
    panorama = at.table[-1].value
    standing = dict(
        zip(panorama[i18n.t("col.state_name")], panorama[i18n.t("col.report_status_text")], strict=True)
    )
    assert standing["Durango"] == i18n.t("reporting.status.submitted")
    assert standing["Tabasco"] == i18n.t("reporting.status.returned")
    assert standing["San Luis Potosí"] == i18n.t("reporting.status.draft")
    assert standing["Veracruz"] == i18n.t("reporting.status.not_started")
    assert i18n.t("col.approved_on_text") in panorama.columns
    assert any(i18n.t("reporting.approved_on_states", date="").split("(")[0] in c.value for c in at.caption)


def test_the_working_group_sees_how_many_reports_wait_for_review_with_a_link(demo_db) -> None:  # noqa: ANN001
    at = open_app(actor=WORKING_GROUP, page=OVERVIEW)
    assert_rendered_cleanly(at)
    assert i18n.t("reporting.waiting.count", count=1) in [i.value for i in at.info]
    public = open_app(page=OVERVIEW)
    assert i18n.t("reporting.waiting.count", count=1) not in [i.value for i in public.info]


def test_staff_see_a_mark_where_a_states_live_figures_are_not_yet_approved(demo_db) -> None:  # noqa: ANN001
    from accompaniment.store import commitments, dashboard

    store = open_store(f"duckdb:///{demo_db}", upgrade=False)
    try:  # Nuevo León's secretariat updates a milestone directly: live, not approved
        schedule = dashboard.milestone_schedule(store, SECRETARIAT, NUEVO_LEON)
        first = schedule[schedule["status"] != "complete"].iloc[0]
        item = commitments.get_commitment(store, SECRETARIAT, int(first["commitment_id"]))
        version = next(m["version"] for m in item["milestones"] if m["id"] == int(first["milestone_id"]))
        data = {
            "progress": 90,
            "status": "in_progress",
            "evidence_url": None,
            "evidence_note": "",
            "note": "",
        }
        commitments.update_milestone(store, SECRETARIAT, int(first["milestone_id"]), version, data)
    finally:
        store.close()
    at = open_app(actor=WORKING_GROUP, page=OVERVIEW)
    progress = dict(zip(at.table[-1].value[i18n.t("col.state_name")], at.table[-1].value[i18n.t("col.progress_text")],
                        strict=True))  # fmt: skip
    assert i18n.t("reporting.unapproved_mark") in progress["Nuevo León"]
    assert i18n.t("reporting.unapproved_mark") not in progress["Oaxaca"]
    public = open_app(page=OVERVIEW)
    shown = dict(zip(public.table[-1].value[i18n.t("col.state_name")],
                     public.table[-1].value[i18n.t("col.progress_text")], strict=True))  # fmt: skip
    assert i18n.t("reporting.unapproved_mark") not in shown["Nuevo León"]


def test_a_states_page_tells_the_public_when_its_figures_were_approved(demo_db) -> None:  # noqa: ANN001
    at = open_app(page="pages/secretariat.py", secretariat_state="20")
    assert_rendered_cleanly(at)
    assert i18n.t("reporting.approved_on", date="26 nov 2026") in [c.value for c in at.caption]
    staff = open_app(actor=WORKING_GROUP, page="pages/secretariat.py", secretariat_state="20")
    assert not [c for c in staff.caption if c.value.startswith(i18n.t("reporting.approved_on", date=""))]
