"""Several app processes under load (issue 15): two ``streamlit run`` processes on one PostgreSQL database, many
simulated users at once, and afterwards a check that no acknowledged write was lost or doubled and that both
processes show the same, current figures.

Run: ``.venv/bin/python -m benchmarks.multiprocess_load [--users 10] [--seconds 180] [--postgres-url URL]`` (URL
default ``ACCOMPANIMENT_TEST_POSTGRES_URL``). Loopback only; bounded in time; a schema of its own, dropped at the end.

- Each simulated user is a Chromium browser context (its own Streamlit session) kept on one of the two apps, as a
  proxy with sticky sessions would; users alternate between the apps.
- A user's step is, at random, a page read (70 %: Panorama nacional or Secretariado, timed from navigation until the
  script run has finished and its elements are drawn) or a write (30 %: a dialogue session logged today, or a
  milestone progress update), made through the store from this process as the specialist would save it; a write is
  acknowledged when the store function returns. A milestone update refused because someone else moved the version
  (ConflictError, the form's normal answer) is counted apart, not as an error.
- The single-user figure is the same page reads by one user alone, before the load.
- Errors: a page that fails to load or shows an exception, a write that raises anything but ConflictError.
- After the run: every acknowledged session is in the database exactly once and every acknowledged update has
  exactly one milestone_update row (each carries a unique marker); then both apps, reloaded, show the database's
  current activity figure and the same headline figures.

Prints a Markdown section for benchmarks/results.md ("Several processes under load").
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, func, select, text

from accompaniment import i18n
from accompaniment.access import PUBLIC, Actor
from accompaniment.demo import load_demo
from accompaniment.domain.enums import Role
from accompaniment.domain.errors import ConflictError
from accompaniment.store import activity, commitments, dashboard
from accompaniment.store.database import Store, open_store
from accompaniment.store.schema import dialogue_session, milestone, milestone_update

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("ACCOMPANIMENT_CHROMIUM", "/usr/bin/chromium")
SPECIALIST = Actor(Role.SPECIALIST, username="carga")
PAGES = ("", "secretariat")  # Panorama nacional, Secretariado
FINISHED = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  return app !== null && app.getAttribute('data-test-script-state') === 'notRunning'
    && document.querySelectorAll("[data-testid='stSkeleton'], [data-stale='true']").length === 0
    && document.querySelector("[data-testid='stMainBlockContainer'] h1") !== null;
}"""
STATES = ("20", "29", "08", "26", "17", "19")  # Oaxaca, Tlaxcala, Chihuahua, Sonora, Morelos, Nuevo León


@dataclass
class Tally:
    page_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    sessions: list[str] = field(default_factory=list)  # markers of acknowledged sessions
    updates: list[str] = field(default_factory=list)  # markers of acknowledged milestone updates
    conflicts: int = 0
    write_ms: list[float] = field(default_factory=list)


def schema_url(base: str) -> tuple[str, str]:
    schema = f"load_{uuid.uuid4().hex[:10]}"
    with create_engine(base, isolation_level="AUTOCOMMIT").connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    return schema, f"{base}{separator}options=-csearch_path%3D{schema}"


def start_app(url: str, port: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "ACCOMPANIMENT_DATABASE_URL": url, "ACCOMPANIMENT_AUTO_BACKUP": "false",
           "ACCOMPANIMENT_BACKUP_DIR": str(log.parent / "backups")}  # fmt: skip
    return subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip


def wait_healthy(url: str, timeout: float = 120) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not become healthy")


async def read_page(page, url: str, tally: Tally | None) -> float:  # noqa: ANN001
    started = time.perf_counter()
    await page.goto(url, wait_until="domcontentloaded")
    await page.wait_for_function(FINISHED, timeout=120_000)
    elapsed = (time.perf_counter() - started) * 1000
    if await page.locator("[data-testid='stException']").count():
        raise RuntimeError(f"{url} showed an exception")
    if tally is not None:
        tally.page_ms.append(elapsed)
    return elapsed


def log_a_session(store: Store, marker: str, state_code: str) -> None:
    activity.log_session(
        store,
        SPECIALIST,
        {"state_code": state_code, "held_on": store.today(), "session_type": "working_table", "modality": "online",
         "topics": marker, "participants": {"civil_society": {"women": 2, "men": 1}}, "consensus": 4},
    )  # fmt: skip


