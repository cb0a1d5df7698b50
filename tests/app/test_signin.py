"""Signing in and out through the real form: one message for any failure (wrong credential, unknown user,
locked or inactive account), lockout and unlock, the idle
timeout, deactivated accounts, a secretariat's landing page, and navigation that holds only the role's pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.runtime.scriptrunner import script_runner
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from accompaniment.access import Actor
from accompaniment.domain.enums import Role
from accompaniment.store import users
from accompaniment.ui.navigation import PAGES, pages_for
from tests.app import auth_support as s

PUBLIC_PAGES = {"pages/overview.py", "pages/secretariat.py", "pages/commitments.py", "pages/agenda2030.py",
                "pages/training.py", "pages/reports.py", "pages/evidence.py"}  # fmt: skip
SIGN_IN_ONLY = {"pages/logbook.py", "pages/admin.py", "pages/pending.py", "pages/periodic_reports.py"}
EVERY_SIGNED_IN = {"pages/pending.py", "pages/periodic_reports.py"}  # every signed-in role (issues 14 and 12)
FAILED = (
    "Usuario o contraseña incorrectos, o la cuenta está bloqueada un tiempo tras varios intentos fallidos."
)


@pytest.fixture(scope="module")
def accounts_template(
    demo_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, int]]:
    target = tmp_path_factory.mktemp("signin") / "accounts.duckdb"
    return target, s.build_accounts_template(demo_template, target)


@pytest.fixture
def ids(
    accounts_template: tuple[Path, dict[str, int]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict:
    """The test's own copy of the demo database with the test accounts; app.py runs on every rerun."""
    s.use_database(accounts_template[0], tmp_path, monkeypatch)
    s.run_app_py_every_time(monkeypatch)
    return accounts_template[1]


@pytest.fixture
def clock(ids: dict, monkeypatch: pytest.MonkeyPatch) -> s.Clock:
    moving = s.Clock()
    s.use_clock(monkeypatch, moving)
    return moving


def test_the_form_is_labelled_usuario_contrasena_entrar_and_in_english_username_password_sign_in(ids) -> None:
    spanish = s.new_app("es").run()
    assert [w.label for w in spanish.sidebar.text_input] == ["Usuario", "Contraseña"]
    assert "Entrar" in [b.label for b in spanish.sidebar.button]
    english = s.new_app("en").run()
    assert [w.label for w in english.sidebar.text_input] == ["Username", "Password"]
    assert "Sign in" in [b.label for b in english.sidebar.button]


def test_a_user_signs_in_sees_name_and_role_and_signing_out_clears_the_session(ids, clock) -> None:
    at = s.sign_in(s.new_app().run(), "especialista.test", s.PASSWORD)
    assert not at.exception
    assert at.session_state["actor"] == Actor(
        Role.SPECIALIST, username="especialista.test", user_id=ids["especialista.test"]
    )
    sidebar = "\n".join(s.texts(at.sidebar.markdown) + s.texts(at.sidebar.caption))
    assert "Especialista de prueba" in sidebar
    assert "Especialista en diálogo multiactor" in sidebar  # the role's label
    assert not s.has_sign_in_form(at)

    s.button(at, "Salir").click()
    at.run()
    assert "actor" not in at.session_state
    assert s.has_sign_in_form(at)
    assert "Sesión cerrada." in s.alerts(at)
    assert at.session_state["lang"] == "es"  # the language survives signing out


def test_a_wrong_password_and_an_unknown_username_get_the_same_message(ids, clock) -> None:
    wrong_password = s.sign_in(s.new_app().run(), "especialista.test", "not the password at all")
    unknown_user = s.sign_in(s.new_app().run(), "nobody.here", "not the password at all")
    assert s.alerts(wrong_password) == s.alerts(unknown_user) == [FAILED]
    assert "actor" not in wrong_password.session_state


def test_empty_fields_ask_for_both_without_trying(ids, clock) -> None:
    at = s.sign_in(s.new_app().run(), "especialista.test", "")
    assert s.alerts(at) == ["Escriba su usuario y su contraseña."]


def test_the_fifth_failure_locks_the_account_and_it_unlocks_after_the_period(ids, clock) -> None:
    at = s.new_app().run()
    for _ in range(4):
        s.sign_in(at, "oaxaca.test", "wrong password, again")
        assert s.alerts(at) == [FAILED]
    s.sign_in(at, "oaxaca.test", "wrong password, again")
    assert s.alerts(at) == [FAILED]  # locked now, and it says no more than any other failure

    s.sign_in(at, "oaxaca.test", s.PASSWORD)  # even the right password waits for the period
    assert "actor" not in at.session_state
    assert s.alerts(at) == [FAILED]

    clock.advance(minutes=15, seconds=1)
    s.sign_in(at, "oaxaca.test", s.PASSWORD)
    assert at.session_state["actor"].username == "oaxaca.test"


