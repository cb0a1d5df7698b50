"""Editing a session or workshop audits every child row it changes (participants, organisations, added
agreements), each as its own entry naming the table, the record and the values before and after; children left
as they were add no entries (issue 17, item 6)."""

from __future__ import annotations

from typing import Any

from accompaniment.store import activity
from accompaniment.store.database import Store
from tests.conftest import OAXACA
from tests.store.builders import (
    ORGANIZATIONS,
    SPECIALIST,
    audit_entries,
    log_session,
    session_data,
    workshop_data,
)

CHILD_TABLES = ("participation", "session_organization", "agreement")


def _child_entries(store: Store, since: int) -> list[dict[str, Any]]:
    return [e for e in audit_entries(store) if e["id"] > since and e["entity"] in CHILD_TABLES]


def _last_id(store: Store) -> int:
    return max((e["id"] for e in audit_entries(store)), default=0)


def test_an_edit_that_replaces_participants_and_organisations_and_adds_an_agreement_audits_each_changed_child(
    store: Store,
) -> None:
    session_id = log_session(store)
    since = _last_id(store)
    participants = {
        "civil_society": {"women": 6, "men": 3},  # women 4 -> 6
        "government": {"women": 2, "men": 5},  # other 1 -> gone
        "guarantor_body": {"women": 1, "men": 2},  # men new
    }
    organizations = [ORGANIZATIONS[0], "Red Ciudadana de Oaxaca", ORGANIZATIONS[2]]
    new_agreement = {"text": "Revisar el tablero de hitos", "responsible_sector": "government"}

    activity.edit_session(
        store,
        SPECIALIST,
        session_id,
        1,
        session_data(
            participants=participants,
            organizations=organizations,
            agreements=[new_agreement],
        ),
    )

    entries = _child_entries(store, since)
    assert all(e["actor"] == "especialista" and e["state_code"] == OAXACA for e in entries)
    by_table: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        by_table.setdefault(entry["entity"], []).append(entry)

    participation = {
        (e["action"], (e["before"] or e["after"])["sector"], (e["before"] or e["after"])["gender"]): e
        for e in by_table["participation"]
    }
    assert set(participation) == {
        ("update", "civil_society", "women"),
        ("delete", "government", "other"),
        ("create", "guarantor_body", "men"),
    }
    changed = participation[("update", "civil_society", "women")]
    assert changed["before"]["count"] == 4 and changed["after"]["count"] == 6
    assert changed["before"]["session_id"] == session_id
    assert participation[("delete", "government", "other")]["after"] is None
    assert participation[("create", "guarantor_body", "men")]["before"] is None
    assert all(e["entity_id"] is not None for e in by_table["participation"])

    (organization,) = by_table["session_organization"]
    assert organization["action"] == "update"
    assert organization["before"]["name"] == ORGANIZATIONS[1]
    assert organization["after"]["name"] == "Red Ciudadana de Oaxaca"

    (added,) = by_table["agreement"]
    assert added["action"] == "create" and added["before"] is None
    assert added["after"]["text"] == "Revisar el tablero de hitos"
    assert added["after"]["session_id"] == session_id
    stored = {a["id"] for a in activity.get_session(store, SPECIALIST, session_id)["agreements"]}
    assert added["entity_id"] in stored


def test_an_edit_that_leaves_the_children_as_they_were_adds_no_child_entries(store: Store) -> None:
    session_id = log_session(store)
    since = _last_id(store)

    activity.edit_session(
        store, SPECIALIST, session_id, 1, session_data(topics="Tema corregido", agreements=[])
    )

    assert _child_entries(store, since) == []
    assert [e["action"] for e in audit_entries(store) if e["id"] > since] == ["update"]


def test_a_workshop_edit_audits_each_changed_participant_row_and_nothing_for_unchanged_ones(
    store: Store,
) -> None:
    workshop_id = activity.log_workshop(store, SPECIALIST, workshop_data())
    original = workshop_data()["participants"]
    since = _last_id(store)

    activity.edit_workshop(store, SPECIALIST, workshop_id, 1, workshop_data(hours=4))
    assert _child_entries(store, since) == []

    since = _last_id(store)
    changed = {sector: dict(by_gender) for sector, by_gender in original.items()}
    sector, by_gender = next(iter(changed.items()))
    gender = next(iter(by_gender))
    by_gender[gender] += 1
    activity.edit_workshop(store, SPECIALIST, workshop_id, 2, workshop_data(participants=changed))

    (entry,) = _child_entries(store, since)
    assert entry["entity"] == "participation" and entry["action"] == "update"
    assert entry["before"]["workshop_id"] == workshop_id
    assert (entry["before"]["sector"], entry["before"]["gender"]) == (sector, gender)
    assert entry["after"]["count"] == entry["before"]["count"] + 1
