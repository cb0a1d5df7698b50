"""Every write model, fed hostile input through the store: stored and read back identical, or rejected cleanly.

For each input the test first asks the model (``validate``) what it makes of it, then hands the raw input to the store
function the pages call. The only acceptable outcomes are: the record is stored and every field reads back equal to
the validated model's value (the models strip surrounding whitespace), or ``ValidationError`` is raised and no table
gained or lost a row. Any other exception fails the test, with the input that caused it.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from datetime import date
from enum import Enum
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from sqlalchemy import Table, func, select

from accompaniment.domain import models
from accompaniment.domain.errors import ValidationError
from accompaniment.store.activity import get_session, get_workshop, log_session, log_workshop
from accompaniment.store.agreements import add_agreement, follow_up_agreement
from accompaniment.store.commitments import (
    assess_commitment,
    create_commitment,
    create_milestone,
    create_plan,
    get_commitment,
    update_milestone,
)
from accompaniment.store.database import Store
from accompaniment.store.schema import (
    action_plan,
    agreement,
    agreement_update,
    app_user,
    commitment,
    member,
    milestone,
    milestone_update,
    phase_event,
    secretariat,
)
from accompaniment.store.secretariats import add_member, change_phase
from accompaniment.store.users import create_user
from tests.conftest import ACTORS, FIXED_NOW
from tests.reliability import hostile
from tests.reliability.conftest import SEEDED_STATE, row_counts, seed_plan

# 30 examples per model keep the suite quick; raise the number for a deeper local hunt.
HOSTILE = settings(
    max_examples=int(os.environ.get("ACCOMPANIMENT_TEST_HOSTILE_EXAMPLES", "30")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
STATES = [SEEDED_STATE, "20", "01", "32", "00", "33", "8", "ZZ"]
OAXACA = "20"
HELD_ON = date(2025, 6, 1)
SPECIALIST, WORKING_GROUP, ADMIN = ACTORS["specialist"], ACTORS["working_group"], ACTORS["admin"]


def plain(value: Any) -> Any:
    """What a model value looks like in a column: enums by their stored code."""
    if isinstance(value, Enum):
        return value.value
    return value


def read_row(store: Store, table: Table, row_id: int) -> dict[str, Any]:
    with store.read() as connection:
        return dict(connection.execute(select(table).where(table.c.id == row_id)).mappings().one())


def latest_row(store: Store, table: Table, **where: Any) -> dict[str, Any]:
    with store.read() as connection:
        query = select(table).where(*(table.c[k] == v for k, v in where.items())).order_by(table.c.id.desc())
        return dict(connection.execute(query.limit(1)).mappings().one())


def assert_same(stored: dict[str, Any], expected: dict[str, Any], what: str) -> None:
    for name, value in expected.items():
        assert stored[name] == plain(value), f"{what}.{name}: stored {stored[name]!r}, sent {plain(value)!r}"


def grid(model: models._Participation) -> dict[str, dict[str, int]]:
    return {
        plain(sector): {plain(gender): n for gender, n in by_gender.items() if n > 0}
        for sector, by_gender in model.participants.items()
        if any(n > 0 for n in by_gender.values())
    }


class Harness:
    """Runs one hostile input through validation and the store, and keeps score."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.outcomes: Counter[str] = Counter()
        self.counts: dict[str, int] | None = None  # row counts, known to be current when not None

    def check(
        self,
        model: type[models.InputModel],
        raw: dict[str, Any],
        write: Callable[[Any], Any],
        verify: Callable[[Any, Any], None],
    ) -> None:
        try:
            validated = models.validate(model, raw, today=self.store.today())
        except ValidationError:
            validated = None
        if self.counts is None:
            self.counts = row_counts(self.store)
        try:
            result = write(raw)
        except ValidationError:
            assert row_counts(self.store) == self.counts, f"a rejected input left rows behind: {raw!r}"
            self.outcomes["rejected"] += 1
            return
        except Exception as exc:  # noqa: BLE001 - the finding: the store let something else escape
            pytest.fail(f"{type(exc).__name__} instead of ValidationError for {raw!r}: {exc}")
        self.counts = None
        assert validated is not None, f"the store accepted what the model rejects: {raw!r}"
        verify(validated, result)
        self.outcomes["stored"] += 1

    def assert_both_paths_taken(self) -> None:
        assert self.outcomes["stored"] > 0 and self.outcomes["rejected"] > 0, dict(self.outcomes)


