"""A restore is all or nothing on both backends: a backup whose manifest checks out but whose rows break a
constraint is refused with a message naming the table and column, and every table keeps its rows."""

from __future__ import annotations

import hashlib
import hmac
import json
import sys
import zipfile
from pathlib import Path

import pytest

from accompaniment import cli
from accompaniment.access import SYSTEM
from accompaniment.domain.errors import ValidationError
from accompaniment.io import backup
from accompaniment.store import snapshot


def _break_a_milestone(path: Path, target: Path) -> None:
    """Progress 150 on the first milestone, with the manifest's hash recomputed and signed again with the key."""
    with zipfile.ZipFile(path) as old:
        entries = {name: old.read(name) for name in old.namelist()}
    lines = entries["tables/milestone.jsonl"].decode().splitlines(keepends=True)
    row = json.loads(lines[0])
    row["progress"] = 150
    row["status"] = "in_progress"
    lines[0] = json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n"
    data = "".join(lines).encode()
    entries["tables/milestone.jsonl"] = data
    manifest = json.loads(entries[backup.MANIFEST])
    for table in manifest["tables"]:
        if table["name"] == "milestone":
            table["sha256"] = hashlib.sha256(data).hexdigest()
    entries[backup.MANIFEST] = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
    entries[backup.SIGNATURE] = hmac.new(
        backup.signing_key(), entries[backup.MANIFEST], hashlib.sha256
    ).hexdigest()
    with zipfile.ZipFile(target, "w") as new:
        for name, content in entries.items():
            new.writestr(name, content)


@pytest.fixture
def bad_backup(seeded, tmp_path, monkeypatch) -> Path:
    store, _ = seeded
    monkeypatch.setenv("ACCOMPANIMENT_BACKUP_DIR", str(tmp_path / "backups"))
    backup.write_backup(store, SYSTEM, tmp_path / "good.zip")
    _break_a_milestone(tmp_path / "good.zip", tmp_path / "bad.zip")
    return tmp_path / "bad.zip"


def test_a_failed_restore_leaves_every_table_as_it_was(seeded, bad_backup):
    store, _ = seeded
    before = snapshot.row_counts(store, SYSTEM)
    assert before["app_user"] or before["audit_entry"]
    with pytest.raises(ValidationError) as refused:
        backup.restore_backup(store, SYSTEM, bad_backup, replace=True)
    problem = refused.value.problems[0]
    assert problem.field == "milestone.progress"
    assert "milestone" in refused.value.message("es") and "progress" in refused.value.message("es")
    assert snapshot.row_counts(store, SYSTEM) == before


def test_the_command_line_refuses_a_bad_backup_with_a_message_and_no_traceback(
    seeded, store_url, bad_backup, monkeypatch, capsys
):
    monkeypatch.setattr(
        sys, "argv", ["accompaniment", "restore", str(bad_backup), "--replace", "--database-url", store_url]
    )
    with pytest.raises(SystemExit) as exited:
        cli.main()
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert "milestone" in err and "progress" in err
    assert "Traceback" not in err
