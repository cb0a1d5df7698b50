"""The Bitácora: the specialist logs a dialogue session with its agreements in one save; invalid input is refused
next to the field it concerns and writes nothing; a stale edit shows the conflict and overwrites nothing; a likely
duplicate needs a confirmation; recent entries open for editing and can be archived; the public never reaches it.

The agreements table is an ``st.data_editor``: AppTest seeds its edit state (``added_rows``) the way the browser
sends it, and ``tests/unit/test_grid.py`` covers the conversion of that state to agreements.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from accompaniment import i18n
from accompaniment.access import SYSTEM, Actor
from accompaniment.domain.enums import Role
from accompaniment.domain.errors import ValidationError
from accompaniment.store import activity
from accompaniment.store.agreements import open_agreements
from accompaniment.ui import context
from tests.app import auth_support as s
from tests.app.conftest import open_app

SPECIALIST = Actor(Role.SPECIALIST, username="especialista")
OAXACA, TLAXCALA = "20", "29"
HELD_ON = date.today() - timedelta(days=2)
AGREEMENTS = [
    {"text": "Publicar la minuta de la sesión", "responsible_sector": "government",
     "responsible_organization": "Secretaría de Administración", "due_date": "2026-12-15"},
    {"text": "Convocar la mesa de datos abiertos", "responsible_sector": "civil_society",
     "responsible_organization": "Colectivo Transparencia", "due_date": "2027-01-20"},
    {"text": "Revisar el tablero de seguimiento", "responsible_sector": "guarantor_body",
     "responsible_organization": "", "due_date": None},
]  # fmt: skip


@pytest.fixture(autouse=True)
def database(demo_db, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN001, ANN201 - the demo copy of conftest
    """A copy of the demo database; app.py runs on every rerun, as in a browser (navigation and sign-in apply)."""
    s.run_app_py_every_time(monkeypatch)
    return demo_db


def logbook(actor: Actor = SPECIALIST) -> AppTest:
    at = open_app(actor=actor, page="pages/logbook.py")
    assert not at.exception
    assert "Bitácora" in s.texts(at.title)
    return at


def store():  # noqa: ANN201 - the Store the app under test opened
    return context.get_store()


def stored_now(at: AppTest) -> str:
    """The conflict's table of the values stored now, as text."""
    return next(table.value for table in at.table if "Valor guardado" in table.value.columns).to_csv()


def session_ids(state_code: str = OAXACA) -> set[int]:
    return set(activity.list_sessions(store(), SYSTEM, state_code, limit=10_000)["id"])


def agreement_count(state_code: str = OAXACA) -> int:
    return len(open_agreements(store(), SYSTEM, state_code, limit=10_000, include_closed=True))


def fill_session(at: AppTest, *, state: str | None = OAXACA, held_on: date = HELD_ON,
                 agreements: list[dict[str, Any]] | None = None, organizations: str = "") -> AppTest:  # fmt: skip
    if state is not None:
        at.selectbox(key="logbook_state_code").set_value(state)
    at.date_input(key="logbook_held_on").set_value(held_on)
    at.selectbox(key="logbook_session_type").set_value("working_table")
    at.selectbox(key="logbook_modality").set_value("hybrid")
    at.selectbox(key="logbook_phase").set_value(4)
    at.selectbox(key="logbook_consensus").set_value(4)
    at.text_area(key="logbook_topics").input("Seguimiento del plan; datos abiertos")
    at.number_input(key="logbook_p_civil_society_women").set_value(4)
    at.number_input(key="logbook_p_civil_society_men").set_value(2)
    at.number_input(key="logbook_p_government_other").set_value(1)
    at.text_area(key="logbook_organizations").input(organizations or "Colectivo Transparencia\nIAIP Oaxaca")
    at.text_area(key="logbook_public_summary").input("Se revisó el avance del plan.")
    at.text_area(key="logbook_summary").input("Hubo tensión sobre el presupuesto.")
    at.text_input(key="logbook_evidence_url").input("https://example.org/minuta.pdf")
    if agreements is not None:
        generation = (
            at.session_state["logbook_form_generation"]
            if "logbook_form_generation" in at.session_state
            else 0
        )
        at.session_state[f"logbook_agreements_{generation}"] = {
            "edited_rows": {},
            "added_rows": agreements,
            "deleted_rows": [],
        }
    return at


def save(at: AppTest) -> AppTest:
    at.button(key="logbook_save").click()
    at.run()
    assert not at.exception
    return at


def errors(at: AppTest) -> list[str]:
    return s.texts(at.error)


