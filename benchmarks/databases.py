"""The benchmark's databases: the demo set at each scale, on DuckDB (files under ``benchmarks/.work``) and on
PostgreSQL (one schema per scale).

A database is rebuilt only when something that decides its content changed: the scale, the anchor date, the demo
and reference code, the schema and its migrations, the reference CSVs. That fingerprint is kept beside the DuckDB
file (``scale_N.json``) and as the comment of the PostgreSQL schema, so a second run does not wait minutes to
rebuild identical data; ``--rebuild`` forces it.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, text

from accompaniment.demo import load_demo
from accompaniment.settings import PROJECT_ROOT
from accompaniment.store.database import open_store
from accompaniment.store.schema import metadata

DEMO_TODAY = date(2026, 11, 26)  # the anchor of every benchmark database (and of the tests' demo set)
WORK = Path(__file__).resolve().parent / ".work"
_CONTENT_SOURCES = [
    "accompaniment/demo.py",
    "accompaniment/store/bulk.py",
    "accompaniment/store/reference.py",
    "accompaniment/store/schema.py",
    "accompaniment/store/migrations/versions",
    "data",
]


@dataclass(frozen=True)
class Built:
    """One scale set on one backend: its URL and how long it took to build (None when reused)."""

    backend: str
    scale: int
    url: str
    build_seconds: float | None


def fingerprint(scale: int) -> str:
    digest = hashlib.sha256(f"scale={scale};today={DEMO_TODAY.isoformat()}".encode())
    for name in _CONTENT_SOURCES:
        path = PROJECT_ROOT / name
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in {".py", ".csv"}) if path.is_dir() \
            else [path]  # fmt: skip
        for file in files:
            digest.update(str(file.relative_to(PROJECT_ROOT)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def _load(url: str, scale: int) -> None:
    store = open_store(url, clock=lambda: _anchor_now())
    try:
        load_demo(store, scale=scale, today=DEMO_TODAY)
    finally:
        store.close()


def _anchor_now():  # noqa: ANN202 - datetime
    from datetime import datetime

    return datetime(DEMO_TODAY.year, DEMO_TODAY.month, DEMO_TODAY.day, 12, 0, 0)


def duckdb_set(scale: int, work: Path = WORK, rebuild: bool = False) -> Built:
    """The DuckDB file of ``scale``, built unless an identical one is already there."""
    work.mkdir(parents=True, exist_ok=True)
    path = work / f"scale_{scale}.duckdb"
    stamp = work / f"scale_{scale}.json"
    wanted = fingerprint(scale)
    if (
        not rebuild
        and path.exists()
        and stamp.exists()
        and json.loads(stamp.read_text())["fingerprint"] == wanted
    ):
        return Built("duckdb", scale, f"duckdb:///{path}", None)
    stamp.unlink(missing_ok=True)
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)
    started = time.perf_counter()
    _load(f"duckdb:///{path}", scale)
    took = time.perf_counter() - started
    stamp.write_text(json.dumps({"fingerprint": wanted, "scale": scale, "build_seconds": round(took, 1)}))
    return Built("duckdb", scale, f"duckdb:///{path}", took)


def schema_url(base: str, schema: str) -> str:
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options=-csearch_path%3D{schema}"


def postgres_set(base: str, scale: int, rebuild: bool = False, prefix: str = "bench") -> Built:
    """The PostgreSQL schema ``<prefix>_s<scale>`` on the server of ``base``, built unless identical."""
    schema = f"{prefix}_s{scale}"
    wanted = fingerprint(scale)
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            found = connection.execute(
                text("SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = :name"),
                {"name": schema},
            ).first()
            if found is not None and found[0] == wanted and not rebuild:
                return Built("postgres", scale, schema_url(base, schema), None)
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        started = time.perf_counter()
        _load(schema_url(base, schema), scale)
        took = time.perf_counter() - started
        with admin.connect() as connection:
            connection.execute(text(f"COMMENT ON SCHEMA \"{schema}\" IS '{wanted}'"))
            # Fresh statistics and visibility maps, as a server's autovacuum gives a table that has been loaded
            # for a while (without them PostgreSQL will not answer from an index alone).
            for table in metadata.sorted_tables:
                connection.execute(text(f'VACUUM ANALYZE "{schema}"."{table.name}"'))
        return Built("postgres", scale, schema_url(base, schema), took)
    finally:
        admin.dispose()


def drop_postgres_sets(base: str, scales: list[int], prefix: str) -> None:
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            for scale in scales:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{prefix}_s{scale}" CASCADE'))
    finally:
        admin.dispose()


def scratch_copy(built: Built, name: str, work: Path = WORK) -> str:
    """A throw-away copy of a DuckDB set (for writes, and for a second process: a DuckDB file has one owner)."""
    source = Path(built.url.removeprefix("duckdb:///"))
    target = work / "scratch" / f"{name}.duckdb"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.with_name(target.name + ".wal").unlink(missing_ok=True)
    shutil.copyfile(source, target)
    return f"duckdb:///{target}"
