"""One person's reminder digest as an e-mail: plain text and HTML, in the person's language.

The items come from ``store.reminders.digest_items`` (public fields only, within the person's permissions). The HTML
is a self-contained message: inline styles, no images, no scripts, no remote anything, and every piece of user text
escaped. Links go to the record's page in the app (``app_base_url`` + the page path, with the state as a query
parameter ``estado``, which the page opens: issue 13).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from urllib.parse import urlencode

from accompaniment import i18n
from accompaniment.domain.enums import Role
from accompaniment.domain.links import STATE_PARAM
from accompaniment.store.reminders import DigestItem, PersonalPending, Recipient, digest_items

PAGE_OF_KIND = {"milestone": "secretariat", "agreement": "secretariat", "deadline": "secretariat"}


@dataclass(frozen=True)
class Digest:
    subject: str
    text: str
    html: str
    items: tuple[str, ...]  # the items' keys ("milestone:12"), for the record of the send


def record_url(base_url: str, item: DigestItem) -> str:
    """The address of the item's page, the state picked by query parameter."""
    page = PAGE_OF_KIND.get(item.kind, "secretariat")
    return f"{base_url.rstrip('/')}/{page}?{urlencode({STATE_PARAM: item.state_code})}"


def situation(days_overdue: int, lang: str) -> str:
    if days_overdue > 1:
        return i18n.t("reminders.digest.overdue_by", lang, days=days_overdue)
    if days_overdue == 1:
        return i18n.t("reminders.digest.overdue_by_one", lang)
    if days_overdue == 0:
        return i18n.t("reminders.digest.due_today", lang)
    if days_overdue == -1:
        return i18n.t("reminders.digest.due_in_one", lang)
    return i18n.t("reminders.digest.due_in", lang, days=-days_overdue)


def _intro_key(role: Role) -> str:
    if role == Role.SECRETARIAT:
        return "reminders.digest.intro_secretariat"
    if role == Role.SPECIALIST:
        return "reminders.digest.intro_specialist"
    return "reminders.digest.intro_all"


def _details(item: DigestItem, lang: str) -> list[str]:
    parts = []
    if item.commitment_code:
        parts.append(
            i18n.t(
                "reminders.digest.commitment", lang, code=item.commitment_code, title=item.commitment_title
            )
        )
    if item.session_held_on is not None:
        parts.append(
            i18n.t("reminders.digest.session", lang, date=i18n.format_date(item.session_held_on, lang))
        )
    if item.responsible_organization:
        parts.append(i18n.t("reminders.digest.responsible", lang, organization=item.responsible_organization))
    parts.append(i18n.t("reminders.digest.due_on", lang, date=i18n.format_date(item.due_date, lang)))
    return parts


def render_digest(recipient: Recipient, pending: PersonalPending, base_url: str) -> Digest | None:
    """The digest of ``pending`` for ``recipient``, or None when nothing is overdue or due soon."""
    items = digest_items(pending)
    if not items:
        return None
    lang = recipient.language if recipient.language in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE
    overdue = sum(1 for i in items if i.overdue)
    soon = len(items) - overdue
    subject = i18n.t("reminders.digest.subject", lang, overdue=overdue, soon=soon)
    greeting = i18n.t("reminders.digest.greeting", lang, name=recipient.display_name)
    intro = i18n.t(_intro_key(pending.role), lang, days=pending.soon_days)
    summary = i18n.t("reminders.digest.summary", lang, overdue=overdue, soon=soon)
    footer = i18n.t("reminders.digest.footer", lang)
    link_text = i18n.t("reminders.digest.link", lang)

    states: dict[str, list[DigestItem]] = {}
    for item in items:
        states.setdefault(item.state_name, []).append(item)

    text_lines = [greeting, "", intro, summary, ""]
    html_parts = [
        '<div style="font-family:sans-serif;font-size:15px;line-height:1.4;color:#1a1a1a;max-width:680px">',
        f"<p>{html.escape(greeting)}</p>",
        f"<p>{html.escape(intro)}<br><strong>{html.escape(summary)}</strong></p>",
    ]
    for state_name, state_items in states.items():
        text_lines += [state_name, "=" * len(state_name)]
        html_parts.append(f'<h2 style="font-size:18px;margin:20px 0 6px">{html.escape(state_name)}</h2><ul>')
        for item in state_items:
            kind = i18n.t(f"reminders.digest.{item.kind}", lang)
            when = situation(item.days_overdue, lang)
            details = " · ".join(_details(item, lang))
            url = record_url(base_url, item)
            text_lines += [f"- [{when}] {kind}: {item.title}", f"  {details}", f"  {link_text}: {url}", ""]
            colour = "#a50e0e" if item.overdue else "#5f4b00"
            html_parts.append(
                f'<li style="margin-bottom:8px"><strong style="color:{colour}">{html.escape(when)}</strong> · '
                f"{html.escape(kind)}: {html.escape(item.title)}<br>"
                f'<span style="color:#444">{html.escape(details)}</span><br>'
                f'<a href="{html.escape(url, quote=True)}">{html.escape(link_text)}</a></li>'
            )
        html_parts.append("</ul>")
    text_lines += ["--", footer]
    html_parts.append(f'<p style="color:#555;font-size:13px">{html.escape(footer)}</p></div>')
    return Digest(
        subject=subject,
        text="\n".join(text_lines) + "\n",
        html=f'<!DOCTYPE html><html lang="{lang}"><body>{"".join(html_parts)}</body></html>',
        items=tuple(i.key for i in items),
    )


def digest_message(
    recipient: Recipient, digest: Digest, sender: str, now: datetime | None = None
) -> EmailMessage:
    """The e-mail of ``digest``: one recipient, plain text with an HTML alternative, marked auto-generated."""
    message = EmailMessage()
    message["Subject"] = digest.subject
    message["From"] = sender
    message["To"] = formataddr((recipient.display_name, recipient.email))
    message["Date"] = format_datetime(now or datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message["Content-Language"] = recipient.language
    message.set_content(digest.text)
    message.add_alternative(digest.html, subtype="html")
    return message
