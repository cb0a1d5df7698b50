"""Readable, stable link parameters (issue 13): which state, commitment and language a URL names.

A URL is typed or pasted by anyone, so every parser here takes any value and answers ``None`` for whatever it does
not recognise: an unknown code, a malformed or hostile value (SQL-ish text, HTML, a 10 kB string, unicode look-alikes),
never an exception. Identifiers are built from natural keys only (a state's short name, a plan's number, a
commitment's number in its plan: migration 0006), never from database ids, so a link survives a backup restored into
the other backend.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

STATE_PARAM = "estado"
COMMITMENT_PARAM = "compromiso"
LANGUAGE_PARAM = "lang"
GOAL_PARAM = "ods"
MILESTONE_PARAM = "hito"
GOALS = range(1, 18)  # the 17 Sustainable Development Goals
MAX_LENGTH = 40  # longer than any identifier here; a longer value is refused before it is looked at

_COMMITMENT_REF = re.compile(r"([A-Z]{2,6})-([0-9]{1,4})-([0-9]{1,5})")
_MILESTONE_REF = re.compile(r"([A-Z]{2,6}-[0-9]{1,4}-[0-9]{1,5})-([0-9]{1,4})")


@dataclass(frozen=True)
class CommitmentRef:
    """A commitment's readable identifier: state short name, plan number, commitment number (``OAX-1-3``)."""

    state: str
    plan: int
    number: int

    def __str__(self) -> str:
        return f"{self.state}-{self.plan}-{self.number}"


def _clean(value: object) -> str | None:
    """``value`` stripped and upper-cased when it is a short plain-ASCII text, else None."""
    if not isinstance(value, str) or len(value) > MAX_LENGTH:
        return None
    text = value.strip()
    if not text or not text.isascii() or not text.isprintable():
        return None
    return text.upper()


def parse_state(value: object, states: Iterable[tuple[str, str, str]]) -> str | None:
    """The INEGI code of the state ``value`` names, among ``states`` (INEGI code, ISO 3166-2 code, short name):
    by any of the three, in any case. None when it names none of them."""
    text = _clean(value)
    if text is None:
        return None
    for code, iso_code, short_name in states:
        if text in {code.upper(), iso_code.upper(), short_name.upper()}:
            return code
    return None


def commitment_ref(short_name: str, plan_number: int, number: int | None) -> str | None:
    """``OAX-1-3``; None for a commitment without a number (a proactive one), which has no readable identifier."""
    if number is None or plan_number is None:
        return None
    return str(CommitmentRef(short_name.upper(), int(plan_number), int(number)))


def parse_commitment_ref(value: object) -> CommitmentRef | None:
    """The reference ``value`` spells (``OAX-1-3``, any case, leading zeros allowed); None when malformed."""
    text = _clean(value)
    match = _COMMITMENT_REF.fullmatch(text) if text else None
    if match is None:
        return None
    plan, number = int(match[2]), int(match[3])
    if plan < 1 or number < 1:
        return None
    return CommitmentRef(match[1], plan, number)


def parse_language(value: object, languages: Iterable[str]) -> str | None:
    """The supported language ``value`` names (``en``, ``ES``), or None."""
    text = _clean(value)
    if text is None:
        return None
    return next((lang for lang in languages if lang.upper() == text), None)


def parse_goal(value: object) -> int | None:
    """The SDG goal ``value`` names (``5``, ``05``), 1 to 17; None otherwise."""
    text = _clean(value)
    if text is None or not text.isdigit():
        return None
    goal = int(text)
    return goal if goal in GOALS else None


def parse_milestone_ref(value: object) -> tuple[CommitmentRef, int] | None:
    """The commitment and the milestone number ``value`` spells (``OAX-1-3-2``: milestone 2 of OAX-1-3); None when
    malformed."""
    text = _clean(value)
    match = _MILESTONE_REF.fullmatch(text) if text else None
    commitment = parse_commitment_ref(match[1]) if match else None
    if commitment is None or int(match[2]) < 1:
        return None
    return commitment, int(match[2])
