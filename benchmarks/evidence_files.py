"""``python -m benchmarks.evidence_files`` (also run by ``make bench``): evidence-file upload and download (issue 12)
against copying the same file on disk, and the upload's peak memory against the file's size.

Method: a DuckDB store in the work folder; a file of ``--mb`` MiB (default 20, a PDF header and random bytes, new
bytes each repetition so the store cannot skip it as already kept). Each repetition times, one right after the
other, ``shutil.copyfile`` of the file (the floor: the disk and the page cache doing nothing else), the upload
(``store_evidence_file``: stream in 1 MiB chunks, SHA-256, type by content, row, rename) and the download
(``open_evidence_file``: permission, hash check over the whole file, then the chunks read to the end). Ratios are
per repetition (upload ÷ copy, download ÷ copy); the medians are reported with min and max. Peak memory is
tracemalloc's peak during one upload ÷ the file's size: an upload that held the file in memory would be ≥ 1.

Targets: upload ≤ 6 × copy, download ≤ 4 × copy (both hash every byte, about 1 GB/s here, which a copy does not;
the upload also writes its row and audit entry), peak memory ≤ 0.25
of the file. The section it writes into benchmarks/results.md ("## Evidence files") is a list, kept by the other
commands' runs.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

from accompaniment.access import SYSTEM
from accompaniment.store.database import open_store
from accompaniment.store.evidence_files import open_evidence_file, store_evidence_file

HEADING = "## Evidence files (issue 12)"
TARGETS = {"upload": 6.0, "download": 4.0, "memory": 0.25}
_MIB = 1024 * 1024


@dataclass(frozen=True)
class EvidenceFigures:
    size_bytes: int
    repeat: int
    copy_seconds: list[float]
    upload_ratios: list[float]
    download_ratios: list[float]
    upload_mb_s: float
    download_mb_s: float
    copy_mb_s: float
    peak_memory_ratio: float

    @property
    def met(self) -> dict[str, bool]:
        return {
            "upload": statistics.median(self.upload_ratios) <= TARGETS["upload"],
            "download": statistics.median(self.download_ratios) <= TARGETS["download"],
            "memory": self.peak_memory_ratio <= TARGETS["memory"],
        }


def _write_source(path: Path, size: int) -> None:
    with path.open("wb") as out:
        out.write(b"%PDF-1.7\n")
        left = size - 9
        while left > 0:
            block = os.urandom(min(left, _MIB))
            out.write(block)
            left -= len(block)


def _drain(chunks) -> int:  # noqa: ANN001 - an iterator of bytes
    return sum(len(chunk) for chunk in chunks)


def measure(size_mb: float = 20, repeat: int = 3, work: Path | None = None) -> EvidenceFigures:
    """Run the repetitions in ``work`` (a temporary folder of its own is best) and return the figures."""
    work = Path(work or Path(__file__).resolve().parent / ".work" / "evidence")
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    os.environ["ACCOMPANIMENT_EVIDENCE_DIR"] = str(work / "files")
    size = int(size_mb * _MIB)
    store = open_store(f"duckdb:///{work / 'evidence-bench.duckdb'}")
    copies, uploads, downloads = [], [], []
    try:
        for index in range(repeat):
            source = work / f"source-{index}.pdf"
            _write_source(source, size)
            started = time.perf_counter()
            shutil.copyfile(source, work / "copy.pdf")
            copies.append(time.perf_counter() - started)
            with source.open("rb") as stream:
                started = time.perf_counter()
                info = store_evidence_file(store, SYSTEM, "20", f"acta-{index}.pdf", stream)
                uploads.append(time.perf_counter() - started)
            started = time.perf_counter()
            _, chunks = open_evidence_file(store, SYSTEM, info.id)
            assert _drain(chunks) == size
            downloads.append(time.perf_counter() - started)
            (work / "copy.pdf").unlink()
        source = work / "source-memory.pdf"
        _write_source(source, size)
        tracemalloc.start()
        try:
            with source.open("rb") as stream:
                store_evidence_file(store, SYSTEM, "20", "acta-memoria.pdf", stream)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    finally:
        store.close()
        os.environ.pop("ACCOMPANIMENT_EVIDENCE_DIR", None)
    megabytes = size / 1e6
    return EvidenceFigures(
        size_bytes=size,
        repeat=repeat,
        copy_seconds=copies,
        upload_ratios=[u / c for u, c in zip(uploads, copies, strict=True)],
        download_ratios=[d / c for d, c in zip(downloads, copies, strict=True)],
        upload_mb_s=megabytes / statistics.median(uploads),
        download_mb_s=megabytes / statistics.median(downloads),
        copy_mb_s=megabytes / statistics.median(copies),
        peak_memory_ratio=peak / size,
    )


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} (min {min(values):.2f}, max {max(values):.2f}, n={len(values)})"


def section(figures: EvidenceFigures) -> str:
    """The Markdown section for results.md (a list, so it never reads as a row of the main table)."""
    met = {name: "met" if ok else "MISSED" for name, ok in figures.met.items()}
    return "\n".join(
        [
            HEADING,
            "",
            f"A {figures.size_bytes / _MIB:.0f} MiB file, {figures.repeat} repetitions, DuckDB store "
            "(method: benchmarks/evidence_files.py).",
            "",
            f"- upload ÷ copy on disk: {_spread(figures.upload_ratios)}, target ≤ {TARGETS['upload']:g}: "
            f"{met['upload']} ({figures.upload_mb_s:.0f} MB/s against {figures.copy_mb_s:.0f} MB/s)",
            f"- download ÷ copy on disk: {_spread(figures.download_ratios)}, target ≤ {TARGETS['download']:g}: "
            f"{met['download']} ({figures.download_mb_s:.0f} MB/s against {figures.copy_mb_s:.0f} MB/s)",
            f"- upload peak memory ÷ file size: {figures.peak_memory_ratio:.3f}, target ≤ {TARGETS['memory']:g}: "
            f"{met['memory']}",
        ]
    )


def write_section(path: Path, text: str) -> None:
    """Put ``text`` in results.md in place of an older copy of the section, keeping everything else."""
    previous = path.read_text(encoding="utf-8") if path.exists() else ""
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.S | re.M)
    kept = pattern.sub("", previous).rstrip("\n")
    path.write_text((kept + "\n\n" if kept else "") + text + "\n", encoding="utf-8")


def run_into(results: Path, work: Path, size_mb: float = 20, repeat: int = 3) -> str:
    """Measure, print and write the section (what ``benchmarks.run`` calls after its own table)."""
    text = section(measure(size_mb, repeat, work / "evidence"))
    print(text)
    write_section(results, text)
    return text


def main(argv: list[str] | None = None) -> None:
    from benchmarks.run import RESULTS

    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.evidence_files", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--mb", type=float, default=20, help="file size in MiB (default 20)")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions (default 3)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="results file to write the section into")
    parser.add_argument("--work", type=Path, default=Path(__file__).resolve().parent / ".work")
    args = parser.parse_args(argv)
    run_into(args.out, args.work, args.mb, args.repeat)
    print(f"wrote the section into {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
