"""Sending mail through the SMTP server named in the settings (``smtp_*``, or ``[smtp]`` in secrets.toml).

Plain ``smtplib``: one connection per message, so one recipient's refusal or a dropped connection touches no other
recipient. With ``starttls`` on (the default) a server that does not offer STARTTLS is not used at all: the
password and the digest never cross the network in clear text.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage

from accompaniment import settings


class DeliveryFailed(Exception):
    """The SMTP server could not be reached or would not take the message; ``str()`` says which and why."""


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int = 587
    starttls: bool = True
    user: str = ""
    password: str = ""
    sender: str = ""
    timeout: float = 30.0

    @classmethod
    def from_settings(cls) -> SmtpConfig | None:
        """The configured server, or None when ``smtp_host`` is not set."""
        host = str(settings.get("smtp_host") or "").strip()
        if not host:
            return None
        return cls(
            host=host,
            port=int(settings.get("smtp_port")),
            starttls=bool(settings.get("smtp_starttls")),
            user=str(settings.get("smtp_user") or ""),
            password=str(settings.get("smtp_password") or ""),
            sender=str(settings.get("smtp_sender") or ""),
        )

    @property
    def server(self) -> str:
        return f"{self.host}:{self.port}"


def send(config: SmtpConfig, message: EmailMessage) -> None:
    """Hand ``message`` to the server; raise ``DeliveryFailed`` naming the server and its answer otherwise."""
    try:
        with smtplib.SMTP(config.host, config.port, timeout=config.timeout) as connection:
            if config.starttls:
                connection.starttls(context=ssl.create_default_context())
            if config.user:
                connection.login(config.user, config.password)
            refused = connection.send_message(message)
    except smtplib.SMTPNotSupportedError as exc:
        raise DeliveryFailed(f"{config.server}: the server does not offer STARTTLS ({exc})") from exc
    except smtplib.SMTPRecipientsRefused as exc:
        answers = "; ".join(
            f"{code} {text.decode(errors='replace')}" for code, text in exc.recipients.values()
        )
        raise DeliveryFailed(f"{config.server}: recipient refused: {answers}") from exc
    except smtplib.SMTPResponseException as exc:
        reason = (
            exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
        )
        raise DeliveryFailed(f"{config.server}: {exc.smtp_code} {reason}") from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryFailed(f"{config.server}: {exc or type(exc).__name__}") from exc
    if refused:
        raise DeliveryFailed(f"{config.server}: recipient refused: {refused}")
