"""Signed-in sessions that outlive a page load (issue 21 item 3, issue 17 item 2), on DuckDB and PostgreSQL: a token
opens its account only while its record exists, the account keeps its id, username and security stamp, and it
has been used within the idle timeout. Sign-out, a password reset or change, deactivation, a change of role or
state, archiving and any restore of a backup end it; a restore never turns a session into another account."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from accompaniment.access import Actor
from accompaniment.domain.enums import Role
from accompaniment.io import backup
from accompaniment.store import archive, sessions, users
from accompaniment.store.database import Store, open_store
from accompaniment.store.schema import app_user, sign_in_session
from tests.conftest import ACTORS, FIXED_NOW, OAXACA, TLAXCALA
from tests.store.builders import add_account, count_rows

ADMIN = ACTORS["admin"]
IDLE = timedelta(minutes=30)  # the idle_timeout_minutes default


@pytest.fixture(autouse=True)
def backups_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A restore over data first saves a backup of it, into the backup folder."""
    monkeypatch.setenv("ACCOMPANIMENT_BACKUP_DIR", str(tmp_path / "backups"))


def account(store: Store, user_id: int) -> users.SignedIn:
    found = users.current_account(store, user_id)
    assert found is not None
    return found


def signed_in(store: Store, username: str = "sec.a", role: str = "secretariat") -> tuple[int, str]:
    """An account and a session of it started now; returns the account's id and the browser's token."""
    user_id = add_account(store, username, role, OAXACA if role == "secretariat" else None)
    return user_id, sessions.start(store, account(store, user_id), now=FIXED_NOW)


def edit(store: Store, user_id: int, active: bool = True, **changes: str | None) -> None:
    row = users.list_users(store, ADMIN).set_index("id").loc[user_id]
    values = {name: row[name] for name in ("username", "display_name", "role", "state_code")} | changes
    users.edit_user(store, ADMIN, user_id, int(row["version"]), values, active=active)


def test_a_started_session_resumes_as_the_same_account_with_its_role_and_state(store: Store) -> None:
    user_id, token = signed_in(store)

    check = sessions.resume(store, token, now=FIXED_NOW + timedelta(minutes=5))

    assert check.status == sessions.Status.VALID
    assert check.account.actor == Actor(
        Role.SECRETARIAT, state_code=OAXACA, username="sec.a", user_id=user_id
    )
    assert check.account.security_stamp == 0


def test_the_store_keeps_only_a_hash_of_the_random_token(store: Store) -> None:
    _, token = signed_in(store)
    _, other = signed_in(store, "sec.b")

    with store.read() as connection:
        stored = connection.execute(select(sign_in_session.c.token_hash)).scalars().all()

    assert token != other and len(token) >= 40
    assert sorted(stored) == sorted([sessions.digest(token), sessions.digest(other)])
    assert token not in stored


def test_a_session_idle_longer_than_the_timeout_is_refused_and_forgotten(store: Store) -> None:
    _, token = signed_in(store)

    late = sessions.resume(store, token, now=FIXED_NOW + IDLE + timedelta(seconds=1))

    assert late.status == sessions.Status.EXPIRED and late.account is None
    assert sessions.resume(store, token, now=FIXED_NOW).status == sessions.Status.UNKNOWN
    assert count_rows(store, "sign_in_session")["sign_in_session"] == 0


def test_using_a_session_within_the_timeout_starts_the_period_again(store: Store) -> None:
    _, token = signed_in(store)
    for step in range(1, 4):  # an hour and a half in all, never 30 minutes idle
        assert sessions.resume(store, token, now=FIXED_NOW + step * (IDLE - timedelta(minutes=1))).valid


def test_a_token_is_refused_after_signing_out(store: Store) -> None:
    _, token = signed_in(store)
    _, other = signed_in(store, "sec.b")

    sessions.end(store, token)

    assert sessions.resume(store, token, now=FIXED_NOW).status == sessions.Status.UNKNOWN
    assert sessions.resume(store, other, now=FIXED_NOW).valid  # only that session ends


def test_a_password_reset_ends_the_accounts_sessions(store: Store) -> None:
    user_id, token = signed_in(store)

    users.reset_password(store, ADMIN, user_id, generate=lambda: "una contraseña temporal")

    assert sessions.resume(store, token, now=FIXED_NOW).status == sessions.Status.ENDED
    assert account(store, user_id).security_stamp == 1


def test_a_password_change_ends_every_session_and_the_account_it_returns_opens_a_new_one(
    store: Store,
) -> None:
    user_id = users.create_user(
        store,
        ADMIN,
        {"username": "con.clave", "display_name": "Con clave", "role": "specialist"},
        "una clave larga 1",
    )
    first = users.authenticate(store, "con.clave", "una clave larga 1")
    token = sessions.start(store, first, now=FIXED_NOW)

    changed = users.change_own_password(store, first.actor, "una clave larga 1", "una clave larga 2")

    assert sessions.resume(store, token, now=FIXED_NOW).status == sessions.Status.ENDED
    assert changed.security_stamp == first.security_stamp + 1 and changed.actor.user_id == user_id
    assert sessions.resume(store, sessions.start(store, changed, now=FIXED_NOW), now=FIXED_NOW).valid


