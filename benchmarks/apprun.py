"""Pages run in AppTest, in a process of their own (ratios a and d).

``python -m benchmarks.apprun times --out FILE --repeat N URL…`` runs every page the admin sees against each
database in turn, side by side: for each repetition and page, one run per database, each with a cold read cache
(``st.cache_data.clear()``), and writes the seconds as JSON. ``python -m benchmarks.apprun memory --out FILE URL``
renders every page once against one database and writes the process's peak resident memory (``VmHWM``, the
high-water mark ``ru_maxrss`` reports, see ``peak_resident_kib``).

A process of its own because Streamlit's caches, the AppTest patch and the DuckDB file locks should not leak into
the caller (the benchmark command, or pytest running the smoke test). Like a deployed server, and unlike AppTest's
default, every run executes app.py (sign-in check, navigation) and then the page: ``run_app_py_every_time`` of
the app tests. The store's clock is pinned to the benchmark's anchor date, so the figures do not drift by day.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

APP = Path(__file__).resolve().parents[1] / "app.py"
TIMEOUT = 300


def _prepare() -> None:
    """Settings, the clock and the app.py-every-run patch (imports Streamlit, so only in the child process)."""
    os.environ["ACCOMPANIMENT_DEMO_ON_EMPTY"] = "false"
    os.environ["ACCOMPANIMENT_AUTO_BACKUP"] = "false"
    from streamlit.runtime.scriptrunner import script_runner

    from accompaniment.store.database import open_store
    from accompaniment.ui import context
    from benchmarks.databases import DEMO_TODAY

    def run_app_py(main_script_path: str) -> None:
        code = compile(Path(main_script_path).read_text(encoding="utf-8"), main_script_path, "exec")
        exec(code, sys.modules["__main__"].__dict__)  # noqa: S102 - what Streamlit does with app.py

    noon = datetime(DEMO_TODAY.year, DEMO_TODAY.month, DEMO_TODAY.day, 12, 0, 0)
    script_runner._mpa_v1 = run_app_py
    context.open_store = lambda url: open_store(url, clock=lambda: noon)


def pages() -> list[str]:
    """Every page an admin's menu lists (all of them but the link-only ones), in navigation order."""
    from accompaniment.access import Actor
    from accompaniment.domain.enums import Role
    from accompaniment.ui.navigation import menu_pages_for

    admin = Actor(Role.ADMIN, username="benchmark")
    return [spec.path for spec in menu_pages_for(admin) if (APP.parent / spec.path).is_file()]


def _open(url: str) -> Any:
    """An AppTest signed in as an admin, after its first run (which opens the store: not timed)."""
    from streamlit.testing.v1 import AppTest

    from accompaniment.access import Actor
    from accompaniment.domain.enums import Role

    os.environ["ACCOMPANIMENT_DATABASE_URL"] = url
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.session_state["lang"] = "es"
    at.session_state["actor"] = Actor(Role.ADMIN, username="benchmark")
    at.run()
    return at


def _run_page(at: Any, url: str, page: str) -> float:
    """Seconds of one run of ``page`` (app.py and the page) with a cold read cache; raises if the page failed."""
    import streamlit as st

    os.environ["ACCOMPANIMENT_DATABASE_URL"] = url
    st.cache_data.clear()
    at.switch_page(page)
    started = time.perf_counter()
    at.run()
    took = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"{page} raised: {at.exception[0].value}"[:500])
    if at.error:
        raise RuntimeError(f"{page} showed an error: {at.error[0].value}"[:500])
    return took


def times(urls: list[str], repeat: int) -> dict[str, dict[str, list[float]]]:
    """page → url → seconds per repetition, the databases alternating run by run."""
    _prepare()
    apps = {url: _open(url) for url in urls}
    names = pages()
    for page in names:  # warm-up: imports and first-use costs are not what a page costs
        for url, at in apps.items():
            _run_page(at, url, page)
    result: dict[str, dict[str, list[float]]] = {page: {url: [] for url in urls} for page in names}
    for index in range(repeat):
        for page in names:
            order = urls if index % 2 == 0 else list(reversed(urls))
            for url in order:
                result[page][url].append(_run_page(apps[url], url, page))
    return result


def peak_resident_kib() -> int:
    """This process's peak resident memory, in KiB.

    Linux's ``ru_maxrss`` keeps, across ``exec``, the peak of the process image it replaced: for a child started
    by a large parent (this benchmark, after loading the scale-100 tables into pandas) it reports the parent's
    size at fork time, not the child's. ``VmHWM`` is the same high-water mark for the current image only; where
    there is no /proc, ``ru_maxrss`` it is.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def memory(url: str) -> dict[str, Any]:
    """Render every page once; the peak resident memory of this process, in MiB."""
    _prepare()
    at = _open(url)
    for page in pages():
        _run_page(at, url, page)
    return {"url": url, "peak_mib": peak_resident_kib() / 1024,
            "ru_maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["times", "memory"])
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    if args.mode == "times":
        found: Any = times(args.urls, args.repeat)
    else:
        found = memory(args.urls[0])
    args.out.write_text(json.dumps(found))


if __name__ == "__main__":
    main()
