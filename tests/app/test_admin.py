"""The Administración page: an admin creates, edits, deactivates and reactivates accounts, resets a password (shown
once), and reads the audit log with filters and a CSV download; nobody else reaches the page."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from accompaniment import i18n
from accompaniment.access import Actor
from accompaniment.domain.enums import Role
from accompaniment.domain.errors import PermissionDenied
from accompaniment.store import audit, users
from accompaniment.ui import audit_view
from tests.app import auth_support as s


@pytest.fixture(scope="module")
def accounts_template(
    demo_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, int]]:
    target = tmp_path_factory.mktemp("admin") / "accounts.duckdb"
    return target, s.build_accounts_template(demo_template, target)


@pytest.fixture
def ids(
    accounts_template: tuple[Path, dict[str, int]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict:
    s.use_database(accounts_template[0], tmp_path, monkeypatch)
    s.run_app_py_every_time(monkeypatch)
    s.use_clock(monkeypatch, s.Clock())
    return accounts_template[1]


@pytest.fixture
def admin(ids: dict) -> Actor:
    return Actor(Role.ADMIN, username="admin.test", user_id=ids["admin.test"])


def admin_page(admin: Actor, lang: str = "es") -> AppTest:
    at = s.new_app(lang, actor=admin).run()
    at.switch_page("pages/admin.py").run()
    assert not at.exception
    assert i18n.t("admin.title", lang) in s.texts(at.title)
    return at


def accounts_shown(at: AppTest) -> pd.DataFrame:
    return at.dataframe[0].value


def pick(at: AppTest, username: str, ids: dict) -> AppTest:
    at.selectbox(key="admin_edit_user").set_value(ids[username])
    return at.run()


def checkbox(at: AppTest, label: str):  # noqa: ANN201 - an AppTest Checkbox
    return next(box for box in at.checkbox if box.label == label)


ACTIVE = "Cuenta activa (desmarque para desactivarla)"


def test_an_admin_creates_an_account_whose_temporary_password_is_shown_once(admin) -> None:
    at = admin_page(admin)
    at.text_input(key="admin_new_username").input("tlaxcala.nueva")
    at.text_input(key="admin_new_display_name").input("Secretariado de Tlaxcala")
    at.selectbox(key="admin_new_role").set_value("secretariat")
    at.selectbox(key="admin_new_state_code").set_value("29")
    s.button(at, "Crear cuenta").click()
    at.run()

    assert not at.exception
    assert any("creada" in text for text in s.alerts(at))
    password = at.code[0].value
    assert len(password) >= 12
    assert "tlaxcala.nueva" in set(accounts_shown(at)["username"])
    signed_in = users.authenticate(s.app_store(), "tlaxcala.nueva", password)
    assert signed_in.actor == Actor(
        Role.SECRETARIAT, state_code="29", username="tlaxcala.nueva", user_id=signed_in.actor.user_id
    )
    assert signed_in.must_change_password

    at.run()
    assert not at.code  # shown once
    assert at.text_input(key="admin_new_username").value == ""  # an empty form for the next account


def test_a_secretariat_account_without_a_state_is_refused_with_the_reason(admin) -> None:
    at = admin_page(admin)
    at.text_input(key="admin_new_username").input("sin.estado")
    at.text_input(key="admin_new_display_name").input("Sin estado")
    at.selectbox(key="admin_new_role").set_value("secretariat")
    s.button(at, "Crear cuenta").click()
    at.run()
    assert [str(e.value) for e in at.error] == ["Estado: una cuenta de secretariado necesita un estado."]
    assert not at.code
    assert "sin.estado" not in set(accounts_shown(at)["username"])


def test_an_admin_deactivates_an_account_which_can_no_longer_sign_in_and_reactivates_it(admin, ids) -> None:
    at = pick(admin_page(admin), "especialista.test", ids)
    checkbox(at, ACTIVE).uncheck()
    s.button(at, "Guardar cambios").click()
    at.run()
    assert any("actualizada" in text for text in s.alerts(at))
    shown = accounts_shown(at).set_index("username")
    assert not shown.loc["especialista.test", "active"]
    with pytest.raises(users.SignInFailed):
        users.authenticate(s.app_store(), "especialista.test", s.PASSWORD)

    checkbox(at, ACTIVE).check()
    s.button(at, "Guardar cambios").click()
    at.run()
    assert accounts_shown(at).set_index("username").loc["especialista.test", "active"]
    assert users.authenticate(s.app_store(), "especialista.test", s.PASSWORD).actor.role == Role.SPECIALIST


def test_an_admin_edits_an_accounts_role_and_state(admin, ids) -> None:
    at = pick(admin_page(admin), "oaxaca.test", ids)
    prefix = f"admin_edit_{ids['oaxaca.test']}_1_"
    at.selectbox(key=f"{prefix}state_code").set_value("29")
    at.text_input(key=f"{prefix}display_name").input("Secretariado de Tlaxcala (antes Oaxaca)")
    s.button(at, "Guardar cambios").click()
    at.run()
    row = accounts_shown(at).set_index("username").loc["oaxaca.test"]
    assert row["display_name"] == "Secretariado de Tlaxcala (antes Oaxaca)"
    assert row["state_code"] == "Tlaxcala"
    assert users.current_actor(s.app_store(), ids["oaxaca.test"]).state_code == "29"


def test_an_admin_cannot_deactivate_their_own_account_or_drop_its_role(admin, ids) -> None:
    at = pick(admin_page(admin), "admin.test", ids)
    assert checkbox(at, ACTIVE).disabled
    assert at.selectbox(key=f"admin_edit_{ids['admin.test']}_1_role").disabled
    other = pick(at, "especialista.test", ids)
    assert not checkbox(other, ACTIVE).disabled


def test_an_admin_resets_a_password_shown_once_which_must_be_changed_at_sign_in(admin, ids) -> None:
    at = pick(admin_page(admin), "oaxaca.test", ids)
    s.button(at, "Generar contraseña de un solo uso").click()
    at.run()
    password = at.code[0].value
    assert any("un solo uso" in text for text in s.alerts(at))
    at.run()
    assert not at.code

    with pytest.raises(users.SignInFailed):
        users.authenticate(s.app_store(), "oaxaca.test", s.PASSWORD)

    person = s.sign_in(s.new_app().run(), "oaxaca.test", password)
    assert s.texts(person.subheader) == ["Elija una contraseña nueva"]
    assert not person.selectbox  # no page runs until the password is changed
    person.text_input(key="change_password_current").input(password)
    person.text_input(key="change_password_new").input("a brand new passphrase")
    person.text_input(key="change_password_repeat").input("a brand new passphrase")
    s.button(person, "Guardar contraseña").click()
    person.run()
    assert "Contraseña actualizada." in s.alerts(person)
    assert person.selectbox(key="secretariat_state").value == "20"
    assert not users.authenticate(s.app_store(), "oaxaca.test", "a brand new passphrase").must_change_password


def test_the_audit_log_filters_by_who_entity_and_dates(admin, ids) -> None:
    users.reset_password(s.app_store(), admin, ids["especialista.test"])
    at = admin_page(admin)
    everyone = at.dataframe[1].value
    assert {"system", "admin.test"} <= set(everyone["actor"])

    at.selectbox(key="admin_audit_who").set_value("admin.test").run()
    by_admin = at.dataframe[1].value
    assert set(by_admin["actor"]) == {"admin.test"}
    assert list(by_admin["action"]) == ["reset_password"]

    at.selectbox(key="admin_audit_who").set_value(None)
    at.selectbox(key="admin_audit_entity").set_value("app_user").run()
    assert set(at.dataframe[1].value["entity"]) == {"Cuenta"}

    later = s.START.date().replace(year=s.START.year + 1)
    at.date_input(key="admin_audit_from").set_value(later).run()
    assert "Ningún registro coincide con los filtros." in s.alerts(at)


def test_the_audit_csv_holds_every_entry_the_filters_match(admin) -> None:
    store = s.app_store()
    filters = {"username": "system", "entity": "app_user", "date_from": None, "date_to": None}
    data = audit_view._csv(admin, filters)()
    table = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(table.columns) == audit.AUDIT_COLUMNS
    assert len(table) == audit.count_audit_entries(store, admin, **filters) == 3  # the three test accounts
    assert set(table["actor"]) == {"system"}
    assert all("password_hash" not in text for text in table["after"])


NOT_A_VALUE = {"None", "none", "nan", "NaN", "NaT", "<NA>"}


@pytest.mark.parametrize("lang", ["es", "en"])
def test_no_cell_of_the_accounts_or_audit_tables_reads_none_or_nan(admin, ids, lang: str) -> None:
    """An account without a state, an e-mail, a lock or a sign-in, and an audit entry without a row id, a state or
    a "before", show the catalogue's dash, in either language."""
    # One account has signed in; the others never have.
    users.authenticate(s.app_store(), "oaxaca.test", s.PASSWORD)
    at = admin_page(admin, lang)
    frames = [frame.value for frame in at.dataframe]
    assert len(frames) == 2  # the accounts and the audit log

    for frame in frames:
        assert not frame.isna().to_numpy().any(), frame[frame.isna().any(axis=1)]
        assert not {str(cell) for cell in frame.to_numpy().ravel()} & NOT_A_VALUE
    dash = i18n.t("common.none", lang)
    accounts = accounts_shown(at).set_index("username")
    never_signed_in = accounts.loc["admin.test", ["state_code", "email", "locked_until", "last_sign_in"]]
    assert never_signed_in.tolist() == [dash] * 4
    assert accounts.loc["oaxaca.test", "last_sign_in"] == f"{s.START:%Y-%m-%d %H:%M}"
    audit_log = frames[1]
    assert dash in set(audit_log["entity_id"]) and dash in set(audit_log["state_code"])
    assert str(ids["oaxaca.test"]) in set(audit_log["entity_id"])  # ids read as whole numbers, not 2.0


