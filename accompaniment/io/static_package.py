"""The public open-data package at a stable URL (issue 13): ``/app/static/open-data/datapackage.json`` and its CSVs.

A script or a data portal harvests the data without clicking, so the package lives in the app's static folder
(``server.enableStaticServing``). It is rebuilt when the data version (store/data_version.py) differs from the one
it was built at, which is every write and the first run after a start. A reader never sees a half-written package:
each build goes into a new folder (``open-data-builds/<database>-v<version>-<random>``), and the published name
``open-data`` is a symbolic link swapped onto it with one ``os.replace``, which is atomic on POSIX. The previous build
is kept for a reader that fetched the descriptor just before the swap; older ones are removed. Everything here is
gitignored and built as the public sees the data (``io.datapackage`` always reads as ``access.PUBLIC``).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import threading
import uuid
from pathlib import Path

from accompaniment import i18n
from accompaniment.store.database import Store

DESCRIPTOR = (
    "datapackage.json"  # io.datapackage.DESCRIPTOR; that module is imported only to build (a light start)
)
PUBLISHED = "open-data"  # the folder name in the URL: /app/static/open-data/...
BUILDS = "open-data-builds"
URL_PATH = f"app/static/{PUBLISHED}"
KEEP_BUILDS = 2  # the current one and the one a reader may still be reading
_BUILD_NAME = re.compile(r"(?P<database>[0-9a-f]{12})-v(?P<version>[0-9]+)-[0-9a-f]{8}")
_publishing = (
    threading.Lock()
)  # one build at a time in this process; a run finding it busy waits, then re-checks


def static_dir(main_script: Path) -> Path:
    """Where Streamlit serves ``/app/static/`` from: the ``static`` folder beside the main script."""
    return Path(main_script).resolve().parent / "static"


def package_urls(base_url: str) -> dict[str, str]:
    """The stable addresses of the package, for the data package page and docs/open-data.md."""
    base = f"{base_url.rstrip('/')}/{URL_PATH}"
    return {"descriptor": f"{base}/{DESCRIPTOR}", "folder": f"{base}/"}


def _database_key(store: Store) -> str:
    """A short name of the database (its URL without the password), so processes on one database share builds."""
    url = store.engine.url.render_as_string(hide_password=True)
    return hashlib.sha256(url.encode()).hexdigest()[:12]


def published_build(folder: Path) -> str | None:
    """The name of the build ``open-data`` points to, or None when nothing is published."""
    link = folder / PUBLISHED
    try:
        return Path(os.readlink(link)).name
    except OSError:
        return None


def is_current(store: Store, folder: Path, version: int) -> bool:
    """Whether the published package was built from this database at this data version."""
    match = _BUILD_NAME.fullmatch(published_build(folder) or "")
    return bool(match) and match["database"] == _database_key(store) and int(match["version"]) == version


def publish(store: Store, folder: Path, version: int, lang: str = i18n.DEFAULT_LANGUAGE) -> Path:
    """Build the package in a new folder, then point ``open-data`` at it in one atomic step. Returns the build."""
    from accompaniment.io.datapackage import write_datapackage

    builds = folder / BUILDS
    name = f"{_database_key(store)}-v{int(version)}-{uuid.uuid4().hex[:8]}"
    build = builds / name
    build.mkdir(parents=True)
    try:
        write_datapackage(store, build, lang)
        temporary = folder / f".{PUBLISHED}-{uuid.uuid4().hex[:8]}"
        os.symlink(Path(BUILDS) / name, temporary, target_is_directory=True)
        os.replace(temporary, folder / PUBLISHED)
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    _prune(builds, keep={name})
    return build


def refresh(store: Store, folder: Path, version: int) -> bool:
    """Publish unless the package is current; True if it built. A run that finds another building waits for it
    and then checks again: skipping would leave a write's package unpublished until some later run."""
    if is_current(store, folder, version) or not _publishing.acquire(timeout=120):
        return False
    try:
        if is_current(store, folder, version):
            return False
        publish(store, folder, version)
        return True
    finally:
        _publishing.release()


def _prune(builds: Path, keep: set[str]) -> None:
    """Remove all but the newest ``KEEP_BUILDS`` builds (by modification time), never one in ``keep``."""
    found = sorted(
        (p for p in builds.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime_ns, reverse=True
    )
    for old in found[KEEP_BUILDS:]:
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)
