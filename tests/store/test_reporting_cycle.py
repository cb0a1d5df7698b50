"""The whole reporting cycle on each backend (issue 12): the working group opens a period, Oaxaca's secretariat
drafts, resumes and submits its report, the working group returns it with comments, the secretariat corrects and
resubmits, the working group approves, and the published figures change, with every transition recorded."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from accompaniment.store import reporting
from accompaniment.store.database import Store
from accompaniment.store.evidence_files import store_evidence_file
from accompaniment.store.schema import approved_milestone, audit_entry, milestone
from tests.conftest import ACTORS, OAXACA, TLAXCALA
from tests.store.builders import TODAY, add_milestone

SECRETARIAT = ACTORS["secretariat_own"]
WORKING_GROUP = ACTORS["working_group"]
PUBLIC = ACTORS["public"]
PDF_BYTES = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def evidence_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's evidence files in its own folder (PostgreSQL's default, data/evidence, is in the repository)."""
    folder = tmp_path / "evidence"
    monkeypatch.setenv("ACCOMPANIMENT_EVIDENCE_DIR", str(folder))
    return folder


def open_quarter(store: Store, states: list[str] | None = None) -> int:
    return reporting.open_period(
        store,
        WORKING_GROUP,
        {
            "name": "Cuarto trimestre 2026",
            "starts_on": date(2026, 10, 1),
            "ends_on": date(2026, 12, 31),
            "due_on": date(2027, 1, 15),
            "state_codes": states,
        },
    )


def published(store: Store, milestone_id: int) -> dict | None:
    with store.read() as connection:
        row = connection.execute(
            select(approved_milestone).where(approved_milestone.c.milestone_id == milestone_id)
        ).first()
    return dict(row._mapping) if row else None


def live(store: Store, milestone_id: int) -> dict:
    with store.read() as connection:
        return dict(
            connection.execute(select(milestone).where(milestone.c.id == milestone_id)).first()._mapping
        )


def test_a_report_goes_from_draft_through_return_to_approval_and_changes_the_published_figures(
    store: Store,
) -> None:
    first, second = add_milestone(store), add_milestone(store)
    reporting.publish_baseline(store, TODAY - timedelta(days=30))
    assert published(store, first)["progress"] == 0
    period_id = open_quarter(store, [OAXACA, TLAXCALA])

    # the secretariat drafts, saves, comes back and submits
    version = reporting.save_draft(
        store,
        SECRETARIAT,
        period_id,
        OAXACA,
        {
            "narrative": "Avance del trimestre",
            "internal_notes": "Falta la firma del órgano garante",
            "items": [{"milestone_id": first, "progress": 40, "status": "in_progress"}],
        },
        expected_version=None,
    )
    evidence = store_evidence_file(store, SECRETARIAT, OAXACA, "minuta.pdf", io.BytesIO(PDF_BYTES))
    resumed = reporting.get_report(store, SECRETARIAT, period_id, OAXACA)
    assert (resumed.status, resumed.version, resumed.narrative) == ("draft", version, "Avance del trimestre")
    version = reporting.save_draft(
        store,
        SECRETARIAT,
        period_id,
        OAXACA,
        {
            "narrative": "Avance del trimestre, con minuta",
            "internal_notes": resumed.internal_notes,
            "items": [
                {"milestone_id": first, "progress": 60, "status": "in_progress"},
                {
                    "milestone_id": second,
                    "progress": 100,
                    "status": "complete",
                    "evidence_file_id": evidence.id,
                },
            ],
        },
        expected_version=resumed.version,
    )
    version = reporting.submit_report(store, SECRETARIAT, resumed.id, version)
    assert reporting.reports_waiting_for_review(store, WORKING_GROUP)["state_code"].tolist() == [OAXACA]
    assert live(store, first)["progress"] == 0  # nothing is applied before approval

    # the working group returns it with a comment on one milestone
    version = reporting.return_report(
        store,
        WORKING_GROUP,
        resumed.id,
        {first: "El avance no cuadra con la minuta"},
        "Revisen el hito 1",
        version,
    )
    returned = reporting.get_report(store, SECRETARIAT, period_id, OAXACA)
    comments = {item.milestone_id: item.review_comment for item in returned.items}
    assert returned.status == "returned"
    assert returned.review_comment == "Revisen el hito 1"
    assert comments[first] == "El avance no cuadra con la minuta"

    # the secretariat corrects and resubmits; the working group approves
    version = reporting.save_draft(
        store,
        SECRETARIAT,
        period_id,
        OAXACA,
        {
            "narrative": returned.narrative,
            "internal_notes": returned.internal_notes,
            "items": [
                {"milestone_id": first, "progress": 50, "status": "in_progress"},
                {
                    "milestone_id": second,
                    "progress": 100,
                    "status": "complete",
                    "evidence_file_id": evidence.id,
                },
            ],
        },
        expected_version=returned.version,
    )
    version = reporting.submit_report(store, SECRETARIAT, returned.id, version)
    reporting.approve_report(store, WORKING_GROUP, returned.id, version)

    approved = reporting.get_report(store, PUBLIC, period_id, OAXACA)
    assert approved.status == "approved"
    assert approved.internal_notes is None
    assert [
        (t.from_status, t.to_status)
        for t in reporting.get_report(store, WORKING_GROUP, period_id, OAXACA).transitions
    ] == [
        (None, "draft"),
        ("draft", "submitted"),
        ("submitted", "returned"),
        ("returned", "submitted"),
        ("submitted", "approved"),
    ]
    assert published(store, first) == {
        "milestone_id": first,
        "progress": 50,
        "status": "in_progress",
        "approved_on": TODAY,
        "report_id": returned.id,
    }
    assert published(store, second)["status"] == "complete"
    assert live(store, second)["evidence_url"].endswith(f"evidencia?archivo={evidence.sha256}")
    assert reporting.approval_dates(store, PUBLIC)[OAXACA] == TODAY
    assert reporting.reports_waiting_for_review(store, WORKING_GROUP).empty
    with store.read() as connection:
        moves = (
            connection.execute(
                select(audit_entry.c.actor).where(
                    audit_entry.c.entity == "state_report", audit_entry.c.action == "transition"
                )
            )
            .scalars()
            .all()
        )
    assert moves == ["sec-oaxaca", "sec-oaxaca", "gtp", "sec-oaxaca", "gtp"]


def test_the_overview_shows_each_covered_state_standing_in_the_current_period(store: Store) -> None:
    add_milestone(store)
    period_id = open_quarter(store, [OAXACA, TLAXCALA])
    reporting.save_draft(store, SECRETARIAT, period_id, OAXACA, {"narrative": "x"}, expected_version=None)

    during = reporting.period_status_by_state(store, PUBLIC, date(2026, 12, 1))
    after_due = reporting.period_status_by_state(store, PUBLIC, date(2027, 2, 1))

    assert dict(zip(during["state_code"], during["status"], strict=True)) == {
        OAXACA: "draft",
        TLAXCALA: "not_started",
    }
    assert set(after_due["status"]) == {"late"}
    assert reporting.current_period(store, PUBLIC, date(2026, 12, 1))["id"] == period_id
    assert reporting.current_period(store, PUBLIC, date(2026, 1, 1)) is None
    assert reporting.list_periods(store, PUBLIC)["states"].tolist() == [[OAXACA, TLAXCALA]]
