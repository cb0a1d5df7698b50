"""A signed-in session across Streamlit sessions (issue 21 items 3 and 6, issue 17 item 2), through the real app.py.

A reload or a typed URL is a new Streamlit session that brings the browser's cookie; here a new ``AppTest`` is that
new session, and ``session_cookie.sent_token`` is what its browser sent (AppTest has no cookies of its own). Every
rerun checks the session against its record and its account, so an admin's change, a sign-out in another tab or a
database whose id now names another account ends it at the next click. A staff page opened by URL without the
right account says so in the user's language, and signing in there opens it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update
from streamlit.util import calc_hash

from accompaniment.access import Actor
from accompaniment.domain.enums import Role
from accompaniment.store import users
from accompaniment.store.schema import app_user
from accompaniment.ui import auth, session_cookie
from tests.app import auth_support as s

ADMIN = Actor(Role.ADMIN, username="admin.test")
ENDED = "La sesión terminó: se cerró en otra pestaña o ventana, o la cuenta cambió"


@pytest.fixture(scope="module")
def accounts_template(
    demo_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, int]]:
    target = tmp_path_factory.mktemp("sessions") / "accounts.duckdb"
    return target, s.build_accounts_template(demo_template, target)


@pytest.fixture
def ids(
    accounts_template: tuple[Path, dict[str, int]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict:
    s.use_database(accounts_template[0], tmp_path, monkeypatch)
    s.run_app_py_every_time(monkeypatch)
    return accounts_template[1]


@pytest.fixture
def clock(ids: dict, monkeypatch: pytest.MonkeyPatch) -> s.Clock:
    moving = s.Clock()
    s.use_clock(monkeypatch, moving)
    return moving


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> dict[str, str | None]:
    """The cookie the next page load sends: set ``browser["token"]``."""
    sent: dict[str, str | None] = {"token": None}
    monkeypatch.setattr(session_cookie, "sent_token", lambda: sent["token"])
    return sent


def reload(browser: dict[str, str | None], token: str | None, page_hash: str | None = None):  # noqa: ANN201
    """A new page load whose browser holds ``token``, optionally at a page's URL."""
    browser["token"] = token
    at = s.new_app()
    if page_hash is not None:
        at._page_hash = page_hash
    return at.run()


def edit(user_id: int, active: bool = True, **changes: str | None) -> None:
    store = s.app_store()
    row = users.list_users(store, ADMIN).set_index("id").loc[user_id]
    values = {name: row[name] for name in ("username", "display_name", "role", "state_code")} | changes
    users.edit_user(store, ADMIN, user_id, int(row["version"]), values, active=active)


def test_a_new_page_load_with_the_cookie_resumes_the_session_as_the_same_account(ids, clock, browser) -> None:
    first = s.sign_in(s.new_app().run(), "especialista.test", s.PASSWORD)
    token = first.session_state[auth.TOKEN_KEY]

    again = reload(browser, token, page_hash=calc_hash("logbook"))

    assert not again.exception
    assert again.session_state["actor"] == Actor(
        Role.SPECIALIST, username="especialista.test", user_id=ids["especialista.test"]
    )
    assert "Bitácora" in s.texts(again.title)  # the page its URL names, not a landing page
    assert not s.has_sign_in_form(again)


def test_a_page_load_without_the_cookie_or_with_a_made_up_one_is_public(ids, clock, browser) -> None:
    s.sign_in(s.new_app().run(), "especialista.test", s.PASSWORD)
    for token in (None, "x" * 43):
        at = reload(browser, token)
        assert "actor" not in at.session_state
        assert s.has_sign_in_form(at)
        assert s.alerts(at) == []


def test_after_signing_out_the_old_cookie_opens_nothing_and_other_tabs_end_at_their_next_click(
    ids, clock, browser
) -> None:
    tab = s.sign_in(s.new_app().run(), "especialista.test", s.PASSWORD)
    token = tab.session_state[auth.TOKEN_KEY]
    other_tab = reload(browser, token)
    assert other_tab.session_state["actor"].role == Role.SPECIALIST

    s.button(tab, "Salir").click()
    tab.run()

    assert "actor" not in tab.session_state
    other_tab.run()
    assert "actor" not in other_tab.session_state
    assert any(text.startswith(ENDED) for text in s.alerts(other_tab))
    assert "actor" not in reload(browser, token).session_state


def test_a_cookie_idle_past_the_timeout_is_refused_with_the_idle_message(ids, clock, browser) -> None:
    token = s.sign_in(s.new_app().run(), "especialista.test", s.PASSWORD).session_state[auth.TOKEN_KEY]
    clock.advance(minutes=30, seconds=1)

    at = reload(browser, token)

    assert "actor" not in at.session_state
    assert "La sesión se cerró tras 30 minutos sin actividad. Inicie sesión de nuevo." in s.alerts(at)


def test_a_reload_within_the_timeout_keeps_the_session_and_counts_as_activity(ids, clock, browser) -> None:
    token = s.sign_in(s.new_app().run(), "especialista.test", s.PASSWORD).session_state[auth.TOKEN_KEY]
    for _ in range(3):  # 87 minutes in all, never 30 idle
        clock.advance(minutes=29)
        assert reload(browser, token).session_state["actor"].role == Role.SPECIALIST


