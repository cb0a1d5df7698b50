"""``python -m benchmarks.run`` (``make bench``): build the scale sets, measure ratios a–f side by side, print the
table and write ``benchmarks/results.md``.

  a  each page's run (AppTest, cold read cache), largest scale ÷ smallest            target ≤ 2.0
  b  the overview's data layer ÷ its own SQL statements on the bare driver (largest) target ≤ 1.25
  c  naive pandas (whole tables by DuckDB's .df()) ÷ the data layer (largest)       target ≥ 10
  d  peak memory rendering every page, largest scale ÷ smallest                      target ≤ 1.5
  e  store write throughput ÷ plain inserts', one thread each (smallest scale)     target ≥ 0.5
  f  cold start to the overview's charts drawn ÷ a one-line Streamlit app (smallest) target ≤ 1.6
  g  the co-creation scorecard's reads, largest scale ÷ smallest (issue 16)         target ≤ 2.0
  h  evidence files (issue 12): upload and download ÷ copying the file, peak memory ÷ its size (own section)

a–c and g also run on PostgreSQL when a server URL is given (``--postgres-url``, default ACCOMPANIMENT_TEST_POSTGRES_URL),
each scale loaded into a schema of its own. Each module's docstring states its method (what is timed, against
what floor, and where the clock stops): datalayer and bare (b, c), apprun (a), writes (e), coldstart (f).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import (
    app_figures,
    coldstart,
    databases,
    datalayer,
    downloads,
    evidence_files,
    report,
    scorecard,
    writes,
)
from benchmarks.databases import Built
from benchmarks.stats import Figure

RESULTS = Path(__file__).resolve().parent / "results.md"
LETTERS = "abcdefgi"  # i: every download against DuckDB COPY (issue 18, benchmarks/downloads.py)


def _say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)  # fmt: skip
    parser.add_argument("--scales", default="1,10,100", help="comma-separated demo scales (default 1,10,100)")
    parser.add_argument("--repeat", type=int, default=5, help="repetitions per figure (default 5)")
    parser.add_argument("--postgres-url", default=os.environ.get("ACCOMPANIMENT_TEST_POSTGRES_URL", ""),
                        help="SQLAlchemy URL of a PostgreSQL database for a–c ('' to skip)")  # fmt: skip
    parser.add_argument("--skip", default="", help="letters of ratios not to measure, e.g. 'f'")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the results (Markdown)")
    parser.add_argument(
        "--work", type=Path, default=databases.WORK, help="folder for the DuckDB sets and logs"
    )
    parser.add_argument("--pg-prefix", default="bench", help="PostgreSQL schemas are <prefix>_s<scale>")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the scale sets even if up to date")
    args = parser.parse_args(argv)
    args.scales = sorted({int(s) for s in args.scales.split(",") if s.strip()})
    if len(args.scales) < 2:
        parser.error("give at least two scales: ratios compare the largest with the smallest")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def _built(built: Built) -> str:
    took = "reused (unchanged)" if built.build_seconds is None else f"built in {built.build_seconds:.0f} s"
    return f"{built.backend} scale {built.scale}: {took}"


def measure(args: argparse.Namespace, run: report.Run) -> list[Figure]:
    wanted = set(LETTERS) - set(args.skip)
    args.work.mkdir(parents=True, exist_ok=True)
    backends: dict[str, list[Built]] = {}
    _say(f"building the DuckDB sets {args.scales} in {args.work}")
    backends["duckdb"] = [databases.duckdb_set(s, args.work, args.rebuild) for s in args.scales]
    if args.postgres_url and wanted & set("abcg"):
        _say("building the PostgreSQL sets")
        try:
            backends["postgres"] = [
                databases.postgres_set(args.postgres_url, s, args.rebuild, args.pg_prefix)
                for s in args.scales
            ]
        except Exception as exc:  # noqa: BLE001 - report it and go on with DuckDB
            run.notes.append(
                f"PostgreSQL not measured: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
            )
    elif not args.postgres_url:
        run.notes.append("PostgreSQL not measured: no --postgres-url and no ACCOMPANIMENT_TEST_POSTGRES_URL")
    run.builds = [_built(b) for sets in backends.values() for b in sets]

    figures: list[Figure] = []
    for sets in backends.values():
        if wanted & set("bc"):
            _say(f"b, c on {sets[-1].backend} scale {sets[-1].scale}")
            b, c = datalayer.measure(sets[-1], args.repeat)
            figures += [f for f in (b, c) if f.key in wanted]
        if "a" in wanted:
            _say(f"a on {sets[-1].backend}: every page at scales {args.scales}")
            figures += app_figures.page_figures(sets, args.repeat, args.work)
        if "g" in wanted:
            _say(f"g on {sets[-1].backend}: the scorecard's reads at scales {args.scales}")
            figures += scorecard.measure(sets, args.repeat)
    duck = backends["duckdb"]
    if "d" in wanted:
        _say("d: peak memory")
        figures.append(app_figures.memory_figure(duck[0], duck[-1], args.repeat, args.work))
    if "e" in wanted:
        _say("e: write throughput")
        figures.append(writes.measure(duck[0], args.repeat))
    if "i" in wanted:
        _say("i: every download, time and peak memory")
        figures += downloads.measure(duck, args.repeat)
    if "f" in wanted:
        _say("f: cold start in Chromium")
        figures.append(coldstart.measure(duck[0], args.repeat, args.work))
    return sorted(
        figures, key=lambda f: (f.key, f.backend.startswith("postgres"))
    )  # stable: pages stay in order


def main(argv: list[str] | None = None) -> list[Figure]:
    args = parse(argv)
    run = report.Run(started=datetime.now(UTC), scales=args.scales, repeat=args.repeat)
    run.load = (report.load_average(), "")
    figures = measure(args, run)
    run.finished = datetime.now(UTC)
    run.load = (run.load[0], report.load_average())
    print(report.text_table(figures))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    report.write_results(args.out, figures, run)
    if "h" not in args.skip:  # its own section of results.md, after the table (benchmarks/evidence_files.py)
        evidence_files.run_into(args.out, args.work)
    _say(f"wrote {args.out} in {(run.finished - run.started).total_seconds() / 60:.1f} minutes")
    return figures


if __name__ == "__main__":
    main()
