"""Hypothesis strategies for hostile form input: what a careless, curious or malicious user can type or post.

Each ``*_input`` strategy builds the raw dict a page or an import would hand to the store, mixing valid values with
injection strings, quotes, emoji, accents, right-to-left text, 5,000-character text, dates just inside and just
outside the allowed ranges, None, wrong types, unknown options and unexpected keys.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from accompaniment.domain.enums import (
    AgreementStatus,
    Ambition,
    EarlyResults,
    Gender,
    MilestoneStatus,
    Modality,
    OgpValue,
    Phase,
    Role,
    Seat,
    Sector,
    SessionType,
)
from accompaniment.domain.models import (
    ACTIVITY_MAX_DAYS_AHEAD,
    EARLIEST_DATE,
    LATEST_PLANNED_DATE,
    LONG_TEXT,
    SHORT_TEXT,
)
from tests.conftest import FIXED_NOW
from tests.reliability.conftest import SEEDED_STATE

NASTY_TEXT = [
    "'; DROP TABLE dialogue_session; --",
    "Robert'); DELETE FROM agreement WHERE '1'='1",
    '" OR "1"="1',
    "1; SELECT pg_sleep(5); --",
    "%_\\' ESCAPE '\\'",
    "Comillas «españolas», “tipográficas” y 'simples'",
    "Ñandú, pingüino, acción: ÁÉÍÓÚ áéíóú ü",
    "😀🇲🇽👩🏽‍🌾 emoji con modificadores",
    "مرحبا بالعالم — texto de derecha a izquierda",
    "שלום \u202eevil\u202c",
    "cero\u200banchos\u200djuntos",
    "e\u0301 combinado",
    "  espacios alrededor  ",
    "\ttabulador\t",
    "salto\nde línea\r\nWindows",
    "NULL",
    "None",
    "<script>alert('x')</script>",
    "{{7*7}} ${7*7}",
    "\U0010ffff fin del plano",
    "x" * SHORT_TEXT,
    "x" * (SHORT_TEXT + 1),
    "ñ" * LONG_TEXT,
    "ñ" * (LONG_TEXT + 1),
    "",
    " ",
    "\x00nul",
    "campana\x07",
    "suprimir\x7f",
    "\ud800 mitad de un par",
    "\ufeffcon BOM",
]

WRONG_TYPES = [None, 0, -1, 1.5, True, [], {}, ["lista"], {"a": 1}, b"bytes"]


def text(nullable: bool = False) -> st.SearchStrategy[Any]:
    options = [st.sampled_from(NASTY_TEXT), st.text(max_size=30)]
    if nullable:
        options.append(st.none())
    return st.one_of(*options, st.sampled_from(WRONG_TYPES))


def edge_dates() -> list[Any]:
    now = FIXED_NOW.date()  # the test stores' today: activity dates are checked against the store's clock
    return [
        EARLIEST_DATE - timedelta(days=1),
        EARLIEST_DATE,
        now,
        now + timedelta(days=ACTIVITY_MAX_DAYS_AHEAD),
        now + timedelta(days=ACTIVITY_MAX_DAYS_AHEAD + 1),
        LATEST_PLANNED_DATE,
        LATEST_PLANNED_DATE + timedelta(days=1),
        date.min,
        date.max,
        "2020-02-30",
        "31/12/2020",
        "2020-12-31",
        "",
        "ayer",
        20200101,
    ]


def dates(nullable: bool = False) -> st.SearchStrategy[Any]:
    options = [
        st.sampled_from(edge_dates()),
        st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31)),
    ]
    if nullable:
        options.append(st.none())
    return st.one_of(*options)


def choice(values: list[str], nullable: bool = False) -> st.SearchStrategy[Any]:
    """An enum field: every valid value, and the near misses a user or an import produces."""
    hostile = [f" {values[0]} ", values[0].upper(), "otro", "", "'; DROP TABLE state; --", 7]
    options = [st.sampled_from(values), st.sampled_from(hostile)]
    if nullable:
        options.append(st.none())
    return st.one_of(*options)


def values_of(enum: Any) -> list[str]:
    return [member.value for member in enum]


def ids(existing: list[int], nullable: bool = False) -> st.SearchStrategy[Any]:
    """A reference to another record: existing ids, unknown ones, out-of-range ones and wrong types."""
    odd = [0, -1, 999_999, 2**31 - 1, 2**31, 2**63, 10**30, "1", "uno", 1.5, True]
    options = [st.sampled_from(existing), st.sampled_from(odd)]
    if nullable:
        options.append(st.none())
    return st.one_of(*options)


def numbers(low: float, high: float) -> st.SearchStrategy[Any]:
    """Any float just around a range (0.1 and 33.3 included: they must read back exactly), and the edges."""
    around = st.floats(min_value=low - 2, max_value=high + 2, allow_nan=False)
    odd = [0.1, 33.3, float("nan"), float("inf"), -0.0, "3", "tres", None, 1e308, 5e-324]
    return st.one_of(around, st.sampled_from([low, high]), st.sampled_from(odd))


def counts() -> st.SearchStrategy[Any]:
    return st.one_of(st.integers(-2, 100), st.sampled_from([100_000, 100_001, 2**40, "5", 2.5, None]))


def participants() -> st.SearchStrategy[Any]:
    sectors = st.one_of(st.sampled_from(values_of(Sector)), st.sampled_from(["nadie", " government "]))
    genders = st.one_of(st.sampled_from(values_of(Gender)), st.just("desconocido"))
    grid = st.dictionaries(sectors, st.dictionaries(genders, counts(), max_size=3), max_size=3)
    return st.one_of(grid, st.sampled_from([[], "muchos", {"government": 5}]))


def _record(
    required: dict[str, st.SearchStrategy[Any]], optional: dict[str, st.SearchStrategy[Any]]
) -> st.SearchStrategy[dict[str, Any]]:
    """Fields may be missing, and an unexpected key may be posted along."""
    return st.fixed_dictionaries(required, optional={**optional, "campo_extra": text()})


def agreement_input(commitments: list[int]) -> st.SearchStrategy[dict[str, Any]]:
    return _record(
        {"text": text()},
        {
            "responsible_sector": choice(values_of(Sector), nullable=True),
            "responsible_organization": text(nullable=True),
            "due_date": dates(nullable=True),
            "commitment_id": ids(commitments, nullable=True),
        },
    )


def session_input(states: list[str], commitments: list[int]) -> st.SearchStrategy[dict[str, Any]]:
    return _record(
        {"state_code": choice(states), "held_on": dates(), "session_type": choice(values_of(SessionType))},
        {
            "modality": choice(values_of(Modality)),
            "phase": st.one_of(
                st.sampled_from([p.value for p in Phase]), st.sampled_from([-1, 6, "tres", None])
            ),
            "topics": text(),
            "organizations": st.lists(text(), max_size=3),
            "consensus": st.one_of(st.integers(0, 6), st.none()),
            "public_summary": text(),
            "summary": text(),
            "evidence_url": st.one_of(st.sampled_from(URLS), text(nullable=True)),
            "participants": participants(),
            "agreements": st.lists(agreement_input(commitments), max_size=3),
        },
    )


URLS = [
    "https://example.org/minuta.pdf",
    "http://example.org/a?b=1&c='2'",
    "https://ejemplo.mx/ñandú/acción",
    "javascript:alert(1)",
    "https://example.org/" + "a" * 1990,
    "https://example.org/" + "a" * 1981,
    "ftp://example.org/x",
    "https://exa mple.org",
]


def workshop_input(states: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    return _record(
        {"state_code": choice(states), "held_on": dates(), "title": text()},
        {
            "topic": text(nullable=True),
            "modality": choice(values_of(Modality)),
            "hours": numbers(0, 200),
            "satisfaction": st.one_of(st.integers(0, 6), st.none()),
            "public_summary": text(),
            "notes": text(),
            "evidence_url": st.one_of(st.sampled_from(URLS), st.none()),
            "participants": participants(),
        },
    )


def status_change_input(commitments: list[int]) -> st.SearchStrategy[dict[str, Any]]:
    return _record(
        {"status": choice(values_of(AgreementStatus)), "changed_on": dates()},
        {"note": text(), "commitment_id": ids(commitments, nullable=True)},
    )


def milestone_update_input() -> st.SearchStrategy[dict[str, Any]]:
    return _record(
        {"progress": numbers(0, 100), "status": choice(values_of(MilestoneStatus))},
        {
            "evidence_url": st.one_of(st.sampled_from(URLS), st.none()),
            "evidence_note": text(),
            "note": text(),
        },
    )


def phase_change_input() -> st.SearchStrategy[dict[str, Any]]:
    return _record(
        {
            "phase": st.one_of(
                st.sampled_from([p.value for p in Phase]), st.sampled_from([-1, 6, "4", "cuatro"])
            ),
            "changed_on": dates(),
        },
        {"note": text()},
    )


def assessment_input() -> st.SearchStrategy[dict[str, Any]]:
    return _record(
        {},
        {
            "verifiable": st.sampled_from([True, False, None, "sí", "true", 2]),
            "ambition": choice(values_of(Ambition), nullable=True),
            "early_results": choice(values_of(EarlyResults), nullable=True),
        },
    )


# Action plans: valid plans by construction, and one controlled mutation at a time. (A single mixed strategy, as for
# the other models, produced no valid plan at all for some seeds, so a "both paths taken" check failed at random.)
PLAN_STATES = [SEEDED_STATE, "20", "01", "29", "32"]  # known states; Chihuahua ("08") starts with no plan
VALID_PLAN_LINKS = [
    "https://example.org/minuta.pdf",
    "https://ejemplo.mx/ñandú/acción",
    "http://example.org/a?b=1&c=2",
    "https://example.org/" + "a" * 1980,  # exactly 2,000 characters
]


def planned_dates() -> st.SearchStrategy[date]:
    return st.one_of(
        st.sampled_from([EARLIEST_DATE, LATEST_PLANNED_DATE]),
        st.dates(min_value=EARLIEST_DATE, max_value=LATEST_PLANNED_DATE),
    )


@st.composite
def valid_action_plan(draw: st.DrawFn) -> dict[str, Any]:
    """A plan the model accepts: a known state (perhaps with surrounding spaces), number 1-50, dates inside the
    allowed range with the period in order, and a valid link or none. Optional fields may be absent."""
    state = draw(st.sampled_from(PLAN_STATES))
    plan: dict[str, Any] = {
        "state_code": draw(st.sampled_from([state, f" {state} "])),
        "number": draw(st.one_of(st.sampled_from([1, 50]), st.integers(1, 50))),
    }
    start, end = sorted(draw(st.lists(planned_dates(), min_size=2, max_size=2)))
    if draw(st.booleans()):
        plan["period_start"] = start
    if draw(st.booleans()):
        plan["period_end"] = end
    if draw(st.booleans()):
        plan["published_on"] = draw(st.one_of(planned_dates(), st.none()))
    if draw(st.booleans()):
        plan["link"] = draw(st.sampled_from([*VALID_PLAN_LINKS, "", None]))
    return plan


BAD_PLAN_DATES = [
    EARLIEST_DATE - timedelta(days=1),
    LATEST_PLANNED_DATE + timedelta(days=1),
    date.min,
    date.max,
    "2020-02-30",
    "ayer",
    "31/12/2020",
    [],
]

# mutation name -> (the field the refusal must name, what to put there; ``MISSING`` removes the field)
MISSING = object()
ACTION_PLAN_MUTATIONS: dict[str, tuple[str, st.SearchStrategy[Any]]] = {
    "unknown_state": (
        "state_code",
        st.sampled_from(["00", "33", "8", "ZZ", "", "'; DROP TABLE state; --", 7, None, ["20"]]),
    ),
    "missing_state": ("state_code", st.just(MISSING)),
    "number_out_of_range": ("number", st.sampled_from([0, -1, 51, 2**31, 10**30])),
    "number_not_whole": ("number", st.sampled_from([2.5, "dos", "", None, [], {"a": 1}])),
    "missing_number": ("number", st.just(MISSING)),
    "bad_period_start": ("period_start", st.sampled_from(BAD_PLAN_DATES)),
    "bad_period_end": ("period_end", st.sampled_from(BAD_PLAN_DATES)),
    "bad_published_on": ("published_on", st.sampled_from(BAD_PLAN_DATES)),
    "bad_link": (
        "link",
        st.sampled_from(
            [u for u in URLS if u not in VALID_PLAN_LINKS and "ñ" not in u] + [5, ["https://x.org"]]
        ),
    ),
    "extra_key": ("campo_extra", st.one_of(st.sampled_from(NASTY_TEXT), st.none())),
}


@st.composite
def invalid_action_plan(draw: st.DrawFn, mutation: str) -> dict[str, Any]:
    """A valid plan with exactly one thing wrong, the one ``mutation`` names."""
    plan = draw(valid_action_plan())
    if mutation == "period_reversed":
        start = draw(st.dates(min_value=EARLIEST_DATE + timedelta(days=1), max_value=LATEST_PLANNED_DATE))
        plan["period_start"] = start
        plan["period_end"] = draw(st.dates(min_value=EARLIEST_DATE, max_value=start - timedelta(days=1)))
        return plan
    field, bad = ACTION_PLAN_MUTATIONS[mutation]
    value = draw(bad)
    if value is MISSING:
        plan.pop(field, None)
    else:
        plan[field] = value
    return plan


def commitment_input(plans: list[int]) -> st.SearchStrategy[dict[str, Any]]:
    return _record(
        {"plan_id": ids(plans), "title": text()},
        {
            "number": st.one_of(st.integers(-1, 501), st.none()),
            "public_problem": text(),
            "objective": text(),
            "lead_institution": text(nullable=True),
            "co_responsible": text(nullable=True),
            "start_date": dates(nullable=True),
            "end_date": dates(nullable=True),
            "proactive": st.sampled_from([True, False, "no", None]),
            "ogp_values": st.lists(choice(values_of(OgpValue)), max_size=5),
            "sdg_targets": st.lists(
                st.sampled_from(
                    ["16.10", "16.a", "6.b", "1.1", "17.19", "17.z", "18.1", "16,10", " 16.10 ", ""]
                ),
                max_size=4,
            ),
        },
    )


def milestone_input(commitments: list[int]) -> st.SearchStrategy[dict[str, Any]]:
    return _record(
        {
            "commitment_id": st.one_of(st.sampled_from(commitments), st.sampled_from([0, -1, "uno", None])),
            "number": st.one_of(st.integers(-1, 501), st.just("3")),
            "description": text(),
        },
        {"responsible": text(nullable=True), "due_date": dates(nullable=True), "weight": numbers(0, 100)},
    )


def member_input(states: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    return _record(
        {"state_code": choice(states), "organization": text(), "sector": choice(values_of(Sector))},
        {
            "seat": choice(values_of(Seat)),
            "active_from": dates(nullable=True),
            "active_to": dates(nullable=True),
            "person_name": text(nullable=True),
            "person_email": st.one_of(
                st.sampled_from(["ana@example.org", "ñ@ejemplo.mx", "sin-arroba", "a@b", "'; --@x.org"]),
                text(nullable=True),
            ),
            "person_phone": text(nullable=True),
        },
    )


def user_input(states: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    usernames = st.one_of(
        st.from_regex(r"[a-z0-9][a-z0-9._-]{2,20}", fullmatch=True),
        st.sampled_from(["ana.lopez", "ADMIN", "ab", "x" * 41, "robert'); --", " con-espacios ", "ñandu"]),
    )
    return _record(
        {"username": usernames, "display_name": text(), "role": choice(values_of(Role))},
        {"state_code": st.one_of(choice(states), st.none()), "email": text(nullable=True)},
    )
