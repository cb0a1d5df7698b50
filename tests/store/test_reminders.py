"""Who hears about what (issue 14): each person's pending items within their permissions, the accounts that get a
digest, their preferences and the record of what was sent. On both backends."""

from __future__ import annotations

from datetime import timedelta

import pytest

from accompaniment.access import SYSTEM, Actor
from accompaniment.domain.enums import Role
from accompaniment.domain.errors import PermissionDenied, ValidationError
from accompaniment.store import reminders
from accompaniment.store.database import Store
from accompaniment.store.users import create_user
from tests.conftest import ACTORS, OAXACA, TLAXCALA
from tests.store.builders import TODAY, add_milestone, first_commitment, log_session


def _seed(store: Store) -> dict[str, int]:
    oaxaca = add_milestone(store, description="Hito vencido de Oaxaca", due_date=TODAY - timedelta(days=5))
    tlaxcala = add_milestone(
        store,
        first_commitment(store, TLAXCALA),
        description="Hito vencido de Tlaxcala",
        due_date=TODAY - timedelta(days=2),
    )
    log_session(store)
    log_session(
        store,
        state_code=TLAXCALA,
        agreements=[{"text": "Acuerdo de Tlaxcala", "due_date": TODAY - timedelta(days=1)}],
    )
    return {"oaxaca": oaxaca, "tlaxcala": tlaxcala}


def _account(
    store: Store, username: str, role: str, state: str | None = None, email: str | None = None
) -> int:
    data = {"username": username, "display_name": username.title(), "role": role, "state_code": state}
    if email:
        data["email"] = email
    return create_user(store, SYSTEM, data, None)


def _texts(pending: reminders.PersonalPending) -> set[str]:
    return {item.title for item in reminders.digest_items(pending)}


def test_a_secretariats_pending_items_hold_its_own_state_only(store: Store) -> None:
    _seed(store)
    pending = reminders.pending_for(store, ACTORS["secretariat_own"], today=TODAY, soon_days=30)
    assert [s.state_code for s in pending.states] == [OAXACA]
    texts = _texts(pending)
    assert "Hito vencido de Oaxaca" in texts
    assert "Enviar la minuta a las personas integrantes" in texts  # overdue by 3 days
    assert "Convocar a una mesa de trabajo con el órgano garante" in texts  # due in 20 days
    assert "Publicar el avance en el micrositio" not in texts  # no due date: not in the digest
    assert not {"Hito vencido de Tlaxcala", "Acuerdo de Tlaxcala"} & texts


def test_the_specialists_pending_items_are_the_agreements_of_every_state_grouped_by_state(
    store: Store,
) -> None:
    _seed(store)
    pending = reminders.pending_for(store, ACTORS["specialist"], today=TODAY, soon_days=30)
    items = reminders.digest_items(pending)
    assert {item.kind for item in items} == {"agreement"}
    by_state = {s.state_code: {i.title for i in reminders.digest_items(pending) if i.state_code == s.state_code}
                for s in pending.states}  # fmt: skip
    assert "Acuerdo de Tlaxcala" in by_state[TLAXCALA]
    assert "Enviar la minuta a las personas integrantes" in by_state[OAXACA]


def test_the_working_groups_pending_items_cover_milestones_and_agreements_of_all_states(store: Store) -> None:
    _seed(store)
    pending = reminders.pending_for(store, ACTORS["working_group"], today=TODAY, soon_days=30)
    codes = [s.state_code for s in pending.states]
    assert OAXACA in codes and TLAXCALA in codes and len(codes) == 15
    assert codes == sorted(
        codes, key=lambda c: next(s.state_name for s in pending.states if s.state_code == c)
    )
    texts = _texts(pending)
    assert {"Hito vencido de Oaxaca", "Hito vencido de Tlaxcala", "Acuerdo de Tlaxcala"} <= texts
    assert pending.overdue >= 4  # two milestones and two agreements at least


def test_the_public_has_no_pending_items(store: Store) -> None:
    with pytest.raises(PermissionDenied):
        reminders.pending_for(store, ACTORS["public"], today=TODAY)


def test_recipients_are_the_active_accounts_with_an_email_that_keep_the_digest_on(store: Store) -> None:
    kept = _account(store, "sec-oax", "secretariat", OAXACA, "oax@example.org")
    off = _account(store, "gtp-off", "working_group", None, "off@example.org")
    _account(store, "sin-correo", "specialist")
    reminders.set_preferences(store, SYSTEM, off, weekly_digest=False, language="en")
    reminders.set_preferences(store, SYSTEM, kept, weekly_digest=True, language="en")
    found = {r.username: r for r in reminders.recipients(store, SYSTEM)}
    assert set(found) == {"sec-oax"}
    assert found["sec-oax"].email == "oax@example.org"
    assert found["sec-oax"].language == "en"
    assert found["sec-oax"].actor == Actor(
        Role.SECRETARIAT, state_code=OAXACA, username="sec-oax", user_id=kept
    )