@pytest.fixture
def harness(store: Store) -> Harness:
    return Harness(store)


def first_id(store: Store, table: Table, **where: Any) -> int:
    with store.read() as connection:
        return connection.execute(
            select(func.min(table.c.id)).where(*(table.c[k] == v for k, v in where.items()))
        ).scalar_one()


def commitments_in(store: Store, state_code: str) -> list[int]:
    with store.read() as connection:
        return list(
            connection.execute(
                select(commitment.c.id)
                .join(action_plan, action_plan.c.id == commitment.c.plan_id)
                .where(action_plan.c.state_code == state_code)
                .order_by(commitment.c.id)
                .limit(2)
            ).scalars()
        )


def oaxaca_session(store: Store) -> int:
    return log_session(
        store,
        SPECIALIST,
        {
            "state_code": OAXACA,
            "held_on": HELD_ON,
            "session_type": "plenary",
            "agreements": [{"text": "Acuerdo base"}],
        },
    )


# ---- activity ------------------------------------------------------------------------------------------------------


def test_hostile_sessions_are_stored_identically_or_rejected(harness: Harness) -> None:
    store = harness.store
    seeded = seed_plan(store, milestones=0)
    known = [seeded.commitment_id, *commitments_in(store, OAXACA)]

    def verify(model: models.SessionInput, session_id: int) -> None:
        stored = get_session(store, SPECIALIST, session_id)
        assert_same(
            stored,
            {
                "state_code": model.state_code,
                "held_on": model.held_on,
                "session_type": model.session_type,
                "modality": model.modality,
                "phase": None if model.phase is None else int(model.phase),
                "topics": model.topics,
                "consensus": model.consensus,
                "public_summary": model.public_summary,
                "summary": model.summary,
                "evidence_url": model.evidence_url,
                "participant_total": model.participant_total,
            },
            "session",
        )
        assert stored["organizations"] == list(model.organizations)
        assert stored["participants"] == grid(model)
        assert len(stored["agreements"]) == len(model.agreements)
        for position, (row, item) in enumerate(zip(stored["agreements"], model.agreements, strict=True)):
            assert_same(
                row, {"position": position, "status": "pending", **agreement_fields(item)}, "agreement"
            )

    @HOSTILE
    @given(raw=hostile.session_input(STATES, known))
    @example(
        raw={
            "state_code": "20",
            "held_on": HELD_ON,
            "session_type": "plenary",
            "topics": "'; DROP TABLE dialogue_session; --",
            "summary": "ñ" * models.LONG_TEXT,
            "organizations": ["  Colectivo «Ñuu Savi» 😀  "],
            "agreements": [{"text": "مرحبا", "due_date": models.LATEST_PLANNED_DATE}],
        }
    )
    @example(raw={"state_code": "20", "held_on": HELD_ON, "session_type": "plenary", "topics": "x\x00"})
    @example(
        raw={"state_code": "20", "held_on": HELD_ON, "session_type": "plenary",
             "agreements": [{"text": "Acuerdo", "commitment_id": 2**63}]}
    )  # fmt: skip
    def check(raw: dict[str, Any]) -> None:
        harness.check(models.SessionInput, raw, lambda r: log_session(store, SPECIALIST, r), verify)

    check()
    harness.assert_both_paths_taken()


def agreement_fields(item: models.AgreementInput) -> dict[str, Any]:
    return {
        "text": item.text,
        "responsible_sector": item.responsible_sector,
        "responsible_organization": item.responsible_organization,
        "due_date": item.due_date,
        "commitment_id": item.commitment_id,
    }


