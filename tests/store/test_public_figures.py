"""The public sees approved figures only (issue 12): every public read of milestone figures (commitment progress,
the state table, the national figures, overdue milestones, the milestone lists, the printable report's milestones,
the open-data export) comes from ``approved_milestone``; signed-in people see the live figures, with a mark where a
milestone's live figures are not the approved ones. Runs on DuckDB and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from accompaniment.store import commitments, dashboard, export_queries, report_queries, reporting
from accompaniment.store.database import Store
from tests.conftest import ACTORS, OAXACA
from tests.store.builders import SPECIALIST, TODAY, add_milestone, first_commitment, milestone_version

PUBLIC = ACTORS["public"]
WORKING_GROUP = ACTORS["working_group"]
SECRETARIAT = ACTORS["secretariat_own"]
BASELINE_DAY = TODAY - timedelta(days=30)


@pytest.fixture(autouse=True)
def evidence_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "evidence"
    monkeypatch.setenv("ACCOMPANIMENT_EVIDENCE_DIR", str(folder))
    return folder


def _set_progress(store: Store, milestone_id: int, progress: float) -> None:
    data = {
        "progress": progress,
        "status": "in_progress",
        "evidence_url": None,
        "evidence_note": "",
        "note": "",
    }
    commitments.update_milestone(
        store, SPECIALIST, milestone_id, milestone_version(store, milestone_id), data
    )


def _commitment_progress(store: Store, viewer, commitment_id: int) -> float:  # noqa: ANN001
    frame = dashboard.list_commitments(store, viewer, state_code=OAXACA, limit=None).set_index("id")
    return float(frame.loc[commitment_id, "progress"])


def _oaxaca_progress(store: Store, viewer) -> float:  # noqa: ANN001
    return float(dashboard.state_overview(store, viewer).set_index("state_code").loc[OAXACA, "progress"])


def _approve(store: Store, milestone_id: int, progress: float) -> None:
    period_id = reporting.open_period(
        store,
        WORKING_GROUP,
        {"name": "T4", "starts_on": date(2026, 10, 1), "ends_on": date(2026, 12, 31), "due_on": date(2027, 1, 15),
         "state_codes": [OAXACA]},
    )  # fmt: skip
    line = {"milestone_id": milestone_id, "progress": progress, "status": "in_progress",
            "evidence_url": "https://example.org/minuta", "evidence_note": "", "evidence_file_id": None}  # fmt: skip
    version = reporting.save_draft(
        store, SECRETARIAT, period_id, OAXACA, {"narrative": "", "internal_notes": "", "items": [line]}, None
    )
    report_id = reporting.get_report(store, SECRETARIAT, period_id, OAXACA).id
    version = reporting.submit_report(store, SECRETARIAT, report_id, version)
    reporting.approve_report(store, WORKING_GROUP, report_id, version)


def test_a_live_change_reaches_staff_at_once_and_the_public_only_once_approved(store: Store) -> None:
    commitment_id = first_commitment(store)
    first = add_milestone(store, commitment_id)
    reporting.publish_baseline(store, BASELINE_DAY)
    _set_progress(store, first, 60)

    assert _commitment_progress(store, WORKING_GROUP, commitment_id) == 60
    assert _commitment_progress(store, PUBLIC, commitment_id) == 0
    assert _oaxaca_progress(store, PUBLIC) == 0
    assert _oaxaca_progress(store, WORKING_GROUP) > 0
    assert [
        m["progress"] for m in commitments.get_commitment(store, PUBLIC, commitment_id)["milestones"]
    ] == [0]
    schedule = dashboard.milestone_schedule(store, WORKING_GROUP, OAXACA).set_index("milestone_id")
    assert bool(schedule.loc[first, "unapproved"]) and schedule.loc[first, "progress"] == 60
    public_schedule = dashboard.milestone_schedule(store, PUBLIC, OAXACA).set_index("milestone_id")
    assert public_schedule.loc[first, "progress"] == 0 and not public_schedule["unapproved"].any()

    _approve(store, first, 80)

    assert _commitment_progress(store, PUBLIC, commitment_id) == 80
    assert _commitment_progress(store, WORKING_GROUP, commitment_id) == 80
    schedule = dashboard.milestone_schedule(store, WORKING_GROUP, OAXACA).set_index("milestone_id")
    assert not bool(schedule.loc[first, "unapproved"])
    assert reporting.approval_dates(store, PUBLIC)[OAXACA] == store.today()


def test_a_milestone_never_approved_counts_as_not_started_for_the_public(store: Store) -> None:
    commitment_id = first_commitment(store)
    milestone_id = add_milestone(store, commitment_id, due_date=TODAY - timedelta(days=5))
    _set_progress(store, milestone_id, 40)

    public = report_queries.milestones_of_state(store, PUBLIC, OAXACA, today=TODAY)
    assert public["progress"].tolist() == [0] and public["status"].tolist() == ["not_started"]
    assert report_queries.milestones_of_state(store, WORKING_GROUP, OAXACA, today=TODAY)[
        "progress"
    ].tolist() == [40]
    # overdue by the approved figures too: not started, due five days ago
    assert dashboard.overdue_milestones(store, PUBLIC, state_code=OAXACA, today=TODAY)[
        "progress"
    ].tolist() == [0]
    assert dashboard.national_figures(store, PUBLIC, today=TODAY).milestones_complete == 0


def test_the_public_export_carries_the_approved_figures_and_no_later_update(store: Store) -> None:
    milestone_id = add_milestone(store)
    reporting.publish_baseline(store, BASELINE_DAY)
    _set_progress(store, milestone_id, 70)

    public = export_queries.export_table(store, PUBLIC, "milestone")
    names = [c.name for c in public.columns]
    row = dict(zip(names, next(r for r in public.rows if r[0] == milestone_id), strict=True))
    assert row["progress"] == 0 and row["status"] == "not_started"
    staff = export_queries.export_table(store, WORKING_GROUP, "milestone")
    staff_row = dict(zip([c.name for c in staff.columns], next(r for r in staff.rows if r[0] == milestone_id),
                         strict=True))  # fmt: skip
    assert staff_row["progress"] == 70
    updates = export_queries.export_table(store, PUBLIC, "milestone_update")
    assert not [r for r in updates.rows if r[1] == milestone_id], "the 70 % update is not approved yet"
    assert [
        r
        for r in export_queries.export_table(store, WORKING_GROUP, "milestone_update").rows
        if r[1] == milestone_id
    ]
    commitment_rows = export_queries.export_table(store, PUBLIC, "commitment")
    progress_at = [c.name for c in commitment_rows.columns].index("progress")
    assert {r[progress_at] for r in commitment_rows.rows} == {0}


def test_the_public_state_table_says_as_of_when_each_states_figures_were_approved(store: Store) -> None:
    """The data package's states carry the 'datos aprobados al' date: the baseline's day, then the approval's."""

    def approved_on() -> dict[str, date | None]:
        table = export_queries.export_table(store, PUBLIC, "state")
        names = [column.name for column in table.columns]
        return {row[names.index("code")]: row[names.index("figures_approved_on")] for row in table.rows}

    first = add_milestone(store, first_commitment(store))
    reporting.publish_baseline(store, BASELINE_DAY)
    assert approved_on()[OAXACA] == BASELINE_DAY
    _set_progress(store, first, 60)
    assert approved_on()[OAXACA] == BASELINE_DAY  # a live change is not an approval
    _approve(store, first, 60)
    assert approved_on()[OAXACA] == store.today()
    assert approved_on()["09"] is None  # Mexico City is not in the programme: nothing was approved there
