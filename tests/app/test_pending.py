"""Issue 14: the "Pendientes" page of every signed-in role, its reminder preferences, and the .ics download on a
state's Secretariado page (AppTest on the demo database)."""

from __future__ import annotations

from pathlib import Path

from accompaniment import i18n
from accompaniment.access import SYSTEM, Actor
from accompaniment.domain.enums import Role
from accompaniment.store import reminders
from accompaniment.store.database import open_store
from accompaniment.store.users import create_user
from tests.app.conftest import assert_rendered_cleanly, open_app

PAGE = "pages/pending.py"
OAXACA = "20"


def _columns(at) -> set[str]:  # noqa: ANN001
    return {column for frame in at.dataframe for column in frame.value.columns}


def _user_id(demo_db: Path, username: str) -> int:
    """A new account with an e-mail, made through the store (the demo template holds no accounts)."""
    store = open_store(f"duckdb:///{demo_db}", upgrade=False)
    try:
        data = {
            "username": username,
            "display_name": username,
            "role": "specialist",
            "email": "e@example.org",
        }
        return create_user(store, SYSTEM, data, None)
    finally:
        store.close()


def test_a_secretariat_sees_its_own_states_pending_panel(demo_db) -> None:  # noqa: ANN001
    at = open_app(actor=Actor(Role.SECRETARIAT, state_code=OAXACA, username="oaxaca"), page=PAGE)
    assert_rendered_cleanly(at)
    assert at.title[0].value == i18n.t("reminders.page.title")
    overdue = i18n.t("secretariat.pending.summary").split("**")[1]
    assert any(overdue in m.value for m in at.markdown)
    assert at.selectbox(key=f"pending_pick_{OAXACA}").options  # the same panel, with the update form
    assert i18n.t("col.state_name") not in _columns(at)  # no table of states: its own only


def test_the_specialist_sees_the_open_agreements_by_state_and_no_milestones(demo_db) -> None:  # noqa: ANN001
    at = open_app(actor=Actor(Role.SPECIALIST, username="especialista"), page=PAGE)
    assert_rendered_cleanly(at)
    columns = _columns(at)
    assert {
        i18n.t("col.state_name"),
        i18n.t("col.overdue_agreements"),
        i18n.t("col.open_agreements"),
    } <= columns
    assert i18n.t("col.overdue_milestones") not in columns
    assert i18n.t("secretariat.pending.milestones") not in [m.value.lstrip("# ") for m in at.markdown]
    assert at.selectbox(key="reminders_state").options


def test_the_working_group_sees_every_state_with_milestones_and_agreements_in_english(demo_db) -> None:  # noqa: ANN001
    at = open_app("en", Actor(Role.WORKING_GROUP, username="gtp"), page=PAGE)
    assert_rendered_cleanly(at)
    assert at.title[0].value == "Pending"
    columns = _columns(at)
    assert {"Overdue agreements", i18n.t("col.overdue_milestones", "en"), "Milestones due soon"} <= columns
    states = next(f.value for f in at.dataframe if i18n.t("col.state_name", "en") in f.value.columns)
    assert len(states) > 1


def test_a_person_turns_the_weekly_digest_off_and_picks_english(demo_db) -> None:  # noqa: ANN001
    user_id = _user_id(demo_db, "especialista")
    at = open_app(actor=Actor(Role.SPECIALIST, username="especialista", user_id=user_id), page=PAGE)
    at.checkbox(key="reminder_weekly").uncheck()
    at.selectbox(key="reminder_language").select("en")
    at.button(key="FormSubmitter:reminder_preferences-" + i18n.t("reminders.prefs.save")).click()
    at.run()
    assert_rendered_cleanly(at)
    assert any(s.value == i18n.t("reminders.prefs.saved") for s in at.success)
    store = open_store(f"duckdb:///{demo_db}", upgrade=False)
    try:
        assert reminders.preferences(store, SYSTEM, user_id) == reminders.Preferences(False, "en")
    finally:
        store.close()


def test_a_states_page_offers_its_calendar_to_everyone(demo_db) -> None:  # noqa: ANN001
    at = open_app(page="pages/secretariat.py", secretariat_state=OAXACA)
    assert_rendered_cleanly(at)
    assert i18n.t("reminders.calendar.download") in [b.label for b in at.get("download_button")]


def test_the_navigation_names_the_pages_count_of_overdue_items_for_each_signed_in_role(demo_db) -> None:  # noqa: ANN001
    from accompaniment.ui.navigation import PAGES, PENDING_PAGE, _title

    spec = next(s for s in PAGES if s.path == PENDING_PAGE)
    store = open_store(f"duckdb:///{demo_db}", upgrade=False)
    try:
        for actor in (Actor(Role.SECRETARIAT, state_code=OAXACA, username="oaxaca"), Actor(Role.SPECIALIST),
                      Actor(Role.WORKING_GROUP)):  # fmt: skip
            overdue = reminders.pending_for(store, actor).overdue
            assert overdue > 0
            assert _title(spec, actor) == i18n.t("reminders.nav_count", count=overdue)
    finally:
        store.close()
