"""A failed sign-in tells nothing about the account (issue 17, item 8): an unknown username, a wrong password, an
inactive, archived or locked account all get the same error and message, and each attempt does the same work: one
Argon2 verification and one write transaction. The database is real (both backends); only the hasher and
``Store.write`` are watched."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import update

from accompaniment import access, settings
from accompaniment.store import users
from accompaniment.store.database import Store
from accompaniment.store.schema import app_user
from tests.conftest import ACTORS, FIXED_NOW

PASSWORD = "una clave larga de prueba 1"


class _Counting:
    """The real hasher, counting its ``verify`` calls."""

    def __init__(self, hasher: Any) -> None:
        self.hasher = hasher
        self.verifies = 0

    def verify(self, *args: Any, **kwargs: Any) -> Any:
        self.verifies += 1
        return self.hasher.verify(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.hasher, name)


def _account(store: Store, username: str) -> int:
    return users.create_user(
        store,
        ACTORS["admin"],
        {"username": username, "display_name": username, "role": "specialist"},
        PASSWORD,
    )


def _set(store: Store, user_id: int, **values: Any) -> None:
    store.write(lambda c: c.execute(update(app_user).where(app_user.c.id == user_id).values(**values)))


def _unknown(store: Store) -> tuple[str, str]:
    return "nadie.conocido", PASSWORD


def _wrong_password(store: Store) -> tuple[str, str]:
    _account(store, "real.uno")
    return "real.uno", "no es la contraseña"


def _inactive(store: Store) -> tuple[str, str]:
    _set(store, _account(store, "real.dos"), active=False)
    return "real.dos", PASSWORD


def _archived(store: Store) -> tuple[str, str]:
    _set(store, _account(store, "real.tres"), archived_at=FIXED_NOW)
    return "real.tres", PASSWORD


def _locked(store: Store) -> tuple[str, str]:
    user_id = _account(store, "real.cuatro")
    for _ in range(int(settings.get("lockout_attempts"))):
        with pytest.raises(users.SignInFailed):
            users.authenticate(store, "real.cuatro", "no es la contraseña")
    with store.read() as connection:
        locked_until = connection.execute(
            app_user.select().with_only_columns(app_user.c.locked_until).where(app_user.c.id == user_id)
        ).scalar_one()
    assert locked_until is not None and locked_until > FIXED_NOW
    return "real.cuatro", PASSWORD  # the right password, but the account is locked


CASES: dict[str, Callable[[Store], tuple[str, str]]] = {
    "unknown": _unknown,
    "wrong_password": _wrong_password,
    "inactive": _inactive,
    "archived": _archived,
    "locked": _locked,
}


@pytest.mark.parametrize("case", list(CASES))
def test_every_failed_sign_in_raises_the_same_error_after_one_verify_and_one_write(
    store: Store, case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    username, password = CASES[case](store)
    hasher = _Counting(access._HASHER)
    monkeypatch.setattr(access, "_HASHER", hasher)
    access._dummy_hash()  # made once, before counting
    writes = 0
    real_write = store.write

    def counting_write(work: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal writes
        writes += 1
        return real_write(work, *args, **kwargs)

    monkeypatch.setattr(store, "write", counting_write)

    with pytest.raises(users.SignInFailed) as refused:
        users.authenticate(store, username, password)

    assert type(refused.value) is users.SignInFailed
    assert refused.value.message("es") == users.SignInFailed().message("es")
    assert refused.value.params == {}
    assert hasher.verifies == 1
    assert writes == 1


# ---- "must change password" is enforced by the store (issue 17, item 8) --------------------------------------------

NEW_PASSWORD = "otra clave larga y nueva 2"


def test_an_account_that_must_change_its_password_can_do_nothing_else_until_it_does(store: Store) -> None:
    from accompaniment.domain.errors import PermissionDenied
    from accompaniment.store import activity
    from tests.store.builders import count_rows, log_session, session_data

    session_id = log_session(store)
    users.create_user(
        store,
        ACTORS["admin"],
        {"username": "recien.llegada", "display_name": "Recién llegada", "role": "specialist"},
        PASSWORD,
        must_change_password=True,
    )
    signed_in = users.authenticate(store, "recien.llegada", PASSWORD)
    actor = signed_in.actor
    assert signed_in.must_change_password and actor.must_change_password
    before = count_rows(store, "dialogue_session")

    with pytest.raises(PermissionDenied) as refused:
        activity.log_session(store, actor, session_data())
    assert refused.value.key == "errors.must_change_password"
    assert count_rows(store, "dialogue_session") == before
    with pytest.raises(PermissionDenied):
        activity.get_session(store, actor, session_id)  # would hand over the private summary

    changed = users.change_own_password(store, actor, PASSWORD, NEW_PASSWORD)

    assert not changed.must_change_password and not changed.actor.must_change_password
    assert activity.get_session(store, changed.actor, session_id)["summary"]
    activity.log_session(store, changed.actor, session_data(topics="Ya puede"))
    assert count_rows(store, "dialogue_session")["dialogue_session"] == before["dialogue_session"] + 1
    assert not users.authenticate(store, "recien.llegada", NEW_PASSWORD).actor.must_change_password
