"""Issue 14: the .ics calendars, parsed back with the icalendar library: one per state and one national, holding
dialogue sessions and agreement and milestone due dates in America/Mexico_City, public fields only. Both backends."""

from __future__ import annotations

import io
import zipfile
from datetime import date

from icalendar import Calendar

from accompaniment.access import SYSTEM
from accompaniment.io import calendar
from accompaniment.io.datapackage import PACKAGE_NAME, datapackage_zip
from accompaniment.store import activity
from accompaniment.store.archive import archive
from tests.conftest import OAXACA, TLAXCALA
from tests.io.conftest import PRIVATE

TZ = "America/Mexico_City"


def _parse(content: bytes) -> Calendar:
    assert content.startswith(b"BEGIN:VCALENDAR")
    return Calendar.from_ical(content)


def _summaries(cal: Calendar) -> list[str]:
    return [str(event["SUMMARY"]) for event in cal.events]


def test_a_states_calendar_holds_its_sessions_and_due_dates_and_no_other_state(seeded) -> None:
    store, seeded_ids = seeded
    cal = _parse(calendar.state_calendar(store, TLAXCALA))
    summaries = _summaries(cal)
    assert any("Publicar el tablero" in s for s in summaries)  # agreement due 30 Jun 2026
    assert any("Piloto en Apizaco" in s for s in summaries)  # milestone due 1 Jun 2026
    assert any(s.startswith("Sesión ordinaria del STL") for s in summaries)  # the plenary of 10 Apr 2026
    assert not any("Oaxaca" in s or "Enviar la minuta" in s for s in summaries)
    session = next(e for e in cal.events if str(e["SUMMARY"]).startswith("Sesión ordinaria"))
    assert session.start == date(2026, 4, 10) and session.end == date(2026, 4, 11)  # an all-day event
    agreement = next(e for e in cal.events if "Publicar el tablero" in str(e["SUMMARY"]))
    assert agreement.start == date(2026, 6, 30)
    assert str(agreement["URL"]).endswith(f"/secretariat?estado={TLAXCALA}")
    assert len({str(e["UID"]) for e in cal.events}) == len(cal.events)  # stable, unique identifiers


def test_the_calendars_are_in_mexico_citys_time_zone(seeded) -> None:
    store, _ = seeded
    for content in (calendar.state_calendar(store, OAXACA), calendar.national_calendar(store)):
        cal = _parse(content)
        assert str(cal["X-WR-TIMEZONE"]) == TZ
        assert [tz.tz_name for tz in cal.timezones] == [TZ]
        assert all(e.DTSTAMP.tzinfo is not None for e in cal.events)  # stamps in UTC


def test_the_national_calendar_holds_every_state_and_no_personal_data_or_private_notes(seeded) -> None:
    store, _ = seeded
    content = calendar.national_calendar(store)
    cal = _parse(content)
    summaries = _summaries(cal)
    assert any("Oaxaca" in s for s in summaries) and any("Tlaxcala" in s for s in summaries)
    for marker in PRIVATE.values():
        assert marker.encode() not in content, marker
    assert b"@example.org" not in content.replace(b"@stl-accompaniment-monitor", b"")
    for event in cal.events:
        assert "ATTENDEE" not in event and "ORGANIZER" not in event
        assert event.get("CLASS", "PUBLIC") == "PUBLIC"


def test_archived_sessions_and_cancelled_agreements_leave_the_calendar(seeded) -> None:
    store, seeded_ids = seeded
    held = activity.get_session(store, SYSTEM, seeded_ids.sessions[1])
    before = _summaries(_parse(calendar.state_calendar(store, TLAXCALA)))
    assert any("Publicar el tablero" in s for s in before)
    archive(store, SYSTEM, "dialogue_session", held["id"], held["version"])
    after = _summaries(_parse(calendar.state_calendar(store, TLAXCALA)))
    assert not any("Publicar el tablero" in s or s.startswith("Sesión ordinaria") for s in after)


def test_the_calendar_speaks_the_language_asked_for(seeded) -> None:
    store, _ = seeded
    cal = _parse(calendar.state_calendar(store, TLAXCALA, lang="en"))
    assert str(cal["X-WR-CALNAME"]) == "STL Monitor · Tlaxcala"
    assert any(s.startswith("Agreement due · Tlaxcala") for s in _summaries(cal))


def test_the_open_data_package_publishes_the_national_calendar(seeded_duckdb) -> None:
    store, _ = seeded_duckdb
    with zipfile.ZipFile(io.BytesIO(datapackage_zip(store))) as archive:
        content = archive.read(f"{PACKAGE_NAME}/calendar/national.ics")
    cal = _parse(content)
    assert any("Publicar el tablero" in s for s in _summaries(cal))
    assert all(marker.encode() not in content for marker in PRIVATE.values())


def test_a_later_source_of_report_deadlines_plugs_into_the_calendars(seeded, monkeypatch) -> None:  # noqa: ANN001
    """Reporting periods arrive with a later issue; their deadlines join through CALENDAR_SOURCES."""
    from accompaniment.store import calendar_events

    store, _ = seeded

    def deadlines(store, actor, state_code):  # noqa: ANN001, ANN202
        return [calendar_events.CalendarEntry("deadline", 1, TLAXCALA, "Tlaxcala", date(2026, 12, 15),
                                              "Informe trimestral")]  # fmt: skip

    monkeypatch.setattr(calendar_events, "CALENDAR_SOURCES", [deadlines])
    cal = _parse(calendar.state_calendar(store, TLAXCALA))
    event = next(e for e in cal.events if "Informe trimestral" in str(e["SUMMARY"]))
    assert str(event["SUMMARY"]) == "Fecha límite · Tlaxcala: Informe trimestral"
    assert event.start == date(2026, 12, 15)
