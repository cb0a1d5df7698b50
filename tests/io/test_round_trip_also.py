"""The smaller items of issue 20: account archiving keeps password hashes out of the audit log, a wrong current
password counts toward the lockout, ``create-user`` never makes an account nobody can sign in to, ``--state``
takes names, and a report with a reversed period or an unknown language is refused with a clear message."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from accompaniment.access import SYSTEM
from accompaniment.domain.errors import ValidationError
from accompaniment.io.report import state_report
from accompaniment.io.report_national import national_report
from accompaniment.store import archive, users
from accompaniment.store.database import open_store
from accompaniment.store.schema import app_user, audit_entry
from tests.conftest import ACTORS, FIXED_NOW, OAXACA
from tests.io.cli_support import run_main

PASSWORD = "una clave larga de prueba 1"


def new_account(store, username: str = "cuenta.prueba") -> int:
    return users.create_user(
        store,
        ACTORS["admin"],
        {"username": username, "display_name": "Prueba", "role": "specialist"},
        PASSWORD,
    )


def test_archiving_and_restoring_an_account_keep_its_password_hash_out_of_the_audit_log(store):
    user_id = new_account(store)
    archive.archive(store, ACTORS["admin"], "app_user", user_id, 1)
    archive.restore(store, ACTORS["admin"], "app_user", user_id)
    with store.read() as connection:
        entries = connection.execute(
            select(audit_entry.c.action, audit_entry.c.before, audit_entry.c.after).where(
                audit_entry.c.entity == "app_user", audit_entry.c.entity_id == user_id
            )
        ).all()
        stored_hash = connection.execute(
            select(app_user.c.password_hash).where(app_user.c.id == user_id)
        ).scalar()
    assert {action for action, *_ in entries} >= {"archive", "restore"}
    for _, before, after in entries:
        for text in (before or "", after or ""):
            assert "password_hash" not in text and stored_hash not in text


def test_a_wrong_current_password_when_changing_ones_own_counts_toward_the_lockout(store):
    user_id = new_account(store)
    actor = users.current_actor(store, user_id)
    for _ in range(5):
        with pytest.raises(users.SignInFailed):
            users.change_own_password(store, actor, "no es la clave", "otra clave larga de prueba 2")
    with store.read() as connection:
        attempts, locked = connection.execute(
            select(app_user.c.failed_attempts, app_user.c.locked_until).where(app_user.c.id == user_id)
        ).one()
    assert attempts == 5 and locked is not None
    with pytest.raises(users.SignInFailed):
        users.authenticate(store, "cuenta.prueba", PASSWORD)
    with pytest.raises(users.SignInFailed):  # locked: even the right current password is refused
        users.change_own_password(store, actor, PASSWORD, "otra clave larga de prueba 2")


# ---- the command line ----------------------------------------------------------------------------------------


@pytest.fixture
def url(tmp_path: Path) -> str:
    database = f"duckdb:///{tmp_path / 'cli.duckdb'}"
    open_store(database, clock=lambda: FIXED_NOW).close()
    return database


def cli(url, *args, monkeypatch, capsys, stdin: str | None = None) -> tuple[int, str, str]:  # noqa: ANN001
    result = run_main(url, *args, monkeypatch=monkeypatch, capsys=capsys, stdin=stdin)
    return result.code, result.out, result.err


def account(url: str, username: str) -> dict | None:
    store = open_store(url)
    try:
        with store.read() as connection:
            row = (
                connection.execute(select(app_user).where(app_user.c.username == username)).mappings().first()
            )
            return dict(row) if row else None
    finally:
        store.close()


def test_create_user_without_a_password_gives_a_one_off_password_that_signs_in_and_must_be_changed(
    url, monkeypatch, capsys
):
    code, out, err = cli(
        url, "create-user", "nueva.admin", "--role", "admin", monkeypatch=monkeypatch, capsys=capsys
    )
    assert code == 0, err
    row = account(url, "nueva.admin")
    assert row is not None and row["password_hash"] and row["must_change_password"]
    password = out.strip().split()[-1]
    store = open_store(url)
    try:
        signed_in = users.authenticate(store, "nueva.admin", password)
        assert signed_in.actor.username == "nueva.admin" and signed_in.must_change_password
    finally:
        store.close()


def test_create_user_takes_a_state_by_its_name_like_the_importer(url, monkeypatch, capsys):
    code, _, err = cli(
        url, "create-user", "sec.oax", "--role", "secretariat", "--state", "Oaxaca", "--password-stdin",
        monkeypatch=monkeypatch, capsys=capsys, stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert code == 0, err
    assert account(url, "sec.oax")["state_code"] == OAXACA


def test_an_unknown_state_name_is_refused_with_a_clear_message(url, monkeypatch, capsys):
    code, _, err = cli(
        url, "create-user", "sec.x", "--role", "secretariat", "--state", "Atlántida", "--password-stdin",
        monkeypatch=monkeypatch, capsys=capsys, stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert code != 0 and "Atlántida" in err and "Traceback" not in err
    assert account(url, "sec.x") is None


def test_a_report_for_a_state_named_in_words_is_written(url, monkeypatch, capsys, tmp_path):
    out = tmp_path / "oax.pdf"
    code, _, err = cli(
        url, "report", "--state", "Oaxaca", "--out", str(out), monkeypatch=monkeypatch, capsys=capsys
    )
    assert code == 0, err
    assert out.read_bytes().startswith(b"%PDF")


def test_a_report_with_a_reversed_period_is_refused_with_a_clear_message(
    store, monkeypatch, capsys, url, tmp_path
):
    with pytest.raises(ValidationError) as refused:
        state_report(store, SYSTEM, OAXACA, start=date(2026, 6, 1), end=date(2026, 1, 1))
    assert "anterior" in refused.value.message("es")
    with pytest.raises(ValidationError):
        national_report(store, SYSTEM, start=date(2026, 6, 1), end=date(2026, 1, 1))
    code, _, err = cli(
        url, "report", "--state", "20", "--from", "01/06/2026", "--to", "01/01/2026", "--out",
        str(tmp_path / "r.pdf"), monkeypatch=monkeypatch, capsys=capsys,
    )  # fmt: skip
    assert code == 1 and "error:" in err and "anterior" in err
    assert not (tmp_path / "r.pdf").exists()


def test_a_report_in_an_unknown_language_is_refused_with_a_clear_message(store):
    with pytest.raises(ValidationError) as refused:
        state_report(store, SYSTEM, OAXACA, lang="fr")
    assert "fr" in refused.value.message("es") and "es, en" in refused.value.message("es")


def test_every_line_of_the_import_speaks_the_users_language(url, monkeypatch, capsys, tmp_path):
    good = tmp_path / "talleres.csv"
    good.write_text("Estado,Fecha,Título,Horas\nOaxaca,05/05/2026,Taller de cierre,3\n", encoding="utf-8")
    bad = tmp_path / "malo.csv"
    bad.write_text("Estado,Fecha,Título\nAtlántida,05/05/2026,Taller\n", encoding="utf-8")
    lines = []
    for args in (["--dry-run"], []):
        code, out, err = cli(
            url, "import", str(good), "--kind", "workshops", *args, monkeypatch=monkeypatch, capsys=capsys
        )
        assert code == 0, err
        lines += (out + err).splitlines()
    code, out, err = cli(
        url, "import", str(bad), "--kind", "workshops", monkeypatch=monkeypatch, capsys=capsys
    )
    assert code == 1
    lines += (out + err).splitlines()
    assert lines and all(
        word not in line
        for line in lines
        for word in ("rows", "imported", "problems", "nothing was", "dry run")
    ), lines
    assert any("1 nuevas, 0 actualizadas, 0 sin cambios" in line for line in lines), lines
    assert any("no se importó nada" in line for line in lines), lines
    code, out, err = cli(
        url, "--lang=en", "import", str(bad), "--kind", "workshops", monkeypatch=monkeypatch, capsys=capsys
    )
    assert "nothing was imported" in err and "problem: Row 2" in err
