"""Accounts: creation by an admin (or the CLI), sign-in with Argon2id and a lockout after repeated failures,
deactivation and one-time password resets. A failed sign-in never says whether the username or the password
was wrong.

Every change that must end an account's signed-in sessions bumps its ``security_stamp`` in the same transaction:
a password reset or change, a change of role, state or active flag (store/sessions.py binds a session to it).
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Connection, case, func, insert, or_, select, update

from accompaniment import settings
from accompaniment.access import Action, Actor, hash_password, needs_rehash, require, verify_password
from accompaniment.domain.enums import Role
from accompaniment.domain.errors import AccompanimentError, NotFound, ValidationError
from accompaniment.domain.models import UserInput, check_password_strength, validate
from accompaniment.store.activity import ensure_known_state
from accompaniment.store.database import Store, fetch_row, update_versioned
from accompaniment.store.schema import app_user

PUBLIC_USER_COLUMNS = [
    "id",
    "version",
    "username",
    "display_name",
    "role",
    "state_code",
    "email",
    "active",
    "must_change_password",
    "failed_attempts",
    "locked_until",
    "last_sign_in",
    "created_at",
]


class SignInFailed(AccompanimentError):
    """Unknown username, wrong password, an inactive, archived or locked account: one error and one message for
    all, so nothing is revealed about which accounts exist or what state they are in."""

    key = "auth.sign_in_failed"


# Edits of these columns change what the account may do: they end its sessions.
_SECURITY_COLUMNS = ("role", "state_code", "active")
_BUMP = {"security_stamp": app_user.c.security_stamp + 1}
# Sign-in writes on DuckDB, one at a time in this process (a DuckDB file has one writing process): see authenticate.
_DUCKDB_SIGN_INS = threading.Lock()


@dataclass(frozen=True)
class SignedIn:
    """An account as a session knows it; ``security_stamp`` is the account's stamp when it was read."""

    actor: Actor
    display_name: str
    must_change_password: bool
    security_stamp: int = 0


def _actor_of(row: dict[str, Any]) -> Actor:
    return Actor(
        Role(row["role"]),
        state_code=row["state_code"],
        username=row["username"],
        user_id=row["id"],
        must_change_password=bool(row["must_change_password"]),
    )


def signed_in_of(row: dict[str, Any]) -> SignedIn:
    """An ``app_user`` row as a session knows the account."""
    return SignedIn(
        _actor_of(row), row["display_name"], bool(row["must_change_password"]), row["security_stamp"]
    )


def create_user(
    store: Store,
    actor: Actor,
    data: UserInput | dict[str, Any],
    password: str | None,
    *,
    must_change_password: bool = False,
    is_demo: bool = False,
) -> int:
    """Create an account; ``password`` None leaves it usable only through single sign-on."""
    data = validate(UserInput, data)
    require(actor, Action.MANAGE_ACCOUNTS)
    if password is not None:
        check_password_strength(password)

    def work(connection: Connection) -> int:
        if data.state_code:
            ensure_known_state(connection, data.state_code)
        taken = connection.execute(select(app_user.c.id).where(app_user.c.username == data.username)).first()
        if taken:
            raise ValidationError.single("username", "username_taken")
        values = store.stamp(
            {
                "username": data.username,
                "display_name": data.display_name,
                "role": data.role.value,
                "state_code": data.state_code,
                "email": data.email,
                "password_hash": hash_password(password) if password is not None else None,
                "must_change_password": must_change_password,
                "is_demo": is_demo,
            },
            new=True,
        )
        user_id = connection.execute(insert(app_user).values(**values).returning(app_user.c.id)).scalar_one()
        store.audit(
            connection,
            actor,
            "create",
            "app_user",
            user_id,
            after={k: v for k, v in values.items() if k != "password_hash"},
        )
        return user_id

    return store.write(work)


