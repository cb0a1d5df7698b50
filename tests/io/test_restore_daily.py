"""The automatic backup runs every day while the server runs: the per-run check is cheap and writes at most one
backup a day (an injected clock stands in for the days)."""

from __future__ import annotations

from datetime import timedelta

from accompaniment.io import backup
from tests.conftest import FIXED_NOW


def test_the_daily_backup_writes_once_a_day_while_the_app_runs(store, tmp_path, monkeypatch):
    monkeypatch.setenv("ACCOMPANIMENT_BACKUP_SIGNING_KEY", "clave-de-prueba")
    folder = tmp_path / "auto"
    now = [FIXED_NOW]
    assert backup.daily_backup(store, clock=lambda: now[0], folder=folder) is not None
    now[0] = FIXED_NOW + timedelta(hours=3)
    assert backup.daily_backup(store, clock=lambda: now[0], folder=folder) is None
    assert len(list(folder.glob("*.zip"))) == 1
    now[0] = FIXED_NOW + timedelta(days=1)
    assert backup.daily_backup(store, clock=lambda: now[0], folder=folder) is not None
    assert len(list(folder.glob("*.zip"))) == 2