def test_hostile_workshops_are_stored_identically_or_rejected(harness: Harness) -> None:
    store = harness.store

    def verify(model: models.WorkshopInput, workshop_id: int) -> None:
        stored = get_workshop(store, SPECIALIST, workshop_id)
        assert_same(
            stored,
            {
                "state_code": model.state_code,
                "held_on": model.held_on,
                "title": model.title,
                "topic": model.topic,
                "modality": model.modality,
                "hours": model.hours,
                "satisfaction": model.satisfaction,
                "public_summary": model.public_summary,
                "notes": model.notes,
                "evidence_url": model.evidence_url,
                "participant_total": model.participant_total,
            },
            "workshop",
        )
        assert stored["participants"] == grid(model)

    @HOSTILE
    @given(raw=hostile.workshop_input(STATES))
    @example(
        raw={
            "state_code": "29",
            "held_on": models.EARLIEST_DATE,
            "title": "x" * models.SHORT_TEXT,
            "hours": 200,
            "notes": "\u202eRTL\u202c «»",
        }
    )
    @example(raw={"state_code": "29", "held_on": HELD_ON, "title": "x" * (models.SHORT_TEXT + 1)})
    def check(raw: dict[str, Any]) -> None:
        harness.check(models.WorkshopInput, raw, lambda r: log_workshop(store, SPECIALIST, r), verify)

    check()
    harness.assert_both_paths_taken()


def test_hostile_agreements_added_to_a_session_are_stored_identically_or_rejected(harness: Harness) -> None:
    store = harness.store
    session_id = oaxaca_session(store)
    known = commitments_in(store, OAXACA)

    def verify(model: models.AgreementInput, agreement_id: int) -> None:
        stored = read_row(store, agreement, agreement_id)
        assert_same(
            stored, {"session_id": session_id, "status": "pending", **agreement_fields(model)}, "agreement"
        )

    @HOSTILE
    @given(raw=hostile.agreement_input(known))
    @example(
        raw={
            "text": "Robert'); DROP TABLE agreement;--",
            "responsible_sector": "government",
            "due_date": models.EARLIEST_DATE,
            "commitment_id": known[0],
        }
    )
    @example(raw={"text": "  ", "due_date": models.LATEST_PLANNED_DATE})
    @example(raw={"text": "Acuerdo", "commitment_id": 2**31})  # beyond PostgreSQL's INTEGER
    def check(raw: dict[str, Any]) -> None:
        harness.check(
            models.AgreementInput, raw, lambda r: add_agreement(store, SPECIALIST, session_id, r), verify
        )

    check()
    harness.assert_both_paths_taken()


def test_hostile_agreement_follow_ups_are_stored_identically_or_rejected(harness: Harness) -> None:
    store = harness.store
    session_id = oaxaca_session(store)
    target = first_id(store, agreement, session_id=session_id)
    known = commitments_in(store, OAXACA)

    def follow(raw: dict[str, Any]) -> dict[str, Any]:
        before = read_row(store, agreement, target)
        return follow_up_agreement(store, SPECIALIST, target, before["version"], raw) | {"_before": before}

    def verify(model: models.AgreementStatusChange, after: dict[str, Any]) -> None:
        before = after["_before"]
        closing = model.status in (models.AgreementStatus.DONE, models.AgreementStatus.CANCELLED)
        assert_same(
            read_row(store, agreement, target),
            {
                "status": model.status,
                "closed_on": model.changed_on if closing else None,
                "commitment_id": model.commitment_id
                if model.commitment_id is not None
                else before["commitment_id"],
                "version": before["version"] + 1,
            },
            "agreement",
        )
        assert_same(
            latest_row(store, agreement_update, agreement_id=target),
            {"status": model.status, "changed_on": model.changed_on, "note": model.note},
            "agreement_update",
        )

    @HOSTILE
    @given(raw=hostile.status_change_input(known))
    @example(raw={"status": "done", "changed_on": FIXED_NOW.date(), "note": "😀 ' OR 1=1 --"})
    @example(raw={"status": "hecho", "changed_on": HELD_ON})
    @example(raw={"status": "in_progress", "changed_on": HELD_ON, "commitment_id": 10**30})
    def check(raw: dict[str, Any]) -> None:
        harness.check(models.AgreementStatusChange, raw, follow, verify)

    check()
    harness.assert_both_paths_taken()


# ---- commitments ---------------------------------------------------------------------------------------------------


