"""Agreements follow-up on the Bitácora: the open agreements of every state, overdue first, filtered by state; a
status change with a dated note and a link to a commitment; a correction of an agreement's terms; a refused date,
a refused correction or a stale version writes nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from accompaniment import i18n
from accompaniment.access import SYSTEM, Actor
from accompaniment.domain.enums import Role
from accompaniment.store import audit, dashboard
from accompaniment.store.agreements import (
    agreement_history,
    correct_agreement,
    follow_up_agreement,
    open_agreements,
)
from accompaniment.ui import context
from tests.app import auth_support as s
from tests.app.conftest import open_app

SPECIALIST = Actor(Role.SPECIALIST, username="especialista")
OAXACA = "20"


@pytest.fixture(autouse=True)
def database(demo_db, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN001, ANN201 - the demo copy of conftest
    s.run_app_py_every_time(monkeypatch)
    return demo_db


def store():  # noqa: ANN201 - the Store the app under test opened
    return context.get_store()


def stored_now(at: AppTest) -> str:
    """The conflict's table of the values stored now, as text."""
    return next(table.value for table in at.table if "Valor guardado" in table.value.columns).to_csv()


def followup(state_code: str | None = None) -> AppTest:
    at = open_app(actor=SPECIALIST, page="pages/logbook.py")
    if state_code is not None:
        at.selectbox(key="followup_state").set_value(state_code).run()
    assert not at.exception
    return at


def listed(at: AppTest) -> pd.DataFrame:
    return next(frame.value for frame in at.dataframe if "Atraso" in frame.value.columns)


def first_open(state_code: str = OAXACA) -> dict:
    return open_agreements(store(), SYSTEM, state_code).iloc[0].to_dict()


def stored(agreement_id: int) -> dict:
    rows = open_agreements(store(), SYSTEM, None, limit=10_000, include_closed=True)
    return rows.set_index("id").loc[agreement_id].to_dict()


def choose(at: AppTest, agreement_id: int) -> AppTest:
    at.selectbox(key="followup_pick").set_value(agreement_id).run()
    assert not at.exception
    return at


def save(at: AppTest, agreement_id: int) -> AppTest:
    at.button(key=f"followup_save_{agreement_id}").click()
    at.run()
    assert not at.exception
    return at


def test_open_agreements_of_every_state_are_listed_overdue_first() -> None:
    table = listed(followup())
    flags = list(table["Atraso"])
    assert flags[0] == "Vencido"
    assert flags == sorted(flags, key=lambda flag: flag != "Vencido"), "overdue agreements come first"
    assert table["Estado"].nunique() > 1
    assert set(table["Estado de avance"]) <= {"Pendiente", "En proceso"}


def test_the_list_filters_by_state() -> None:
    table = listed(followup(OAXACA))
    assert set(table["Estado"]) == {"Oaxaca"}
    assert len(table) == min(len(open_agreements(store(), SYSTEM, OAXACA)), 25)


def test_a_status_change_is_saved_with_its_dated_note_and_a_link_to_a_commitment() -> None:
    agreement = first_open()
    commitment_id = int(dashboard.list_commitments(store(), SYSTEM, state_code=OAXACA).iloc[0]["id"])
    at = choose(followup(OAXACA), agreement["id"])
    changed_on = date.today() - timedelta(days=1)
    at.selectbox(key=f"followup_{agreement['id']}_status").set_value("done")
    at.date_input(key=f"followup_{agreement['id']}_changed_on").set_value(changed_on)
    at.text_area(key=f"followup_{agreement['id']}_note").input("Se publicó la minuta en el portal")
    at.selectbox(key=f"followup_{agreement['id']}_commitment_id").set_value(commitment_id)
    save(at, agreement["id"])

    assert any("Seguimiento guardado: Cumplido" in text for text in s.texts(at.success))
    after = stored(agreement["id"])
    assert (after["status"], after["closed_on"], after["commitment_id"]) == ("done", changed_on, commitment_id)  # fmt: skip
    history = agreement_history(store(), SYSTEM, agreement["id"])
    assert history.iloc[-1][["changed_on", "status", "note", "recorded_by"]].tolist() == [
        changed_on, "done", "Se publicó la minuta en el portal", "especialista"]  # fmt: skip
    still_open = open_agreements(store(), SYSTEM, OAXACA)
    assert agreement["id"] not in set(still_open["id"])
    assert len(listed(at)) == min(len(still_open), 25)


def test_in_english_an_agreement_and_its_status_are_chosen_by_their_english_labels() -> None:
    """AppTest formats a chosen option outside the script run: the labels must not depend on the run's language."""
    agreement = first_open()
    at = open_app("en", actor=SPECIALIST, page="pages/logbook.py")
    at.selectbox(key="followup_state").set_value(OAXACA).run()
    choose(at, agreement["id"])
    in_progress = i18n.t("enum.AgreementStatus.in_progress", "en")
    status = at.selectbox(key=f"followup_{agreement['id']}_status")
    assert in_progress in status.options

    status.set_value("in_progress")
    assert status.options[status.index] == in_progress
    save(at, agreement["id"])

    assert i18n.t("followup.saved", "en", status=in_progress) in s.texts(at.success)
    assert stored(agreement["id"])["status"] == "in_progress"