def test_in_english_an_admin_picks_a_role_by_its_english_label_and_creates_the_account(admin) -> None:
    """AppTest formats a chosen option outside the script run: the labels must not depend on the run's language."""
    at = admin_page(admin, "en")
    role = at.selectbox(key="admin_new_role")
    assert i18n.t("enum.Role.secretariat", "en") in role.options
    at.text_input(key="admin_new_username").input("tlaxcala.english")
    at.text_input(key="admin_new_display_name").input("Tlaxcala secretariat")
    role.set_value("secretariat")
    at.selectbox(key="admin_new_state_code").set_value("29")
    assert role.options[role.index] == i18n.t("enum.Role.secretariat", "en")
    s.button(at, i18n.t("admin.create.submit", "en")).click()
    at.run()

    assert not at.exception
    assert not at.error, s.texts(at.error)
    created = accounts_shown(at).set_index("username").loc["tlaxcala.english"]
    assert (created["role"], created["state_code"]) == (i18n.t("enum.Role.secretariat", "en"), "Tlaxcala")


@pytest.mark.parametrize("role", [Role.PUBLIC, Role.SECRETARIAT, Role.SPECIALIST, Role.WORKING_GROUP])
def test_nobody_but_an_admin_reaches_the_admin_page(ids, role: Role) -> None:
    actor = Actor(role, state_code="20" if role == Role.SECRETARIAT else None, username=f"{role.value}.x")
    at = s.new_app(actor=actor).run()
    with pytest.raises(ValueError, match="navigation page"):
        at.switch_page("pages/admin.py")
    with pytest.raises(PermissionDenied):
        users.list_users(s.app_store(), actor)
