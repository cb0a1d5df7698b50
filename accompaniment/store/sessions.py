"""Signed-in browser sessions that outlive a page load: a random token in a cookie, its record on the server.

A sign-in with a password starts a session: a random token (256 bits) goes to the browser; the server keeps only
its SHA-256, with the account's id, username and security stamp at that moment, and when the session was last
used. A reload or a typed URL starts a new Streamlit session, which brings the token back (``resume``). The token
is honoured only while

- its record exists: signing out deletes it, and a restore of a backup clears them all;
- the account still has that id, that username and that security stamp (``app_user.security_stamp``, bumped by a
  password reset or change, a change of role, state or active flag, archiving, and any restore), and is active;
- it has been used within the ``idle_timeout_minutes`` setting (read on every check, so a new value applies at once).

A refused token's record is deleted. The check runs on every rerun of a signed-in page, so a session ended in one
tab, or by an admin, ends in every tab at its next click. ``last_seen`` is written at most once a minute
(``TOUCH_EVERY``): a click is a read, not a write, and the idle timeout is kept to within that minute.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import Connection, delete, insert, select, update

from accompaniment import settings
from accompaniment.store.database import Store
from accompaniment.store.schema import app_user, sign_in_session
from accompaniment.store.users import SignedIn, signed_in_of

TOKEN_BYTES = 32
TOUCH_EVERY = timedelta(minutes=1)
_LONGEST_TOKEN = 100  # a cookie is user input: anything longer than a token is refused unread


class Status(StrEnum):
    VALID = "valid"
    UNKNOWN = "unknown"  # no such session: never issued, signed out, or cleared by a restore
    EXPIRED = "expired"  # idle longer than the timeout
    INACTIVE = "inactive"  # the account was deactivated or archived
    ENDED = "ended"  # the account is another one now, or its security stamp moved on


@dataclass(frozen=True)
class Check:
    """What ``resume`` found: the status, and the account when it is ``VALID``."""

    status: Status
    account: SignedIn | None = None

    @property
    def valid(self) -> bool:
        return self.status == Status.VALID


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def idle_timeout() -> timedelta:
    return timedelta(minutes=int(settings.get("idle_timeout_minutes")))


def start(store: Store, account: SignedIn, now: datetime | None = None) -> str:
    """Open a session for ``account`` (as ``users.authenticate`` returned it, with its security stamp at that
    moment) and return the token for the browser. Expired records are tidied away on the way."""
    if account.actor.user_id is None:
        raise ValueError("a session needs an account with an id")
    now = now or store.clock()
    token = secrets.token_urlsafe(TOKEN_BYTES)

    def work(connection: Connection) -> None:
        connection.execute(delete(sign_in_session).where(sign_in_session.c.last_seen < now - idle_timeout()))
        connection.execute(
            insert(sign_in_session).values(
                token_hash=digest(token),
                user_id=account.actor.user_id,
                username=account.actor.username,
                security_stamp=account.security_stamp,
                started_at=now,
                last_seen=now,
            )
        )

    store.write(work, bookkeeping=True)  # no cached read shows who is signed in
    return token


def resume(store: Store, token: str, now: datetime | None = None) -> Check:
    """Check a browser's token against its record and its account (see the module's docstring); a valid use
    counts as activity."""
    if not token or len(token) > _LONGEST_TOKEN:
        return Check(Status.UNKNOWN)
    now = now or store.clock()
    token_hash = digest(token)
    query = (
        select(
            sign_in_session.c.username.label("session_username"),
            sign_in_session.c.security_stamp.label("session_stamp"),
            sign_in_session.c.last_seen,
            app_user,
        )
        .select_from(sign_in_session.outerjoin(app_user, app_user.c.id == sign_in_session.c.user_id))
        .where(sign_in_session.c.token_hash == token_hash)
    )
    with store.read() as connection:
        row = connection.execute(query).mappings().first()
    if row is None:
        return Check(Status.UNKNOWN)
    status = _status(dict(row), now)
    if status != Status.VALID:
        end(store, token)
        return Check(status)
    if now - row["last_seen"] >= TOUCH_EVERY:
        store.write(
            lambda connection: connection.execute(
                update(sign_in_session)
                .where(sign_in_session.c.token_hash == token_hash)
                .values(last_seen=now)
            ),
            bookkeeping=True,
        )
    return Check(Status.VALID, signed_in_of(dict(row)))


def _status(row: dict, now: datetime) -> Status:
    if row["id"] is None or row["username"] != row["session_username"]:
        return Status.ENDED
    if not row["active"] or row["archived_at"] is not None:
        return Status.INACTIVE
    if row["security_stamp"] != row["session_stamp"]:
        return Status.ENDED
    if now - row["last_seen"] > idle_timeout():
        return Status.EXPIRED
    return Status.VALID


def end(store: Store, token: str) -> None:
    """Sign-out: the token opens nothing any more, in this browser or any copy of it."""
    if not token or len(token) > _LONGEST_TOKEN:
        return
    store.write(
        lambda connection: connection.execute(
            delete(sign_in_session).where(sign_in_session.c.token_hash == digest(token))
        ),
        bookkeeping=True,
    )
