"""Activity dates (a session, a workshop, an agreement's follow-up, a phase change) may be at most a year after
today, and "today" is the store's clock, not the machine's: a store whose clock is set elsewhere (a test, a
replayed import, a server in another time zone) judges every date against its own today.

Each test moves the store's clock years away from the machine's date, so a check that read the machine's date
would decide differently.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from accompaniment.domain.errors import ValidationError
from accompaniment.domain.models import ACTIVITY_MAX_DAYS_AHEAD
from accompaniment.store import activity, secretariats
from accompaniment.store.agreements import follow_up_agreement
from accompaniment.store.database import Store
from tests.conftest import FIXED_NOW, OAXACA
from tests.store.builders import (
    SPECIALIST,
    count_rows,
    log_session,
    session_agreements,
    session_data,
    workshop_data,
)

LATER_NOW = FIXED_NOW.replace(year=FIXED_NOW.year + 3)  # years after the machine's date
EARLIER_NOW = FIXED_NOW.replace(year=FIXED_NOW.year - 2)  # years before it
WRITTEN_TABLES = ("dialogue_session", "workshop", "agreement_update", "phase_event", "audit_entry")


def set_clock(store: Store, monkeypatch: pytest.MonkeyPatch, now: datetime) -> date:
    monkeypatch.setattr(store, "clock", lambda: now)
    return store.today()


def write_session(store: Store, held_on: date) -> Any:
    return activity.log_session(store, SPECIALIST, session_data(held_on=held_on, agreements=[]))


def write_workshop(store: Store, held_on: date) -> Any:
    return activity.log_workshop(store, SPECIALIST, workshop_data(held_on=held_on))


def follow_up(agreement: dict[str, Any]) -> Callable[[Store, date], Any]:
    def write(store: Store, changed_on: date) -> Any:
        change = {"status": "in_progress", "changed_on": changed_on}
        return follow_up_agreement(store, SPECIALIST, agreement["id"], agreement["version"], change)

    return write


def write_phase_change(store: Store, changed_on: date) -> Any:
    return secretariats.change_phase(store, SPECIALIST, OAXACA, 1, {"phase": 5, "changed_on": changed_on})


WRITES = ["session", "workshop", "agreement follow-up", "phase change"]


def writer(store: Store, what: str) -> tuple[Callable[[Store, date], Any], str]:
    """The store call that writes ``what`` with a date, and the name of that date's field.

    Called before the clock moves, so the session an agreement belongs to is logged on the usual date."""
    if what == "agreement follow-up":
        return follow_up(session_agreements(store, log_session(store))[0]), "changed_on"
    return {
        "session": (write_session, "held_on"),
        "workshop": (write_workshop, "held_on"),
        "phase change": (write_phase_change, "changed_on"),
    }[what]


@pytest.mark.parametrize("what", WRITES)
def test_a_date_within_a_year_of_the_stores_today_is_accepted_though_the_machine_is_years_behind(
    store: Store, monkeypatch: pytest.MonkeyPatch, what: str
) -> None:
    write, _field = writer(store, what)
    today = set_clock(store, monkeypatch, LATER_NOW)
    latest = today + timedelta(days=ACTIVITY_MAX_DAYS_AHEAD)
    machines_latest = date.today() + timedelta(days=ACTIVITY_MAX_DAYS_AHEAD)
    assert latest > machines_latest  # a check against the machine's date would refuse it

    assert write(store, latest)


@pytest.mark.parametrize("what", WRITES)
def test_a_date_after_the_stores_today_is_refused_naming_the_stores_today(
    store: Store, monkeypatch: pytest.MonkeyPatch, what: str
) -> None:
    write, field = writer(store, what)
    today = set_clock(store, monkeypatch, LATER_NOW)
    latest = today + timedelta(days=ACTIVITY_MAX_DAYS_AHEAD)
    before = count_rows(store, *WRITTEN_TABLES)

    with pytest.raises(ValidationError) as refused:
        write(store, latest + timedelta(days=1))

    assert [(p.field, p.code, p.params) for p in refused.value.problems] == [
        (field, "date_in_future", {"max": today})
    ]
    assert count_rows(store, *WRITTEN_TABLES) == before


def test_a_store_whose_clock_is_behind_the_machine_refuses_a_date_the_machine_would_allow(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = set_clock(store, monkeypatch, EARLIER_NOW)
    held_on = today + timedelta(days=ACTIVITY_MAX_DAYS_AHEAD + 30)
    assert held_on < date.today()  # already past for the machine

    with pytest.raises(ValidationError) as refused:
        write_session(store, held_on)

    assert [(p.field, p.code) for p in refused.value.problems] == [("held_on", "date_in_future")]
