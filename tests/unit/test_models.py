"""Validated input models: every bad field is named, with a catalogue code, in the user's language."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from accompaniment import i18n
from accompaniment.domain import models
from accompaniment.domain.enums import Gender, MilestoneStatus, Role, Sector, SessionType
from accompaniment.domain.errors import FieldProblem, ValidationError
from accompaniment.domain.models import (
    ActionPlanInput,
    CommitmentInput,
    MemberInput,
    MilestoneUpdateInput,
    SessionInput,
    UserInput,
    WorkshopInput,
    coerce_date,
    validate,
)

TODAY = date(2026, 11, 26)


def session(**overrides) -> dict:
    data = {"state_code": "20", "held_on": "2026-11-20", "session_type": "plenary"}
    data.update(overrides)
    return data


def workshop(**overrides) -> dict:
    data = {"state_code": "20", "held_on": "2026-11-20", "title": "Taller de cocreación"}
    data.update(overrides)
    return data


def commitment(**overrides) -> dict:
    data = {"plan_id": 1, "title": "Datos abiertos de obra pública"}
    data.update(overrides)
    return data


def problems_of(model, data) -> list[FieldProblem]:
    with pytest.raises(ValidationError) as caught:
        validate(model, data, today=TODAY)  # as the store validates, with its clock's date
    return caught.value.problems


def field_codes(model, data) -> set[tuple[str, str]]:
    return {(p.field, p.code) for p in problems_of(model, data)}


# failures, one field kind at a time


def test_missing_required_field_is_reported_as_required():
    data = session()
    del data["session_type"]
    assert field_codes(SessionInput, data) == {("session_type", "required")}


def test_blank_required_text_is_reported_as_required():
    assert field_codes(WorkshopInput, workshop(title="   ")) == {("title", "required")}


def test_text_over_the_limit_is_too_long_and_names_the_limit():
    (problem,) = problems_of(WorkshopInput, workshop(title="x" * (models.SHORT_TEXT + 1)))
    assert (problem.field, problem.code) == ("title", "too_long")
    assert problem.params == {"max": models.SHORT_TEXT}


def test_text_at_the_limit_is_accepted():
    assert validate(WorkshopInput, workshop(title="x" * models.SHORT_TEXT)).title == "x" * models.SHORT_TEXT


def test_long_text_over_its_limit_is_too_long():
    assert field_codes(SessionInput, session(topics="x" * (models.LONG_TEXT + 1))) == {("topics", "too_long")}


def test_negative_participant_count_is_too_small_on_the_participant_grid():
    (problem,) = problems_of(SessionInput, session(participants={"civil_society": {"women": -1}}))
    assert (problem.field, problem.code) == ("participants", "too_small")
    assert problem.params == {"min": 0}


def test_unknown_sector_in_the_participant_grid_is_not_an_option():
    assert field_codes(SessionInput, session(participants={"church": {"women": 2}})) == {
        ("participants", "not_an_option")
    }


def test_progress_over_100_is_too_large():
    (problem,) = problems_of(MilestoneUpdateInput, {"progress": 130, "status": "in_progress"})
    assert (problem.field, problem.code) == ("progress", "too_large")
    assert problem.params == {"max": 100}


def test_progress_that_is_not_a_number_is_reported():
    assert field_codes(MilestoneUpdateInput, {"progress": "mucho", "status": "in_progress"}) == {
        ("progress", "not_a_number")
    }


def test_a_session_dated_the_day_after_today_is_refused_naming_today():
    (problem,) = problems_of(SessionInput, session(held_on=TODAY + timedelta(days=1)))
    assert (problem.field, problem.code) == ("held_on", "date_in_future")
    assert problem.params == {"max": TODAY}


def test_a_refused_date_reads_as_the_interface_writes_dates_not_iso():
    (problem,) = problems_of(SessionInput, session(held_on=TODAY + timedelta(days=10)))
    assert i18n.format_date(TODAY, "es") in problem.message("es")
    assert i18n.format_date(TODAY, "en") in problem.message("en")
    assert TODAY.isoformat() not in problem.message("es")


def test_a_session_dated_today_is_accepted():
    assert validate(SessionInput, session(held_on=TODAY), today=TODAY).held_on == TODAY


def test_the_today_limit_counts_from_the_today_the_caller_gives():
    held_on = TODAY + timedelta(days=30)
    later = TODAY + timedelta(days=60)
    assert validate(SessionInput, session(held_on=held_on), today=later).held_on == held_on
    with pytest.raises(ValidationError):
        validate(SessionInput, session(held_on=held_on), today=TODAY)


def test_without_a_today_only_the_fixed_date_range_applies():
    """The models never read a clock: the caller (the store) decides what today is."""
    far = models.LATEST_PLANNED_DATE
    assert validate(SessionInput, session(held_on=far)).held_on == far


def test_a_model_built_without_a_today_is_checked_again_when_the_store_gives_one():
    far = models.LATEST_PLANNED_DATE
    built = validate(SessionInput, session(held_on=far))

    assert validate(SessionInput, built) is built
    with pytest.raises(ValidationError):
        validate(SessionInput, built, today=TODAY)


def test_date_before_2010_is_too_early():
    (problem,) = problems_of(SessionInput, session(held_on="2009-12-31"))
    assert (problem.field, problem.code) == ("held_on", "date_too_early")
    assert problem.params == {"min": date(2010, 1, 1)}


def test_planned_date_after_the_planning_horizon_is_too_late():
    assert field_codes(CommitmentInput, commitment(end_date="2046-01-01")) == {("end_date", "date_too_late")}


def test_impossible_date_is_not_a_date():
    assert field_codes(SessionInput, session(held_on="2026-02-30")) == {("held_on", "not_a_date")}


@pytest.mark.parametrize("code", ["99", "00", "33", "1", "OAX", ""])
def test_unknown_state_code_is_rejected(code):
    assert field_codes(SessionInput, session(state_code=code)) == {("state_code", "unknown_state")}


@pytest.mark.parametrize("code", ["01", "09", "20", "32"])
def test_inegi_state_codes_01_to_32_are_accepted(code):
    assert validate(SessionInput, session(state_code=code)).state_code == code


def test_unknown_enum_value_is_not_an_option():
    assert field_codes(SessionInput, session(session_type="party")) == {("session_type", "not_an_option")}


def test_unknown_phase_is_not_an_option():
    assert field_codes(SessionInput, session(phase=9)) == {("phase", "not_an_option")}


@pytest.mark.parametrize(
    "link", ["ftp://example.org/x", "www.example.org", "https://exa mple.org", "javascript:x"]
)
def test_bad_url_is_not_a_url(link):
    assert field_codes(WorkshopInput, workshop(evidence_url=link)) == {("evidence_url", "not_a_url")}


def test_empty_url_means_no_link():
    assert validate(WorkshopInput, workshop(evidence_url="")).evidence_url is None


@pytest.mark.parametrize("target", ["18.1", "0.1", "16.x1", "16", "6.B", "16.100", "16.0"])
def test_bad_sdg_target_code_is_an_unknown_target(target):
    (problem,) = problems_of(CommitmentInput, commitment(sdg_targets=["16.10", target]))
    assert (problem.field, problem.code) == ("sdg_targets", "unknown_target")
    assert problem.params == {"value": target}


def test_sdg_targets_are_accepted_and_deduplicated_in_order():
    accepted = validate(CommitmentInput, commitment(sdg_targets=["16.10", "6.b", "1.1", "16.10", "17.19"]))
    assert accepted.sdg_targets == ["16.10", "6.b", "1.1", "17.19"]


@pytest.mark.parametrize("text", ["acta\x00", "uno\x07dos", "borrar\x7f", "tab\x0bvertical"])
def test_control_characters_are_bad_characters(text):
    assert field_codes(WorkshopInput, workshop(title=text)) == {("title", "bad_characters")}


def test_tabs_and_line_breaks_are_ordinary_text():
    accepted = validate(SessionInput, session(topics="Primero\tuno\nsegundo\r\ntercero"))
    assert "\n" in accepted.topics


def test_end_date_before_start_date_names_the_end_date():
    data = commitment(start_date="2026-06-01", end_date="2026-05-31")
    assert field_codes(CommitmentInput, data) == {("end_date", "end_before_start")}


def test_plan_period_ending_before_it_starts_names_the_period_end():
    data = {"state_code": "20", "number": 1, "period_start": "2026-06-01", "period_end": "2026-01-01"}
    assert field_codes(ActionPlanInput, data) == {("period_end", "end_before_start")}


def test_agreement_with_empty_text_is_named_by_its_position_in_the_session():
    data = session(agreements=[{"text": "Publicar la minuta"}, {"text": ""}])
    assert field_codes(SessionInput, data) == {("agreements.1.text", "required")}
    data = session(agreements=[{"text": "  "}])
    assert field_codes(SessionInput, data) == {("agreements.0.text", "required")}


def test_agreement_that_is_not_a_record_is_reported():
    assert field_codes(SessionInput, session(agreements=["Publicar la minuta"])) == {
        ("agreements.0", "not_a_record")
    }


@pytest.mark.parametrize(
    "bad",
    [
        {"text": ""},
        {"text": "x" * (models.LONG_TEXT + 1)},
        {"responsible_sector": "press"},
        {"responsible_organization": "x" * (models.SHORT_TEXT + 1)},
        {"due_date": "2046-01-01"},
        {"due_date": "2009-12-31"},
    ],
)
def test_an_agreement_correction_refuses_what_a_new_agreement_refuses(bad):
    data = {"text": "Publicar la minuta", **bad}
    assert field_codes(models.AgreementCorrection, data) == field_codes(models.AgreementInput, data) != set()


def test_an_agreement_correction_leaves_status_and_commitment_link_to_the_follow_up():
    data = {"text": "Publicar la minuta", "status": "done", "commitment_id": 3}
    assert field_codes(models.AgreementCorrection, data) == {
        ("status", "unknown_field"),
        ("commitment_id", "unknown_field"),
    }


def test_too_long_organisation_name_is_named_by_its_position():
    data = session(organizations=["Colectivo Ciudadano", "x" * (models.SHORT_TEXT + 1)])
    assert field_codes(SessionInput, data) == {("organizations.1", "too_long")}


def test_secretariat_account_without_state_needs_one():
    data = {"username": "sec-oaxaca", "display_name": "STL Oaxaca", "role": "secretariat"}
    assert field_codes(UserInput, data) == {("state_code", "state_required")}


def test_unknown_field_is_reported_with_its_name():
    (problem,) = problems_of(WorkshopInput, workshop(colour="red"))
    assert (problem.field, problem.code, problem.params) == ("colour", "unknown_field", {"value": "colour"})


def test_every_bad_field_is_reported_at_once():
    data = {"state_code": "99", "held_on": "2001-01-01", "session_type": "party", "evidence_url": "nope"}
    assert field_codes(SessionInput, data) == {
        ("state_code", "unknown_state"),
        ("held_on", "date_too_early"),
        ("session_type", "not_an_option"),
        ("evidence_url", "not_a_url"),
    }


def test_bad_member_email_is_not_an_email():
    data = {"state_code": "20", "organization": "OSC", "sector": "civil_society", "person_email": "ana@"}
    assert field_codes(MemberInput, data) == {("person_email", "not_an_email")}


# happy paths


def test_full_session_with_agreements_and_participant_grid_is_accepted():
    data = session(
        modality="hybrid",
        phase=3,
        topics="Priorización de problemas públicos",
        organizations=["Colectivo Ciudadano", "Órgano Garante"],
        consensus=4,
        public_summary="Se priorizaron tres problemas.",
        summary="Nota privada.",
        evidence_url="https://example.org/minuta.pdf",
        participants={
            "civil_society": {"women": 5, "men": 3},
            "government": {"women": 2, "men": "4", "other": 1},
            "guarantor_body": {"women": 1},
        },
        agreements=[
            {"text": "Publicar la minuta", "responsible_sector": "guarantor_body", "due_date": "2026-12-15"},
            {"text": "Convocar mesa de trabajo", "commitment_id": 7},
        ],
    )
    accepted = validate(SessionInput, data)
    assert accepted.session_type == SessionType.PLENARY
    assert accepted.participant_total == 16
    assert accepted.participants[Sector.GOVERNMENT][Gender.MEN] == 4
    assert [a.text for a in accepted.agreements] == ["Publicar la minuta", "Convocar mesa de trabajo"]
    assert accepted.agreements[0].due_date == date(2026, 12, 15)
    assert accepted.agreements[1].commitment_id == 7


def test_session_without_participants_totals_zero():
    assert validate(SessionInput, session()).participant_total == 0


def test_surrounding_whitespace_is_trimmed():
    assert validate(WorkshopInput, workshop(title="  Taller  ")).title == "Taller"


def test_validate_returns_an_already_validated_model_unchanged():
    accepted = validate(SessionInput, session())
    assert validate(SessionInput, accepted) is accepted


def test_completing_a_milestone_sets_progress_to_100():
    accepted = validate(
        MilestoneUpdateInput,
        {"progress": 40, "status": "complete", "evidence_url": "https://example.org/acta"},
    )
    assert accepted.status == MilestoneStatus.COMPLETE
    assert accepted.progress == 100
    assert accepted.has_evidence


def test_completing_a_milestone_sets_progress_to_100_when_built_directly():
    update = MilestoneUpdateInput(progress=40, status=MilestoneStatus.COMPLETE, evidence_note="Acta firmada")
    assert update.progress == 100


def test_milestone_in_progress_keeps_its_progress_and_may_lack_evidence():
    accepted = validate(MilestoneUpdateInput, {"progress": 40, "status": "in_progress"})
    assert accepted.progress == 40
    assert not accepted.has_evidence


def test_only_a_secretariat_account_keeps_a_state():
    data = {"username": "gtp", "display_name": "Grupo", "role": "working_group", "state_code": "20"}
    assert validate(UserInput, data).state_code is None
    assert (
        UserInput(username="gtp", display_name="Grupo", role=Role.WORKING_GROUP, state_code="20").state_code
        is None
    )
    data = {"username": "sec-oaxaca", "display_name": "STL Oaxaca", "role": "secretariat", "state_code": "20"}
    assert validate(UserInput, data).state_code == "20"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("26/11/2026", date(2026, 11, 26)),
        ("1/2/2026", date(2026, 2, 1)),
        (" 05/03/2019 ", date(2019, 3, 5)),
        ("2026-11-26", "2026-11-26"),
        ("31/02/2026", "31/02/2026"),
    ],
)
def test_coerce_date_reads_day_month_year(text, expected):
    assert coerce_date(text) == expected


def test_coerce_date_turns_a_datetime_into_its_date():
    assert coerce_date(datetime(2026, 11, 26, 9, 30)) == date(2026, 11, 26)


def test_coerced_day_month_year_date_validates():
    accepted = validate(SessionInput, session(held_on=coerce_date("20/11/2026")))
    assert accepted.held_on == date(2026, 11, 20)


# messages


def test_validation_message_names_the_field_in_spanish():
    with pytest.raises(ValidationError) as caught:
        validate(SessionInput, session(held_on="2009-06-01"))
    message = caught.value.message("es")
    assert message.startswith("Fecha:")
    assert "1 ene 2010" in message  # as the interface writes dates, not ISO
    assert "⟦" not in message


def test_validation_message_names_the_field_in_english():
    with pytest.raises(ValidationError) as caught:
        validate(SessionInput, session(held_on="2009-06-01"))
    message = caught.value.message("en")
    assert message.startswith("Date:")
    assert "⟦" not in message


def test_validation_message_for_an_agreement_names_its_number():
    with pytest.raises(ValidationError) as caught:
        validate(SessionInput, session(agreements=[{"text": "Uno"}, {"text": ""}]))
    assert caught.value.message("es").startswith("Acuerdo 2: Texto:")
    assert caught.value.message("en").startswith("Agreement 2: Text:")


def test_validation_message_for_a_list_item_names_its_number():
    with pytest.raises(ValidationError) as caught:
        validate(SessionInput, session(organizations=["ok", "x" * (models.SHORT_TEXT + 1)]))
    assert caught.value.message("es").startswith("Organización 2:")
    assert "⟦" not in caught.value.message("en")


def test_validation_message_shows_whole_limits_without_decimals():
    with pytest.raises(ValidationError) as caught:
        validate(MilestoneUpdateInput, {"progress": 130, "status": "in_progress"})
    assert caught.value.message("es") == "Avance (%): el valor no puede ser mayor que 100."


def test_validation_error_finds_the_problems_of_one_field():
    with pytest.raises(ValidationError) as caught:
        validate(SessionInput, session(state_code="99", agreements=[{"text": ""}]))
    assert [p.code for p in caught.value.for_field("agreements")] == ["required"]
    assert [p.code for p in caught.value.for_field("state_code")] == ["unknown_state"]
    assert caught.value.for_field("held_on") == []


def test_password_shorter_than_the_minimum_is_rejected():
    with pytest.raises(ValidationError) as caught:
        models.check_password_strength("corta")
    (problem,) = caught.value.problems
    assert (problem.field, problem.code) == ("password", "password_too_short")
    assert str(models.MIN_PASSWORD_LENGTH) in caught.value.message("es")
    models.check_password_strength("x" * models.MIN_PASSWORD_LENGTH)
