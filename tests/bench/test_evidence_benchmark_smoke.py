"""The evidence-file benchmark keeps working (issue 12): at a small size it measures upload, download and copy, and
writes its section into the results file without touching the other sections. No timing is checked (a shared
test machine proves nothing); the peak memory is, because it does not depend on the machine's speed: an upload that
held the file in memory would reach its size."""

from __future__ import annotations

from pathlib import Path

from benchmarks import evidence_files


def test_the_evidence_benchmark_measures_every_figure_and_writes_its_section(tmp_path: Path) -> None:
    results = tmp_path / "results.md"
    results.write_text(
        "## Scorecard\n\nkept\n\n## Evidence files (issue 12)\n\nold figures\n", encoding="utf-8"
    )

    figures = evidence_files.measure(size_mb=8, repeat=2, work=tmp_path / "work")
    evidence_files.write_section(results, evidence_files.section(figures))

    written = results.read_text(encoding="utf-8")
    assert len(figures.upload_ratios) == len(figures.download_ratios) == 2
    assert figures.upload_mb_s > 0 and figures.download_mb_s > 0 and figures.copy_mb_s > 0
    assert figures.peak_memory_ratio < 0.5
    assert "## Scorecard\n\nkept" in written and "old figures" not in written
    assert written.count(evidence_files.HEADING) == 1
    assert "upload ÷ copy on disk" in written and "upload peak memory ÷ file size" in written