def test_hostile_milestone_updates_are_stored_identically_or_rejected(harness: Harness) -> None:
    store = harness.store
    target = seed_plan(store, milestones=1).milestone_ids[0]

    def step(raw: dict[str, Any]) -> dict[str, Any]:
        before = read_row(store, milestone, target)
        return update_milestone(store, SPECIALIST, target, before["version"], raw) | {"_before": before}

    def verify(model: models.MilestoneUpdateInput, after: dict[str, Any]) -> None:
        before = after["_before"]
        assert_same(
            read_row(store, milestone, target),
            {
                "progress": model.progress,
                "status": model.status,
                "evidence_url": model.evidence_url or before["evidence_url"],
                "evidence_note": model.evidence_note or before["evidence_note"],
                "version": before["version"] + 1,
            },
            "milestone",
        )
        assert_same(
            latest_row(store, milestone_update, milestone_id=target),
            {
                "progress": model.progress,
                "status": model.status,
                "evidence_url": model.evidence_url,
                "evidence_note": model.evidence_note,
                "note": model.note,
                "recorded_by": SPECIALIST.username,
            },
            "milestone_update",
        )

    @HOSTILE
    @given(raw=hostile.milestone_update_input())
    @example(raw={"progress": 37.5, "status": "in_progress", "note": "ñ" * models.LONG_TEXT})
    @example(raw={"progress": 100, "status": "complete"})  # no evidence yet: rejected
    @example(raw={"progress": 100.25, "status": "in_progress"})
    def check(raw: dict[str, Any]) -> None:
        harness.check(models.MilestoneUpdateInput, raw, step, verify)

    check()
    harness.assert_both_paths_taken()


def test_hostile_assessments_are_stored_identically_or_rejected(harness: Harness) -> None:
    store = harness.store
    target = commitments_in(store, OAXACA)[0]

    def assess(raw: dict[str, Any]) -> dict[str, Any]:
        version = read_row(store, commitment, target)["version"]
        return assess_commitment(store, WORKING_GROUP, target, version, raw)

    def verify(model: models.AssessmentInput, _after: dict[str, Any]) -> None:
        assert_same(
            read_row(store, commitment, target),
            {
                "verifiable": model.verifiable,
                "ambition": model.ambition,
                "early_results": model.early_results,
            },
            "commitment",
        )

    @HOSTILE
    @given(raw=hostile.assessment_input())
    @example(raw={"verifiable": True, "ambition": "substantial", "early_results": "outstanding"})
    @example(raw={"ambition": "enorme"})
    def check(raw: dict[str, Any]) -> None:
        harness.check(models.AssessmentInput, raw, assess, verify)

    check()
    harness.assert_both_paths_taken()


def plans_taken(store: Store) -> set[tuple[str, int]]:
    with store.read() as connection:
        return {(s, n) for s, n in connection.execute(select(action_plan.c.state_code, action_plan.c.number))}


def test_valid_action_plans_are_stored_exactly_as_sent(store: Store) -> None:
    """Every plan the strategy builds is valid by construction: it is stored and reads back as the model has it,
    or, when its state already has a plan of that number, refused as a duplicate with nothing written."""

    @HOSTILE
    @given(raw=hostile.valid_action_plan())
    @example(
        raw={
            "state_code": SEEDED_STATE,
            "number": 50,
            "period_start": models.EARLIEST_DATE,
            "period_end": models.LATEST_PLANNED_DATE,
            "published_on": models.LATEST_PLANNED_DATE,
            "link": "http://example.org/a?b=1&c=2",
        }
    )
    @example(raw={"state_code": f" {SEEDED_STATE} ", "number": 1, "link": ""})
    def check(raw: dict[str, Any]) -> None:
        model = models.validate(models.ActionPlanInput, raw)  # raises if the strategy built an invalid plan
        if (model.state_code, model.number) in plans_taken(store):
            before = row_counts(store)
            with pytest.raises(ValidationError) as refused:
                create_plan(store, SPECIALIST, raw)
            assert [(p.field, p.code) for p in refused.value.problems] == [("form", "duplicate")]
            assert row_counts(store) == before
            return
        plan_id = create_plan(store, SPECIALIST, raw)
        assert_same(read_row(store, action_plan, plan_id), model.model_dump(), "action_plan")

    check()