def test_deactivation_ends_the_session(store: Store) -> None:
    user_id, token = signed_in(store)

    edit(store, user_id, active=False)

    assert sessions.resume(store, token, now=FIXED_NOW).status == sessions.Status.INACTIVE


@pytest.mark.parametrize(
    "changes",
    [{"role": "specialist", "state_code": None}, {"state_code": TLAXCALA}],
    ids=["role", "state"],
)
def test_an_admins_change_of_role_or_state_ends_the_session(store: Store, changes: dict) -> None:
    user_id, token = signed_in(store)

    edit(store, user_id, **changes)

    assert sessions.resume(store, token, now=FIXED_NOW).status == sessions.Status.ENDED
    assert account(store, user_id).security_stamp == 1


def test_a_new_display_name_or_email_leaves_the_session_open(store: Store) -> None:
    user_id, token = signed_in(store)

    edit(store, user_id, display_name="Otro nombre", email="enlace@example.org")

    assert sessions.resume(store, token, now=FIXED_NOW).valid
    assert account(store, user_id).security_stamp == 0


def test_archiving_the_account_ends_the_session_and_restoring_it_does_not_bring_it_back(store: Store) -> None:
    user_id, token = signed_in(store)
    version = int(users.list_users(store, ADMIN).set_index("id").loc[user_id, "version"])
    archive.archive(store, ADMIN, "app_user", user_id, version)

    assert sessions.resume(store, token, now=FIXED_NOW).status == sessions.Status.INACTIVE
    archive.restore(store, ADMIN, "app_user", user_id)
    assert sessions.resume(store, token, now=FIXED_NOW).status == sessions.Status.UNKNOWN
    assert account(store, user_id).security_stamp == 2


def test_an_unknown_an_empty_or_an_overlong_token_is_refused_quietly(store: Store) -> None:
    signed_in(store)
    for token in ("", "x", "a" * 43, "a" * 5000, "'; DELETE FROM sign_in_session; --"):
        assert sessions.resume(store, token, now=FIXED_NOW).status == sessions.Status.UNKNOWN
        sessions.end(store, token)
    assert count_rows(store, "sign_in_session")["sign_in_session"] == 1


# ---- restores --------------------------------------------------------------------------------------------------


@pytest.fixture
def other_database(tmp_path: Path) -> Iterator[Store]:
    """Another, fresh database (DuckDB): where a backup comes from whose ids mean other accounts."""
    opened = open_store(f"duckdb:///{tmp_path / 'other.duckdb'}", clock=lambda: FIXED_NOW)
    try:
        yield opened
    finally:
        opened.engine.dispose()


def test_a_backup_holds_no_session_and_a_restore_ends_every_session(store: Store, tmp_path: Path) -> None:
    user_id, token = signed_in(store)
    path = tmp_path / "copia.zip"
    backup.write_backup(store, ADMIN, path)
    with zipfile.ZipFile(path) as archive_file:
        assert archive_file.read("tables/sign_in_session.jsonl") == b""

    backup.restore_backup(store, ADMIN, path, replace=True)

    assert sessions.resume(store, token, now=FIXED_NOW).status == sessions.Status.UNKNOWN
    assert count_rows(store, "sign_in_session")["sign_in_session"] == 0
    assert account(store, user_id).security_stamp == 1  # the same account, past its old sessions' stamp


def test_after_a_restore_where_id_1_is_another_account_a_session_of_the_old_id_1_opens_nothing(
    store: Store, other_database: Store, tmp_path: Path
) -> None:
    """Issue 17.2: the session of a secretariat must not become the admin that the backup holds under its id. The
    same holds when the username matches too: only the security stamp tells the accounts apart then."""
    admin_id = add_account(other_database, "ana", "admin")
    for bump in range(3):  # the backup's account has a stamp of its own, higher than the session's
        edit(other_database, admin_id, role="specialist" if bump % 2 == 0 else "admin")
    path = tmp_path / "otra.zip"
    backup.write_backup(other_database, ADMIN, path)
    user_id, token = signed_in(store, "ana", "secretariat")
    session_stamp = account(store, user_id).security_stamp
    assert user_id == admin_id

    backup.restore_backup(store, ADMIN, path, replace=True)

    assert not sessions.resume(store, token, now=FIXED_NOW).valid
    now_there = account(store, user_id)  # a sign-in without a token (single sign-on) compares these itself
    assert now_there.actor.role == Role.SPECIALIST
    assert now_there.security_stamp != session_stamp
    with store.read() as connection:
        stamps = connection.execute(select(app_user.c.security_stamp)).scalars().all()
    assert min(stamps) > session_stamp