def test_a_change_dated_after_today_is_refused_naming_the_date() -> None:
    agreement = first_open()
    at = choose(followup(OAXACA), agreement["id"])
    at.selectbox(key=f"followup_{agreement['id']}_status").set_value("in_progress")
    at.date_input(key=f"followup_{agreement['id']}_changed_on").set_value(date.today() + timedelta(days=3))
    at.text_area(key=f"followup_{agreement['id']}_note").input("Nota que no debe guardarse")
    save(at, agreement["id"])

    refused = "Fecha del cambio: la fecha no puede ser posterior"
    assert any(text.startswith(refused) for text in s.texts(at.error))
    assert agreement_history(store(), SYSTEM, agreement["id"]).empty
    assert stored(agreement["id"])["version"] == agreement["version"]
    assert at.text_area(key=f"followup_{agreement['id']}_note").value == "Nota que no debe guardarse"


def test_a_stale_change_shows_the_conflict_and_overwrites_nothing() -> None:
    agreement = first_open()
    at = choose(followup(OAXACA), agreement["id"])
    follow_up_agreement(store(), SYSTEM, agreement["id"], agreement["version"], {  # someone else, first
        "status": "cancelled", "changed_on": date.today(), "note": "Cancelado en la sesión"})  # fmt: skip

    at.selectbox(key=f"followup_{agreement['id']}_status").set_value("done")
    at.text_area(key=f"followup_{agreement['id']}_note").input("Mi nota")
    save(at, agreement["id"])

    assert any("Otra persona guardó este registro" in text for text in s.texts(at.error))
    assert "Cancelado" in stored_now(at)  # the status stored now
    assert stored(agreement["id"])["status"] == "cancelled"
    notes = list(agreement_history(store(), SYSTEM, agreement["id"])["note"])
    assert notes == ["Cancelado en la sesión"]


def correct(at: AppTest, agreement_id: int) -> AppTest:
    at.button(key=f"correct_agreement_save_{agreement_id}").click()
    at.run()
    assert not at.exception
    return at


def correction_field(agreement_id: int, name: str) -> str:
    return f"correct_agreement_{agreement_id}_{name}"


def corrections_audited() -> int:
    return audit.count_audit_entries(store(), SYSTEM, entity="agreement")


def test_the_specialist_corrects_an_agreements_text_and_due_date_and_sees_the_correction() -> None:
    agreement = first_open()
    at = choose(followup(OAXACA), agreement["id"])
    text_key = correction_field(agreement["id"], "text")
    due_key = correction_field(agreement["id"], "due_date")
    assert at.text_area(key=text_key).value == agreement["text"]  # prefilled with what is stored
    assert at.date_input(key=due_key).value == agreement["due_date"]
    corrected_text = "Enviar la minuta firmada por el STL a todas las personas integrantes"
    corrected_due = agreement["due_date"] - timedelta(days=7)  # earlier: still overdue, still listed first

    at.text_area(key=text_key).input(corrected_text)
    at.date_input(key=due_key).set_value(corrected_due)
    correct(at, agreement["id"])

    assert "Acuerdo corregido." in s.texts(at.success)
    after = stored(agreement["id"])
    assert (after["text"], after["due_date"], after["version"]) == (
        corrected_text, corrected_due, agreement["version"] + 1)  # fmt: skip
    kept = ("status", "responsible_sector", "responsible_organization")
    assert [after[name] for name in kept] == [agreement[name] for name in kept]
    shown = [row for row in listed(at).astype(str).to_numpy().tolist() if corrected_text in row]
    assert len(shown) == 1 and i18n.format_date(corrected_due, "es") in shown[0]
    assert at.text_area(key=text_key).value == corrected_text


def test_a_correction_with_an_empty_text_is_refused_naming_the_text_and_writes_nothing() -> None:
    agreement = first_open()
    at = choose(followup(OAXACA), agreement["id"])
    audited = corrections_audited()

    at.text_area(key=correction_field(agreement["id"], "text")).input("   ")
    at.text_input(key=correction_field(agreement["id"], "responsible_organization")).input("Contraloría")
    correct(at, agreement["id"])

    assert "Texto: este dato es obligatorio." in s.texts(at.error)
    assert not at.success
    after = stored(agreement["id"])
    assert (after["text"], after["version"]) == (agreement["text"], agreement["version"])
    assert corrections_audited() == audited
    assert (
        at.text_input(key=correction_field(agreement["id"], "responsible_organization")).value
        == "Contraloría"
    )


def test_a_stale_correction_shows_the_conflict_with_the_stored_text_and_overwrites_nothing() -> None:
    agreement = first_open()
    at = choose(followup(OAXACA), agreement["id"])
    correct_agreement(store(), SYSTEM, agreement["id"], agreement["version"], {  # someone else, first
        "text": "Texto corregido por otra persona", "due_date": agreement["due_date"]})  # fmt: skip

    at.text_area(key=correction_field(agreement["id"], "text")).input("Mi corrección")
    correct(at, agreement["id"])

    assert any("Otra persona guardó este registro" in text for text in s.texts(at.error))
    assert "Texto corregido por otra persona" in stored_now(at)
    assert stored(agreement["id"])["text"] == "Texto corregido por otra persona"
    assert at.text_area(key=correction_field(agreement["id"], "text")).value == "Mi corrección"
