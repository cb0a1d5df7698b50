"""AppTest fixtures: each test runs the real app.py against its own copy of a DuckDB file.

The demo database is built once per test session into a template file (today fixed at 26 Nov 2026) and copied for
each test; a reference-only database (no demo) is built the same way for the empty-state tests. Streamlit's caches
live for the whole pytest process, so every test starts by clearing them and ends by disposing of the engine the
app opened, before its temporary file goes away.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from accompaniment import i18n
from accompaniment.access import Actor
from accompaniment.demo import load_demo
from accompaniment.domain.enums import Role
from accompaniment.store.database import open_store

APP = str(Path(__file__).resolve().parents[2] / "app.py")
DEMO_TODAY = date(2026, 11, 26)
TIMEOUT = 60
VIEW_PAGES = ["pages/overview.py", "pages/secretariat.py", "pages/commitments.py", "pages/agenda2030.py",
              "pages/training.py"]  # fmt: skip
WORKING_GROUP = Actor(Role.WORKING_GROUP, username="gtp")


def _build(path: Path, demo: bool) -> Path:
    store = open_store(f"duckdb:///{path}")
    try:
        if demo:
            load_demo(store, today=DEMO_TODAY)
    finally:
        store.close()
    return path


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("templates") / "demo.duckdb", demo=True)


@pytest.fixture(scope="session")
def reference_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("templates") / "reference.duckdb", demo=False)


@pytest.fixture(scope="session")
def demo_phases(demo_template: Path) -> dict[str, int]:
    """Programme state name → phase in the demo template, read through the store (not through the app)."""
    from accompaniment.access import PUBLIC
    from accompaniment.store.dashboard import state_overview

    store = open_store(f"duckdb:///{demo_template}", upgrade=False)
    try:
        states = state_overview(store, PUBLIC, today=DEMO_TODAY)
    finally:
        store.close()
    programme = states[states["programme"].astype(bool)]
    return {name: int(phase) for name, phase in zip(programme["state_name"], programme["phase"], strict=True)}


def _clear_streamlit_caches() -> None:
    st.cache_data.clear()
    st.cache_resource.clear()


def _use_copy(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "app.duckdb"
    shutil.copyfile(template, target)
    monkeypatch.setenv("ACCOMPANIMENT_DATABASE_URL", f"duckdb:///{target}")
    monkeypatch.setenv("ACCOMPANIMENT_DEMO_ON_EMPTY", "false")
    monkeypatch.setenv("ACCOMPANIMENT_AUTO_BACKUP", "false")
    return target


@pytest.fixture(autouse=True)
def clean_streamlit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Caches persist across AppTest instances in one process: start clean, and release the app's engine.

    Taking ``monkeypatch`` here makes it outlive this fixture, so the test's database URL is still set below.
    """
    _clear_streamlit_caches()
    yield
    url = os.environ.get("ACCOMPANIMENT_DATABASE_URL", "")
    if str(tmp_path) in url:
        from accompaniment.ui import context

        context._store_for(url).close()
    _clear_streamlit_caches()


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return _use_copy(demo_template, tmp_path, monkeypatch)


@pytest.fixture
def reference_db(reference_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return _use_copy(reference_template, tmp_path, monkeypatch)


def open_app(
    lang: str = "es", actor: Actor | None = None, page: str | None = None, **state: object
) -> AppTest:
    """The app after its first run (and after switching to ``page``), as ``actor`` in ``lang``.

    ``state`` presets session-state keys (a widget's key) before the first run, as a returning user would have.
    """
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["lang"] = lang
    if actor is not None:
        at.session_state["actor"] = actor
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    if page is not None:
        at.switch_page(page).run()
    return at


@pytest.fixture
def app() -> Callable[..., AppTest]:
    return open_app


def charts(at: AppTest) -> list[dict]:
    """The Vega-Lite specs the run drew."""
    return [json.loads(element.proto.spec) for element in at.get("vega_lite_chart")]


def chart_rows(at: AppTest, index: int) -> list[dict]:
    """The rows of the largest dataset of the ``index``-th chart (Streamlit ships chart data as Arrow)."""
    import pyarrow as pa

    proto = at.get("vega_lite_chart")[index].proto
    buffers = [proto.data.data, *(dataset.data.data for dataset in proto.datasets)]
    tables = [pa.ipc.open_stream(buffer).read_all() for buffer in buffers if buffer]
    return max(tables, key=lambda table: table.num_rows).to_pylist()


def table_frames(at: AppTest) -> list:
    """The DataFrames of every st.table and st.dataframe, in page order per kind (tables first)."""
    return [element.value for element in [*at.table, *at.dataframe]]


def page_text(at: AppTest) -> str:
    """Every piece of text the run produced: headings, Markdown, captions, metrics, alerts, tables, widget labels."""
    parts: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "success",
        "warning",
        "error",
    ):
        parts += [str(element.value) for element in getattr(at, kind)]
    for metric in at.metric:
        parts += [str(metric.label), str(metric.value)]
    for frame in [*at.dataframe, *at.table]:
        data = frame.value
        parts += [str(c) for c in data.columns] + [str(v) for v in data.to_numpy().ravel()]
    for widget in [*at.selectbox, *at.text_input, *at.toggle, *at.expander, *at.tabs]:
        parts.append(str(widget.label))
    return "\n".join(parts)


def missing_markers(at: AppTest) -> list[str]:
    marker = i18n.MISSING_MARKER.split("{")[0]
    return [line for line in page_text(at).splitlines() if marker in line]


def assert_rendered_cleanly(at: AppTest) -> None:
    """No exception, no error box, and no missing-catalogue-key marker anywhere on the page."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert missing_markers(at) == []


VIEWERS = {"public": None, "working_group": WORKING_GROUP}
LANGS_AND_VIEWERS = [(lang, viewer) for lang in ("es", "en") for viewer in VIEWERS]