def test_an_idle_session_is_signed_out_after_the_timeout(ids, clock) -> None:
    at = s.sign_in(s.new_app().run(), "especialista.test", s.PASSWORD)
    clock.advance(minutes=29)
    at.run()
    assert at.session_state["actor"].role == Role.SPECIALIST  # activity restarts the period
    clock.advance(minutes=29)
    at.run()
    assert at.session_state["actor"].role == Role.SPECIALIST
    clock.advance(minutes=30, seconds=1)
    at.run()
    assert "actor" not in at.session_state
    assert s.has_sign_in_form(at)
    assert "La sesión se cerró tras 30 minutos sin actividad. Inicie sesión de nuevo." in s.alerts(at)


def test_a_deactivated_account_cannot_sign_in(ids, clock) -> None:
    _deactivate(ids["especialista.test"])
    at = s.sign_in(s.new_app().run(), "especialista.test", s.PASSWORD)
    assert "actor" not in at.session_state
    assert s.alerts(at) == [FAILED]  # nothing says the account exists


def test_a_session_is_signed_out_when_its_account_is_deactivated_meanwhile(ids, clock) -> None:
    at = s.sign_in(s.new_app().run(), "especialista.test", s.PASSWORD)
    assert at.session_state["actor"].role == Role.SPECIALIST
    _deactivate(ids["especialista.test"])
    at.run()
    assert "actor" not in at.session_state
    assert "La cuenta ya no está activa; se cerró la sesión." in s.alerts(at)


def _deactivate(user_id: int) -> None:
    store = s.app_store()
    row = users.list_users(store, _admin()).set_index("id").loc[user_id]
    users.edit_user(
        store,
        _admin(),
        user_id,
        int(row["version"]),
        {
            "username": row["username"],
            "display_name": row["display_name"],
            "role": row["role"],
            "state_code": row["state_code"],
        },
        active=False,
    )


def _admin() -> Actor:
    return Actor(Role.ADMIN, username="admin.test")


def test_a_secretariat_lands_on_its_own_states_page(ids, clock) -> None:
    at = s.new_app().run()
    assert "Panorama nacional" in s.texts(at.title)  # the public starts on the overview
    at.switch_page("pages/commitments.py").run()
    s.sign_in(at, "oaxaca.test", s.PASSWORD)
    assert not at.exception
    assert at.session_state["actor"] == Actor(
        Role.SECRETARIAT, state_code="20", username="oaxaca.test", user_id=ids["oaxaca.test"]
    )
    assert at.session_state["home_state"] == "20"
    assert at.selectbox(key="secretariat_state").value == "20"  # the Secretariado page, on Oaxaca
    assert "Estado: Oaxaca" in s.texts(at.sidebar.caption)


def test_a_secretariat_lands_on_its_own_state_even_after_browsing_another_one(ids, clock) -> None:
    at = s.new_app().run()
    at.switch_page("pages/secretariat.py").run()
    at.selectbox(key="secretariat_state").set_value("29").run()
    s.sign_in(at, "oaxaca.test", s.PASSWORD)
    assert at.selectbox(key="secretariat_state").value == "20"


# ---- navigation by role -----------------------------------------------------------------------------------------


def test_the_registry_gives_each_role_the_pages_of_design_section_7() -> None:
    def paths(role: Role) -> set[str]:
        return {
            spec.path
            for spec in pages_for(Actor(role, state_code="20" if role == Role.SECRETARIAT else None))
        }

    assert paths(Role.PUBLIC) == PUBLIC_PAGES
    assert paths(Role.SECRETARIAT) == PUBLIC_PAGES | EVERY_SIGNED_IN
    assert paths(Role.WORKING_GROUP) == PUBLIC_PAGES | EVERY_SIGNED_IN
    assert paths(Role.SPECIALIST) == PUBLIC_PAGES | EVERY_SIGNED_IN | {"pages/logbook.py"}
    assert paths(Role.ADMIN) == PUBLIC_PAGES | SIGN_IN_ONLY
    assert {spec.path for spec in PAGES} == PUBLIC_PAGES | SIGN_IN_ONLY


def _opens(at: AppTest, path: str) -> bool:
    """Whether ``switch_page`` finds ``path`` in the navigation the last run registered."""
    try:
        at.switch_page(path)
    except ValueError:
        return False
    return True


def test_the_public_navigation_holds_no_sign_in_only_page(ids, clock) -> None:
    at = s.new_app().run()
    shipped = {spec.path for spec in PAGES if (Path(s.APP).parent / spec.path).is_file()}
    for path in shipped & PUBLIC_PAGES:
        assert _opens(at, path), path
        at.run()
        assert not at.exception, path
    for path in SIGN_IN_ONLY:
        assert not _opens(at, path), path


