"""The "Pendientes" page of every signed-in role, its count in the navigation, the person's e-mail reminder
preferences, and the .ics download of a state's calendar (issue 14).

The items are ``store.reminders.pending_for``, the read behind the e-mail digest, so the page, the count and the
digest agree. A secretariat gets its own state's panel (``ui.pending.render``, with the milestone update form);
the specialist the open agreements of every state; the working group and admins every state, one line each with
its counts, and the lists of the state picked.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from accompaniment.access import Actor
from accompaniment.domain.enums import Role
from accompaniment.domain.errors import AccompanimentError
from accompaniment.i18n import LANGUAGES
from accompaniment.io import calendar
from accompaniment.store import reminders as reminders_store
from accompaniment.store.reminders import PersonalPending, StatePending
from accompaniment.ui import cached, pending, present, widgets
from accompaniment.ui.context import current_actor, current_lang, get_store, show_error, t

PAGE = "pages/pending.py"


@cached.read_cache(max_entries=64)
def personal_pending(role: str, actor_state: str | None) -> PersonalPending:
    """The viewer's pending items (cached per role, bound state and data version: ui/cached.py)."""
    viewer = Actor(Role(role), state_code=actor_state, username=f"viewer:{role}")
    return reminders_store.pending_for(get_store(), viewer)


@cached.read_cache(max_entries=64)
def overdue_count(role: str, actor_state: str | None) -> int:
    """The count in the navigation: two counting statements (store.reminders.overdue_count), cached per viewer."""
    viewer = Actor(Role(role), state_code=actor_state, username=f"viewer:{role}")
    return reminders_store.overdue_count(get_store(), viewer)


@cached.read_cache(max_entries=32)
def state_calendar(state_code: str, lang: str) -> bytes:
    return calendar.state_calendar(get_store(), state_code, lang)


def nav_count(actor: Actor) -> int | None:
    """How many items are overdue for ``actor`` (None for the public, or when it cannot be read)."""
    if actor.is_public or actor.must_change_password:
        return None
    try:
        return overdue_count(actor.role.value, actor.state_code)
    except AccompanimentError:
        return None


def render() -> None:
    """The page's content for the signed-in viewer."""
    actor = current_actor()
    found = personal_pending(*cached.viewer())
    st.title(t("reminders.page.title"))
    if actor.role == Role.SECRETARIAT:
        st.caption(t("reminders.page.intro_secretariat", days=found.soon_days))
        if found.states:
            pending.render(found.states[0].state_code)
    else:
        key = (
            "reminders.page.intro_specialist" if actor.role == Role.SPECIALIST else "reminders.page.intro_all"
        )
        st.caption(t(key, days=found.soon_days))
        _all_states(found)
    preferences_form(actor)


def _soon(state: StatePending, with_milestones: bool) -> int:
    items = state.items
    agreements_soon = sum(
        1
        for d in items.agreements["days_overdue"]
        if not present.missing(d) and 0 >= int(d) >= -items.soon_days
    )
    return agreements_soon + (items.due_soon_milestones if with_milestones else 0)


def _all_states(found: PersonalPending) -> None:
    soon = {s.state_code: _soon(s, found.with_milestones) for s in found.states}
    st.markdown(
        t(
            "reminders.page.summary",
            overdue=present.number(found.overdue),
            soon=present.number(sum(soon.values())),
            days=found.soon_days,
        )
    )
    active = [
        s
        for s in found.states
        if s.items.overdue_milestones + s.items.overdue_agreements + soon[s.state_code]
        or s.items.open_agreements
    ]
    if not active:
        st.success(t("reminders.page.nothing"), icon=pending.DONE_ICON)
        return
    rows = pd.DataFrame(
        {
            "state_name": [s.state_name for s in active],
            "overdue_milestones": [s.items.overdue_milestones for s in active],
            "due_soon_milestones": [s.items.due_soon_milestones for s in active],
            "overdue_agreements": [s.items.overdue_agreements for s in active],
            "open_agreements": [s.items.open_agreements for s in active],
        }
    )
    if not found.with_milestones:
        rows = rows.drop(columns=["overdue_milestones", "due_soon_milestones"])
    widgets.table(present.readable(rows, list(rows.columns)))
    by_code = {s.state_code: s for s in active}

    def name(code: str) -> str:
        state = by_code[code]
        overdue = state.items.overdue_milestones + state.items.overdue_agreements
        return t("reminders.page.state_summary", state=state.state_name, overdue=overdue, soon=soon[code])

    chosen = st.selectbox(
        t("widgets.state"),
        list(by_code),
        key="reminders_state",
        format_func=name,
        placeholder=widgets.choose_text(),
    )
    picked = by_code[chosen].items
    if found.with_milestones:
        left, right = st.columns(2)
        with left:
            pending._milestone_list(picked)
        with right:
            pending._agreement_list(picked)
    else:
        pending._agreement_list(picked)


def preferences_form(actor: Actor) -> None:
    """The person's own e-mail reminder preferences: digest on or off, and its language."""
    st.subheader(t("reminders.prefs.header"))
    if actor.user_id is None:
        st.caption(t("reminders.prefs.no_account"))
        return
    store = get_store()
    try:
        prefs = reminders_store.preferences(store, actor, actor.user_id)
        mail = reminders_store.has_email(store, actor, actor.user_id)
    except AccompanimentError as exc:
        show_error(exc)
        return
    if not mail:
        st.caption(t("reminders.prefs.no_email"))
    with st.form("reminder_preferences"):
        weekly = st.checkbox(t("reminders.prefs.weekly"), value=prefs.weekly_digest, key="reminder_weekly")
        language = st.selectbox(
            t("reminders.prefs.language"),
            list(LANGUAGES),
            key="reminder_language",
            index=list(LANGUAGES).index(prefs.language),
            format_func=lambda code: t(f"reminders.prefs.lang_{code}"),
            placeholder=widgets.choose_text(),
        )
        if st.form_submit_button(t("reminders.prefs.save")):
            try:
                reminders_store.set_preferences(
                    store, actor, actor.user_id, weekly_digest=bool(weekly), language=str(language)
                )
            except AccompanimentError as exc:
                show_error(exc)
            else:
                st.success(t("reminders.prefs.saved"))


def calendar_download(state_code: str) -> None:
    """The state's public calendar as an .ics file."""
    st.download_button(
        t("reminders.calendar.download"),
        data=state_calendar(state_code, current_lang()),
        file_name=f"calendario-stl-{state_code}.ics",
        mime="text/calendar",
        help=t("reminders.calendar.help"),
        icon=":material/calendar_month:",
        key=f"calendar_{state_code}",
    )
