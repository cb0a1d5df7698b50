"""Who may do what in the reporting cycle, checked in the store (issue 12): a secretariat drafts, submits and reads
only its own state's report and files; the public never gets private files, private notes or unapproved reports;
only the working group and admins open periods, return and approve."""

from __future__ import annotations

import io

import pytest

from accompaniment.domain.errors import PermissionDenied
from accompaniment.store import reporting
from accompaniment.store.database import Store
from accompaniment.store.evidence_files import list_evidence_files, open_evidence_file, store_evidence_file
from tests.conftest import ACTORS, OAXACA
from tests.store.builders import add_milestone
from tests.store.test_reporting_cycle import PDF_BYTES, evidence_folder, open_quarter

OWN = ACTORS["secretariat_own"]
OTHER = ACTORS["secretariat_other"]
PUBLIC = ACTORS["public"]
WORKING_GROUP = ACTORS["working_group"]
SPECIALIST = ACTORS["specialist"]
__all__ = ["evidence_folder"]  # autouse: this module's files go to the test's folder too


@pytest.fixture
def submitted(store: Store) -> tuple[int, int, int]:
    """Oaxaca's report, submitted, with a private file: (period id, report id, version)."""
    milestone_id = add_milestone(store)
    period_id = open_quarter(store)
    evidence = store_evidence_file(store, OWN, OAXACA, "acta.pdf", io.BytesIO(PDF_BYTES))
    version = reporting.save_draft(
        store,
        OWN,
        period_id,
        OAXACA,
        {
            "narrative": "Narrativa pública",
            "internal_notes": "Nota privada",
            "items": [
                {
                    "milestone_id": milestone_id,
                    "progress": 30,
                    "status": "in_progress",
                    "evidence_file_id": evidence.id,
                }
            ],
        },
        None,
    )
    report_id = reporting.get_report(store, OWN, period_id, OAXACA).id
    return period_id, report_id, reporting.submit_report(store, OWN, report_id, version)


@pytest.mark.parametrize("actor", ["secretariat_other", "public", "working_group"])
def test_only_the_state_s_secretariat_the_specialist_or_an_admin_may_draft_its_report(
    store: Store, actor: str
) -> None:
    period_id = open_quarter(store)

    with pytest.raises(PermissionDenied):
        reporting.save_draft(store, ACTORS[actor], period_id, OAXACA, {"narrative": "x"}, None)

    assert reporting.get_report(store, WORKING_GROUP, period_id, OAXACA).id is None
    assert reporting.save_draft(store, SPECIALIST, period_id, OAXACA, {"narrative": "x"}, None) == 1


def test_another_state_s_secretariat_cannot_submit_or_read_the_report(
    store: Store, submitted: tuple[int, int, int]
) -> None:
    period_id, report_id, version = submitted

    with pytest.raises(PermissionDenied):
        reporting.get_report(store, OTHER, period_id, OAXACA)
    with pytest.raises(PermissionDenied):
        reporting.submit_report(store, OTHER, report_id, version)


def test_private_files_reach_neither_another_state_nor_the_public(
    store: Store, submitted: tuple[int, int, int]
) -> None:
    file_id = int(list_evidence_files(store, OWN)["id"].iloc[0])

    for viewer in (OTHER, PUBLIC):
        with pytest.raises(PermissionDenied):
            open_evidence_file(store, viewer, file_id)
        assert list_evidence_files(store, viewer).empty
    info, chunks = open_evidence_file(store, OWN, file_id)
    assert b"".join(chunks) == PDF_BYTES and not info.is_public


def test_a_public_file_reaches_the_public_without_its_uploader(store: Store) -> None:
    info = store_evidence_file(store, OWN, OAXACA, "foto.pdf", io.BytesIO(PDF_BYTES + b"x"), is_public=True)

    listed = list_evidence_files(store, PUBLIC)
    _, chunks = open_evidence_file(store, PUBLIC, info.id)

    assert listed["sha256"].tolist() == [info.sha256]
    assert listed["uploaded_by"].tolist() == [""]
    assert b"".join(chunks) == PDF_BYTES + b"x"


def test_the_public_gets_no_unapproved_report_and_no_private_notes_of_an_approved_one(
    store: Store, submitted: tuple[int, int, int]
) -> None:
    period_id, report_id, version = submitted

    with pytest.raises(PermissionDenied):
        reporting.get_report(store, PUBLIC, period_id, OAXACA)
    reporting.approve_report(store, WORKING_GROUP, report_id, version)
    seen = reporting.get_report(store, PUBLIC, period_id, OAXACA)

    assert seen.narrative == "Narrativa pública"
    assert seen.internal_notes is None
    assert seen.transitions == ()
    assert all(item.evidence_file is None for item in seen.items)  # the file is private


@pytest.mark.parametrize("actor", ["secretariat_own", "specialist", "public"])
def test_only_the_working_group_or_an_admin_opens_returns_or_approves(
    store: Store, submitted: tuple[int, int, int], actor: str
) -> None:
    _, report_id, version = submitted

    with pytest.raises(PermissionDenied):
        open_quarter_as(store, actor)
    with pytest.raises(PermissionDenied):
        reporting.return_report(store, ACTORS[actor], report_id, {}, "Revisar", version)
    with pytest.raises(PermissionDenied):
        reporting.approve_report(store, ACTORS[actor], report_id, version)
    with pytest.raises(PermissionDenied):
        reporting.reports_waiting_for_review(store, ACTORS[actor])

    assert reporting.approve_report(store, ACTORS["admin"], report_id, version) == version + 1


def open_quarter_as(store: Store, actor: str) -> int:
    return reporting.open_period(
        store,
        ACTORS[actor],
        {"name": "T1", "starts_on": "2027-01-01", "ends_on": "2027-03-31", "due_on": "2027-04-15"},
    )
