"""Milestone updates on Compromisos and Secretariado, phase changes and the IRM-style assessment.

A state's secretariat updates its own milestones with evidence and sees no form for another state's (and the store
refuses it even when the page is bypassed); completing needs evidence; each update joins the milestone's timeline
with its author and date; a stale version shows the conflict; the public sees no form at all.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from accompaniment import i18n
from accompaniment.access import SYSTEM, Actor
from accompaniment.domain.enums import Role
from accompaniment.domain.errors import PermissionDenied, ValidationError
from accompaniment.store import commitments, dashboard, secretariats
from accompaniment.ui import context
from tests.app import auth_support as s
from tests.app.conftest import open_app

OAXACA, TLAXCALA = "20", "29"
OAXACA_SECRETARIAT = Actor(Role.SECRETARIAT, state_code=OAXACA, username="oaxaca.sec")
SPECIALIST = Actor(Role.SPECIALIST, username="especialista")
WORKING_GROUP = Actor(Role.WORKING_GROUP, username="gtp")
COMPLETE_NEEDS_EVIDENCE = (
    "Enlace de evidencia: para marcar el hito como cumplido, agregue evidencia (un enlace o una nota)."
)


@pytest.fixture(autouse=True)
def database(demo_db, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN001, ANN201 - the demo copy of conftest
    s.run_app_py_every_time(monkeypatch)
    return demo_db


def store():  # noqa: ANN201 - the Store the app under test opened
    return context.get_store()


def stored_now(at: AppTest) -> str:
    """The conflict's table of the values stored now, as text."""
    return next(table.value for table in at.table if "Valor guardado" in table.value.columns).to_csv()


