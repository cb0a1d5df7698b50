"""The lockout after repeated failed sign-ins holds under parallel attempts (issue 17 item 3), on DuckDB and
PostgreSQL: the database counts each failure itself, so attempts that run at the same time cannot all read the same
count, and a DuckDB write-write conflict between them is retried rather than shown. Every attempt gets the usual
refusal, the one ``SignInFailed`` that says nothing about the account (issue 17 item 8), never another error."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import select

from accompaniment import settings
from accompaniment.store import users
from accompaniment.store.database import Store
from accompaniment.store.schema import app_user, audit_entry
from tests.conftest import ACTORS, FIXED_NOW

PASSWORD = "una clave larga de prueba 1"
PARALLEL = 8


def account_with_password(store: Store) -> int:
    return users.create_user(
        store,
        ACTORS["admin"],
        {"username": "bajo.ataque", "display_name": "Bajo ataque", "role": "specialist"},
        PASSWORD,
    )


def counters(store: Store, user_id: int) -> tuple[int, object]:
    with store.read() as connection:
        row = connection.execute(
            select(app_user.c.failed_attempts, app_user.c.locked_until).where(app_user.c.id == user_id)
        ).one()
    return row.failed_attempts, row.locked_until


def failures_audited(store: Store, user_id: int) -> int:
    with store.read() as connection:
        return len(
            connection.execute(
                select(audit_entry.c.id).where(
                    audit_entry.c.entity == "app_user",
                    audit_entry.c.entity_id == user_id,
                    audit_entry.c.action == "sign_in_failed",
                )
            ).all()
        )


def parallel_attempts(store: Store, password: str, count: int = PARALLEL) -> list[str]:
    """``count`` sign-ins started together; each one's outcome: the refusal's class name, or whatever it raised."""
    start = threading.Barrier(count)

    def attempt(_: int) -> str:
        start.wait()
        try:
            users.authenticate(store, "bajo.ataque", password)
        except users.SignInFailed as refused:
            return type(refused).__name__
        except Exception as other:  # noqa: BLE001 - the outcome under test: any other error is a failure
            return f"{type(other).__name__}: {other}"
        return "signed in"

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(attempt, range(count)))


def test_parallel_wrong_passwords_lock_the_account_and_each_gets_the_usual_refusal(store: Store) -> None:
    limit = int(settings.get("lockout_attempts"))
    assert PARALLEL > limit
    user_id = account_with_password(store)

    outcomes = parallel_attempts(store, "no es la contraseña")

    # Every attempt gets the same refusal, whether it was counted, locked the account or found it locked.
    assert outcomes == ["SignInFailed"] * PARALLEL, outcomes
    failed_attempts, locked_until = counters(store, user_id)
    assert failed_attempts == limit
    assert locked_until is not None and locked_until > FIXED_NOW
    assert failures_audited(store, user_id) == limit
    with pytest.raises(users.SignInFailed):  # the right password while locked: refused as any other
        users.authenticate(store, "bajo.ataque", PASSWORD)
    assert counters(store, user_id) == (limit, locked_until)


def test_parallel_right_passwords_all_sign_in_and_clear_the_count(store: Store) -> None:
    user_id = account_with_password(store)
    with pytest.raises(users.SignInFailed):
        users.authenticate(store, "bajo.ataque", "no es la contraseña")

    outcomes = parallel_attempts(store, PASSWORD, count=4)

    assert outcomes == ["signed in"] * 4
    assert counters(store, user_id) == (0, None)


def test_after_the_lock_expires_the_count_starts_again(store: Store) -> None:
    limit = int(settings.get("lockout_attempts"))
    user_id = account_with_password(store)
    for _ in range(limit):
        with pytest.raises(users.SignInFailed):
            users.authenticate(store, "bajo.ataque", "no es la contraseña")
    with pytest.raises(users.SignInFailed):  # locked: even the right password is refused
        users.authenticate(store, "bajo.ataque", PASSWORD)
    assert counters(store, user_id)[1] is not None

    store.clock = lambda: FIXED_NOW + timedelta(minutes=int(settings.get("lockout_minutes")), seconds=1)
    with pytest.raises(users.SignInFailed):
        users.authenticate(store, "bajo.ataque", "no es la contraseña")

    assert counters(store, user_id) == (1, None)
    assert users.authenticate(store, "bajo.ataque", PASSWORD).actor.username == "bajo.ataque"
    assert counters(store, user_id) == (0, None)