def authenticate(store: Store, username: str, password: str) -> SignedIn:
    """Check a username and password. Five failures in a row (setting) lock the account for 15 minutes (setting).

    Raises ``SignInFailed`` whatever was wrong: an unknown username, a wrong password, an inactive, archived or
    locked account get the same error and message, and each costs one Argon2 check and one write transaction (an
    unknown username's write is the same conditional update, matching no row). The password is checked before
    the write, outside its transaction (Argon2 is slow); the write then counts a failure in the database itself
    (``failed_attempts + 1``), only while the account is not locked, so parallel attempts cannot all read the same
    count and slip past the limit. A sign-in is written only if the account is still unlocked, active and holds
    the hash that was checked; otherwise the attempt is refused as any other.
    """
    attempts_allowed = int(settings.get("lockout_attempts"))
    lock_minutes = int(settings.get("lockout_minutes"))
    now = store.clock()
    with store.read() as connection:
        found = connection.execute(select(app_user).where(app_user.c.username == username)).mappings().first()
    row = dict(found) if found is not None else None
    # One Argon2 check whatever the account's state: an unknown username is checked against a dummy hash.
    password_ok = verify_password(row["password_hash"] if row else None, password)
    if row is None:

        def work(connection: Connection) -> SignedIn | AccompanimentError:
            return _count_unknown(connection, username, now)

    elif not password_ok or not row["active"] or row["archived_at"] is not None or _is_locked(row, now):

        def work(connection: Connection) -> SignedIn | AccompanimentError:
            return _count_failure(store, connection, row, now, attempts_allowed, lock_minutes)

    else:
        new_hash = hash_password(password) if needs_rehash(row["password_hash"]) else None

        def work(connection: Connection) -> SignedIn | AccompanimentError:
            return _record_sign_in(store, connection, row, now, new_hash)

    # DuckDB reports parallel updates of one row as write-write conflicts (PostgreSQL makes them wait): sign-ins in
    # this process take turns there, so a burst of attempts on one account cannot exhaust the retries of
    # ``Store.write`` (which still retries a conflict with any other writer).
    with _DUCKDB_SIGN_INS if store.is_duckdb else nullcontext():
        outcome = store.write(work, bookkeeping=True)  # counters and sign-in times: no cached read shows them
    if isinstance(outcome, AccompanimentError):
        raise outcome
    return outcome


def _is_locked(row: dict[str, Any], now: datetime) -> bool:
    return row["locked_until"] is not None and row["locked_until"] > now


def _unlocked(now: datetime) -> ColumnElement[bool]:
    return or_(app_user.c.locked_until.is_(None), app_user.c.locked_until <= now)


def _count_unknown(connection: Connection, username: str, now: datetime) -> AccompanimentError:
    """The write of an attempt on an unknown username: the same conditional update a failure makes, which matches no
    row, so the attempt takes as long as one on a real account."""
    connection.execute(
        update(app_user)
        .where(app_user.c.username == username, _unlocked(now))
        .values(failed_attempts=app_user.c.failed_attempts + 1)
    )
    return SignInFailed()


def _count_failure(
    store: Store,
    connection: Connection,
    row: dict[str, Any],
    now: datetime,
    attempts_allowed: int,
    lock_minutes: int,
) -> AccompanimentError:
    """One more failure, counted by the database on the row as it is now; the one that reaches the limit locks the
    account. The count stays at the limit while locked and starts again at 1 with the first failure after the lock
    expired. A failure that finds the account already locked counts nothing. Every outcome is ``SignInFailed``."""
    counted = case((app_user.c.locked_until.is_not(None), 1), else_=app_user.c.failed_attempts + 1)
    until = now + timedelta(minutes=lock_minutes)
    counters = connection.execute(
        update(app_user)
        .where(app_user.c.id == row["id"], _unlocked(now))
        .values(failed_attempts=counted, locked_until=case((counted >= attempts_allowed, until), else_=None))
        .returning(app_user.c.failed_attempts, app_user.c.locked_until)
    ).first()
    if counters is None:  # locked already (perhaps by parallel attempts): nothing more to count
        return SignInFailed()
    locked = counters.locked_until is not None
    store.audit(
        connection,
        _actor_of(row),
        "sign_in_failed",
        "app_user",
        row["id"],
        after={"failed_attempts": counters.failed_attempts, "locked": locked},
    )
    return SignInFailed()


def _record_sign_in(
    store: Store, connection: Connection, row: dict[str, Any], now: datetime, new_hash: str | None
) -> SignedIn | AccompanimentError:
    values: dict[str, Any] = {"failed_attempts": 0, "locked_until": None, "last_sign_in": now}
    if new_hash is not None:
        values["password_hash"] = new_hash
    result = connection.execute(
        update(app_user)
        .where(
            app_user.c.id == row["id"],
            _unlocked(now),
            app_user.c.password_hash == row["password_hash"],
            app_user.c.active,
            app_user.c.archived_at.is_(None),
        )
        .values(**values)
    )
    if result.rowcount != 1:  # locked or changed (password, state) since it was read
        return SignInFailed()
    account = fetch_row(connection, app_user, row["id"])
    store.audit(connection, _actor_of(account), "sign_in", "app_user", row["id"])
    return signed_in_of(account)


def actor_for_email(store: Store, email: str) -> SignedIn | None:
    """The active local account an identity provider's e-mail maps to (single sign-on), or None."""
    with store.read() as connection:
        row = (
            connection.execute(
                select(app_user).where(
                    func.lower(app_user.c.email) == email.strip().lower(),
                    app_user.c.active,
                    app_user.c.archived_at.is_(None),
                )
            )
            .mappings()
            .first()
        )
    if row is None:
        return None
    signed_in = signed_in_of(dict(row))  # single sign-on has no password to change
    return replace(
        signed_in, actor=replace(signed_in.actor, must_change_password=False), must_change_password=False
    )


