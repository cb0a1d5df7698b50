"""Who may do what (DESIGN §6), and password hashing.

The store calls ``require`` at the top of every public function, so no page, export or CLI path can bypass the
rules: hiding a page is navigation, not authorisation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.profiles import RFC_9106_LOW_MEMORY

from accompaniment.domain.enums import Role
from accompaniment.domain.errors import PermissionDenied


@dataclass(frozen=True)
class Actor:
    """The person acting: role, the state a secretariat is bound to, and a name for the audit log.

    ``must_change_password``: the account signed in with a one-time password; until it changes it (which
    ``store.users.change_own_password`` allows without ``require``) or signs out, every action is refused. It is a
    state of the account, not who acts: two actors that differ only in it compare equal."""

    role: Role
    state_code: str | None = None
    username: str = "public"
    user_id: int | None = None
    must_change_password: bool = field(default=False, compare=False)

    @property
    def is_public(self) -> bool:
        return self.role == Role.PUBLIC


PUBLIC = Actor(Role.PUBLIC)
SYSTEM = Actor(Role.ADMIN, username="system")


class Action(StrEnum):
    READ_PUBLISHED = "read_published"  # progress, commitments, milestones, SDG view, training figures
    READ_ACTIVITY = "read_activity"  # sessions/workshops, public fields
    READ_PRIVATE_NOTES = "read_private_notes"
    READ_PERSONAL_DATA = "read_personal_data"
    READ_MILESTONE_DETAIL = "read_milestone_detail"  # update timeline, evidence notes, authors
    WRITE_ACTIVITY = "write_activity"  # workshops, sessions, agreements and their follow-up
    WRITE_MILESTONE = "write_milestone"  # progress, status, evidence
    WRITE_STRUCTURE = "write_structure"  # plans, commitments, milestones, members, fellows
    CHANGE_PHASE = "change_phase"
    ASSESS_COMMITMENT = "assess_commitment"
    MANAGE_ACCOUNTS = "manage_accounts"
    IMPORT_DATA = "import_data"
    BACKUP = "backup"
    READ_AUDIT = "read_audit"
    RESTORE_ARCHIVED = "restore_archived"


_ALL = frozenset(Role)
_STAFF = frozenset({Role.SPECIALIST, Role.WORKING_GROUP, Role.ADMIN})

# role -> actions it may take in any state
MATRIX: dict[Action, frozenset[Role]] = {
    Action.READ_PUBLISHED: _ALL,
    Action.READ_ACTIVITY: _ALL,
    Action.READ_PRIVATE_NOTES: _STAFF,
    Action.READ_PERSONAL_DATA: _STAFF,
    Action.READ_MILESTONE_DETAIL: _STAFF,
    Action.WRITE_ACTIVITY: frozenset({Role.SPECIALIST, Role.ADMIN}),
    Action.WRITE_MILESTONE: frozenset({Role.SPECIALIST, Role.ADMIN}),
    Action.WRITE_STRUCTURE: frozenset({Role.SPECIALIST, Role.ADMIN}),
    Action.CHANGE_PHASE: frozenset({Role.SPECIALIST, Role.WORKING_GROUP, Role.ADMIN}),
    Action.ASSESS_COMMITMENT: frozenset({Role.WORKING_GROUP, Role.ADMIN}),
    Action.MANAGE_ACCOUNTS: frozenset({Role.ADMIN}),
    Action.IMPORT_DATA: frozenset(
        {Role.SPECIALIST, Role.ADMIN}
    ),  # issue 6: the import page is for specialist/admin
    Action.BACKUP: frozenset({Role.ADMIN}),
    Action.READ_AUDIT: frozenset({Role.WORKING_GROUP, Role.ADMIN}),
    Action.RESTORE_ARCHIVED: frozenset({Role.ADMIN}),
}

# what a secretariat may do, only within its own state
SECRETARIAT_OWN_STATE: frozenset[Action] = frozenset(
    {Action.READ_PERSONAL_DATA, Action.READ_MILESTONE_DETAIL, Action.WRITE_MILESTONE}
)


def allowed(actor: Actor, action: Action, state_code: str | None = None) -> bool:
    """Whether ``actor`` may take ``action`` on data of ``state_code`` (None: not tied to one state)."""
    if actor.must_change_password:
        return False
    if actor.role in MATRIX[action]:
        return True
    if actor.role == Role.SECRETARIAT and action in SECRETARIAT_OWN_STATE:
        return state_code is not None and actor.state_code is not None and state_code == actor.state_code
    return False


def require(actor: Actor, action: Action, state_code: str | None = None) -> None:
    """Raise ``PermissionDenied`` unless ``actor`` may take ``action`` (on ``state_code``); its message names the
    pending password change when that is the reason."""
    if actor.must_change_password:
        raise PermissionDenied("errors.must_change_password", action=action.value)
    if not allowed(actor, action, state_code):
        raise PermissionDenied(action=action.value)


# OWASP: Argon2id; RFC 9106's low-memory profile (t=3, m=64 MiB, p=4) is within its recommendations.
_HASHER = PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY)


@cache
def _dummy_hash() -> str:
    """Verified against when the username is unknown, so a wrong username costs as much time as a wrong password.

    Made on first use, not at import: one Argon2 hash (64 MiB, about a second on a busy machine) is a needless
    share of the app's cold start and memory for the many sessions that never sign in.
    """
    return _HASHER.hash("an unknown user never matches this")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Constant-time check (Argon2 compares digests in constant time); unknown users still pay the hashing cost."""
    try:
        return _HASHER.verify(password_hash or _dummy_hash(), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _HASHER.check_needs_rehash(password_hash)