# ---- logging a session ---------------------------------------------------------------------------------------------


def test_the_specialist_logs_a_session_with_three_agreements_in_one_save() -> None:
    at = logbook()
    before, agreements_before = session_ids(), agreement_count()
    save(fill_session(at, agreements=AGREEMENTS))

    assert errors(at) == []
    assert any("Sesión guardada" in text and "3 acuerdo" in text for text in s.texts(at.success))
    new = session_ids() - before
    assert len(new) == 1
    assert agreement_count() - agreements_before == 3
    stored = activity.get_session(store(), SYSTEM, new.pop())
    assert (stored["state_code"], stored["held_on"], stored["session_type"], stored["modality"]) == (
        OAXACA, HELD_ON, "working_table", "hybrid")  # fmt: skip
    assert (stored["phase"], stored["consensus"], stored["participant_total"]) == (4, 4, 7)
    assert stored["topics"] == "Seguimiento del plan; datos abiertos"
    assert stored["summary"] == "Hubo tensión sobre el presupuesto."
    assert stored["public_summary"] == "Se revisó el avance del plan."
    assert stored["evidence_url"] == "https://example.org/minuta.pdf"
    assert stored["participants"] == {"civil_society": {"women": 4, "men": 2}, "government": {"other": 1}}
    assert stored["organizations"] == ["Colectivo Transparencia", "IAIP Oaxaca"]
    assert [(a["text"], a["responsible_sector"], a["responsible_organization"], a["due_date"], a["status"])
            for a in stored["agreements"]] == [
        ("Publicar la minuta de la sesión", "government", "Secretaría de Administración", date(2026, 12, 15), "pending"),
        ("Convocar la mesa de datos abiertos", "civil_society", "Colectivo Transparencia", date(2027, 1, 20), "pending"),
        ("Revisar el tablero de seguimiento", "guarantor_body", None, None, "pending"),
    ]  # fmt: skip


def test_in_english_a_session_is_logged_choosing_each_option_by_its_english_label() -> None:
    """AppTest formats a chosen option outside the script run: the labels must not depend on the run's language."""
    at = open_app("en", actor=SPECIALIST, page="pages/logbook.py")
    before = session_ids()
    save(fill_session(at))

    assert errors(at) == []
    (new,) = session_ids() - before
    stored = activity.get_session(store(), SYSTEM, new)
    assert (stored["session_type"], stored["modality"], stored["phase"], stored["consensus"]) == (
        "working_table", "hybrid", 4, 4)  # fmt: skip
    at.radio(key="logbook_kind").set_value("workshop").run()
    assert not at.exception
    assert at.text_input(key="logbook_title").label == i18n.t("fields.title", "en")


def test_after_a_save_the_form_is_empty_for_the_next_entry_and_the_entry_is_listed() -> None:
    at = save(fill_session(logbook(), agreements=AGREEMENTS[:1]))
    assert at.selectbox(key="logbook_state_code").value is None
    assert at.text_area(key="logbook_topics").value == ""
    assert at.number_input(key="logbook_p_civil_society_women").value == 0
    recent = next(f.value for f in at.dataframe if "Tipo de sesión" in f.value.columns)  # the recent entries
    newest = recent.iloc[0]
    assert (newest["Fecha"], newest["Estado"], newest["Tipo de sesión"], newest["Acuerdos"]) == (
        i18n.format_date(HELD_ON, "es"), "Oaxaca", "Mesa de trabajo", 1)  # fmt: skip


def test_the_participant_total_is_shown_and_recalculated_on_request() -> None:
    at = fill_session(logbook())
    at.button(key="logbook_recalculate").click()
    at.run()
    assert "**Total de participantes:** 7" in s.texts(at.markdown)
    assert session_ids() == session_ids()  # recalculating saves nothing


# ---- refused input -------------------------------------------------------------------------------------------------


def test_a_date_after_today_is_refused_naming_the_date_and_nothing_is_written() -> None:
    at = logbook()
    before, agreements_before = session_ids(), agreement_count()
    save(fill_session(at, held_on=date.today() + timedelta(days=10), agreements=AGREEMENTS))

    assert any(text.startswith("Fecha: la fecha no puede ser posterior") for text in errors(at))
    assert session_ids() == before and agreement_count() == agreements_before
    # the form keeps what was typed
    assert at.selectbox(key="logbook_state_code").value == OAXACA
    assert at.text_area(key="logbook_topics").value == "Seguimiento del plan; datos abiertos"
    assert at.number_input(key="logbook_p_civil_society_women").value == 4


