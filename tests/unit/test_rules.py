"""The derived figures of DESIGN §3: progress, completion level, evidence, overdue, stalled."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from accompaniment.domain.enums import AgreementStatus, CompletionLevel, MilestoneStatus
from accompaniment.domain.rules import (
    MilestoneFacts,
    agreement_overdue,
    commitment_progress,
    completion_level,
    is_stalled,
    lacks_evidence,
    milestone_overdue,
    months_between,
    plan_progress,
    stall_reason,
)

TODAY = date(2026, 11, 26)
YESTERDAY = TODAY - timedelta(days=1)
TOMORROW = TODAY + timedelta(days=1)


def days_ago(days: int) -> date:
    return TODAY - timedelta(days=days)


# commitment progress


def test_commitment_progress_is_zero_without_milestones():
    assert commitment_progress([]) == 0.0


def test_commitment_progress_is_zero_when_all_weights_are_zero():
    milestones = [MilestoneFacts(progress=80, weight=0), MilestoneFacts(progress=40, weight=0)]
    assert commitment_progress(milestones) == 0.0


def test_commitment_progress_is_the_plain_mean_with_default_weights():
    assert commitment_progress([MilestoneFacts(progress=20), MilestoneFacts(progress=60)]) == pytest.approx(
        40
    )


def test_commitment_progress_is_weight_averaged():
    milestones = [MilestoneFacts(progress=100, weight=1), MilestoneFacts(progress=0, weight=3)]
    assert commitment_progress(milestones) == pytest.approx(25)


def test_commitment_progress_ignores_zero_weight_milestones_beside_weighted_ones():
    milestones = [MilestoneFacts(progress=100, weight=0), MilestoneFacts(progress=40, weight=2)]
    assert commitment_progress(milestones) == pytest.approx(40)


def test_commitment_progress_leaves_out_cancelled_milestones():
    milestones = [
        MilestoneFacts(progress=100, status=MilestoneStatus.COMPLETE),
        MilestoneFacts(progress=0, status=MilestoneStatus.CANCELLED),
    ]
    assert commitment_progress(milestones) == pytest.approx(100)


def test_commitment_progress_leaves_out_archived_milestones():
    milestones = [MilestoneFacts(progress=50), MilestoneFacts(progress=0, archived=True)]
    assert commitment_progress(milestones) == pytest.approx(50)


def test_commitment_progress_is_zero_when_every_milestone_is_cancelled_or_archived():
    milestones = [
        MilestoneFacts(progress=70, status=MilestoneStatus.CANCELLED),
        MilestoneFacts(progress=90, archived=True),
    ]
    assert commitment_progress(milestones) == 0.0


def test_commitment_progress_accepts_any_iterable():
    assert commitment_progress(MilestoneFacts(progress=p) for p in (10, 30)) == pytest.approx(20)


# completion level (OGP scale)


@pytest.mark.parametrize(
    ("progress", "level"),
    [
        (0, CompletionLevel.NOT_STARTED),
        (1, CompletionLevel.LIMITED),
        (0.5, CompletionLevel.LIMITED),
        (49, CompletionLevel.LIMITED),
        (49.5, CompletionLevel.LIMITED),
        (50, CompletionLevel.SUBSTANTIAL),
        (99, CompletionLevel.SUBSTANTIAL),
        (99.9, CompletionLevel.SUBSTANTIAL),
        (100, CompletionLevel.COMPLETE),
    ],
)
def test_completion_level_follows_the_ogp_scale(progress, level):
    assert completion_level(progress) == level


# no evidence available


def test_lacks_evidence_when_progress_is_claimed_but_no_milestone_has_evidence():
    assert lacks_evidence([MilestoneFacts(progress=30), MilestoneFacts(progress=0)])


def test_does_not_lack_evidence_when_one_milestone_carries_it():
    assert not lacks_evidence([MilestoneFacts(progress=30), MilestoneFacts(progress=0, has_evidence=True)])


def test_does_not_lack_evidence_when_no_progress_is_claimed():
    assert not lacks_evidence([MilestoneFacts(progress=0), MilestoneFacts(progress=0)])


def test_does_not_lack_evidence_without_milestones():
    assert not lacks_evidence([])


def test_lacks_evidence_ignores_evidence_on_a_cancelled_milestone():
    milestones = [
        MilestoneFacts(progress=40),
        MilestoneFacts(progress=0, status=MilestoneStatus.CANCELLED, has_evidence=True),
    ]
    assert lacks_evidence(milestones)


# overdue milestones


def test_milestone_due_yesterday_and_not_complete_is_overdue():
    assert milestone_overdue(YESTERDAY, MilestoneStatus.IN_PROGRESS, TODAY)
    assert milestone_overdue(YESTERDAY, MilestoneStatus.NOT_STARTED, TODAY)


def test_milestone_due_today_is_not_overdue():
    assert not milestone_overdue(TODAY, MilestoneStatus.IN_PROGRESS, TODAY)


def test_milestone_due_tomorrow_is_not_overdue():
    assert not milestone_overdue(TOMORROW, MilestoneStatus.NOT_STARTED, TODAY)


@pytest.mark.parametrize("status", [MilestoneStatus.COMPLETE, MilestoneStatus.CANCELLED])
def test_complete_or_cancelled_milestone_is_never_overdue(status):
    assert not milestone_overdue(days_ago(400), status, TODAY)


def test_archived_milestone_is_not_overdue():
    assert not milestone_overdue(YESTERDAY, MilestoneStatus.IN_PROGRESS, TODAY, archived=True)


def test_milestone_without_due_date_is_not_overdue():
    assert not milestone_overdue(None, MilestoneStatus.IN_PROGRESS, TODAY)


# overdue agreements


@pytest.mark.parametrize("status", [AgreementStatus.PENDING, AgreementStatus.IN_PROGRESS])
def test_open_agreement_due_yesterday_is_overdue(status):
    assert agreement_overdue(YESTERDAY, status, TODAY)


def test_agreement_due_today_is_not_overdue():
    assert not agreement_overdue(TODAY, AgreementStatus.PENDING, TODAY)


@pytest.mark.parametrize("status", [AgreementStatus.DONE, AgreementStatus.CANCELLED])
def test_done_or_cancelled_agreement_is_never_overdue(status):
    assert not agreement_overdue(days_ago(400), status, TODAY)


def test_archived_agreement_is_not_overdue():
    assert not agreement_overdue(YESTERDAY, AgreementStatus.PENDING, TODAY, archived=True)


def test_agreement_without_due_date_is_not_overdue():
    assert not agreement_overdue(None, AgreementStatus.PENDING, TODAY)


# months between


@pytest.mark.parametrize(
    ("earlier", "later", "months"),
    [
        (date(2026, 1, 15), date(2026, 1, 31), 0),
        (date(2026, 1, 15), date(2026, 2, 14), 0),
        (date(2026, 1, 15), date(2026, 2, 15), 1),
        (date(2025, 12, 15), date(2026, 1, 14), 0),
        (date(2025, 12, 15), date(2026, 1, 15), 1),
        (date(2025, 11, 26), date(2026, 11, 26), 12),
        (date(2025, 11, 27), date(2026, 11, 26), 11),
        (date(2017, 3, 1), date(2026, 2, 28), 107),
        (date(2026, 1, 31), date(2026, 2, 28), 0),
        (date(2026, 1, 31), date(2026, 3, 31), 2),
        (date(2026, 5, 10), date(2026, 5, 10), 0),
    ],
)
def test_months_between_counts_whole_calendar_months(earlier, later, months):
    assert months_between(earlier, later) == months


def test_months_between_is_negative_when_the_dates_are_reversed():
    assert months_between(date(2026, 3, 15), date(2026, 1, 15)) == -2


# stalled STLs


def test_stl_that_never_held_a_session_is_stalled():
    reason = stall_reason(None, days_ago(30), TODAY)
    assert reason.stalled
    assert reason.no_session_days is not None
    assert reason.phase_unchanged_months is None


def test_stl_with_a_session_59_days_ago_is_not_stalled():
    assert not is_stalled(days_ago(59), days_ago(30), TODAY)


def test_stl_with_its_last_session_60_days_ago_is_stalled():
    reason = stall_reason(days_ago(60), days_ago(30), TODAY)
    assert reason.stalled
    assert reason.no_session_days == 60
    assert reason.phase_unchanged_months is None


def test_stl_whose_phase_moved_11_months_ago_is_not_stalled():
    assert not is_stalled(days_ago(1), date(2025, 12, 26), TODAY)


def test_stl_whose_phase_has_not_moved_for_12_months_is_stalled():
    reason = stall_reason(days_ago(1), date(2025, 11, 26), TODAY)
    assert reason.stalled
    assert reason.phase_unchanged_months == 12
    assert reason.no_session_days is None


def test_stl_without_a_recorded_phase_change_is_judged_on_sessions_alone():
    assert not is_stalled(days_ago(10), None, TODAY)


def test_stall_reason_can_name_both_reasons_at_once():
    reason = stall_reason(days_ago(90), date(2024, 1, 1), TODAY)
    assert reason.no_session_days == 90
    assert reason.phase_unchanged_months == 34


def test_stalled_thresholds_are_settings():
    assert is_stalled(days_ago(30), days_ago(1), TODAY, session_days=30)
    assert not is_stalled(days_ago(29), days_ago(1), TODAY, session_days=30)
    assert is_stalled(days_ago(1), date(2026, 5, 26), TODAY, phase_months=6)
    assert not is_stalled(days_ago(1), date(2026, 5, 27), TODAY, phase_months=6)
    assert not is_stalled(days_ago(100), date(2020, 1, 1), TODAY, session_days=120, phase_months=120)


# plan progress


def test_plan_progress_is_zero_without_commitments():
    assert plan_progress([]) == 0.0


def test_plan_progress_is_the_mean_of_its_commitments():
    assert plan_progress([0, 50, 100, 30]) == pytest.approx(45)


def test_plan_progress_accepts_any_iterable():
    assert plan_progress(p for p in (20.0, 40.0)) == pytest.approx(30)
