"""The benchmark keeps working: ``python -m benchmarks.run`` at a tiny scale, once, writes a full table.

No figure is checked against its target here (timings on a shared test machine prove nothing); what is checked is
that every ratio was measured, that the three ways of computing the overview agreed (else b and c report an
error), and that the results file lists every row. The cold start in a browser (f) is left out: it starts
Streamlit several times and is covered by running the benchmark itself.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from benchmarks import databases, downloads, run
from benchmarks.apprun import pages

PG_URL = os.environ.get("ACCOMPANIMENT_TEST_POSTGRES_URL", "")


@pytest.mark.slow
def test_the_benchmark_runs_at_tiny_scale_and_writes_every_row(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    out = tmp_path / "results.md"
    prefix = f"smoke_{uuid.uuid4().hex[:8]}"
    argv = ["--scales", "1,2", "--repeat", "1", "--skip", "f", "--out", str(out), "--work", str(tmp_path / "work"),
            "--postgres-url", PG_URL, "--pg-prefix", prefix]  # fmt: skip
    try:
        figures = run.main(argv)
    finally:
        if PG_URL:
            databases.drop_postgres_sets(PG_URL, [1, 2], prefix)

    backends = ["duckdb", "postgres"] if PG_URL else ["duckdb"]
    page_names = [Path(page).stem for page in pages()]
    keys = sorted((f.key, f.backend.split(" ")[0]) for f in figures)
    expected = sorted(
        [("a", backend) for backend in backends for _ in page_names]
        + [(letter, backend) for letter in "bc" for backend in backends]
        + [("g", backend) for backend in backends for _ in ("state", "comparison")]
        + [("d", "duckdb"), ("e", "duckdb")]
        + [("i", "duckdb")] * len(downloads.TITLES)
    )
    assert keys == expected
    assert [f"{f.key} {f.backend}: {f.error}" for f in figures if f.error] == []
    assert all(f.spread is not None and f.met is not None for f in figures)
    # The re-based methods (issue 18): b against the store's own statements on the bare driver connection, c
    # against DuckDB's own DataFrame reads, e one thread against one, each with its new target.
    by_key = {(f.key, f.backend.split(" ")[0]): f for f in figures}
    assert "statements on the bare connection" in by_key[("b", "duckdb")].detail
    assert by_key[("b", "duckdb")].target == ("<=", 1.25) and by_key[("c", "duckdb")].target == (">=", 10.0)
    assert "one thread each" in by_key[("e", "duckdb")].title and by_key[("e", "duckdb")].target == (
        ">=",
        0.5,
    )

    written = out.read_text(encoding="utf-8")
    table_rows = [line for line in written.splitlines() if line.startswith("| ") and " ratio " not in line]
    assert len(table_rows) == len(figures)
    for name in page_names:
        assert f"page {name} " in written
    assert "cores" in written and "GiB memory" in written
    assert "page overview" in capsys.readouterr().out


def test_writing_the_results_keeps_the_sections_that_other_commands_wrote(tmp_path: Path) -> None:
    """``make bench`` rewrites its own table and notes; the sections written by ``benchmarks.scorecard``,
    ``benchmarks.multiprocess_load`` (or by hand) stay as they were, and an old run's own sections do not."""
    from datetime import UTC, datetime

    from benchmarks import report

    out = tmp_path / "results.md"
    out.write_text(
        "# Benchmark results\n\nold table\n\n## Missed or not measured\n\n- old miss\n\n"
        "## Scorecard\n\nRatio g, measured alone.\n\n| g | row |\n\n"
        "## Several processes under load\n\n- errors: **0**\n",
        encoding="utf-8",
    )
    run_ = report.Run(started=datetime(2026, 12, 3, tzinfo=UTC), finished=datetime(2026, 12, 3, tzinfo=UTC))
    report.write_results(out, [], run_)

    written = out.read_text(encoding="utf-8")
    assert "old table" not in written and "old miss" not in written
    assert "## Scorecard\n\nRatio g, measured alone.\n\n| g | row |\n" in written
    assert "## Several processes under load\n\n- errors: **0**\n" in written
    assert written.index("## What the code does") < written.index("## Scorecard")
