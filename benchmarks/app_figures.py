"""Ratios a and d, from the AppTest subprocess of ``benchmarks.apprun``.

a: each page's run at the largest scale ÷ at the smallest, timed side by side in one subprocess (the databases
alternate run by run). d: peak resident memory of a subprocess that renders every page at the largest scale ÷ the
same at the smallest; a fresh subprocess per sample, the two scales alternating.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from statistics import median

from benchmarks.databases import Built
from benchmarks.stats import Figure, seconds

ROOT = Path(__file__).resolve().parents[1]


def _child(args: list[str], out: Path, log: Path) -> dict:
    with log.open("a") as stream:
        done = subprocess.run([sys.executable, "-m", "benchmarks.apprun", *args, "--out", str(out)], cwd=ROOT,
                              stdout=stream, stderr=subprocess.STDOUT, check=False)  # fmt: skip
    if done.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-3:]
        raise RuntimeError(f"benchmarks.apprun failed ({done.returncode}): {' / '.join(tail)}"[:600])
    return json.loads(out.read_text())


def page_figures(sets: list[Built], repeat: int, work: Path) -> list[Figure]:
    """One figure per page: largest scale ÷ smallest scale, the middle scales shown in the detail."""
    small, large = sets[0], sets[-1]
    backend = f"{large.backend} ({large.scale} ÷ {small.scale})"
    log = work / f"apprun_{large.backend}.log"
    log.write_text("")
    try:
        found = _child(["times", "--repeat", str(repeat), *(s.url for s in sets)], work / "pages.json", log)
    except RuntimeError as exc:
        failed = Figure("a", "every page (AppTest, cold read cache)", backend, ("<=", 2.0))
        failed.error = str(exc)
        return [failed]
    figures = []
    for page, by_url in found.items():
        name = Path(page).stem
        figure = Figure("a", f"page {name} (AppTest, cold read cache)", backend, ("<=", 2.0))
        figure.ratios = [
            top / bottom for top, bottom in zip(by_url[large.url], by_url[small.url], strict=True)
        ]
        figure.detail = " · ".join(f"scale {s.scale}: {seconds(by_url[s.url])}" for s in sets)
        figures.append(figure)
    return figures


def memory_figure(small: Built, large: Built, repeat: int, work: Path) -> Figure:
    figure = Figure("d", "peak resident memory rendering every page (VmHWM)", f"{large.backend} ({large.scale} ÷ "
                    f"{small.scale})", ("<=", 1.5))  # fmt: skip
    log = work / "memory.log"
    log.write_text("")
    peaks: dict[int, list[float]] = {small.scale: [], large.scale: []}
    try:
        for index in range(repeat):
            for built in (small, large) if index % 2 == 0 else (large, small):
                found = _child(["memory", built.url], work / "memory.json", log)
                peaks[built.scale].append(found["peak_mib"])
    except RuntimeError as exc:
        figure.error = str(exc)
        return figure
    figure.ratios = [a / b for a, b in zip(peaks[large.scale], peaks[small.scale], strict=True)]
    figure.detail = (f"scale {small.scale}: {median(peaks[small.scale]):.0f} MiB · "
                     f"scale {large.scale}: {median(peaks[large.scale]):.0f} MiB")  # fmt: skip
    return figure