@pytest.mark.parametrize(
    ("changes", "active"),
    [({"role": "working_group", "state_code": None}, True), ({"state_code": "29"}, True), ({}, False)],
    ids=["role", "state", "deactivation"],
)
def test_an_admins_change_of_role_state_or_active_flag_ends_the_session_at_the_next_click(
    ids, clock, browser, changes: dict, active: bool
) -> None:
    at = s.sign_in(s.new_app().run(), "oaxaca.test", s.PASSWORD)
    token = at.session_state[auth.TOKEN_KEY]

    edit(ids["oaxaca.test"], active=active, **changes)
    at.run()

    assert "actor" not in at.session_state
    assert s.has_sign_in_form(at)
    assert "actor" not in reload(browser, token).session_state


def test_a_password_reset_ends_the_session_and_the_cookie(ids, clock, browser) -> None:
    at = s.sign_in(s.new_app().run(), "especialista.test", s.PASSWORD)
    token = at.session_state[auth.TOKEN_KEY]

    users.reset_password(s.app_store(), ADMIN, ids["especialista.test"])
    at.run()

    assert "actor" not in at.session_state
    assert any(text.startswith(ENDED) for text in s.alerts(at))
    assert "actor" not in reload(browser, token).session_state


def test_changing_a_temporary_password_keeps_this_session_in_a_new_token(ids, clock, browser) -> None:
    temporary = users.reset_password(s.app_store(), ADMIN, ids["especialista.test"])
    at = s.sign_in(s.new_app().run(), "especialista.test", temporary)
    old = at.session_state[auth.TOKEN_KEY]
    at.text_input(key="change_password_current").input(temporary)
    at.text_input(key="change_password_new").input(s.PASSWORD)
    at.text_input(key="change_password_repeat").input(s.PASSWORD)
    s.button(at, "Guardar contraseña").click()
    at.run()
    at.run()

    assert at.session_state["actor"].role == Role.SPECIALIST
    new = at.session_state[auth.TOKEN_KEY]
    assert new != old
    assert "actor" not in reload(browser, old).session_state
    assert reload(browser, new).session_state["actor"].role == Role.SPECIALIST


@pytest.mark.parametrize("with_token", [True, False], ids=["cookie session", "session without a cookie"])
def test_a_session_whose_account_id_now_names_another_account_ends_instead_of_becoming_it(
    ids, clock, with_token: bool
) -> None:
    """Issue 17.2 as a restore leaves it: the same id, another username and role (stamps aside). A session placed
    by code (single sign-on sessions hold no token either) is held to the same account."""
    oaxaca = ids["oaxaca.test"]
    if with_token:
        at = s.sign_in(s.new_app().run(), "oaxaca.test", s.PASSWORD)
    else:
        placed = Actor(Role.SECRETARIAT, state_code="20", username="oaxaca.test", user_id=oaxaca)
        at = s.new_app(actor=placed).run()
    assert at.session_state["actor"].user_id == oaxaca

    with s.app_store().engine.begin() as connection:
        connection.execute(
            update(app_user)
            .where(app_user.c.id == oaxaca)
            .values(username="otra.admin", role="admin", state_code=None)
        )
    at.run()

    assert "actor" not in at.session_state
    assert "Administración" not in s.texts(at.title)


# ---- a staff page opened by URL -----------------------------------------------------------------------------------


def test_a_staff_url_opened_signed_out_asks_to_sign_in_there_and_signing_in_opens_the_page(
    ids, clock
) -> None:
    at = s.new_app()
    at._page_hash = calc_hash("logbook")
    at.run()

    assert not at.exception
    assert s.texts(at.title) == ["Inicie sesión para abrir esta página"]
    assert s.alerts(at) == [
        "La página «Bitácora» es solo para cuentas del equipo. Inicie sesión con el formulario de la barra lateral"
        " y la página se abrirá aquí."
    ]
    assert s.has_sign_in_form(at)

    s.sign_in(at, "especialista.test", s.PASSWORD)
    assert not at.exception
    assert "Bitácora" in s.texts(at.title)


def test_the_sign_in_request_is_in_english_for_an_english_session(ids, clock) -> None:
    at = s.new_app("en")
    at._page_hash = calc_hash("admin")
    at.run()

    assert s.texts(at.title) == ["Sign in to open this page"]
    assert "Administration" in s.alerts(at)[0]


def test_a_signed_in_role_without_the_page_is_told_its_role_cannot_open_it(ids, clock) -> None:
    at = s.sign_in(s.new_app().run(), "especialista.test", s.PASSWORD)
    at._page_hash = calc_hash("admin")
    at.run()

    assert s.texts(at.title) == ["Su rol no puede abrir esta página"]
    assert s.alerts(at) == [
        "La página «Administración» no está disponible para el rol «Especialista en diálogo multiactor». Elija en"
        " la barra lateral una de las páginas de su rol."
    ]
    assert "admin.test" not in s.rendered_text(at)