def test_an_account_without_preferences_gets_the_digest_in_spanish(store: Store) -> None:
    user_id = _account(store, "esp", "specialist", None, "esp@example.org")
    assert reminders.preferences(store, SYSTEM, user_id) == reminders.Preferences(True, "es")
    [recipient] = reminders.recipients(store, SYSTEM)
    assert recipient.language == "es"


def test_an_account_knows_whether_it_has_an_email_to_receive_the_digest(store: Store) -> None:
    with_mail = _account(store, "esp", "specialist", None, "esp@example.org")
    without = _account(store, "gtp", "working_group")
    assert reminders.has_email(store, Actor(Role.SPECIALIST, username="esp", user_id=with_mail), with_mail)
    assert not reminders.has_email(store, SYSTEM, without)
    with pytest.raises(PermissionDenied):
        reminders.has_email(store, Actor(Role.WORKING_GROUP, username="gtp", user_id=without), with_mail)


def test_preferences_are_set_by_the_account_itself_or_an_admin_and_checked(store: Store) -> None:
    user_id = _account(store, "esp", "specialist", None, "esp@example.org")
    myself = Actor(Role.SPECIALIST, username="esp", user_id=user_id)
    reminders.set_preferences(store, myself, user_id, weekly_digest=False, language="en")
    assert reminders.preferences(store, myself, user_id) == reminders.Preferences(False, "en")
    with pytest.raises(PermissionDenied):
        reminders.set_preferences(store, ACTORS["working_group"], user_id, weekly_digest=True, language="es")
    with pytest.raises(ValidationError) as raised:
        reminders.set_preferences(store, myself, user_id, weekly_digest=True, language="fr")
    assert raised.value.for_field("digest_language")


def test_a_recorded_send_counts_for_its_day_only_and_keeps_its_items(store: Store) -> None:
    user_id = _account(store, "esp", "specialist", None, "esp@example.org")
    assert not reminders.already_sent(store, SYSTEM, user_id, TODAY)
    reminders.record_sent(store, SYSTEM, user_id, "esp", TODAY, ["agreement:4", "milestone:12"])
    assert reminders.already_sent(store, SYSTEM, user_id, TODAY)
    assert not reminders.already_sent(store, SYSTEM, user_id, TODAY + timedelta(days=1))
    [sent] = reminders.sends(store, SYSTEM)
    assert (sent.username, sent.digest_on, sent.items) == ("esp", TODAY, ("agreement:4", "milestone:12"))
    reminders.record_sent(store, SYSTEM, user_id, "esp", TODAY, ["agreement:4"])  # a repeat changes nothing
    assert len(reminders.sends(store, SYSTEM)) == 1


def test_only_the_system_or_an_admin_reads_recipients_and_sends(store: Store) -> None:
    for who in ("specialist", "working_group", "secretariat_own"):
        with pytest.raises(PermissionDenied):
            reminders.recipients(store, ACTORS[who])
        with pytest.raises(PermissionDenied):
            reminders.sends(store, ACTORS[who])


def test_a_later_source_of_report_deadlines_plugs_into_the_pending_items(store: Store, monkeypatch) -> None:  # noqa: ANN001
    """Reporting periods arrive with a later issue; their deadlines join the digest through DEADLINE_SOURCES."""

    def deadlines(store, actor, state_code, today, horizon):  # noqa: ANN001, ANN202
        return [reminders.DigestItem("deadline", 1, state_code, "Oaxaca", "Informe trimestral",
                                     today + timedelta(days=5), -5)]  # fmt: skip

    monkeypatch.setattr(reminders, "DEADLINE_SOURCES", [deadlines])
    pending = reminders.pending_for(store, ACTORS["secretariat_own"], today=TODAY, soon_days=30)
    assert "Informe trimestral" in _texts(pending)


@pytest.mark.parametrize(
    "who", ["secretariat_own", "secretariat_other", "specialist", "working_group", "admin"]
)
def test_the_navigations_overdue_count_equals_the_pending_items_overdue_for_each_role(
    store: Store, who: str
) -> None:
    _seed(store)
    actor = ACTORS[who]
    expected = reminders.pending_for(store, actor, today=TODAY).overdue
    assert expected > 0
    assert reminders.overdue_count(store, actor, today=TODAY) == expected