def test_the_admin_navigation_adds_the_admin_page(ids, clock) -> None:
    at = s.new_app(actor=Actor(Role.ADMIN, username="admin.test", user_id=ids["admin.test"])).run()
    assert _opens(at, "pages/admin.py")
    at.run()
    assert "Administración" in s.texts(at.title)


def test_a_page_left_by_signing_out_is_not_served_to_the_public(ids, clock) -> None:
    """The browser still asks for the admin page (its URL) after signing out; the public navigation holds only a
    page asking to sign in at that URL, so nothing of the admin page is drawn."""
    at = s.sign_in(s.new_app().run(), "admin.test", s.PASSWORD)
    at.switch_page("pages/admin.py").run()
    assert "Administración" in s.texts(at.title)
    assert any(not frame.value.empty for frame in at.dataframe)  # the accounts table

    s.button(at, "Salir").click()
    at.run()
    assert "actor" not in at.session_state
    assert "Administración" not in s.texts(at.title)
    assert "admin.test" not in s.rendered_text(at)
    assert not at.tabs or "Cuentas" not in [tab.label for tab in at.tabs]


def test_the_admin_url_opened_by_the_public_shows_no_admin_data(ids, clock) -> None:
    """A fresh session whose first request is the admin page's URL (``/admin``): the public navigation does not
    hold the page, only one at its URL that asks to sign in (issue 21 item 6; tests/app/test_sessions.py)."""
    at = s.new_app()
    at._page_hash = calc_hash("admin")  # what a browser opening /admin asks for (st.Page hashes its URL path)
    at.run()
    assert not at.exception
    assert "Inicie sesión para abrir esta página" in s.texts(at.title)
    assert "Administración" not in s.texts(at.title)
    assert "admin.test" not in s.rendered_text(at)


def test_the_admin_url_served_before_app_py_ran_refuses_the_public(
    ids, clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Until app.py has declared its navigation once, Streamlit serves a pages/ file by its URL on its own (as
    right after a server starts): the page's own check, and the store's, must then refuse."""
    monkeypatch.setattr(script_runner, "_mpa_v1", s.STREAMLIT_MPA_V1)
    at = s.new_app()
    at._page_hash = calc_hash("admin")
    at.run()
    assert "Esta página es solo para la administración." in s.alerts(at)
    assert not at.dataframe
    assert "admin.test" not in s.rendered_text(at)


# ---- single sign-on (st.login) ------------------------------------------------------------------------------------

OIDC = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "not-a-real-secret",
                 "client_id": "monitor", "client_secret": "not-a-real-secret",
                 "server_metadata_url": "https://idp.example.org/.well-known/openid-configuration"}}  # fmt: skip


def _give_email(user_id: int, email: str) -> None:
    store = s.app_store()
    row = users.list_users(store, _admin()).set_index("id").loc[user_id]
    users.edit_user(
        store,
        _admin(),
        user_id,
        int(row["version"]),
        {
            "username": row["username"],
            "display_name": row["display_name"],
            "role": row["role"],
            "state_code": row["state_code"],
            "email": email,
        },
    )


def test_without_an_auth_section_no_single_sign_on_is_offered(ids, clock) -> None:
    at = s.new_app().run()
    assert "Entrar con inicio de sesión único" not in [b.label for b in at.button]


def test_with_an_auth_section_single_sign_on_is_offered_beside_the_form(ids, clock) -> None:
    at = s.new_app()
    at.secrets = dict(OIDC)
    at.user = {"is_logged_in": False}
    at.run()
    assert s.has_sign_in_form(at)
    assert "Entrar con inicio de sesión único" in [b.label for b in at.sidebar.button]


def test_a_provider_identity_maps_by_email_to_its_account_whose_role_applies(ids, clock) -> None:
    _give_email(ids["oaxaca.test"], "Enlace.Oaxaca@example.org")
    at = s.new_app()
    at.secrets = dict(OIDC)
    at.user = {"is_logged_in": True, "email": "enlace.oaxaca@example.org"}
    at.run()
    assert not at.exception
    assert at.session_state["actor"] == Actor(
        Role.SECRETARIAT, state_code="20", username="oaxaca.test", user_id=ids["oaxaca.test"]
    )
    assert at.selectbox(key="secretariat_state").value == "20"
    assert not s.has_sign_in_form(at)


def test_an_unknown_identity_gets_no_access(ids, clock) -> None:
    at = s.new_app()
    at.secrets = dict(OIDC)
    at.user = {"is_logged_in": True, "email": "stranger@example.org"}
    at.run()
    assert "actor" not in at.session_state
    assert any("no tiene acceso" in text for text in s.alerts(at))
    with pytest.raises(ValueError):
        at.switch_page("pages/admin.py")
