"""The .ics calendars (issue 14): one per state, downloadable from its Secretariado page, and one national,
published with the open data. Written with the maintained ``icalendar`` library, never by hand.

Built as the public sees the data (``access.PUBLIC``), whoever asks, so either can be published as is. Every
event is an all-day event (sessions and due dates are days, not hours) in a calendar whose time zone is
America/Mexico_City (VTIMEZONE and X-WR-TIMEZONE); identifiers are stable, so a subscribed calendar updates in
place. Report deadlines arrive with reporting periods (a later issue).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event, Timezone

from accompaniment import i18n, settings
from accompaniment.access import PUBLIC
from accompaniment.domain.links import STATE_PARAM
from accompaniment.store.calendar_events import CalendarEntry, calendar_entries
from accompaniment.store.database import Store

TIME_ZONE = "America/Mexico_City"
UID_DOMAIN = "stl-accompaniment-monitor"
PRODID = "-//STL Accompaniment Monitor//Calendar//ES"


def _summary(entry: CalendarEntry, lang: str) -> str:
    if entry.kind == "session":
        kind = i18n.t(f"enum.SessionType.{entry.session_type}", lang)
        return i18n.t("reminders.calendar.session", lang, type=kind, state=entry.state_name)
    if entry.kind == "agreement":
        return i18n.t("reminders.calendar.agreement_due", lang, state=entry.state_name, text=entry.title)
    if entry.kind == "deadline":
        return i18n.t("reminders.calendar.deadline_due", lang, state=entry.state_name, text=entry.title)
    return i18n.t("reminders.calendar.milestone_due", lang, code=entry.commitment_code, state=entry.state_name,
                  text=entry.title)  # fmt: skip


def _description(entry: CalendarEntry) -> str:
    return "\n\n".join(
        part for part in (entry.title if entry.kind == "session" else "", entry.detail) if part
    )


def build_calendar(
    entries: list[CalendarEntry],
    name: str,
    lang: str,
    base_url: str | None = None,
    now: datetime | None = None,
) -> bytes:
    base = (base_url or str(settings.get("app_base_url"))).rstrip("/")
    stamp = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    cal = Calendar.new(prodid=PRODID, name=name, description=i18n.t("reminders.calendar.description", lang))
    cal.add("X-WR-TIMEZONE", TIME_ZONE)
    cal.add_component(Timezone.from_tzid(TIME_ZONE))
    for entry in entries:
        event = Event.new(
            uid=f"{entry.kind}-{entry.item_id}@{UID_DOMAIN}",
            summary=_summary(entry, lang),
            start=entry.day,
            end=entry.day + timedelta(days=1),
            stamp=stamp,
            url=f"{base}/secretariat?{STATE_PARAM}={entry.state_code}",  # the page opens the state (issue 13)
            categories=[entry.kind],
        )
        description = _description(entry)
        if description:
            event.add("DESCRIPTION", description)
        event.add("CLASS", "PUBLIC")
        event.add("TRANSP", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()


def state_calendar(store: Store, state_code: str, lang: str = i18n.DEFAULT_LANGUAGE) -> bytes:
    """The public calendar of one state."""
    entries = calendar_entries(store, PUBLIC, state_code)
    name = next((e.state_name for e in entries), state_code)
    return build_calendar(entries, i18n.t("reminders.calendar.name_state", lang, state=name), lang)


def national_calendar(store: Store, lang: str = i18n.DEFAULT_LANGUAGE, now: datetime | None = None) -> bytes:
    """The public calendar of every state."""
    entries = calendar_entries(store, PUBLIC)
    return build_calendar(entries, i18n.t("reminders.calendar.name_national", lang), lang, now=now)
