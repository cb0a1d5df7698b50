"""Ratio f: cold start to the overview with its charts drawn, against the same for a one-line Streamlit app.

Method: each trial starts ``streamlit run`` on a free port, waits for the health endpoint, opens the page in
headless Chromium (Playwright) and stops the clock when the first script run has finished and what a visitor came
for is on screen: for the app, the overview with every one of its charts drawn (``CHARTS`` Vega-Lite charts, each
with its SVG marks: the map, progress by state, phases, activity by month), not merely its first headline
figure; for the one-line app, its line. The time runs from starting the
process, so it holds Python's imports, opening the store (migrations check, reference data) and the first page.
The browser is launched once, before the trials; each trial gets a fresh browser context.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from statistics import median

from benchmarks.databases import WORK, Built, scratch_copy
from benchmarks.stats import Figure, seconds

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path(os.environ.get("ACCOMPANIMENT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TITLE = "cold start to the overview's charts drawn ÷ the same for a one-line Streamlit app"
TARGET = ("<=", 1.6)
CHARTS = 4  # the overview's charts on first load (the scorecard comparison is drawn on request)
ONE_LINE_APP = 'import streamlit as st\nst.write("Hola")\n'
# What any app pays to show the overview's kinds of elements, without the app: the data stack imported, then six
# metrics, four Altair charts each with its numbers (a grid and a CSV button) in an expander, three grids and a
# table, on constant data of the overview's sizes. No store, no sign-in, no translations, no queries.
SAME_ELEMENTS_APP = """\
import altair as alt
import duckdb  # noqa: F401 - imported as the app imports it
import pandas as pd
import sqlalchemy  # noqa: F401
import streamlit as st

st.set_page_config(page_title="Monitor STL", layout="wide")
with st.sidebar:
    st.radio("Idioma", ["Español", "English"])
    st.text_input("Usuario")
    st.button("Entrar")
st.title("Panorama nacional")
columns = st.columns(3)
for index in range(6):
    columns[index % 3].metric(f"Cifra {index}", index * 10)
tiles = pd.DataFrame({"col": [i % 8 for i in range(32)], "row": [i // 8 for i in range(32)],
                      "value": [3.0 * i for i in range(32)], "name": [f"Estado {i}" for i in range(32)]})
for chart in range(4):
    st.altair_chart(alt.Chart(tiles).mark_rect().encode(x="col:O", y="row:O", color="value:Q",
                                                         tooltip=["name", "value"]), theme=None)
    with st.expander("Cifras"):
        st.dataframe(tiles, hide_index=True)
        st.download_button("CSV", tiles.to_csv(), f"cifras{chart}.csv", on_click="ignore")
for _ in range(3):
    st.dataframe(tiles.head(10), hide_index=True)
st.table(tiles.head(15), hide_index=True)
"""
RENDERED = "[data-testid='stApp'][data-test-script-state='notRunning']"
METRIC = "[data-testid='stMetric']"
# Every chart on the page drawn (Vega's SVG renderer has put its marks in), and at least CHARTS of them.
CHARTS_DRAWN = (
    "n => { const charts = document.querySelectorAll(\"[data-testid='stVegaLiteChart']\");"
    " return charts.length >= n && [...charts].every(c => c.querySelector('svg.marks g')); }"
)
TIMEOUT_S = 180


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, deadline: float) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("streamlit did not become healthy in time")


def trial(browser, script: Path, content: str, env: dict[str, str], log: Path, charts: int = 0) -> float:  # noqa: ANN001
    """Seconds from starting ``streamlit run script`` to ``content`` rendered after the first script run, and
    ``charts`` charts drawn."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]  # fmt: skip
    with log.open("a") as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            _wait_healthy(url, process, time.monotonic() + TIMEOUT_S)
            context = browser.new_context()
            try:
                page = context.new_page()
                page.goto(url, timeout=TIMEOUT_S * 1000)
                page.wait_for_selector(content, timeout=TIMEOUT_S * 1000)
                page.wait_for_selector(RENDERED, timeout=TIMEOUT_S * 1000)
                if charts:
                    page.wait_for_function(CHARTS_DRAWN, arg=charts, timeout=TIMEOUT_S * 1000)
                took = time.perf_counter() - started
            finally:
                context.close()
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    return took


def measure(built: Built, repeat: int, work: Path = WORK) -> Figure:
    figure = Figure("f", TITLE, f"{built.backend} (scale {built.scale})", TARGET)
    if not CHROMIUM.exists():
        figure.error = f"not measured: no Chromium at {CHROMIUM} (apt-get install chromium)"
        return figure
    from playwright.sync_api import sync_playwright

    one_line = work / "one_line_app.py"
    one_line.write_text(ONE_LINE_APP, encoding="utf-8")
    same_elements = work / "same_elements_app.py"
    same_elements.write_text(SAME_ELEMENTS_APP, encoding="utf-8")
    env = {**os.environ, "ACCOMPANIMENT_DATABASE_URL": scratch_copy(built, "coldstart"),
           "ACCOMPANIMENT_DEMO_ON_EMPTY": "false", "ACCOMPANIMENT_AUTO_BACKUP": "false"}  # fmt: skip
    log = work / "coldstart.log"
    log.write_text("")
    app_times: list[float] = []
    one_line_times: list[float] = []
    same_elements_times: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            sides = [
                (app_times, ROOT / "app.py", METRIC, CHARTS),
                (one_line_times, one_line, "text=Hola", 0),
                (same_elements_times, same_elements, METRIC, CHARTS),
            ]
            for _, script, content, charts in sides:  # warm-up: the disk cache, not a cold process
                trial(browser, script, content, env, log, charts)
            for index in range(repeat):
                for times, script, content, charts in sides if index % 2 == 0 else list(reversed(sides)):
                    times.append(trial(browser, script, content, env, log, charts))
        finally:
            browser.close()
    figure.ratios = [a / b for a, b in zip(app_times, one_line_times, strict=True)]
    streamlit_only, data_stack = import_floor(repeat)
    floor = (median(one_line_times) + median(data_stack) - median(streamlit_only)) / median(one_line_times)
    elements = median(same_elements_times) / median(one_line_times)
    figure.detail = (
        f"app {seconds(app_times)}, one-line app {seconds(one_line_times)}; imports: Streamlit "
        f"{seconds(streamlit_only)}, with the data stack {seconds(data_stack)}, so the floor for any app drawing "
        f"with that stack is {floor:.2f}; the overview's kinds of elements on constant data, without the app, "
        f"{seconds(same_elements_times)}: {elements:.2f}"
    )
    return figure


DATA_STACK = "import streamlit, pandas, numpy, pyarrow, altair, sqlalchemy, duckdb"


def import_floor(repeat: int) -> tuple[list[float], list[float]]:
    """Seconds a fresh Python takes to import Streamlit alone, and Streamlit with the libraries the overview
    cannot draw without: what any app with this data stack pays before its own first line."""
    alone: list[float] = []
    stack: list[float] = []
    for _ in range(repeat):
        for times, statement in ((alone, "import streamlit"), (stack, DATA_STACK)):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", statement], check=True, cwd=ROOT)
            times.append(time.perf_counter() - started)
    return alone, stack
