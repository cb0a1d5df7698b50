"""DESIGN §6 as a table: every role against every write, private read, export, import check and backup the store
exposes.

Each action runs against data of Oaxaca ("20"), so a secretariat bound to Oaxaca acts on its own state and one
bound to Tlaxcala ("29") on another's. The expected table is written out here, not derived from access.MATRIX,
so a change to the matrix has to be made twice on purpose. A refused write must leave no audit entry; an allowed
one leaves exactly one.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, insert, select

from accompaniment.access import SYSTEM, Actor
from accompaniment.domain.errors import PermissionDenied
from accompaniment.io import importing
from accompaniment.store import (
    activity,
    archive,
    audit,
    commitments,
    export_queries,
    imports,
    secretariats,
    snapshot,
    training,
    users,
)
from accompaniment.store.agreements import add_agreement, correct_agreement, follow_up_agreement
from accompaniment.store.database import Store
from accompaniment.store.schema import (
    action_plan,
    commitment,
    fellows_call,
    metadata,
    phase_event,
    stl_event,
)
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
    # issue 17: the remaining write functions, and archive/restore of every archivable entity
    "edit_workshop":          ("no",     "no",     "no",     "ok",     "no",     "ok"),
    "create_plan":            ("no",     "no",     "no",     "ok",     "no",     "ok"),
    "edit_commitment":        ("no",     "no",     "no",     "ok",     "no",     "ok"),
    "edit_member":            ("no",     "no",     "no",     "ok",     "no",     "ok"),
    "add_fellow":             ("no",     "no",     "no",     "ok",     "no",     "ok"),
    "edit_user":              ("no",     "no",     "no",     "no",     "no",     "ok"),
    "import_sessions":        ("no",     "no",     "no",     "ok",     "no",     "ok"),
    "import_milestones":      ("no",     "no",     "no",     "ok",     "no",     "ok"),
    "archive_workshop":       ("no",     "no",     "no",     "ok",     "no",     "ok"),
    "archive_agreement":      ("no",     "no",     "no",     "ok",     "no",     "ok"),
    "archive_member":         ("no",     "no",     "no",     "ok",     "no",     "ok"),
    "archive_action_plan":    ("no",     "no",     "no",     "ok",     "no",     "ok"),
    "archive_commitment":     ("no",     "no",     "no",     "ok",     "no",     "ok"),
    "archive_fellow":         ("no",     "no",     "no",     "ok",     "no",     "ok"),
    "archive_stl_event":      ("no",     "no",     "no",     "ok",     "no",     "ok"),
    "archive_phase_event":    ("no",     "no",     "no",     "ok",     "ok",     "ok"),
    "archive_app_user":       ("no",     "no",     "no",     "no",     "no",     "ok"),
    "restore_workshop":       ("no",     "no",     "no",     "no",     "no",     "ok"),
    "restore_agreement":      ("no",     "no",     "no",     "no",     "no",     "ok"),
    "restore_member":         ("no",     "no",     "no",     "no",     "no",     "ok"),
    "restore_action_plan":    ("no",     "no",     "no",     "no",     "no",     "ok"),
    "restore_commitment":     ("no",     "no",     "no",     "no",     "no",     "ok"),
    "restore_milestone":      ("no",     "no",     "no",     "no",     "no",     "ok"),
    "restore_fellow":         ("no",     "no",     "no",     "no",     "no",     "ok"),
    "restore_stl_event":      ("no",     "no",     "no",     "no",     "no",     "ok"),
    "restore_phase_event":    ("no",     "no",     "no",     "no",     "no",     "ok"),
    "restore_app_user":       ("no",     "no",     "no",     "no",     "no",     "ok"),
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


# Milestone numbers are unique within a commitment, so each allowed creation takes one not used before.
_FREE_NUMBERS = itertools.count(90)

CASES: dict[str, Case] = {
    "log_session": Case(_nothing, lambda s, a, _: activity.log_session(s, a, session_data())),
    "log_workshop": Case(_nothing, lambda s, a, _: activity.log_workshop(s, a, workshop_data())),
    "edit_session": Case(
        _session,
        lambda s, a, sid: activity.edit_session(
            s, a, sid, 1, session_data(topics="Otro tema", agreements=[])
        ),
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
            s,
            a,
            {
                "commitment_id": first_commitment(s),
                "number": next(_FREE_NUMBERS),
                "description": "Hito nuevo",
            },
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


# ---- issue 17: the remaining write functions --------------------------------------------------------------------


def _index(role: str) -> int:
    return ROLES.index(role)


def _workshop(store: Store, role: str) -> int:
    return activity.log_workshop(store, SPECIALIST, workshop_data())


def _new_member(store: Store, role: str) -> int:
    return secretariats.add_member(
        store, SPECIALIST, {"state_code": OAXACA, "organization": f"Colectivo {role}", "sector": "other"}
    )


def _new_plan(store: Store, role: str) -> int:
    return commitments.create_plan(store, SPECIALIST, {"state_code": OAXACA, "number": 40 + _index(role)})


def _new_commitment(store: Store, role: str) -> int:
    return commitments.create_commitment(
        store, SPECIALIST, {"plan_id": first_plan(store), "title": f"Compromiso para {role}"}
    )


def _call_year(store: Store) -> int:
    with store.read() as connection:
        return connection.execute(select(func.min(fellows_call.c.year))).scalar_one()


def _new_fellow(store: Store, role: str) -> int:
    return training.add_fellow(store, SPECIALIST, _call_year(store), OAXACA, "women", f"Proyecto {role}")


def _new_stl_event(store: Store, role: str) -> int:
    """An event of Oaxaca's STL history; these come with the reference data, so the system writes one."""

    def work(connection: Any) -> int:
        values = store.stamp(
            {"state_code": OAXACA, "happened_on": days_ago(30), "kind": "declaration", "description": role},
            new=True,
        )
        return connection.execute(insert(stl_event).values(**values).returning(stl_event.c.id)).scalar_one()

    return store.write(work)