@pytest.mark.parametrize("mutation", [*hostile.ACTION_PLAN_MUTATIONS, "period_reversed"])
def test_an_action_plan_with_one_thing_wrong_is_refused_naming_that_field(
    store: Store, mutation: str
) -> None:
    field = "period_end" if mutation == "period_reversed" else hostile.ACTION_PLAN_MUTATIONS[mutation][0]
    before = row_counts(store)

    @HOSTILE
    @given(raw=hostile.invalid_action_plan(mutation))
    def check(raw: dict[str, Any]) -> None:
        with pytest.raises(ValidationError) as refused:
            create_plan(store, SPECIALIST, raw)
        named = [p for p in refused.value.problems if p.field == field]
        assert named, f"{raw!r}: refused naming {[p.field for p in refused.value.problems]}, not {field}"
        spanish = named[0].message("es")
        assert spanish and "validation." not in spanish and "fields." not in spanish, spanish
        assert row_counts(store) == before, f"a refused plan left rows behind: {raw!r}"

    check()


def test_hostile_commitments_are_stored_identically_or_rejected(harness: Harness) -> None:
    store = harness.store
    plans = [seed_plan(store, milestones=0).plan_id, first_id(store, action_plan, state_code=OAXACA)]

    def verify(model: models.CommitmentInput, commitment_id: int) -> None:
        stored = get_commitment(store, SPECIALIST, commitment_id)
        assert_same(stored, model.model_dump(exclude={"ogp_values", "sdg_targets"}), "commitment")
        assert sorted(stored["ogp_values"]) == sorted(plain(v) for v in model.ogp_values)
        assert sorted(stored["sdg_targets"]) == sorted(model.sdg_targets)

    @HOSTILE
    @given(raw=hostile.commitment_input(plans))
    @example(
        raw={
            "plan_id": plans[0],
            "title": "ñ" * models.LONG_TEXT,
            "lead_institution": "x" * models.SHORT_TEXT,
            "start_date": models.EARLIEST_DATE,
            "end_date": models.LATEST_PLANNED_DATE,
            "ogp_values": ["civic_participation", "civic_participation"],
            "sdg_targets": ["16.10", "6.b"],
        }
    )
    @example(raw={"plan_id": plans[0], "title": "Meta desconocida", "sdg_targets": ["17.z"]})
    @example(raw={"plan_id": 2**31, "title": "Plan fuera de rango"})
    def check(raw: dict[str, Any]) -> None:
        harness.check(models.CommitmentInput, raw, lambda r: create_commitment(store, SPECIALIST, r), verify)

    check()
    harness.assert_both_paths_taken()


def test_hostile_milestones_are_stored_identically_or_rejected(harness: Harness) -> None:
    store = harness.store
    known = [seed_plan(store, milestones=0).commitment_id, *commitments_in(store, OAXACA)]

    def verify(model: models.MilestoneInput, milestone_id: int) -> None:
        assert_same(
            read_row(store, milestone, milestone_id),
            {**model.model_dump(), "progress": 0, "status": "not_started"},
            "milestone",
        )

    @HOSTILE
    @given(raw=hostile.milestone_input(known))
    @example(
        raw={
            "commitment_id": known[0],
            "number": 500,
            "description": "'; DROP TABLE milestone; --",
            "weight": 100,
            "due_date": models.LATEST_PLANNED_DATE,
        }
    )
    @example(raw={"commitment_id": known[0], "number": 501, "description": "fuera de rango"})
    def check(raw: dict[str, Any]) -> None:
        harness.check(models.MilestoneInput, raw, lambda r: create_milestone(store, SPECIALIST, r), verify)

    check()
    harness.assert_both_paths_taken()


# ---- the secretariat and accounts ----------------------------------------------------------------------------------


