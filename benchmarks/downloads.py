"""Ratio i: every download (issue 18), in time and peak memory, against the floor of DuckDB writing the same tables.

Downloads: the data package zip, each table as CSV and as XLSX (as the administrator reads them: every table, every
column), the national and the state (Oaxaca) PDF reports. The floor of a table is DuckDB's own
``COPY (the entity's SELECT, unformatted) TO`` a file: the same rows and columns, written by the database with no
formatting, neutralisation or spreadsheet; the floor of the package is that COPY of its tables plus zipping the
files COPY wrote (``zipfile``, deflate). Each scale runs in a child process of its own (``--child``), which times
each download and its floor back to back and reads the process's peak resident memory (VmHWM, reset through
``/proc/self/clear_refs`` before each download) — so a download's peak is the whole process's, imports and database
buffers included, as ratio d counts it.

Figures: the package ÷ its floor (target ≤ 3), all CSVs ÷ their floors (≤ 3), all XLSX ÷ the same floors (≤ 3),
the PDF reports at the largest scale ÷ the smallest (≤ 2, as a page), and the largest peak memory of any download at
the largest scale ÷ that at the smallest (≤ 1.5). ``python -m benchmarks.downloads`` prints them alone.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

from benchmarks.databases import DEMO_TODAY, Built
from benchmarks.stats import Figure

TITLES = {
    "package": "data package zip ÷ DuckDB COPY of its tables plus zipping them",
    "csv": "every table as CSV ÷ DuckDB COPY of the same SELECT",
    "xlsx": "every table as XLSX ÷ DuckDB COPY of the same SELECT",
    "pdf": "national and state PDF reports",
    "memory": "peak resident memory of any download (VmHWM)",
}
TARGETS = {
    "package": ("<=", 3.0),
    "csv": ("<=", 3.0),
    "xlsx": ("<=", 3.0),
    "pdf": ("<=", 2.0),
    "memory": ("<=", 1.5),
}


def _peak_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))


def _reset_peak() -> None:
    with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
        refs.write("5")


def _child(url: str, repeat: int) -> dict[str, Any]:
    """Every download on the store at ``url``: seconds (median), floor seconds, peak KiB after a reset."""
    import statistics

    from accompaniment.access import PUBLIC, Actor
    from accompaniment.domain.enums import Role
    from accompaniment.io import datapackage, export, report, report_national
    from accompaniment.io.report_common import default_period
    from accompaniment.store.bulk_export import _compiled
    from accompaniment.store.database import open_store
    from accompaniment.store.export_queries import (
        PUBLIC_ENTITIES,
        entity_select,
        exportable_entities,
        is_one_select,
    )

    store = open_store(url, upgrade=False, clock=lambda: __import__("datetime").datetime(2026, 11, 26, 12))
    admin = Actor(Role.ADMIN, username="bench")
    start, end = default_period(DEMO_TODAY)
    folder = Path(tempfile.mkdtemp(prefix="bench-downloads-"))

    def floor(actor: Actor, names: list[str], zipped: bool = False) -> None:
        paths = []
        with store.read() as connection:
            for name in names:
                if not is_one_select(name):
                    continue
                sql, params = _compiled(connection, entity_select(actor, name, DEMO_TODAY)[0])
                path = folder / f"floor_{name}.csv"
                connection.exec_driver_sql(f"COPY ({sql}) TO '{path}' (FORMAT csv, HEADER true)", params)
                paths.append(path)
        if zipped:
            with zipfile.ZipFile(folder / "floor.zip", "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for path in paths:
                    archive.write(path, path.name)

    def to_file(write: Any) -> None:
        with open(folder / "download", "wb") as out:
            write(out)

    downloads: dict[str, tuple[Any, Any]] = {
        "package": (
            lambda: to_file(lambda out: datapackage.write_datapackage_zip(store, out)),
            lambda: floor(PUBLIC, list(PUBLIC_ENTITIES), zipped=True),
        ),
        "pdf national": (lambda: report_national.national_report(store, admin, start, end, "es"), None),
        "pdf state": (lambda: report.state_report(store, admin, "20", start, end, "es"), None),
    }
    for name in exportable_entities(admin):
        for fmt in ("csv", "xlsx"):
            downloads[f"{fmt} {name}"] = (
                lambda n=name, f=fmt: to_file(lambda out: export.write_entity(store, admin, n, f, out)),
                lambda n=name: floor(admin, [n]),
            )
    results: dict[str, Any] = {}
    for key, (download, floored) in downloads.items():
        _reset_peak()
        times, floors = [], []
        for index in range(repeat):
            for side in (
                ((download, times), (floored, floors))
                if index % 2 == 0
                else ((floored, floors), (download, times))
            ):
                work, samples = side
                if work is None:
                    continue
                began = time.perf_counter()
                work()
                samples.append(time.perf_counter() - began)
            if index == 0:
                peak = _peak_kb()
        results[key] = {
            "seconds": statistics.median(times),
            "floor": statistics.median(floors) if floors else None,
            "peak_kb": peak,
        }
    store.close()
    return results


def _run_child(built: Built, repeat: int) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.downloads", "--child", built.url, "--repeat", str(repeat)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _sum(results: dict[str, Any], prefix: str, field: str) -> float:
    return sum(v[field] or 0.0 for k, v in results.items() if k.startswith(prefix))


def measure(sets: list[Built], repeat: int) -> list[Figure]:
    """Ratio i on the smallest and largest DuckDB set (the floor is DuckDB's COPY)."""
    small, large = sets[0], sets[-1]
    figures = {
        key: Figure("i", TITLES[key], f"{large.backend} (scale {large.scale})", TARGETS[key])
        for key in TARGETS
    }
    figures["pdf"].backend = figures["memory"].backend = f"{large.backend} ({large.scale} ÷ {small.scale})"
    try:
        low, high = _run_child(small, repeat), _run_child(large, repeat)
    except Exception as exc:  # noqa: BLE001 - reported in the table, as the other ratios do
        for figure in figures.values():
            figure.error = f"{type(exc).__name__}: {str(getattr(exc, 'stderr', '') or exc)[-300:]}"
        return list(figures.values())
    for key in ("package", "csv", "xlsx"):
        prefix = "package" if key == "package" else f"{key} "
        took, floor = _sum(high, prefix, "seconds"), _sum(high, prefix, "floor")
        figures[key].ratios = [took / floor]
        figures[
            key
        ].detail = (
            f"{took:.2f} s, floor {floor:.2f} s; scale {small.scale}: {_sum(low, prefix, 'seconds'):.2f} s"
        )
    slowest = max((k for k in high if k.startswith(("csv ", "xlsx "))), key=lambda k: high[k]["seconds"])
    figures["xlsx"].detail += f"; slowest download {slowest}: {high[slowest]['seconds']:.2f} s"
    figures["pdf"].ratios = [_sum(high, "pdf", "seconds") / _sum(low, "pdf", "seconds")]
    figures["pdf"].detail = " · ".join(
        f"{k}: {low[k]['seconds'] * 1000:.0f} ms → {high[k]['seconds'] * 1000:.0f} ms"
        for k in low
        if k.startswith("pdf")
    )
    worst = max(high, key=lambda k: high[k]["peak_kb"])
    figures["memory"].ratios = [high[worst]["peak_kb"] / max(v["peak_kb"] for v in low.values())]
    figures["memory"].detail = (
        f"largest at scale {large.scale}: {worst}, {high[worst]['peak_kb'] / 1024:.0f} MiB; "
        f"at scale {small.scale}: {max(v['peak_kb'] for v in low.values()) / 1024:.0f} MiB"
    )
    return list(figures.values())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.downloads", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    parser.add_argument("--scales", default="1,100")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.child, args.repeat)))
        return
    from benchmarks import databases, report

    work = args.work or databases.WORK
    scales = sorted({int(s) for s in args.scales.split(",")})
    print(report.text_table(measure([databases.duckdb_set(s, work) for s in scales], args.repeat)))


if __name__ == "__main__":
    main()
