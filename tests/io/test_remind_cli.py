"""``accompaniment remind`` as cron would run it: settings from the environment, a real SMTP server on 127.0.0.1,
one line per recipient, exit code 1 when any recipient failed (so cron mails the operator)."""

from __future__ import annotations

from pathlib import Path

import pytest

from accompaniment import settings
from accompaniment.store.database import open_store
from tests.conftest import FIXED_NOW
from tests.io.cli_support import run_main
from tests.io.smtp_server import free_port, smtp_server
from tests.io.test_remind import _seed

DAY = FIXED_NOW.date().isoformat()


@pytest.fixture
def smtp():  # noqa: ANN201
    with smtp_server() as running:
        yield running


@pytest.fixture
def url(tmp_path: Path) -> str:
    database = f"duckdb:///{tmp_path / 'remind.duckdb'}"
    store = open_store(database, clock=lambda: FIXED_NOW)
    _seed(store)
    store.close()
    return database


def _remind(url: str, port: int, *args: str, monkeypatch: pytest.MonkeyPatch, capsys) -> tuple[int, str, str]:  # noqa: ANN001
    smtp = {"smtp_host": "127.0.0.1", "smtp_port": str(port), "smtp_starttls": "false",
            "smtp_sender": "monitor@example.org"}  # fmt: skip
    result = run_main(
        url, "remind", "--today", DAY, *args, monkeypatch=monkeypatch, capsys=capsys, settings=smtp
    )
    return result.code, result.out, result.err


def test_remind_sends_each_digest_once_and_prints_a_line_per_recipient(
    url, smtp, monkeypatch, capsys
) -> None:  # noqa: ANN001
    handler, controller = smtp
    code, out, _ = _remind(url, controller.port, monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0
    assert sorted(line.split(":")[0] for line in out.splitlines()) == ["sent"] * 4
    assert len(handler.messages) == 4
    code, out, _ = _remind(url, controller.port, monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0 and len(handler.messages) == 4
    assert all(line.startswith("already_sent: ") for line in out.splitlines())


def test_remind_dry_run_to_one_user_prints_the_message_and_sends_nothing(
    url, smtp, monkeypatch, capsys
) -> None:  # noqa: ANN001
    handler, controller = smtp
    code, out, _ = _remind(
        url, controller.port, "--dry-run", "--to", "sec-oax", monkeypatch=monkeypatch, capsys=capsys
    )
    assert code == 0
    assert out.startswith("dry_run: sec-oax <oaxaca@example.org>")
    assert "Subject: Monitor STL" in out and "To: Sec-Oax <oaxaca@example.org>" in out
    assert handler.messages == []


def test_remind_exits_with_an_error_per_recipient_when_the_server_is_down(url, monkeypatch, capsys) -> None:  # noqa: ANN001
    code, out, err = _remind(url, free_port(), monkeypatch=monkeypatch, capsys=capsys)
    assert code == 1
    assert len([line for line in err.splitlines() if line.startswith("failed: ")]) == 4
    assert "Traceback" not in out + err


def test_smtp_settings_fall_back_to_the_smtp_section_of_the_secrets(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text(
        '[smtp]\nhost = "mail.example.org"\nport = 2525\nstarttls = false\nuser = "u"\npassword = "p"\n'
        'sender = "monitor@example.org"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(settings, "PROJECT_ROOT", tmp_path)
    for name in ("HOST", "PORT", "STARTTLS", "USER", "PASSWORD", "SENDER"):
        monkeypatch.delenv(f"ACCOMPANIMENT_SMTP_{name}", raising=False)
    from accompaniment.io.mailer import SmtpConfig

    config = SmtpConfig.from_settings()
    assert config == SmtpConfig("mail.example.org", 2525, False, "u", "p", "monitor@example.org")
