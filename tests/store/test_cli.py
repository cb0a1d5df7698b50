"""The command line against a temporary DuckDB file named by ACCOMPANIMENT_DATABASE_URL: help for every command,
setting up a database, creating an account from a password on stdin, and the demo with its printed accounts.
Errors reach the person as one line naming the field, with exit code 1 and no traceback."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accompaniment.cli import app, main
from accompaniment.store.database import Store, open_store
from accompaniment.store.users import authenticate, list_users
from tests.conftest import ACTORS, FIXED_NOW

COMMANDS = ["init", "upgrade", "demo", "create-user"]
PASSWORD = "una contraseña de prueba segura"


@pytest.fixture
def database_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"duckdb:///{tmp_path / 'cli.duckdb'}"
    monkeypatch.setenv("ACCOMPANIMENT_DATABASE_URL", url)
    return url


def reopen(url: str) -> Store:
    return open_store(url, clock=lambda: FIXED_NOW)


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(app, list(args), input=stdin)


def test_the_command_line_lists_its_commands() -> None:
    result = run("--help")

    assert result.exit_code == 0
    for command in COMMANDS:
        assert command in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_explains_itself_with_help(command: str) -> None:
    result = run(command, "--help")

    assert result.exit_code == 0, result.output
    assert "Usage" in result.output
    assert "--database-url" in result.output


def test_init_creates_the_database_and_create_user_adds_an_account_that_can_sign_in(
    database_url: str,
) -> None:
    initialised = run("init")
    created = run(
        "create-user",
        "coordinadora",
        "--role",
        "working_group",
        "--display-name",
        "Coordinadora",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )

    assert initialised.exit_code == 0, initialised.output
    assert "ok" in initialised.output
    assert created.exit_code == 0, created.output
    assert "coordinadora" in created.output
    store = reopen(database_url)
    try:
        signed_in = authenticate(store, "coordinadora", PASSWORD)
        assert signed_in.actor.role == "working_group"
        assert signed_in.display_name == "Coordinadora"
    finally:
        store.close()


def test_upgrade_reports_the_schema_revision(database_url: str) -> None:
    from accompaniment.store.migrations import head_revision

    result = run("upgrade")

    assert result.exit_code == 0, result.output
    assert head_revision() in result.output


def test_a_short_password_is_refused_with_a_message_naming_the_password_and_no_traceback(
    tmp_path: Path,
) -> None:
    """Through the real entry point, as a person would run it."""
    url = f"duckdb:///{tmp_path / 'cli.duckdb'}"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "accompaniment.cli",
            "create-user",
            "corta",
            "--role",
            "admin",
            "--password-stdin",
        ],
        input="corta\n",
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "ACCOMPANIMENT_DATABASE_URL": url},
    )

    assert completed.returncode == 1
    assert "Contraseña" in completed.stderr
    assert "Traceback" not in completed.stderr + completed.stdout
    store = reopen(url)
    try:
        assert list_users(store, ACTORS["admin"]).empty
    finally:
        store.close()


def test_a_secretariat_account_without_a_state_is_refused_in_one_line(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["accompaniment", "create-user", "oaxaca", "--role", "secretariat"])

    with pytest.raises(SystemExit) as exited:
        main()

    assert exited.value.code == 1
    error = capsys.readouterr().err
    assert error.startswith("error:")
    assert error.count("\n") == 1
    assert "Traceback" not in error


def test_demo_loads_the_data_set_and_prints_one_account_per_role(database_url: str) -> None:
    result = run("demo", "--today", FIXED_NOW.date().isoformat())

    assert result.exit_code == 0, result.output
    assert "15 states" in result.output
    accounts = dict(re.findall(r"demo account: (\S+) \((\w+)\) password: \S+", result.output))
    assert accounts == {
        "especialista": "specialist",
        "grupo": "working_group",
        "oaxaca": "secretariat",
        "tlaxcala": "secretariat",
        "admin": "admin",
    }
    password = re.search(r"demo account: oaxaca \(secretariat\) password: (\S+)", result.output).group(1)
    store = reopen(database_url)
    try:
        signed_in = authenticate(store, "oaxaca", password)
        assert signed_in.actor.state_code == "20"
    finally:
        store.close()