def test_a_session_without_state_is_refused_naming_the_state() -> None:
    at = logbook()
    before = session_ids()
    save(fill_session(at, state=None, agreements=AGREEMENTS))
    assert "Estado: este dato es obligatorio." in errors(at)
    assert session_ids() == before


def test_over_long_texts_are_refused_naming_the_organisation_and_the_agreement() -> None:
    at = logbook()
    before, agreements_before = session_ids(), agreement_count()
    too_long = [{"text": "x" * 5001}, *AGREEMENTS[:2]]
    save(fill_session(at, organizations="IAIP Oaxaca\n" + "O" * 301, agreements=too_long))

    shown = errors(at)
    assert "Organización 2: el texto es demasiado largo (máximo 300 caracteres)." in shown
    assert "Acuerdo 1: Texto: el texto es demasiado largo (máximo 5000 caracteres)." in shown
    assert session_ids() == before and agreement_count() == agreements_before


def test_a_negative_count_typed_in_the_form_is_refused_naming_the_participants_and_nothing_is_written() -> (
    None
):
    """The boxes have no bounds of their own (the browser would refuse silently, in English): the store's check
    answers, in Spanish, naming the field."""
    at = logbook()
    before = session_ids()
    fill_session(at, agreements=AGREEMENTS[:1])
    at.number_input(key="logbook_p_government_women").set_value(-3)
    save(at)
    assert "Participantes: el valor no puede ser menor que 0." in errors(at)
    assert session_ids() == before
    assert at.number_input(key="logbook_p_government_women").value == -3  # kept for the person to fix


def test_the_store_refuses_negative_counts_from_any_caller_writing_nothing() -> None:
    before = session_ids()
    with pytest.raises(ValidationError) as caught:
        activity.log_session(store(), SPECIALIST, {
            "state_code": OAXACA, "held_on": HELD_ON, "session_type": "plenary",
            "participants": {"government": {"women": -3}}, "agreements": [{"text": "No debe guardarse"}],
        })  # fmt: skip
    assert caught.value.problems[0].message("es") == "Participantes: el valor no puede ser menor que 0."
    assert session_ids() == before


# ---- likely duplicates ---------------------------------------------------------------------------------------------


def test_a_likely_duplicate_is_saved_only_after_an_explicit_confirmation() -> None:
    activity.log_session(
        store(), SYSTEM, {"state_code": OAXACA, "held_on": HELD_ON, "session_type": "working_table"}
    )
    at = logbook()
    before = session_ids()
    save(fill_session(at, agreements=AGREEMENTS[:1]))
    assert any("Ya hay 1 sesión" in text for text in s.texts(at.warning))
    assert session_ids() == before

    at.checkbox(key="logbook_confirm_duplicate").check()
    save(at)
    assert len(session_ids() - before) == 1
    assert not at.warning or not any("Ya hay" in text for text in s.texts(at.warning))


# ---- editing, conflicts, archiving ---------------------------------------------------------------------------------


def open_stored(at: AppTest, session_id: int) -> AppTest:
    at.selectbox(key="logbook_recent_pick_session").set_value(session_id).run()
    at.button(key="logbook_open").click()
    at.run()
    assert not at.exception
    return at


def seeded_session() -> int:
    """A session logged earlier (as through the app, which clears the read caches on every write)."""
    session_id = activity.log_session(store(), SYSTEM, {
        "state_code": OAXACA, "held_on": date.today(), "session_type": "plenary", "topics": "Tema original",
        "participants": {"academia": {"women": 2}}, "organizations": ["Universidad"],
    })  # fmt: skip
    st.cache_data.clear()
    return session_id


def test_a_recent_session_opens_in_the_form_and_an_edit_is_saved() -> None:
    at = logbook()
    session_id = seeded_session()
    at.run()
    open_stored(at, session_id)
    assert at.text_area(key="logbook_topics").value == "Tema original"
    assert at.number_input(key="logbook_p_academia_women").value == 2
    assert at.text_area(key="logbook_organizations").value == "Universidad"

    at.text_area(key="logbook_topics").input("Tema corregido")
    save(at)
    assert errors(at) == []
    assert activity.get_session(store(), SYSTEM, session_id)["topics"] == "Tema corregido"