def update_a_milestone(store: Store, marker: str, milestone_id: int) -> None:
    with store.read() as connection:
        row = connection.execute(select(milestone).where(milestone.c.id == milestone_id)).mappings().one()
    progress = min(95, int(row["progress"] or 0) + 1)
    status = row["status"] if row["status"] not in ("complete", "cancelled") else "in_progress"
    commitments.update_milestone(
        store,
        SPECIALIST,
        milestone_id,
        row["version"],
        {"progress": progress, "status": status, "note": marker},
    )


async def user(index: int, browser, app_url: str, store: Store, milestone_ids: list[int], until: float,  # noqa: ANN001
               tally: Tally) -> None:  # fmt: skip
    rng = random.Random(index)
    context = await browser.new_context(locale="es-MX", viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    step = 0
    try:
        while time.monotonic() < until:
            step += 1
            if rng.random() < 0.7:
                target = f"{app_url}/{rng.choice(PAGES)}"
                try:
                    await read_page(page, target, tally)
                except Exception as exc:  # noqa: BLE001 - counted
                    tally.errors.append(f"user {index} read {target}: {exc!s:.120}")
                continue
            marker = f"carga u{index} n{step} {uuid.uuid4().hex[:8]}"
            started = time.perf_counter()
            try:
                if rng.random() < 0.5:
                    await asyncio.to_thread(log_a_session, store, marker, rng.choice(STATES))
                    tally.sessions.append(marker)
                else:
                    await asyncio.to_thread(update_a_milestone, store, marker, rng.choice(milestone_ids))
                    tally.updates.append(marker)
                tally.write_ms.append((time.perf_counter() - started) * 1000)
            except ConflictError:
                tally.conflicts += 1
            except Exception as exc:  # noqa: BLE001 - counted
                tally.errors.append(f"user {index} write: {exc!s:.160}")
            await asyncio.sleep(rng.uniform(0.2, 1.0))  # a person's pause between actions
    finally:
        await context.close()


async def headline(page, app_url: str) -> dict[str, str]:  # noqa: ANN001
    await read_page(page, f"{app_url}/", None)
    metrics = page.locator("[data-testid='stMetric']")
    shown = {}
    for i in range(await metrics.count()):
        label = (await metrics.nth(i).locator("[data-testid='stMetricLabel']").inner_text()).strip()
        shown[label] = (await metrics.nth(i).locator("[data-testid='stMetricValue']").inner_text()).strip()
    return shown


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def main_async(args: argparse.Namespace) -> str:
    from playwright.async_api import async_playwright

    base = args.postgres_url or os.environ.get("ACCOMPANIMENT_TEST_POSTGRES_URL", "")
    if not base:
        raise SystemExit("needs --postgres-url or ACCOMPANIMENT_TEST_POSTGRES_URL")
    schema, url = schema_url(base)
    work = ROOT / "benchmarks" / ".work" / "load"
    work.mkdir(parents=True, exist_ok=True)
    store = open_store(url)
    load_demo(store)
    with store.read() as connection:
        milestone_ids = list(
            connection.execute(select(milestone.c.id).order_by(milestone.c.id).limit(40)).scalars()
        )
        sessions_before = connection.execute(select(func.count()).select_from(dialogue_session)).scalar_one()
    ports = (8611, 8612)
    apps = [start_app(url, port, work / f"app-{port}.log") for port in ports]
    app_urls = [f"http://127.0.0.1:{port}" for port in ports]
    load_start = os.getloadavg()
    started_at = datetime.now(UTC)
    try:
        for app_url in app_urls:
            wait_healthy(app_url)
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                                "--disable-dev-shm-usage"],
            )  # fmt: skip
            single = Tally()
            context = await browser.new_context(locale="es-MX", viewport={"width": 1400, "height": 1000})
            page = await context.new_page()
            for app_url in app_urls:  # warm each process once (first imports), untimed
                await read_page(page, f"{app_url}/", None)
            for i in range(args.single_reads):
                await read_page(page, f"{app_urls[i % 2]}/{PAGES[(i // 2) % 2]}", single)
            await context.close()

            loaded = Tally()
            until = time.monotonic() + args.seconds
            await asyncio.gather(*(user(i, browser, app_urls[i % 2], store, milestone_ids, until, loaded)
                                   for i in range(args.users)))  # fmt: skip
            load_end = os.getloadavg()

            context = await browser.new_context(locale="es-MX", viewport={"width": 1400, "height": 1000})
            page = await context.new_page()
            shown = [await headline(page, app_url) for app_url in app_urls]
            await context.close()
            await browser.close()
    finally:
        for app in apps:
            app.terminate()
        for app in apps:
            try:
                app.wait(timeout=20)
            except subprocess.TimeoutExpired:
                app.kill()

    with store.read() as connection:
        session_counts = dict(
            connection.execute(
                select(dialogue_session.c.topics, func.count())
                .where(dialogue_session.c.topics.in_(loaded.sessions))
                .group_by(dialogue_session.c.topics)
            ).all()
        )
        update_counts = dict(
            connection.execute(
                select(milestone_update.c.note, func.count())
                .where(milestone_update.c.note.in_(loaded.updates))
                .group_by(milestone_update.c.note)
            ).all()
        )
        sessions_after = connection.execute(select(func.count()).select_from(dialogue_session)).scalar_one()
    figures = dashboard.national_overview(store, PUBLIC).figures
    store.engine.dispose()
    with create_engine(base, isolation_level="AUTOCOMMIT").connect() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))

    sessions_once = all(session_counts.get(m) == 1 for m in loaded.sessions) and len(session_counts) == len(
        loaded.sessions
    )
    updates_once = all(update_counts.get(m) == 1 for m in loaded.updates)
    no_stray = sessions_after - sessions_before == len(loaded.sessions)
    activity_label = i18n.t("overview.kpi.activity_90", "es")
    expected_activity = f"{figures.sessions_last_90_days + figures.workshops_last_90_days:,}"
    digits = "".join(ch for ch in expected_activity if ch.isdigit())
    both_current = all(
        "".join(ch for ch in s.get(activity_label, "") if ch.isdigit()) == digits for s in shown
    )
    both_same = shown[0] == shown[1]
    minutes = (datetime.now(UTC) - started_at).total_seconds() / 60
    p50_single, p95_single = statistics.median(single.page_ms), percentile(single.page_ms, 0.95)
    p50_load, p95_load = statistics.median(loaded.page_ms), percentile(loaded.page_ms, 0.95)
    ok = lambda flag: "yes" if flag else "**no**"  # noqa: E731
    lines = [
        "## Several processes under load",
        "",
        f"Written by `python -m benchmarks.multiprocess_load --users {args.users} --seconds {args.seconds}` "
        "(issue 15): two `streamlit run` processes on one PostgreSQL schema (the demo set), "
        f"{args.users} simulated users (Chromium contexts, each kept on one app, alternating between the two) "
        "mixing page reads (Panorama nacional, Secretariado) with writes (a session logged, a milestone updated, "
        "through the store from the load process), then checks of the database and of both apps.",
        "",
        f"- date: {started_at:%Y-%m-%d %H:%M} UTC, {minutes:.1f} minutes in all, {args.seconds} s under load",
        f"- machine: {os.cpu_count()} cores; load average (1/5/15 min) at start "
        f"{' / '.join(f'{v:.1f}' for v in load_start)}, at the end of the load {' / '.join(f'{v:.1f}' for v in load_end)}"
        " (a shared machine: three other engineers' test runs used the same 2 cores meanwhile)",
        "",
        "| | page reads | p50 | p95 |",
        "|---|---|---|---|",
        f"| one user alone | {len(single.page_ms)} | {p50_single:.0f} ms | {p95_single:.0f} ms |",
        f"| {args.users} users at once | {len(loaded.page_ms)} | {p50_load:.0f} ms | {p95_load:.0f} ms |",
        f"| **ratio** (load ÷ alone) | | {p50_load / p50_single:.2f} | **{p95_load / p95_single:.2f}** |",
        "",
        f"- writes acknowledged: {len(loaded.sessions)} sessions, {len(loaded.updates)} milestone updates "
        f"(median {statistics.median(loaded.write_ms or [0]):.0f} ms, p95 {percentile(loaded.write_ms or [0], 0.95):.0f} ms);"
        f" {loaded.conflicts} milestone updates met a newer version (ConflictError, the form's normal answer)",
        f"- errors: **{len(loaded.errors)}**"
        + (f" ({'; '.join(loaded.errors[:5])})" if loaded.errors else ""),
        f"- every acknowledged session in the database exactly once: {ok(sessions_once and no_stray)}; "
        f"every acknowledged milestone update exactly once: {ok(updates_once)}",
        f"- both apps, reloaded after the run, show the database's current activity figure ({expected_activity}): "
        f"{ok(both_current)}; the same headline figures: {ok(both_same)}",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=180)
    parser.add_argument("--single-reads", type=int, default=20)
    parser.add_argument("--postgres-url", default="")
    print(asyncio.run(main_async(parser.parse_args())))


if __name__ == "__main__":
    main()