def open_milestone(state_code: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A commitment of ``state_code`` and one of its milestones that is neither complete nor carries evidence."""
    for commitment_id in dashboard.list_commitments(store(), SYSTEM, state_code=state_code, limit=None)["id"]:
        item = commitments.get_commitment(store(), SYSTEM, int(commitment_id))
        for milestone in item["milestones"]:
            if milestone["status"] in ("not_started", "in_progress") and not (
                milestone["evidence_url"] or milestone["evidence_note"]
            ):
                return item, milestone
    raise AssertionError(f"the demo has no open milestone without evidence in state {state_code}")


def milestone_now(milestone_id: int) -> dict[str, Any]:
    for commitment_id in dashboard.list_commitments(store(), SYSTEM, limit=None)["id"]:
        for milestone in commitments.get_commitment(store(), SYSTEM, int(commitment_id))["milestones"]:
            if milestone["id"] == milestone_id:
                return milestone
    raise AssertionError(milestone_id)


def commitments_page(actor: Actor | None, item: dict[str, Any], lang: str = "es") -> AppTest:
    at = open_app(lang, actor=actor, page="pages/commitments.py")
    at.selectbox(key="commitments_state").set_value(item["state_code"]).run()
    at.selectbox(key="commitments_detail").set_value(item["id"]).run()
    assert not at.exception
    return at


def pick_milestone(at: AppTest, milestone_id: int) -> AppTest:
    commitment_id = milestone_now(milestone_id)["commitment_id"]
    return at.selectbox(key=f"milestone_pick_{commitment_id}").set_value(milestone_id).run()


def fill_update(at: AppTest, milestone_id: int, pick: bool = True, **values: Any) -> AppTest:
    if pick:
        pick_milestone(at, milestone_id)
    for name, value in values.items():
        if name == "progress":
            at.number_input(key=f"milestone_{milestone_id}_progress").set_value(value)
        elif name == "status":
            at.selectbox(key=f"milestone_{milestone_id}_status").set_value(value)
        elif name == "evidence_url":
            at.text_input(key=f"milestone_{milestone_id}_evidence_url").input(value)
        else:
            at.text_area(key=f"milestone_{milestone_id}_{name}").input(value)
    at.button(key=f"milestone_save_{milestone_id}").click()
    at.run()
    assert not at.exception
    return at


def widget_keys(at: AppTest) -> set[str]:
    widgets = [*at.selectbox, *at.number_input, *at.text_input, *at.text_area, *at.date_input, *at.button,
               *at.checkbox]  # fmt: skip
    return {str(w.key) for w in widgets if w.key}


def timeline_table(at: AppTest):  # noqa: ANN201 - a DataFrame
    return next(f.value for f in at.dataframe if {"Registró", "Nota de evidencia"} <= set(f.value.columns))


# ---- milestone updates ---------------------------------------------------------------------------------------------


def test_a_secretariat_updates_its_own_milestone_with_evidence() -> None:
    item, milestone = open_milestone(OAXACA)
    at = commitments_page(OAXACA_SECRETARIAT, item)
    fill_update(at, milestone["id"], progress=60, status="in_progress",
                evidence_url="https://example.org/acta-de-avance.pdf", note="Avance revisado en sesión")  # fmt: skip

    assert any(f"hito {milestone['number']} guardada" in text for text in s.texts(at.success))
    after = milestone_now(milestone["id"])
    assert (after["progress"], after["status"], after["evidence_url"]) == (
        60.0, "in_progress", "https://example.org/acta-de-avance.pdf")  # fmt: skip
    entry = commitments.milestone_timeline(store(), SYSTEM, milestone["id"]).iloc[-1]
    assert (entry["recorded_by"], entry["note"]) == ("oaxaca.sec", "Avance revisado en sesión")


def test_in_english_a_milestone_and_its_status_are_chosen_by_their_english_labels() -> None:
    """AppTest formats a chosen option outside the script run: the labels must not depend on the run's language."""
    item, milestone = open_milestone(OAXACA)
    at = commitments_page(OAXACA_SECRETARIAT, item, lang="en")
    in_progress = i18n.t("enum.MilestoneStatus.in_progress", "en")
    assert in_progress in at.selectbox(key=f"milestone_{milestone['id']}_status").options

    fill_update(at, milestone["id"], progress=60, status="in_progress", note="Reviewed in session")

    status = at.selectbox(key=f"milestone_{milestone['id']}_status")
    assert status.options[status.index] == in_progress
    assert i18n.t("milestone_form.saved", "en", number=milestone["number"]) in s.texts(at.success)
    after = milestone_now(milestone["id"])
    assert (after["progress"], after["status"]) == (60.0, "in_progress")


def test_a_secretariat_gets_no_form_for_another_state_and_the_store_refuses_the_update() -> None:
    item, milestone = open_milestone(TLAXCALA)
    at = commitments_page(OAXACA_SECRETARIAT, item)
    assert not any(k.startswith("milestone_") for k in widget_keys(at))

    updates = len(commitments.milestone_timeline(store(), SYSTEM, milestone["id"]))
    with pytest.raises(PermissionDenied):  # the page bypassed: straight to the store
        commitments.update_milestone(store(), OAXACA_SECRETARIAT, milestone["id"], milestone["version"], {
            "progress": 90, "status": "in_progress", "evidence_url": "https://example.org/x.pdf"})  # fmt: skip
    assert milestone_now(milestone["id"]) == milestone
    assert len(commitments.milestone_timeline(store(), SYSTEM, milestone["id"])) == updates


def test_completing_a_milestone_without_evidence_is_refused_naming_the_evidence() -> None:
    item, milestone = open_milestone(OAXACA)
    at = commitments_page(SPECIALIST, item)
    fill_update(at, milestone["id"], status="complete", note="Terminado")

    assert COMPLETE_NEEDS_EVIDENCE in s.texts(at.error)
    assert milestone_now(milestone["id"]) == milestone
    assert at.selectbox(key=f"milestone_{milestone['id']}_status").value == "complete"  # the input is kept
    with pytest.raises(ValidationError) as caught:
        commitments.update_milestone(store(), SPECIALIST, milestone["id"], milestone["version"],
                                     {"progress": 100, "status": "complete"})  # fmt: skip
    assert caught.value.problems[0].message("es") == COMPLETE_NEEDS_EVIDENCE


def test_completing_with_a_written_note_as_evidence_sets_progress_to_100() -> None:
    item, milestone = open_milestone(OAXACA)
    at = commitments_page(SPECIALIST, item)
    fill_update(at, milestone["id"], progress=40, status="complete", evidence_note="Minuta firmada, folio 12")
    after = milestone_now(milestone["id"])
    assert (after["status"], after["progress"], after["evidence_note"]) == ("complete", 100.0,
                                                                            "Minuta firmada, folio 12")  # fmt: skip
    assert after["completed_on"] is not None


def test_the_milestone_timeline_shows_each_update_with_its_author_and_date() -> None:
    item, milestone = open_milestone(OAXACA)
    fill_update(commitments_page(SPECIALIST, item), milestone["id"], progress=30, status="in_progress",
                note="Primera revisión")  # fmt: skip
    at = fill_update(commitments_page(OAXACA_SECRETARIAT, item), milestone["id"], progress=70,
                     status="in_progress", evidence_url="https://example.org/informe.pdf")  # fmt: skip

    table = timeline_table(at)
    today = i18n.format_date(datetime.now(UTC).date(), "es")
    assert list(table["Registró"][:2]) == ["oaxaca.sec", "especialista"]  # newest first
    assert all(str(when).startswith(today) for when in table["Fecha"][:2])
    assert list(table["Avance (%)"][:2]) == ["70 %", "30 %"]


def test_a_stale_milestone_update_shows_the_conflict_and_overwrites_nothing() -> None:
    item, milestone = open_milestone(OAXACA)
    at = pick_milestone(commitments_page(SPECIALIST, item), milestone["id"])
    # Saved by someone else while this form is open: the form's next run is its submit (a rerun before it would
    # show the new figures, issue 15).
    commitments.update_milestone(store(), SYSTEM, milestone["id"], milestone["version"],
                                 {"progress": 55, "status": "in_progress", "note": "Otra persona"})  # fmt: skip
    fill_update(at, milestone["id"], pick=False, progress=20, status="in_progress", note="Mi actualización")

    assert any("Otra persona guardó este registro" in text for text in s.texts(at.error))
    assert "55" in stored_now(at)
    assert milestone_now(milestone["id"])["progress"] == 55.0
    assert at.number_input(key=f"milestone_{milestone['id']}_progress").value == 20


# ---- who sees which form -------------------------------------------------------------------------------------------


def test_the_public_sees_no_form_on_compromisos_or_secretariado() -> None:
    item, _ = open_milestone(OAXACA)
    at = commitments_page(None, item)
    assert not any(k.startswith(("milestone_", "assessment_", "phase_")) for k in widget_keys(at))
    at.switch_page("pages/secretariat.py").run()
    at.selectbox(key="secretariat_state").set_value(OAXACA).run()
    assert not at.exception
    assert not any(k.startswith(("milestone_", "assessment_", "phase_")) for k in widget_keys(at))
    with pytest.raises(ValueError):
        at.switch_page("pages/logbook.py")


def test_on_secretariado_a_secretariat_updates_its_milestones_but_cannot_change_the_phase() -> None:
    at = open_app(actor=OAXACA_SECRETARIAT, page="pages/secretariat.py")
    assert not at.exception
    assert at.selectbox(key="secretariat_state").value == OAXACA
    keys = widget_keys(at)
    assert any(k.startswith("milestone_save_") for k in keys)
    assert not any(k.startswith("phase_") for k in keys)


def test_the_specialist_records_a_phase_change_with_date_and_note_on_secretariado() -> None:
    at = open_app(actor=SPECIALIST, page="pages/secretariat.py")
    at.selectbox(key="secretariat_state").set_value(TLAXCALA).run()
    changed_on = date.today()
    at.selectbox(key="phase_29_phase").set_value(5)
    at.date_input(key="phase_29_changed_on").set_value(changed_on)
    at.text_area(key="phase_29_note").input("Inicia la evaluación del primer plan")
    at.button(key="phase_save_29").click()
    at.run()
    assert not at.exception

    assert any("Cambio de fase guardado" in text for text in s.texts(at.success))
    assert secretariats.get_secretariat(store(), SYSTEM, TLAXCALA).phase == 5
    last = secretariats.phase_history(store(), SYSTEM, TLAXCALA).iloc[-1]
    assert (last["phase"], last["changed_on"]) == (5, changed_on)
    assert last["note"] == "Inicia la evaluación del primer plan"


def test_the_working_group_assesses_a_commitment_on_compromisos_and_the_specialist_cannot() -> None:
    item, _ = open_milestone(OAXACA)
    assert not any(k.startswith("assessment_") for k in widget_keys(commitments_page(SPECIALIST, item)))
    at = commitments_page(WORKING_GROUP, item)
    assert not any(k.startswith("milestone_") for k in widget_keys(at))  # the working group reads milestones
    at.selectbox(key=f"assessment_{item['id']}_verifiable").set_value(True)
    at.selectbox(key=f"assessment_{item['id']}_ambition").set_value("substantial")
    at.selectbox(key=f"assessment_{item['id']}_early_results").set_value("major")
    at.button(key=f"assessment_save_{item['id']}").click()
    at.run()
    assert not at.exception

    assert "Valoración guardada." in s.texts(at.success)
    after = commitments.get_commitment(store(), SYSTEM, item["id"])
    assert (after["verifiable"], after["ambition"], after["early_results"]) == (True, "substantial", "major")