def test_a_stale_edit_shows_the_conflict_with_the_stored_values_and_overwrites_nothing() -> None:
    at = logbook()
    session_id = seeded_session()
    at.run()
    open_stored(at, session_id)
    version = activity.get_session(store(), SYSTEM, session_id)["version"]
    activity.edit_session(store(), SYSTEM, session_id, version, {  # someone else saves first
        "state_code": OAXACA, "held_on": date.today(), "session_type": "plenary", "topics": "Cambio de otra persona",
    })  # fmt: skip

    at.text_area(key="logbook_topics").input("Mi cambio")
    save(at)
    assert any("Otra persona guardó este registro" in text for text in errors(at))
    assert "Cambio de otra persona" in stored_now(at)  # the values stored now
    assert activity.get_session(store(), SYSTEM, session_id)["topics"] == "Cambio de otra persona"
    assert at.text_area(key="logbook_topics").value == "Mi cambio"  # the input is kept

    at.button(key="logbook_entry__reapply").click()  # re-apply over the newer version, deliberately
    at.run()
    assert activity.get_session(store(), SYSTEM, session_id)["topics"] == "Mi cambio"


def test_an_entry_is_archived_from_the_recent_list_only_once_the_archiving_is_confirmed() -> None:
    """Issue 21, item 8: "Archivar" asks for confirmation; a click without it archives nothing."""
    at = logbook()
    session_id = seeded_session()
    at.run()
    at.selectbox(key="logbook_recent_pick_session").set_value(session_id).run()
    assert at.button(key="logbook_archive").disabled  # nobody can press it yet
    assert session_id in session_ids()

    at.checkbox(key=f"logbook_archive_confirm_session_{session_id}").check().run()
    assert not at.button(key="logbook_archive").disabled
    at.button(key="logbook_archive").click()
    at.run()
    assert any("Entrada archivada" in text for text in s.texts(at.success))
    assert session_id not in session_ids()


def test_in_english_recent_entries_are_switched_and_picked_by_their_english_labels() -> None:
    """AppTest formats a chosen option outside the script run: the labels must not depend on the run's language."""
    at = open_app("en", actor=SPECIALIST, page="pages/logbook.py")
    session_id = seeded_session()
    at.run()
    pick = at.selectbox(key="logbook_recent_pick_session")
    pick.set_value(session_id).run()
    assert not at.exception
    pick = at.selectbox(key="logbook_recent_pick_session")
    plenary = i18n.t("enum.SessionType.plenary", "en")
    assert pick.options[pick.index] == f"{i18n.format_date(date.today(), 'en')} · Oaxaca · {plenary}"

    at.segmented_control(key="logbook_recent_kind").set_value("workshop").run()
    assert not at.exception
    assert any(w.key == "logbook_recent_pick_workshop" for w in at.selectbox)
    at.button(key="logbook_open").click()
    at.run()
    assert not at.exception
    assert i18n.t(
        "logbook.editing.workshop", "en", number=at.session_state["logbook_editing"]["id"]
    ) in s.texts(at.info)


def test_a_workshop_is_logged_with_its_participants() -> None:
    at = logbook()
    at.radio(key="logbook_kind").set_value("workshop").run()
    at.selectbox(key="logbook_state_code").set_value(TLAXCALA)
    at.date_input(key="logbook_held_on").set_value(HELD_ON)
    at.text_input(key="logbook_title").input("Taller de cocreación de compromisos")
    at.number_input(key="logbook_hours").set_value(3.5)
    at.number_input(key="logbook_p_guarantor_body_women").set_value(5)
    at.text_area(key="logbook_notes").input("Notas internas")
    before = set(activity.list_workshops(store(), SYSTEM, TLAXCALA, limit=10_000)["id"])
    save(at)
    new = set(activity.list_workshops(store(), SYSTEM, TLAXCALA, limit=10_000)["id"]) - before
    assert len(new) == 1
    stored = activity.get_workshop(store(), SYSTEM, new.pop())
    assert (stored["title"], stored["hours"], stored["notes"]) == ("Taller de cocreación de compromisos", 3.5,
                                                                   "Notas internas")  # fmt: skip
    assert stored["participants"] == {"guarantor_body": {"women": 5}}


# ---- who reaches it ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", [None, Actor(Role.SECRETARIAT, state_code=OAXACA, username="oaxaca.sec"),
                                   Actor(Role.WORKING_GROUP, username="gtp")], ids=["public", "secretariat",
                                                                                     "working_group"])  # fmt: skip
def test_only_the_specialist_and_admins_reach_the_logbook(actor: Actor | None) -> None:
    at = open_app(actor=actor)
    with pytest.raises(ValueError):
        at.switch_page("pages/logbook.py")


def test_an_admin_reaches_the_logbook() -> None:
    at = logbook(Actor(Role.ADMIN, username="admin"))
    assert at.button(key="logbook_save")