def _new_phase_event(store: Store, role: str) -> int:
    version = secretariats.get_secretariat(store, ACTORS["admin"], OAXACA).version
    secretariats.change_phase(store, SPECIALIST, OAXACA, version, {"phase": 4, "changed_on": days_ago(2)})
    with store.read() as connection:
        return connection.execute(
            select(func.max(phase_event.c.id)).where(phase_event.c.state_code == OAXACA)
        ).scalar_one()


def _agreement_id(store: Store, role: str) -> int:
    return _first_agreement(store, role)["id"]


ARCHIVABLE: dict[str, Callable[[Store, str], int]] = {
    "workshop": _workshop,
    "agreement": _agreement_id,
    "member": _new_member,
    "action_plan": _new_plan,
    "commitment": _new_commitment,
    "milestone": _milestone,
    "fellow": _new_fellow,
    "stl_event": _new_stl_event,
    "phase_event": _new_phase_event,
    "app_user": _account,
}


def _version(store: Store, entity: str, row_id: int) -> int:
    table = metadata.tables[entity]
    with store.read() as connection:
        return connection.execute(select(table.c.version).where(table.c.id == row_id)).scalar_one()


def _archived(make: Callable[[Store, str], int], entity: str) -> Callable[[Store, str], int]:
    def prepare(store: Store, role: str) -> int:
        row_id = make(store, role)
        archive.archive(store, ACTORS["admin"], entity, row_id, _version(store, entity, row_id))
        return row_id

    return prepare


def _archive_case(entity: str) -> Case:
    return Case(
        ARCHIVABLE[entity],
        lambda s, a, rid: archive.archive(s, a, entity, rid, _version(s, entity, rid)),
    )


def _restore_case(entity: str) -> Case:
    return Case(_archived(ARCHIVABLE[entity], entity), lambda s, a, rid: archive.restore(s, a, entity, rid))


def _session_records(store: Store, role: str) -> list[Any]:
    """One new Oaxaca session per role, read through the importer as the system (the dry run is not under test)."""
    content = f"Estado,Fecha,Tipo de sesión\r\nOaxaca,{days_ago(40 + _index(role)):%d/%m/%Y},plenary\r\n"
    preview = importing.preview_import(store, SYSTEM, "sessions", content.encode())
    assert not preview.problems, preview.problems
    return preview.records


def _milestone_records(store: Store, role: str) -> list[Any]:
    with store.read() as connection:
        plan_number, commitment_number = connection.execute(
            select(action_plan.c.number, commitment.c.number)
            .join(action_plan, action_plan.c.id == commitment.c.plan_id)
            .where(commitment.c.id == first_commitment(store))
        ).one()
    headers = "Estado,Número de plan,Número de compromiso,Número de hito,Descripción,Avance (%),Estatus"
    row = f"Oaxaca,{plan_number},{commitment_number},{30 + _index(role)},Hito importado,10,in_progress"
    preview = importing.preview_import(store, SYSTEM, "milestones", f"{headers}\r\n{row}\r\n".encode())
    assert not preview.problems, preview.problems
    return preview.records


CASES.update(
    {
        "edit_workshop": Case(
            _workshop,
            lambda s, a, wid: activity.edit_workshop(s, a, wid, 1, workshop_data(title="Taller corregido")),
        ),
        "create_plan": Case(
            lambda s, role: 40 + _index(role),
            lambda s, a, number: commitments.create_plan(s, a, {"state_code": OAXACA, "number": number}),
        ),
        "edit_commitment": Case(
            _new_commitment,
            lambda s, a, cid: commitments.edit_commitment(
                s, a, cid, _version(s, "commitment", cid), {"plan_id": first_plan(s), "title": "Corregido"}
            ),
        ),
        "edit_member": Case(
            _new_member,
            lambda s, a, mid: secretariats.edit_member(
                s, a, mid, 1, {"state_code": OAXACA, "organization": "Otra", "sector": "academia"}
            ),
        ),
        "add_fellow": Case(
            _nothing,
            lambda s, a, _: training.add_fellow(s, a, _call_year(s), OAXACA, "men", "Proyecto de becario"),
        ),
        "edit_user": Case(
            _account,
            lambda s, a, uid: users.edit_user(
                s,
                a,
                uid,
                _version(s, "app_user", uid),
                {
                    "username": users.list_users(s, ACTORS["admin"]).set_index("id").loc[uid, "username"],
                    "display_name": "Nombre corregido",
                    "role": "working_group",
                },
            ),
        ),
        "import_sessions": Case(
            _session_records,
            lambda s, a, records: imports.commit_import(s, a, "sessions", records),
        ),
        "import_milestones": Case(
            _milestone_records,
            lambda s, a, records: imports.commit_import(s, a, "milestones", records),
        ),
        **{f"archive_{entity}": _archive_case(entity) for entity in ARCHIVABLE if entity != "milestone"},
        **{f"restore_{entity}": _restore_case(entity) for entity in ARCHIVABLE},
    }
)


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
