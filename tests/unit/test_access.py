"""The permission matrix of DESIGN §6, checked rule by rule, and Argon2id password hashing."""

from __future__ import annotations

import pytest

from accompaniment.access import (
    PUBLIC,
    Action,
    Actor,
    allowed,
    hash_password,
    needs_rehash,
    require,
    verify_password,
)
from accompaniment.domain.enums import Role
from accompaniment.domain.errors import PermissionDenied

OAXACA = "20"
TLAXCALA = "29"

ROLES = (Role.PUBLIC, Role.SECRETARIAT, Role.SPECIALIST, Role.WORKING_GROUP, Role.ADMIN)

# DESIGN §6, written out by hand (not read from access.MATRIX) so a change to the matrix must be made twice.
# "yes": in any state; "own": a secretariat, in its own state only; "no": never.
# Columns:                              public  secretariat  specialist  working_group  admin
EXPECTED: dict[Action, tuple[str, str, str, str, str]] = {
    Action.READ_PUBLISHED: ("yes", "yes", "yes", "yes", "yes"),
    # §6 says "R own" for a secretariat, but the public may read these fields of every state, and signing in
    # must never show less than signing out.
    Action.READ_ACTIVITY: ("yes", "yes", "yes", "yes", "yes"),
    Action.READ_PRIVATE_NOTES: ("no", "no", "yes", "yes", "yes"),
    Action.READ_PERSONAL_DATA: ("no", "own", "yes", "yes", "yes"),
    Action.READ_MILESTONE_DETAIL: ("no", "own", "yes", "yes", "yes"),
    Action.WRITE_ACTIVITY: ("no", "no", "yes", "no", "yes"),
    Action.WRITE_MILESTONE: ("no", "own", "yes", "no", "yes"),
    Action.WRITE_STRUCTURE: ("no", "no", "yes", "no", "yes"),
    Action.CHANGE_PHASE: ("no", "no", "yes", "yes", "yes"),
    Action.ASSESS_COMMITMENT: ("no", "no", "no", "yes", "yes"),
    Action.MANAGE_ACCOUNTS: ("no", "no", "no", "no", "yes"),
    Action.IMPORT_DATA: ("no", "no", "yes", "no", "yes"),
    Action.BACKUP: ("no", "no", "no", "no", "yes"),
    Action.READ_AUDIT: ("no", "no", "no", "yes", "yes"),
    Action.RESTORE_ARCHIVED: ("no", "no", "no", "no", "yes"),
}


def actor_for(role: Role) -> Actor:
    if role == Role.SECRETARIAT:
        return Actor(role, state_code=OAXACA, username="sec-oaxaca")
    return Actor(role, username=role.value)


def test_the_expected_table_covers_every_action():
    assert set(EXPECTED) == set(Action)


@pytest.mark.parametrize("action", list(Action), ids=str)
@pytest.mark.parametrize("role", ROLES, ids=str)
def test_allowed_matches_the_design_matrix(role, action):
    rule = EXPECTED[action][ROLES.index(role)]
    actor = actor_for(role)
    for state in (None, OAXACA, TLAXCALA):
        expected = rule == "yes" or (rule == "own" and state == actor.state_code)
        assert allowed(actor, action, state) is expected, (role, action, state)


@pytest.mark.parametrize(
    "action", [Action.WRITE_MILESTONE, Action.READ_PERSONAL_DATA, Action.READ_MILESTONE_DETAIL]
)
def test_secretariat_may_act_on_its_own_state_and_not_another(action):
    oaxaca = Actor(Role.SECRETARIAT, state_code=OAXACA)
    assert allowed(oaxaca, action, OAXACA)
    assert not allowed(oaxaca, action, TLAXCALA)
    assert not allowed(oaxaca, action, None)


def test_secretariat_without_a_state_may_act_on_no_state():
    unbound = Actor(Role.SECRETARIAT, state_code=None)
    assert not allowed(unbound, Action.WRITE_MILESTONE, OAXACA)
    assert not allowed(unbound, Action.WRITE_MILESTONE, None)


def test_secretariat_may_not_read_private_notes_even_of_its_own_state():
    assert not allowed(Actor(Role.SECRETARIAT, state_code=OAXACA), Action.READ_PRIVATE_NOTES, OAXACA)


def test_the_public_actor_is_public():
    assert PUBLIC.is_public
    assert not actor_for(Role.ADMIN).is_public


def test_require_passes_silently_when_allowed():
    require(Actor(Role.SECRETARIAT, state_code=OAXACA), Action.WRITE_MILESTONE, OAXACA)


def test_require_raises_permission_denied_with_a_message_for_a_person():
    with pytest.raises(PermissionDenied) as caught:
        require(Actor(Role.SECRETARIAT, state_code=OAXACA), Action.WRITE_MILESTONE, TLAXCALA)
    assert caught.value.params == {"action": "write_milestone"}
    assert caught.value.message("es") == "No tiene permiso para esta acción."
    assert caught.value.message("en") == "You do not have permission for this action."


# passwords


@pytest.fixture(scope="module")
def stored_hash() -> str:
    return hash_password("correct horse battery staple")


def test_password_hash_is_argon2id(stored_hash):
    assert stored_hash.startswith("$argon2id$")
    assert "correct horse" not in stored_hash


def test_verify_password_accepts_the_right_password(stored_hash):
    assert verify_password(stored_hash, "correct horse battery staple") is True


def test_verify_password_rejects_a_wrong_password(stored_hash):
    assert verify_password(stored_hash, "Correct horse battery staple") is False


def test_verify_password_against_no_hash_is_false():
    assert verify_password(None, "an unknown user never matches this") is False
    assert verify_password(None, "anything") is False


def test_verify_password_against_a_damaged_hash_is_false():
    assert verify_password("not-a-hash", "anything") is False


def test_the_same_password_hashes_differently_each_time(stored_hash):
    assert hash_password("correct horse battery staple") != stored_hash


def test_a_fresh_hash_needs_no_rehash(stored_hash):
    assert needs_rehash(stored_hash) is False


# ---- an account that must change its password (issue 17, item 8) --------------------------------------------------


@pytest.mark.parametrize("action", list(Action))
def test_an_actor_that_must_change_its_password_may_take_no_action_and_is_told_why(action: Action) -> None:
    actor = Actor(Role.ADMIN, username="nueva.admin", user_id=7, must_change_password=True)

    assert not allowed(actor, action, OAXACA)
    with pytest.raises(PermissionDenied) as refused:
        require(actor, action, OAXACA)
    assert refused.value.key == "errors.must_change_password"
    assert "contraseña" in refused.value.message("es")
    assert "password" in refused.value.message("en")
