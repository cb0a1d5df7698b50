"""``accompaniment remind``: send each person the digest of what they follow up, once a day at most.

For every active account with an e-mail that keeps the digest on: skip it if today's digest was already recorded;
read its pending items as that person (``store.reminders.pending_for``, within its permissions); send nothing when
nothing is due; otherwise send, and record the send right after the server took it, in a transaction of its own.
A refusal or an unreachable server is reported for that recipient, records nothing, and so is retried on the next
run; whatever was sent before stays recorded. Meant for cron or a systemd timer (docs/reminders.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage

from accompaniment import settings
from accompaniment.access import SYSTEM, Actor
from accompaniment.io.digest import digest_message, render_digest
from accompaniment.io.mailer import DeliveryFailed, SmtpConfig, send
from accompaniment.store import reminders
from accompaniment.store.database import Store

SENT, ALREADY_SENT, NOTHING_DUE, FAILED, DRY_RUN = "sent", "already_sent", "nothing_due", "failed", "dry_run"


@dataclass(frozen=True)
class Outcome:
    username: str
    email: str
    status: str
    items: int = 0
    error: str = ""
    message: EmailMessage | None = None


def run_reminders(
    store: Store,
    config: SmtpConfig | None,
    *,
    today: date | None = None,
    dry_run: bool = False,
    username: str | None = None,
    base_url: str | None = None,
    actor: Actor = SYSTEM,
    deliver: Callable[[SmtpConfig, EmailMessage], None] = send,
) -> list[Outcome]:
    """Send (or, ``dry_run``, only compose) today's digests; one outcome per recipient, by username."""
    today = today or store.today()
    base_url = base_url or str(settings.get("app_base_url"))
    sender = (config.sender if config and config.sender else "") or "monitor@localhost"
    outcomes = []
    for recipient in reminders.recipients(store, actor, username=username):
        if not dry_run and reminders.already_sent(store, actor, recipient.user_id, today):
            outcomes.append(Outcome(recipient.username, recipient.email, ALREADY_SENT))
            continue
        pending = reminders.pending_for(store, recipient.actor, today=today)
        digest = render_digest(recipient, pending, base_url)
        if digest is None:
            outcomes.append(Outcome(recipient.username, recipient.email, NOTHING_DUE))
            continue
        message = digest_message(recipient, digest, sender)
        if dry_run:
            outcomes.append(
                Outcome(recipient.username, recipient.email, DRY_RUN, len(digest.items), message=message)
            )
            continue
        if config is None:
            outcomes.append(
                Outcome(
                    recipient.username,
                    recipient.email,
                    FAILED,
                    len(digest.items),
                    error="no SMTP server configured (setting smtp_host)",
                )
            )
            continue
        try:
            deliver(config, message)
        except DeliveryFailed as exc:
            outcomes.append(
                Outcome(recipient.username, recipient.email, FAILED, len(digest.items), error=str(exc))
            )
            continue
        reminders.record_sent(store, actor, recipient.user_id, recipient.username, today, list(digest.items))
        outcomes.append(Outcome(recipient.username, recipient.email, SENT, len(digest.items)))
    return outcomes