def test_hostile_phase_changes_are_stored_identically_or_rejected(harness: Harness) -> None:
    store = harness.store

    def change(raw: dict[str, Any]) -> dict[str, Any]:
        version = latest_row(store, secretariat, state_code=OAXACA)["version"]
        return change_phase(store, SPECIALIST, OAXACA, version, raw)

    def verify(model: models.PhaseChangeInput, _after: dict[str, Any]) -> None:
        assert_same(
            latest_row(store, secretariat, state_code=OAXACA),
            {"phase": int(model.phase), "phase_since": model.changed_on},
            "secretariat",
        )
        assert_same(
            latest_row(store, phase_event, state_code=OAXACA),
            {"phase": int(model.phase), "changed_on": model.changed_on, "note": model.note},
            "phase_event",
        )

    @HOSTILE
    @given(raw=hostile.phase_change_input())
    @example(raw={"phase": 5, "changed_on": models.EARLIEST_DATE, "note": "שלום \u202eevil\u202c"})
    @example(raw={"phase": 6, "changed_on": HELD_ON})
    def check(raw: dict[str, Any]) -> None:
        harness.check(models.PhaseChangeInput, raw, change, verify)

    check()
    harness.assert_both_paths_taken()


def test_hostile_members_are_stored_identically_or_rejected(harness: Harness) -> None:
    store = harness.store

    def verify(model: models.MemberInput, member_id: int) -> None:
        assert_same(read_row(store, member, member_id), model.model_dump(), "member")

    @HOSTILE
    @given(raw=hostile.member_input(STATES))
    @example(
        raw={
            "state_code": "20",
            "organization": "Colectivo «Ñuu Savi» 😀",
            "sector": "civil_society",
            "person_name": "  María José O'Brien  ",
            "person_email": "mj@example.org",
            "active_from": models.EARLIEST_DATE,
            "active_to": models.LATEST_PLANNED_DATE,
        }
    )
    @example(
        raw={"state_code": "20", "organization": "x", "sector": "civil_society", "person_email": "sin-arroba"}
    )
    def check(raw: dict[str, Any]) -> None:
        harness.check(models.MemberInput, raw, lambda r: add_member(store, SPECIALIST, r), verify)

    check()
    harness.assert_both_paths_taken()


def test_hostile_accounts_are_stored_identically_or_rejected(harness: Harness) -> None:
    store = harness.store

    def verify(model: models.UserInput, user_id: int) -> None:
        assert_same(read_row(store, app_user, user_id), model.model_dump(), "app_user")

    @HOSTILE
    @given(raw=hostile.user_input(STATES))
    @example(
        raw={
            "username": "sec.oaxaca-2",
            "display_name": "Secretariado «Oaxaca» 'STL' 😀",
            "role": "secretariat",
            "state_code": "20",
            "email": "'; DROP TABLE app_user; --",
        }
    )
    @example(raw={"username": "secretariado", "display_name": "Sin estado", "role": "secretariat"})
    def check(raw: dict[str, Any]) -> None:
        harness.check(models.UserInput, raw, lambda r: create_user(store, ADMIN, r, None), verify)

    check()
    harness.assert_both_paths_taken()


# ---- known gaps and regressions, kept visible ----------------------------------------------------------------------------------------


def test_a_milestone_for_an_unknown_commitment_is_rejected_as_invalid_input(store: Store) -> None:
    """An unknown commitment in a milestone's input is bad input naming the field, like every other unknown
    reference in a write model (plan_id, commitment_id of an agreement)."""
    before = row_counts(store)
    with pytest.raises(ValidationError):
        create_milestone(store, SPECIALIST, {"commitment_id": 999_999, "number": 1, "description": "Hito"})
    assert row_counts(store) == before


def test_fractional_numbers_read_back_exactly(store: Store) -> None:
    """0.1 hours or 33.3 % progress must read back as typed: a 32-bit FLOAT column (DuckDB's FLOAT) would return
    0.10000000149011612, so these columns must stay DOUBLE on both backends."""
    workshop_id = log_workshop(
        store, SPECIALIST, {"state_code": OAXACA, "held_on": HELD_ON, "title": "Taller", "hours": 0.1}
    )
    target = seed_plan(store, milestones=1).milestone_ids[0]
    update_milestone(store, SPECIALIST, target, 1, {"progress": 33.3, "status": "in_progress"})
    assert get_workshop(store, SPECIALIST, workshop_id)["hours"] == 0.1
    assert read_row(store, milestone, target)["progress"] == 33.3
