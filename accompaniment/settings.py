"""Every tunable of the tool, declared once as (name, default, help).

Values come from the environment (``ACCOMPANIMENT_<NAME>``), else ``.streamlit/secrets.toml`` for the database URL,
else the default here. Declaring them in one list lets a test check each is documented in the README.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DUCKDB_PATH = PROJECT_ROOT / "data" / "accompaniment.duckdb"


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str

    @property
    def env_var(self) -> str:
        return f"ACCOMPANIMENT_{self.name.upper()}"


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "database_url",
        f"duckdb:///{DEFAULT_DUCKDB_PATH}",
        "SQLAlchemy URL of the store (DuckDB file or PostgreSQL).",
    ),
    Setting("stalled_session_days", 60, "An STL with no dialogue session for this many days is stalled."),
    Setting("stalled_phase_months", 12, "An STL whose phase has not moved for this many months is stalled."),
    Setting("due_soon_days", 30, "A milestone due within this many days is listed as due soon."),
    Setting("lockout_attempts", 5, "Failed sign-ins in a row that lock an account."),
    Setting("lockout_minutes", 15, "How long a locked account stays locked."),
    Setting("idle_timeout_minutes", 30, "A signed-in session idle this long is signed out."),
    Setting("cache_ttl_seconds", 60, "Lifetime of an unused cached read (keyed by data version)."),
    Setting("write_retries", 5, "Attempts for a write that meets a DuckDB write-write conflict."),
    Setting("auto_backup", True, "Write a daily backup while the app runs (first page run of each day)."),
    Setting("backup_keep", 7, "How many automatic backups to keep."),
    Setting("backup_dir", str(PROJECT_ROOT / "data" / "backups"), "Folder of the automatic backups."),
    Setting(
        "backup_signing_key",
        "",
        "Secret key that signs backups (HMAC-SHA256); else [backup] signing_key in secrets.toml, else a generated "
        "key file (setting backup_key_file).",
    ),
    Setting(
        "backup_key_file",
        "",
        "File of the generated signing key, written 0600 (default: backup-signing.key beside the backup folder).",
    ),
    Setting("demo_on_empty", True, "Fill an empty default database with the demo data on first run."),
    # Reminders (issue 14, docs/reminders.md): each smtp_* also reads [smtp] <name without smtp_> in secrets.toml.
    Setting(
        "smtp_host",
        "",
        "SMTP server that sends the reminder digests (none: `accompaniment remind` sends nothing).",
    ),
    Setting("smtp_port", 587, "Port of the SMTP server."),
    Setting("smtp_starttls", True, "Upgrade the SMTP connection with STARTTLS before signing in."),
    Setting("smtp_user", "", "SMTP user name (empty: no sign-in)."),
    Setting("smtp_password", "", "SMTP password; better in [smtp] password of secrets.toml."),
    Setting("smtp_sender", "", "From address of the reminder digests."),
    Setting("app_base_url", "http://localhost:8501", "Address of the app, for the links in the digests."),
    # Evidence files of the reporting cycle (issue 12, docs/reporting.md).
    Setting(
        "evidence_max_bytes", 20 * 1024 * 1024, "Largest evidence file accepted, in bytes (default 20 MiB)."
    ),
    Setting(
        "evidence_dir",
        "",
        "Folder of the evidence files (default: <database file>-evidence/ beside a DuckDB file, data/evidence for "
        "PostgreSQL; several app processes must share one).",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def _coerce(raw: str, default: Any) -> Any:
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on", "sí", "si"}
    if isinstance(default, int):
        return int(raw)
    return raw


def _secrets_database_url() -> str | None:
    path = PROJECT_ROOT / ".streamlit" / "secrets.toml"
    if not path.exists():
        return None
    with path.open("rb") as fh:
        secrets = tomllib.load(fh)
    return secrets.get("database", {}).get("url")


def secret(section: str, key: str) -> str | None:
    """A value from ``.streamlit/secrets.toml`` (``[section] key = ...``), if that file sets it."""
    path = PROJECT_ROOT / ".streamlit" / "secrets.toml"
    if not path.exists():
        return None
    with path.open("rb") as fh:
        value = tomllib.load(fh).get(section, {}).get(key)
    return str(value) if value else None


def get(name: str) -> Any:
    """The value in force for setting ``name``."""
    setting = _BY_NAME[name]
    raw = os.environ.get(setting.env_var)
    if raw is not None and raw != "":
        return _coerce(raw, setting.default)
    if name == "database_url":
        from_secrets = _secrets_database_url()
        if from_secrets:
            return from_secrets
    if name == "backup_signing_key":
        return secret("backup", "signing_key") or setting.default
    if name.startswith("smtp_"):
        from_secrets = _secrets_value("smtp", name.removeprefix("smtp_"))
        if from_secrets is not None:  # `starttls = false` is a value too, so not secret()'s truthiness
            return _coerce(str(from_secrets), setting.default)
    return setting.default


def _secrets_value(section: str, key: str) -> Any:
    path = PROJECT_ROOT / ".streamlit" / "secrets.toml"
    if not path.exists():
        return None
    with path.open("rb") as fh:
        return tomllib.load(fh).get(section, {}).get(key)
