"""A milestone update, decided once in the domain (``domain.milestone.apply_update``): the store's form path and
the importer both call it, so "complete only with evidence", "a lower progress needs a reason" and the completion
date cannot drift apart."""

from __future__ import annotations

from datetime import date

import pytest

from accompaniment.domain.enums import MilestoneStatus
from accompaniment.domain.errors import ValidationError
from accompaniment.domain.milestone import NEW_MILESTONE, MilestoneFigures, apply_update
from accompaniment.domain.models import MilestoneUpdateInput

TODAY = date(2026, 11, 26)
HALFWAY = MilestoneFigures(50.0, MilestoneStatus.IN_PROGRESS, None, "", None)


def update(**values: object) -> MilestoneUpdateInput:
    return MilestoneUpdateInput.model_validate({"status": "in_progress", **values})


def test_an_update_sets_the_new_figures_and_keeps_the_evidence_already_on_the_milestone() -> None:
    current = MilestoneFigures(50.0, MilestoneStatus.IN_PROGRESS, "https://example.org/acta", "", None)
    after = apply_update(current, update(progress=70), TODAY)
    assert after == MilestoneFigures(70.0, MilestoneStatus.IN_PROGRESS, "https://example.org/acta", "", None)


def test_complete_without_any_evidence_is_refused_naming_the_evidence_link() -> None:
    with pytest.raises(ValidationError) as refused:
        apply_update(HALFWAY, update(status="complete", progress=100), TODAY)
    assert [(p.field, p.code) for p in refused.value.problems] == [
        ("evidence_url", "complete_needs_evidence")
    ]


def test_complete_with_a_note_is_full_progress_and_dated_today_once() -> None:
    done = apply_update(HALFWAY, update(status="complete", progress=80, evidence_note="Acta firmada"), TODAY)
    assert (done.progress, done.status, done.completed_on) == (100.0, MilestoneStatus.COMPLETE, TODAY)
    again = apply_update(done, update(status="complete", progress=100, note="otra vez"), date(2027, 1, 5))
    assert again.completed_on == TODAY


def test_lowering_progress_without_a_reason_is_refused_and_with_one_is_taken() -> None:
    with pytest.raises(ValidationError) as refused:
        apply_update(HALFWAY, update(progress=20), TODAY)
    problem = refused.value.problems[0]
    assert (problem.field, problem.code, problem.params) == (
        "note",
        "reason_for_lower_progress",
        {"before": 50, "after": 20},
    )
    assert apply_update(HALFWAY, update(progress=20, note="acta rechazada"), TODAY).progress == 20.0


def test_reopening_a_complete_milestone_clears_its_completion_date() -> None:
    done = MilestoneFigures(100.0, MilestoneStatus.COMPLETE, None, "Acta", TODAY)
    reopened = apply_update(done, update(progress=100), TODAY)
    assert (reopened.status, reopened.completed_on) == (MilestoneStatus.IN_PROGRESS, None)


def test_a_new_milestone_starts_at_zero_so_an_imported_complete_one_needs_evidence_too() -> None:
    with pytest.raises(ValidationError):
        apply_update(NEW_MILESTONE, update(status="complete", progress=100), TODAY)
