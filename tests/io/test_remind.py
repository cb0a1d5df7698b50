"""Issue 14: ``accompaniment remind`` sends each person a digest of what is due and overdue, through a real SMTP
server the tests start on 127.0.0.1 (aiosmtpd): recipients, content per role, permission boundaries, no second
send the same day, and what happens when the server refuses or is down. Both backends."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from accompaniment.access import SYSTEM
from accompaniment.io import remind
from accompaniment.io.mailer import SmtpConfig
from accompaniment.store import reminders
from accompaniment.store.database import Store
from accompaniment.store.users import create_user
from tests.conftest import OAXACA, TLAXCALA
from tests.io.conftest import PRIVATE, TODAY, seed_record
from tests.io.smtp_server import Collecting, free_port, smtp_server
from tests.store.builders import add_milestone, log_session

BASE_URL = "https://monitor.example.org"
HOSTILE = "<script>alert('x')</script> & <img src=https://tracker.example.org/p.gif>"
ACCOUNTS = {  # username: (role, state, e-mail, language)
    "sec-oax": ("secretariat", OAXACA, "oaxaca@example.org", "es"),
    "sec-tlx": ("secretariat", TLAXCALA, "tlaxcala@example.org", "en"),
    "esp": ("specialist", None, "especialista@example.org", "es"),
    "gtp": ("working_group", None, "gtp@example.org", "es"),
}


@pytest.fixture
def smtp() -> Iterator[tuple[Collecting, Controller]]:
    with smtp_server() as running:
        yield running


def _config(port: int, starttls: bool = False) -> SmtpConfig:
    return SmtpConfig(host="127.0.0.1", port=port, starttls=starttls, sender="monitor@example.org", timeout=5)


def _seed(store: Store) -> None:
    seed_record(store)  # private markers everywhere private; Tlaxcala's agreement of 30 Jun is overdue
    add_milestone(store, description="Hito vencido de Oaxaca", due_date=TODAY - timedelta(days=4))
    log_session(store, summary=PRIVATE["summary"],
                agreements=[{"text": "Acuerdo de Oaxaca " + HOSTILE, "due_date": TODAY - timedelta(days=2)}])  # fmt: skip
    for username, (role, state, address, language) in ACCOUNTS.items():
        user_id = create_user(
            store,
            SYSTEM,
            {"username": username, "display_name": username.title(), "role": role, "state_code": state,
             "email": address},
            None,
        )  # fmt: skip
        reminders.set_preferences(store, SYSTEM, user_id, weekly_digest=True, language=language)
    create_user(store, SYSTEM, {"username": "no-mail", "display_name": "No", "role": "working_group"}, None)


def _run(store: Store, port: int, **options: object) -> list[remind.Outcome]:
    return remind.run_reminders(store, _config(port), today=TODAY, base_url=BASE_URL, **options)


def _by_recipient(messages: list[EmailMessage]) -> dict[str, EmailMessage]:
    return {str(m["To"]).split("<")[-1].rstrip(">"): m for m in messages}


def _bodies(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")  # SMTP sends CRLF
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def test_each_account_with_an_email_gets_one_digest_of_its_own_items_in_its_language(
    store: Store, smtp
) -> None:
    handler, controller = smtp
    _seed(store)
    outcomes = _run(store, controller.port)
    assert {o.username: o.status for o in outcomes} == dict.fromkeys(ACCOUNTS, "sent")
    mail = _by_recipient(handler.messages)
    assert set(mail) == {address for _, _, address, _ in ACCOUNTS.values()}  # nobody without an e-mail

    oaxaca_text, oaxaca_html = _bodies(mail["oaxaca@example.org"])
    assert "Hito vencido de Oaxaca" in oaxaca_text and "Acuerdo de Oaxaca" in oaxaca_text
    assert "Publicar el tablero" not in oaxaca_text + oaxaca_html  # Tlaxcala's agreement
    assert "Tlaxcala" not in oaxaca_text
    assert (
        f"{BASE_URL}/secretariat?estado={OAXACA}" in oaxaca_text
        and f"{BASE_URL}/secretariat?estado={OAXACA}" in oaxaca_html
    )
    assert "Pendientes" in str(mail["oaxaca@example.org"]["Subject"])

    tlaxcala_text, tlaxcala_html = _bodies(mail["tlaxcala@example.org"])
    assert "Publicar el tablero" in tlaxcala_text
    assert "Oaxaca" not in tlaxcala_text + tlaxcala_html
    assert "Overdue" in tlaxcala_text and "Pending" in str(mail["tlaxcala@example.org"]["Subject"])  # English

    specialist_text, _ = _bodies(mail["especialista@example.org"])
    assert "Publicar el tablero" in specialist_text and "Acuerdo de Oaxaca" in specialist_text
    assert "Hito vencido de Oaxaca" not in specialist_text  # the specialist's digest: agreements by state
    assert specialist_text.index("Oaxaca") < specialist_text.index("Tlaxcala")  # grouped by state

    group_text, _ = _bodies(mail["gtp@example.org"])
    for wanted in ("Hito vencido de Oaxaca", "Acuerdo de Oaxaca", "Publicar el tablero", "Piloto en Apizaco"):
        assert wanted in group_text
    oaxaca, tlaxcala = group_text.index("\nOaxaca\n======"), group_text.index("\nTlaxcala\n========")
    assert (
        oaxaca < group_text.index("Hito vencido de Oaxaca") < tlaxcala < group_text.index("Piloto en Apizaco")
    )


def test_no_digest_holds_private_notes_or_personal_data_and_the_html_is_inert(store: Store, smtp) -> None:
    handler, controller = smtp
    _seed(store)
    _run(store, controller.port)
    assert len(handler.messages) == len(ACCOUNTS)
    for message in handler.messages:
        raw = message.as_string()
        text, html = _bodies(message)
        for marker in PRIVATE.values():
            assert marker not in raw and marker not in text and marker not in html
        assert "<script>" not in html and "<img" not in html.lower()  # user text escaped, no remote images
        if "Acuerdo de Oaxaca" in text:
            assert "&lt;script&gt;" in html
    to = [str(m["To"]) for m in handler.messages]
    assert all(
        len(m.get_all("To")) == 1 and m["Cc"] is None and m["Bcc"] is None for m in handler.messages
    ), to


def test_a_second_run_the_same_day_sends_nothing_twice_and_the_record_names_the_items(
    store: Store, smtp
) -> None:
    handler, controller = smtp
    _seed(store)
    _run(store, controller.port)
    first = len(handler.messages)
    again = _run(store, controller.port)
    assert len(handler.messages) == first
    assert {o.status for o in again} == {"already_sent"}
    sent = {s.username: s for s in reminders.sends(store, SYSTEM)}
    assert set(sent) == set(ACCOUNTS)
    assert all(s.digest_on == TODAY for s in sent.values())
    assert any(item.startswith("milestone:") for item in sent["sec-oax"].items)
    assert all(item.startswith("agreement:") for item in sent["esp"].items)
    next_day = remind.run_reminders(
        store, _config(controller.port), today=TODAY + timedelta(days=1), base_url=BASE_URL
    )
    assert {o.status for o in next_day} == {"sent"}


def test_a_recipient_the_server_refuses_is_reported_and_retried_on_the_next_run(store: Store, smtp) -> None:
    handler, controller = smtp
    _seed(store)
    handler.refuse = frozenset({"tlaxcala@example.org"})
    outcomes = {o.username: o for o in _run(store, controller.port)}
    assert outcomes["sec-tlx"].status == "failed"
    assert "550" in outcomes["sec-tlx"].error
    assert {u for u, o in outcomes.items() if o.status == "sent"} == set(ACCOUNTS) - {"sec-tlx"}
    assert {s.username for s in reminders.sends(store, SYSTEM)} == set(ACCOUNTS) - {"sec-tlx"}

    handler.refuse = frozenset()
    before = len(handler.messages)
    retried = {o.username: o.status for o in _run(store, controller.port)}
    assert retried == {**dict.fromkeys(ACCOUNTS, "already_sent"), "sec-tlx": "sent"}
    assert [str(m["To"]) for m in handler.messages[before:]] == ["Sec-Tlx <tlaxcala@example.org>"]


def test_a_server_that_is_down_fails_every_recipient_and_records_nothing(store: Store) -> None:
    _seed(store)
    outcomes = _run(store, free_port())  # nothing listens there
    assert {o.status for o in outcomes} == {"failed"}
    assert all("127.0.0.1" in o.error for o in outcomes)
    assert reminders.sends(store, SYSTEM) == []


def test_a_server_without_starttls_is_not_used_when_starttls_is_required(store: Store, smtp) -> None:
    handler, controller = smtp
    _seed(store)
    outcomes = remind.run_reminders(
        store, _config(controller.port, starttls=True), today=TODAY, base_url=BASE_URL, username="esp"
    )
    assert [(o.username, o.status) for o in outcomes] == [("esp", "failed")]
    assert "STARTTLS" in outcomes[0].error
    assert handler.messages == []


def test_a_dry_run_sends_and_records_nothing_but_shows_each_message(store: Store, smtp) -> None:
    handler, controller = smtp
    _seed(store)
    outcomes = _run(store, controller.port, dry_run=True, username="sec-oax")
    assert [(o.username, o.status) for o in outcomes] == [("sec-oax", "dry_run")]
    assert "Hito vencido de Oaxaca" in outcomes[0].message.get_body(preferencelist=("plain",)).get_content()
    assert handler.messages == [] and reminders.sends(store, SYSTEM) == []


def test_a_person_with_nothing_due_gets_no_mail(store: Store, smtp) -> None:
    handler, controller = smtp
    create_user(store, SYSTEM, {"username": "sec-son", "display_name": "Sonora", "role": "secretariat",
                                "state_code": "26", "email": "sonora@example.org"}, None)  # fmt: skip
    outcomes = remind.run_reminders(
        store, _config(controller.port), today=TODAY - timedelta(days=3650), base_url=BASE_URL
    )
    assert [(o.username, o.status) for o in outcomes] == [("sec-son", "nothing_due")]
    assert handler.messages == []
