"""Accountability: every write function leaves exactly one audit entry, in the same transaction, saying who did
what to which record of which state, with the values before (for edits) and after as JSON."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from accompaniment.domain.errors import PermissionDenied
from accompaniment.store import activity, archive, commitments, secretariats, training, users
from accompaniment.store.agreements import add_agreement, follow_up_agreement
from accompaniment.store.database import Store
from tests.conftest import ACTORS, FIXED_NOW, OAXACA
from tests.store.builders import (
    SPECIALIST,
    add_account,
    add_milestone,
    audit_entries,
    count_rows,
    days_ago,
    first_commitment,
    first_plan,
    log_session,
    milestone_version,
    session_agreements,
    session_data,
    workshop_data,
)

ADMIN = ACTORS["admin"]
WORKING_GROUP = ACTORS["working_group"]
PASSWORD = "una contraseña larga y buena"


@dataclass(frozen=True)
class Expected:
    """The audit entry a write should leave."""

    actor: str
    action: str
    entity: str
    entity_id: int | None
    state_code: str | None
    has_before: bool
    after_includes: dict[str, Any] = field(default_factory=dict)


def _session_edit(store: Store) -> Expected:
    session_id = log_session(store)
    activity.edit_session(store, SPECIALIST, session_id, 1, session_data(topics="Tema corregido"))
    return Expected(
        "especialista",
        "update",
        "dialogue_session",
        session_id,
        OAXACA,
        True,
        {"topics": "Tema corregido", "version": 2},
    )


def _workshop_log(store: Store) -> Expected:
    workshop_id = activity.log_workshop(store, SPECIALIST, workshop_data())
    return Expected(
        "especialista",
        "create",
        "workshop",
        workshop_id,
        OAXACA,
        False,
        {"title": "Taller: árbol de problemas públicos"},
    )


def _workshop_edit(store: Store) -> Expected:
    workshop_id = activity.log_workshop(store, SPECIALIST, workshop_data())
    activity.edit_workshop(store, SPECIALIST, workshop_id, 1, workshop_data(hours=4))
    return Expected("especialista", "update", "workshop", workshop_id, OAXACA, True, {"hours": 4.0})


def _agreement_add(store: Store) -> Expected:
    session_id = log_session(store)
    agreement_id = add_agreement(store, SPECIALIST, session_id, {"text": "Acuerdo añadido"})
    return Expected(
        "especialista",
        "create",
        "agreement",
        agreement_id,
        OAXACA,
        False,
        {"text": "Acuerdo añadido", "status": "pending"},
    )


def _agreement_follow_up(store: Store) -> Expected:
    agreement = session_agreements(store, log_session(store))[0]
    follow_up_agreement(
        store,
        SPECIALIST,
        agreement["id"],
        agreement["version"],
        {"status": "done", "changed_on": days_ago(1)},
    )
    return Expected(
        "especialista",
        "update",
        "agreement",
        agreement["id"],
        OAXACA,
        True,
        {"status": "done", "closed_on": days_ago(1).isoformat()},
    )


def _plan_create(store: Store) -> Expected:
    plan_id = commitments.create_plan(store, SPECIALIST, {"state_code": OAXACA, "number": 2})
    return Expected("especialista", "create", "action_plan", plan_id, OAXACA, False, {"number": 2})


def _commitment_create(store: Store) -> Expected:
    commitment_id = commitments.create_commitment(
        store, SPECIALIST, {"plan_id": first_plan(store), "title": "Nuevo", "sdg_targets": ["16.6"]}
    )
    return Expected(
        "especialista",
        "create",
        "commitment",
        commitment_id,
        OAXACA,
        False,
        {"title": "Nuevo", "sdg_targets": ["16.6"]},
    )


def _commitment_edit(store: Store) -> Expected:
    commitment_id = first_commitment(store)
    commitments.edit_commitment(
        store,
        SPECIALIST,
        commitment_id,
        1,
        {
            "plan_id": first_plan(store),
            "number": 1,
            "title": "Título corregido",
            "ogp_values": ["public_accountability"],
        },
    )
    return Expected(
        "especialista",
        "update",
        "commitment",
        commitment_id,
        OAXACA,
        True,
        {"title": "Título corregido", "ogp_values": ["public_accountability"]},
    )


def _commitment_assess(store: Store) -> Expected:
    commitment_id = first_commitment(store)
    version = commitments.get_commitment(store, ADMIN, commitment_id)["version"]
    commitments.assess_commitment(store, WORKING_GROUP, commitment_id, version, {"ambition": "modest"})
    return Expected("gtp", "assess", "commitment", commitment_id, OAXACA, True, {"ambition": "modest"})


def _milestone_create(store: Store) -> Expected:
    milestone_id = add_milestone(store)
    return Expected("especialista", "create", "milestone", milestone_id, OAXACA, False, {"number": 1})


def _milestone_update(store: Store) -> Expected:
    milestone_id = add_milestone(store)
    commitments.update_milestone(
        store,
        ACTORS["secretariat_own"],
        milestone_id,
        1,
        {"progress": 100, "status": "complete", "evidence_url": "https://e.example.org"},
    )
    return Expected(
        "sec-oaxaca",
        "update",
        "milestone",
        milestone_id,
        OAXACA,
        True,
        {"progress": 100.0, "status": "complete", "completed_on": FIXED_NOW.date().isoformat()},
    )


def _phase_change(store: Store) -> Expected:
    summary = secretariats.get_secretariat(store, ADMIN, OAXACA)
    secretariats.change_phase(
        store, WORKING_GROUP, OAXACA, summary.version, {"phase": 5, "changed_on": days_ago(2)}
    )
    return Expected("gtp", "update", "secretariat", summary.id, OAXACA, True, {"phase": 5})


def _member_add(store: Store) -> Expected:
    member_id = secretariats.add_member(
        store, SPECIALIST, {"state_code": OAXACA, "organization": "Colectivo", "sector": "civil_society"}
    )
    return Expected(
        "especialista", "create", "member", member_id, OAXACA, False, {"organization": "Colectivo"}
    )


def _member_edit(store: Store) -> Expected:
    data = {"state_code": OAXACA, "organization": "Colectivo", "sector": "civil_society"}
    member_id = secretariats.add_member(store, SPECIALIST, data)
    secretariats.edit_member(store, SPECIALIST, member_id, 1, {**data, "seat": "alternate"})
    return Expected("especialista", "update", "member", member_id, OAXACA, True, {"seat": "alternate"})


def _fellow_add(store: Store) -> Expected:
    fellow_id = training.add_fellow(store, SPECIALIST, 2017, OAXACA, "women", "Transparencia en comedores")
    return Expected(
        "especialista",
        "create",
        "fellow",
        fellow_id,
        OAXACA,
        False,
        {"project_title": "Transparencia en comedores"},
    )


def _user_create(store: Store) -> Expected:
    user_id = users.create_user(
        store, ADMIN, {"username": "nueva", "display_name": "Nueva", "role": "working_group"}, None
    )
    return Expected("admin", "create", "app_user", user_id, None, False, {"username": "nueva"})


def _user_edit(store: Store) -> Expected:
    user_id = add_account(store, "editada")
    users.edit_user(
        store,
        ADMIN,
        user_id,
        1,
        {"username": "editada", "display_name": "Nombre nuevo", "role": "working_group"},
    )
    return Expected("admin", "update", "app_user", user_id, None, True, {"display_name": "Nombre nuevo"})


def _session_archive(store: Store) -> Expected:
    session_id = log_session(store)
    archive.archive(store, SPECIALIST, "dialogue_session", session_id, 1)
    return Expected(
        "especialista",
        "archive",
        "dialogue_session",
        session_id,
        OAXACA,
        True,
        {"archived_at": FIXED_NOW.isoformat()},
    )


def _milestone_archive(store: Store) -> Expected:
    milestone_id = add_milestone(store)
    archive.archive(store, ADMIN, "milestone", milestone_id, milestone_version(store, milestone_id))
    return Expected("admin", "archive", "milestone", milestone_id, OAXACA, True, {"version": 2})


def _session_restore(store: Store) -> Expected:
    session_id = log_session(store)
    archive.archive(store, SPECIALIST, "dialogue_session", session_id, 1)
    archive.restore(store, ADMIN, "dialogue_session", session_id)
    return Expected("admin", "restore", "dialogue_session", session_id, OAXACA, True, {"archived_at": None})


def _session_log(store: Store) -> Expected:
    session_id = log_session(store)
    return Expected(
        "especialista",
        "create",
        "dialogue_session",
        session_id,
        OAXACA,
        False,
        {"state_code": OAXACA, "held_on": days_ago(10).isoformat(), "topics": session_data()["topics"]},
    )


# Each builds what it needs (which may write its own entries) and then performs the one write under test last.
WRITES: dict[str, Callable[[Store], Expected]] = {
    "activity.log_session": _session_log,
    "activity.edit_session": _session_edit,
    "activity.log_workshop": _workshop_log,
    "activity.edit_workshop": _workshop_edit,
    "add_agreement": _agreement_add,
    "follow_up_agreement": _agreement_follow_up,
    "commitments.create_plan": _plan_create,
    "commitments.create_commitment": _commitment_create,
    "commitments.edit_commitment": _commitment_edit,
    "commitments.assess_commitment": _commitment_assess,
    "commitments.create_milestone": _milestone_create,
    "commitments.update_milestone": _milestone_update,
    "secretariats.change_phase": _phase_change,
    "secretariats.add_member": _member_add,
    "secretariats.edit_member": _member_edit,
    "training.add_fellow": _fellow_add,
    "users.create_user": _user_create,
    "users.edit_user": _user_edit,
    "archive.archive (session)": _session_archive,
    "archive.archive (milestone)": _milestone_archive,
    "archive.restore": _session_restore,
}


def _problems(name: str, expected: Expected, entry: dict[str, Any]) -> list[str]:
    problems = []
    for attribute in ("actor", "action", "entity", "entity_id", "state_code"):
        if entry[attribute] != getattr(expected, attribute):
            problems.append(
                f"{name}: {attribute} is {entry[attribute]!r}, expected {getattr(expected, attribute)!r}"
            )
    if entry["recorded_at"] != FIXED_NOW:
        problems.append(f"{name}: recorded_at is {entry['recorded_at']!r}")
    if (entry["before"] is not None) is not expected.has_before:
        problems.append(f"{name}: before is {entry['before']!r}")
    if not isinstance(entry["after"], dict):
        problems.append(f"{name}: after is {entry['after']!r}")
        return problems
    for key, value in expected.after_includes.items():
        if entry["after"].get(key, "<missing>") != value:
            problems.append(
                f"{name}: after[{key!r}] is {entry['after'].get(key, '<missing>')!r}, expected {value!r}"
            )
    return problems


def test_every_write_function_leaves_one_audit_entry_describing_it(store: Store) -> None:
    problems = []
    for name, write in WRITES.items():
        last_before = max((e["id"] for e in audit_entries(store)), default=0)
        expected = write(store)
        new = [e for e in audit_entries(store, expected.entity, expected.entity_id) if e["id"] > last_before]
        if not new:
            problems.append(f"{name}: no audit entry")
            continue
        if new[-1]["action"] == expected.action and sum(e["action"] == expected.action for e in new) != 1:
            problems.append(f"{name}: {len(new)} entries for one write")
        problems += _problems(name, expected, new[-1])
    assert problems == []


def test_an_edit_records_the_values_before_and_after(store: Store) -> None:
    session_id = log_session(store)

    activity.edit_session(
        store, SPECIALIST, session_id, 1, session_data(topics="Tema corregido", consensus=2)
    )

    (entry,) = [e for e in audit_entries(store, "dialogue_session", session_id) if e["action"] == "update"]
    assert (entry["before"]["topics"], entry["after"]["topics"]) == (
        session_data()["topics"],
        "Tema corregido",
    )
    assert (entry["before"]["consensus"], entry["after"]["consensus"]) == (4, 2)
    assert (entry["before"]["version"], entry["after"]["version"]) == (1, 2)
    assert entry["actor_role"] == "specialist"


def test_a_session_and_its_agreements_are_one_audit_entry_written_with_them(store: Store) -> None:
    before = count_rows(store, "audit_entry", "dialogue_session", "agreement")

    log_session(store)

    after = count_rows(store, "audit_entry", "dialogue_session", "agreement")
    assert after["audit_entry"] - before["audit_entry"] == 1
    (entry,) = audit_entries(store, "dialogue_session")
    assert [a["text"] for a in entry["after"]["agreements"]] == [
        a["text"] for a in session_data()["agreements"]
    ]


def test_a_refused_write_leaves_no_audit_entry(store: Store) -> None:
    before = count_rows(store, "audit_entry")

    with pytest.raises(PermissionDenied):
        activity.log_session(store, ACTORS["working_group"], session_data())

    assert count_rows(store, "audit_entry") == before


def test_account_writes_and_sign_ins_are_audited_without_any_password_or_hash(store: Store) -> None:
    user_id = users.create_user(
        store,
        ADMIN,
        {"username": "auditada", "display_name": "Cuenta auditada", "role": "specialist"},
        PASSWORD,
    )
    signed_in = users.authenticate(store, "auditada", PASSWORD)
    with pytest.raises(users.SignInFailed):
        users.authenticate(store, "auditada", "no es la contraseña")
    users.change_own_password(store, signed_in.actor, PASSWORD, PASSWORD + " nueva")
    temporary = users.reset_password(store, ADMIN, user_id)

    entries = audit_entries(store, "app_user", user_id)

    assert [(e["actor"], e["action"]) for e in entries] == [
        ("admin", "create"),
        ("auditada", "sign_in"),
        ("auditada", "sign_in_failed"),
        ("auditada", "change_password"),
        ("admin", "reset_password"),
    ]
    assert entries[2]["after"] == {"failed_attempts": 1, "locked": False}
    text = repr(entries)
    for secret in (PASSWORD, "no es la contraseña", temporary, "$argon2", "password_hash"):
        assert secret not in text