def current_account(store: Store, user_id: int) -> SignedIn | None:
    """Re-read a signed-in user's account, None once it is inactive or archived. The caller compares username and
    security stamp with what its session holds: the same id may be another account after a restore."""
    with store.read() as connection:
        row = connection.execute(select(app_user).where(app_user.c.id == user_id)).mappings().first()
    if row is None or not row["active"] or row["archived_at"] is not None:
        return None
    return signed_in_of(dict(row))


def current_actor(store: Store, user_id: int) -> Actor | None:
    """The acting user of an account as it is now (role and state), None once inactive or archived."""
    account = current_account(store, user_id)
    return None if account is None else account.actor


def list_users(store: Store, actor: Actor) -> pd.DataFrame:
    require(actor, Action.MANAGE_ACCOUNTS)
    query = select(*(app_user.c[c] for c in PUBLIC_USER_COLUMNS)).order_by(app_user.c.username)
    with store.read() as connection:
        return pd.DataFrame(connection.execute(query).mappings().all(), columns=PUBLIC_USER_COLUMNS)


def edit_user(
    store: Store,
    actor: Actor,
    user_id: int,
    version: int,
    data: UserInput | dict[str, Any],
    active: bool = True,
) -> dict[str, Any]:
    """Change display name, role, state, e-mail and whether the account is active."""
    data = validate(UserInput, data)
    require(actor, Action.MANAGE_ACCOUNTS)

    def work(connection: Connection) -> dict[str, Any]:
        before = fetch_row(connection, app_user, user_id)
        if data.state_code:
            ensure_known_state(connection, data.state_code)
        values: dict[str, Any] = {
            "display_name": data.display_name,
            "role": data.role.value,
            "state_code": data.state_code,
            "email": data.email,
            "active": active,
        }
        if any(before[name] != values[name] for name in _SECURITY_COLUMNS):
            values["security_stamp"] = before["security_stamp"] + 1
        after = update_versioned(store, connection, app_user, user_id, version, values)
        store.audit(
            connection, actor, "update", "app_user", user_id, before=_safe(before), after=_safe(after)
        )
        return _safe(after)

    return store.write(work)


def _safe(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != "password_hash"}


def reset_password(
    store: Store, actor: Actor, user_id: int, generate: Callable[[], str] = lambda: secrets.token_urlsafe(12)
) -> str:
    """Give an account a one-time password (to change at next sign-in) and unlock it; returns the password."""
    require(actor, Action.MANAGE_ACCOUNTS)
    password = generate()

    def work(connection: Connection) -> None:
        before = fetch_row(connection, app_user, user_id)
        connection.execute(
            update(app_user)
            .where(app_user.c.id == user_id)
            .values(
                password_hash=hash_password(password),
                must_change_password=True,
                failed_attempts=0,
                locked_until=None,
                version=app_user.c.version + 1,
                updated_at=store.clock(),
                **_BUMP,
            )
        )
        store.audit(
            connection, actor, "reset_password", "app_user", user_id, before={"username": before["username"]}
        )

    store.write(work)
    return password


def change_own_password(store: Store, actor: Actor, current: str, new: str) -> SignedIn:
    """Replace one's own password. Every session of the account ends; the caller starts a new one for itself with
    the account returned (its new security stamp)."""
    if actor.user_id is None:
        raise NotFound(entity="app_user", id="")
    check_password_strength(new)
    attempts_allowed = int(settings.get("lockout_attempts"))
    lock_minutes = int(settings.get("lockout_minutes"))

    def work(connection: Connection) -> SignedIn | AccompanimentError:
        row = fetch_row(connection, app_user, actor.user_id)
        now = store.clock()
        # A wrong current password is a failed sign-in (issue 20): it counts toward the lockout, and a locked
        # account cannot change its password, so the form cannot be used to guess it.
        if (
            row["username"] != actor.username
            or _is_locked(row, now)
            or not verify_password(row["password_hash"], current)
        ):
            return _count_failure(store, connection, row, now, attempts_allowed, lock_minutes)
        connection.execute(
            update(app_user)
            .where(app_user.c.id == actor.user_id)
            .values(
                password_hash=hash_password(new),
                must_change_password=False,
                version=app_user.c.version + 1,
                updated_at=store.clock(),
                **_BUMP,
            )
        )
        store.audit(connection, actor, "change_password", "app_user", actor.user_id)
        return signed_in_of(fetch_row(connection, app_user, actor.user_id))

    changed = store.write(work)
    if isinstance(changed, AccompanimentError):
        raise changed
    return changed
