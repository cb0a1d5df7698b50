"""Every setting is declared once (accompaniment.settings) and documented in the README."""

from pathlib import Path

import pytest

from accompaniment import settings

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", settings.SETTINGS, ids=lambda s: s.name)
def test_every_setting_is_documented_in_the_readme(setting: settings.Setting) -> None:
    assert f"`{setting.name}`" in README


def test_an_environment_variable_overrides_a_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCOMPANIMENT_LOCKOUT_ATTEMPTS", "7")
    monkeypatch.setenv("ACCOMPANIMENT_AUTO_BACKUP", "false")

    assert settings.get("lockout_attempts") == 7
    assert settings.get("auto_backup") is False


def test_without_overrides_the_default_applies(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ACCOMPANIMENT_STALLED_SESSION_DAYS", raising=False)

    assert settings.get("stalled_session_days") == 60
