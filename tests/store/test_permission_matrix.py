"""DESIGN §6 as a table: every role against every write, private read, export, import check and backup the store
exposes.

Each action runs against data of Oaxaca ("20"), so a secretariat bound to Oaxaca acts on its own state and one
bound to Tlaxcala ("29") on another's. The expected table is written out here, not derived from access.MATRIX,
so a change to the matrix has to be made twice on purpose. A refused write must leave no audit entry; an allowed
one leaves exactly one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from accompaniment.access import Actor
from accompaniment.domain.errors import PermissionDenied
from accompaniment.store import (
    activity,
    archive,
    audit,
    commitments,
    export_queries,
    imports,
    secretariats,
    snapshot,
    users,
)
from accompaniment.store.agreements import add_agreement, correct_agreement, follow_up_agreement
from accompaniment.store.database import Store
from tests.conftest import ACTORS, OAXACA
from tests.store.builders import (
    SPECIALIST,
    add_account,
    add_milestone,
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

ROLES = ("public", "secretariat_own", "secretariat_other", "specialist", "working_group", "admin")

# ok: allowed · no: PermissionDenied · shown / hidden: the read is allowed, the private part present or not.
# Columns in ROLES order: public, Oaxaca's secretariat, Tlaxcala's secretariat, specialist, working group, admin.
# fmt: off
EXPECTED: dict[str, tuple[str, ...]] = {
    #                          public    sec. own  sec. oth. special.  work. gr. admin
    "log_session":            ("no",     "no",     "no",     "ok",     "no",     "ok"),
    "log_workshop":           ("no",     "no",     "no",     "ok",     "no",     "ok"),
    "edit_session":           ("no",     "no",     "no",     "ok",     "no",     "ok"),
    "add_agreement":          ("no",     "no",     "no",     "ok",     "no",     "ok"),
    "follow_up_agreement":    ("no",     "no",     "no",     "ok",     "no",     "ok"),
    "correct_agreement":      ("no",     "no",     "no",     "ok",     "no",     "ok"),
    "update_milestone":       ("no",     "ok",     "no",     "ok",     "no",     "ok"),
    "create_commitment":      ("no",     "no",     "no",     "ok",     "no",     "ok"),
    "create_milestone":       ("no",     "no",     "no",     "ok",     "no",     "ok"),
    "assess_commitment":      ("no",     "no",     "no",     "no",     "ok",     "ok"),
    "change_phase":           ("no",     "no",     "no",     "ok",     "ok",     "ok"),
    "add_member":             ("no",     "no",     "no",     "ok",     "no",     "ok"),
    "create_user":            ("no",     "no",     "no",     "no",     "no",     "ok"),
    "list_users":             ("no",     "no",     "no",     "no",     "no",     "ok"),
    "reset_password":         ("no",     "no",     "no",     "no",     "no",     "ok"),
    "archive_session":        ("no",     "no",     "no",     "ok",     "no",     "ok"),
    "archive_milestone":      ("no",     "no",     "no",     "ok",     "no",     "ok"),
    "restore_session":        ("no",     "no",     "no",     "no",     "no",     "ok"),
    "read_audit_log":         ("no",     "no",     "no",     "no",     "ok",     "ok"),
    "export_accounts":        ("no",     "no",     "no",     "no",     "no",     "ok"),
    "export_audit_log":       ("no",     "no",     "no",     "no",     "ok",     "ok"),
    "export_sessions":        ("ok",     "ok",     "ok",     "ok",     "ok",     "ok"),
    "check_import":           ("no",     "no",     "no",     "ok",     "no",     "ok"),
    "backup":                 ("no",     "no",     "no",     "no",     "no",     "ok"),
    "session_summary":        ("hidden", "hidden", "hidden", "shown",  "shown",  "shown"),
    "members_personal_data":  ("hidden", "shown",  "hidden", "shown",  "shown",  "shown"),
    "milestone_detail":       ("hidden", "shown",  "hidden", "shown",  "shown",  "shown"),
}
# fmt: on


@dataclass(frozen=True)
class Case:
    """``prepare`` builds fresh Oaxaca data as the specialist or the system; ``act`` is the attempt under test and
    returns "shown"/"hidden" for a private read (anything else counts as done)."""

    prepare: Callable[[Store, str], Any]
    act: Callable[[Store, Actor, Any], Any]
    writes: bool = True


def _nothing(store: Store, role: str) -> None:
    return None


def _session(store: Store, role: str) -> int:
    return log_session(store)


def _first_agreement(store: Store, role: str) -> dict:
    return session_agreements(store, log_session(store))[0]


def _milestone(store: Store, role: str) -> int:
    return add_milestone(store)


def _archived_session(store: Store, role: str) -> int:
    session_id = log_session(store)
    archive.archive(store, SPECIALIST, "dialogue_session", session_id, 1)
    return session_id


def _member(store: Store, role: str) -> None:
    secretariats.add_member(
        store,
        SPECIALIST,
        {
            "state_code": OAXACA,
            "organization": "Colectivo",
            "sector": "other",
            "person_name": "Persona Integrante",
        },
    )


def _account(store: Store, role: str) -> int:
    return add_account(store, f"target.{role}")


def _milestone_with_history(store: Store, role: str) -> int:
    milestone_id = add_milestone(store)
    commitments.update_milestone(
        store, SPECIALIST, milestone_id, 1, {"progress": 20, "status": "in_progress", "note": "Nota interna"}
    )
    return milestone_id


def _shown(visible: bool) -> str:
    return "shown" if visible else "hidden"


CASES: dict[str, Case] = {
    "log_session": Case(_nothing, lambda s, a, _: activity.log_session(s, a, session_data())),
    "log_workshop": Case(_nothing, lambda s, a, _: activity.log_workshop(s, a, workshop_data())),
    "edit_session": Case(
        _session, lambda s, a, sid: activity.edit_session(s, a, sid, 1, session_data(topics="Otro tema"))
    ),
    "add_agreement": Case(_session, lambda s, a, sid: add_agreement(s, a, sid, {"text": "Nuevo"})),
    "follow_up_agreement": Case(
        _first_agreement,
        lambda s, a, ag: follow_up_agreement(
            s, a, ag["id"], ag["version"], {"status": "done", "changed_on": days_ago(1)}
        ),
    ),
    "correct_agreement": Case(
        _first_agreement,
        lambda s, a, row: correct_agreement(s, a, row["id"], row["version"], {"text": "Corregido"}),
    ),
    "update_milestone": Case(
        _milestone,
        lambda s, a, mid: commitments.update_milestone(
            s, a, mid, milestone_version(s, mid), {"progress": 50, "status": "in_progress"}
        ),
    ),
    "create_commitment": Case(
        _nothing,
        lambda s, a, _: commitments.create_commitment(
            s, a, {"plan_id": first_plan(s), "title": "Compromiso nuevo", "sdg_targets": ["16.6"]}
        ),
    ),
    "create_milestone": Case(
        _nothing,
        lambda s, a, _: commitments.create_milestone(
            s, a, {"commitment_id": first_commitment(s), "number": 9, "description": "Hito nuevo"}
        ),
    ),
    "assess_commitment": Case(
        _nothing,
        lambda s, a, _: commitments.assess_commitment(
            s,
            a,
            first_commitment(s),
            commitments.get_commitment(s, ACTORS["admin"], first_commitment(s))["version"],
            {"verifiable": True, "ambition": "modest"},
        ),
    ),
    "change_phase": Case(
        _nothing,
        lambda s, a, _: secretariats.change_phase(
            s,
            a,
            OAXACA,
            secretariats.get_secretariat(s, ACTORS["admin"], OAXACA).version,
            {"phase": 5, "changed_on": days_ago(1)},
        ),
    ),
    "add_member": Case(
        _nothing,
        lambda s, a, _: secretariats.add_member(
            s, a, {"state_code": OAXACA, "organization": "Red Ciudadana", "sector": "civil_society"}
        ),
    ),
    "create_user": Case(
        lambda s, role: f"new.{role}",
        lambda s, a, username: users.create_user(
            s, a, {"username": username, "display_name": "Nueva cuenta", "role": "working_group"}, None
        ),
    ),
    "list_users": Case(_nothing, lambda s, a, _: users.list_users(s, a), writes=False),
    "reset_password": Case(_account, lambda s, a, uid: users.reset_password(s, a, uid)),
    "archive_session": Case(_session, lambda s, a, sid: archive.archive(s, a, "dialogue_session", sid, 1)),
    "archive_milestone": Case(_milestone, lambda s, a, mid: archive.archive(s, a, "milestone", mid, 1)),
    "restore_session": Case(
        _archived_session, lambda s, a, sid: archive.restore(s, a, "dialogue_session", sid)
    ),
    "read_audit_log": Case(_nothing, lambda s, a, _: audit.audit_log(s, a), writes=False),
    "export_accounts": Case(
        _nothing, lambda s, a, _: export_queries.export_table(s, a, "app_user"), writes=False
    ),
    "export_audit_log": Case(
        _nothing, lambda s, a, _: export_queries.export_table(s, a, "audit_entry"), writes=False
    ),
    "export_sessions": Case(
        _session, lambda s, a, _: export_queries.export_table(s, a, "dialogue_session"), writes=False
    ),
    "check_import": Case(_nothing, lambda s, a, _: imports.check_import(s, a, "sessions", []), writes=False),
    "backup": Case(_nothing, lambda s, a, _: snapshot.row_counts(s, a), writes=False),
    "session_summary": Case(
        _session, lambda s, a, sid: _shown("summary" in activity.get_session(s, a, sid)), writes=False
    ),
    "members_personal_data": Case(
        _member,
        lambda s, a, _: _shown("person_name" in secretariats.list_members(s, a, OAXACA).columns),
        writes=False,
    ),
    "milestone_detail": Case(
        _milestone_with_history,
        lambda s, a, mid: _shown("note" in commitments.milestone_timeline(s, a, mid).columns),
        writes=False,
    ),
}


def attempt(store: Store, case: Case, role: str) -> tuple[str, int]:
    """What happened when ``role`` tried the case, and how many audit entries the attempt wrote."""
    prepared = case.prepare(store, role)
    before = count_rows(store, "audit_entry")["audit_entry"]
    try:
        result = case.act(store, ACTORS[role], prepared)
        outcome = result if isinstance(result, str) and result in ("shown", "hidden") else "ok"
    except PermissionDenied:
        outcome = "no"
    return outcome, count_rows(store, "audit_entry")["audit_entry"] - before


def test_the_table_covers_every_case_and_every_role() -> None:
    assert set(EXPECTED) == set(CASES)
    assert all(len(row) == len(ROLES) for row in EXPECTED.values())


@pytest.mark.parametrize("action", list(EXPECTED))
def test_each_role_may_do_exactly_what_the_design_allows(store: Store, action: str) -> None:
    case = CASES[action]
    wrong = []
    for role, expected in zip(ROLES, EXPECTED[action], strict=True):
        outcome, audited = attempt(store, case, role)
        expected_audit = 1 if case.writes and outcome == "ok" else 0
        if outcome != expected or audited != expected_audit:
            wrong.append(f"{role}: expected {expected}, got {outcome} with {audited} audit entries")
    assert wrong == []


def test_a_secretariat_updates_milestones_of_its_own_state_only(store: Store) -> None:
    """The own/other split, seen from the other side: Tlaxcala's secretariat on Tlaxcala's milestone."""
    tlaxcala_milestone = add_milestone(store, first_commitment(store, "29"))
    data = {"progress": 10, "status": "in_progress", "evidence_url": "https://tlaxcala.example.org/e"}

    commitments.update_milestone(store, ACTORS["secretariat_other"], tlaxcala_milestone, 1, data)
    with pytest.raises(PermissionDenied):
        commitments.update_milestone(store, ACTORS["secretariat_own"], tlaxcala_milestone, 2, data)
