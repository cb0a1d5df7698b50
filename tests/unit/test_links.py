"""Readable link parameters (issue 13): a state by INEGI code, ISO code or short name; a commitment as
``OAX-1-3``; the language. Anything else is refused as unknown, never an exception."""

from __future__ import annotations

import pytest

from accompaniment.domain.links import (
    CommitmentRef,
    commitment_ref,
    parse_commitment_ref,
    parse_goal,
    parse_language,
    parse_state,
)

STATES = [("20", "MX-OAX", "OAX"), ("08", "MX-CHH", "CHIH")]
HOSTILE = ["", "   ", "20' OR '1'='1", "<script>alert(1)</script>", "2" * 10_000, "Оах", "ＯＡＸ", "20\x00", None,
           ["20", "08"], 20]  # fmt: skip


@pytest.mark.parametrize("value", ["20", " 20 ", "MX-OAX", "mx-oax", "OAX", "oax", "Oax"])
def test_a_state_is_named_by_its_inegi_code_iso_code_or_short_name_in_any_case(value):
    assert parse_state(value, STATES) == "20"


@pytest.mark.parametrize("value", [*HOSTILE, "01", "99", "MX-AGU", "2O"])
def test_an_unknown_malformed_or_hostile_state_is_none(value):
    assert parse_state(value, STATES) is None


def test_a_commitment_reference_is_state_short_name_plan_number_and_commitment_number():
    assert commitment_ref("OAX", 1, 3) == "OAX-1-3"
    assert commitment_ref("oax", 2, 10) == "OAX-2-10"


def test_a_commitment_without_a_number_has_no_reference():
    assert commitment_ref("OAX", 1, None) is None


@pytest.mark.parametrize("value", ["OAX-1-3", "oax-1-3", " OAX-1-3 ", "Oax-01-003"])
def test_a_commitment_reference_parses_in_any_case(value):
    assert parse_commitment_ref(value) == CommitmentRef("OAX", 1, 3)


def test_a_parsed_reference_reads_back_as_the_same_text():
    assert str(parse_commitment_ref("chih-2-14")) == "CHIH-2-14"


@pytest.mark.parametrize("value", [*HOSTILE, "OAX-1", "OAX-1-3-4", "OAX--1-3", "OAX-0-3", "OAX-1-0", "123-1-3",
                                   "OAX-1-99999999999999999999", "OAX-١-٣"])  # fmt: skip
def test_a_malformed_or_hostile_commitment_reference_is_none(value):
    assert parse_commitment_ref(value) is None


@pytest.mark.parametrize(("value", "expected"), [("en", "en"), ("EN", "en"), ("es", "es"), (" es ", "es")])
def test_a_language_parameter_names_a_supported_language(value, expected):
    assert parse_language(value, ("es", "en")) == expected


@pytest.mark.parametrize("value", [*HOSTILE, "fr", "english"])
def test_an_unsupported_language_parameter_is_none(value):
    assert parse_language(value, ("es", "en")) is None


@pytest.mark.parametrize(("value", "goal"), [("5", 5), ("05", 5), (" 17 ", 17), ("1", 1)])
def test_a_goal_is_read_from_its_number(value, goal):
    assert parse_goal(value) == goal


@pytest.mark.parametrize("value", ["0", "18", "-1", "5.5", "٥", "5; DROP", "<b>5</b>", "1" * 10_000, None, 5])
def test_anything_else_names_no_goal(value):
    assert parse_goal(value) is None


def test_a_milestone_reference_names_its_commitment_and_number():
    from accompaniment.domain.links import parse_milestone_ref

    assert parse_milestone_ref("oax-1-3-2") == (CommitmentRef("OAX", 1, 3), 2)
    for bad in [
        "OAX-1-3",
        "OAX-1-3-0",
        "OAX-1-3-2-1",
        "<b>OAX-1-3-2</b>",
        "OAX-1-3-2' --",
        "x" * 10_000,
        None,
    ]:
        assert parse_milestone_ref(bad) is None
