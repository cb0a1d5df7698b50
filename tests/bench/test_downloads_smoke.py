"""The download benchmark (ratio i, issue 18) keeps working: every download measured at a tiny scale, once.

No figure is checked against its target (timings on a shared test machine prove nothing): what is checked is that
every figure was measured, with no error, and that every table was timed in both formats beside its floor.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import databases, downloads


@pytest.mark.slow
def test_every_download_is_measured_at_tiny_scale_beside_its_floor(tmp_path: Path) -> None:
    sets = [databases.duckdb_set(scale, tmp_path / "work") for scale in (1, 2)]
    figures = downloads.measure(sets, repeat=1)
    assert [f"{f.title}: {f.error}" for f in figures if f.error] == []
    assert {f.title for f in figures} == set(downloads.TITLES.values())
    assert all(f.key == "i" and f.spread is not None and f.met is not None for f in figures)
    timed = downloads._run_child(sets[0], repeat=1)
    assert {"package", "pdf national", "pdf state", "csv dialogue_session", "xlsx dialogue_session"} <= set(
        timed
    )
    assert all(timed[k]["floor"] is not None for k in timed if k.startswith(("csv ", "xlsx ", "package")))
    assert all(value["peak_kb"] > 0 for value in timed.values())
