"""Reference data and each STL's starting record, loaded from the CSV files in ``data/`` on first open.

Both loads are idempotent: they fill empty tables and leave filled ones alone, so every open may call them.
The starting record is the public state of each exercise in 2017–2018 (see data/README.md for the source).
"""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, func, insert, select

from accompaniment import settings
from accompaniment.access import SYSTEM
from accompaniment.domain.enums import Phase
from accompaniment.store import bulk
from accompaniment.store.schema import (
    action_plan,
    call_state,
    commitment,
    fellows_call,
    member,
    ogp_value,
    phase_event,
    sdg_goal,
    sdg_target,
    secretariat,
    state,
    stl_event,
)

if TYPE_CHECKING:  # the store's type only: database.py imports this module to load the reference data
    from accompaniment.store.database import Store

DATA_DIR = settings.PROJECT_ROOT / "data"
SOURCE_PREFIX = "APERTUS (GobiernoFacil/agentes-v2): "
# The source pages were last edited in February of the call year's start: the phase is as of then.
SOURCE_AS_OF = {2017: date(2017, 2, 1), 2018: date(2018, 2, 1)}


def read_csv(name: str, data_dir: Path = DATA_DIR) -> list[dict[str, str]]:
    with (data_dir / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _flag(text: str) -> bool:
    return text.strip().lower() == "true"


def _date(text: str) -> tuple[date | None, str]:
    """A date and its precision: ``YYYY-MM-DD`` (day), ``YYYY-MM`` (month, stored as the 1st) or empty (none)."""
    text = text.strip()
    if not text:
        return None, "none"
    if re.fullmatch(r"\d{4}-\d{2}", text):
        year, month = (int(x) for x in text.split("-"))
        return date(year, month, 1), "month"
    return date.fromisoformat(text), "day"


def target_position(code: str) -> int:
    """Natural order of SDG target codes: 16.9 < 16.10 < 16.a."""
    goal, rest = code.split(".")
    suffix = int(rest) if rest.isdigit() else 100 + ord(rest) - ord("a")
    return int(goal) * 1000 + suffix


def _is_empty(connection: Connection, table: Any) -> bool:
    return connection.execute(select(func.count()).select_from(table)).scalar_one() == 0


def load_reference_data(store: Store) -> None:
    """States, SDG goals and targets, OGP values, then the starting record of the 15 STLs."""

    def work(connection: Connection) -> None:
        if _is_empty(connection, state):
            connection.execute(
                insert(state),
                [
                    {
                        "code": r["inegi_code"],
                        "iso_code": r["iso_3166_2"],
                        "name": r["name"],
                        "short_name": r["short_name"],
                        "programme": _flag(r["programme"]),
                        "call_year": int(r["call_year"]) if r["call_year"] else None,
                        "grid_row": int(r["grid_row"]),
                        "grid_col": int(r["grid_col"]),
                    }
                    for r in read_csv("states.csv")
                ],
            )
        if _is_empty(connection, sdg_goal):
            connection.execute(
                insert(sdg_goal),
                [
                    {
                        "number": int(r["number"]),
                        "name_es": r["name_es"],
                        "name_en": r["name_en"],
                        "colour": r["colour"],
                    }
                    for r in read_csv("sdg_goals.csv")
                ],
            )
        if _is_empty(connection, sdg_target):
            connection.execute(
                insert(sdg_target),
                [
                    {
                        "code": r["code"],
                        "goal": int(r["goal"]),
                        "position": target_position(r["code"]),
                        "name_es": r["name_es"],
                        "name_en": r["name_en"],
                    }
                    for r in read_csv("sdg_targets.csv")
                ],
            )
        if _is_empty(connection, ogp_value):
            connection.execute(insert(ogp_value), read_csv("ogp_values.csv"))
        if _is_empty(connection, secretariat):
            _load_starting_record(store, connection)

    store.write(work)


def _phase_of(label: str) -> int:
    return int(label.split("_", 1)[0])


def _load_starting_record(store: Store, connection: Connection) -> None:
    """Secretariats with their phase history, members, first plans and commitments, events and calls.
    Rows are collected first and inserted in a few batched statements."""
    codes = {r["name"]: r["inegi_code"] for r in read_csv("states.csv")}
    stamp = store.stamp({"is_demo": False}, new=True)
    secretariats: list[dict[str, Any]] = []
    phases: list[dict[str, Any]] = []
    plans: dict[str, dict[str, Any]] = {}
    for row in read_csv("stl_states.csv"):
        code = codes[row["state_name"]]
        source = SOURCE_PREFIX + row["source_path"]
        declared, _ = _date(row["declaration_date"])
        installed, _ = _date(row["stl_installation_date"])
        published, _ = _date(row["action_plan_published_date"])
        current = _phase_of(row["phase"])
        history: list[tuple[int, date, str]] = []
        if declared:
            history.append((Phase.DECLARATION, declared, "reference.phase_note.declaration"))
        if installed:
            history.append((Phase.STL_INSTALLED, installed, "reference.phase_note.installation"))
        if published:
            history.append((Phase.IMPLEMENTATION, published, "reference.phase_note.publication"))
        if current not in {p for p, _, _ in history}:
            as_of = SOURCE_AS_OF[int(row["fellows_call_year"])]
            history.append((current, as_of, "reference.phase_note.as_of_source"))
        history = [h for h in history if h[0] <= current]
        history.sort(key=lambda h: (h[1], h[0]))
        secretariats.append(
            {
                "state_code": code,
                "declaration_date": declared,
                "installation_date": installed,
                "phase": current,
                "phase_since": history[-1][1] if history else None,
                "source": source,
                **stamp,
            }
        )
        phases += [
            {
                "state_code": code,
                "phase": int(phase),
                "changed_on": on,
                "note": note_key,
                "recorded_by": SYSTEM.username,
                "source": source,
                **stamp,
            }
            for phase, on, note_key in history
        ]
        if published:
            plans[code] = {
                "state_code": code,
                "number": 1,
                "published_on": published,
                "source": source,
                **stamp,
            }

    commitments = read_csv("stl_commitments.csv")
    for row in commitments:
        code = codes[row["state_name"]]
        plans.setdefault(
            code,
            {
                "state_code": code,
                "number": int(row["plan_number"]),
                "published_on": None,
                "source": None,
                **stamp,
            },
        )
    for plan, plan_id in zip(
        plans.values(), bulk.reserve_ids(connection, action_plan, len(plans)), strict=True
    ):
        plan["id"] = plan_id

    connection.execute(insert(secretariat), secretariats)
    connection.execute(insert(phase_event), phases)
    connection.execute(insert(action_plan), list(plans.values()))
    connection.execute(
        insert(member),
        [
            {
                "state_code": codes[row["state_name"]],
                "organization": row["organization"].removeprefix("(facilitator) ").strip(),
                "sector": row["sector"],
                "seat": "titular",
                "source": SOURCE_PREFIX + row["source_path"],
                **stamp,
            }
            for row in read_csv("stl_members.csv")
        ],
    )
    connection.execute(
        insert(commitment),
        [
            {
                "plan_id": plans[codes[row["state_name"]]]["id"],
                "number": int(row["commitment_number"]) if row["commitment_number"] else None,
                "title": row["title_es"],
                "proactive": _flag(row["proactive"]),
                "source": SOURCE_PREFIX + row["source_path"],
                **stamp,
            }
            for row in commitments
        ],
    )
    events = []
    for row in read_csv("stl_events.csv"):
        happened_on, precision = _date(row["date"])
        events.append(
            {
                "state_code": codes[row["state_name"]],
                "happened_on": happened_on,
                "date_precision": precision,
                "kind": row["event_type"],
                "description": row["short_description_es"],
                "source": SOURCE_PREFIX + row["source_path"],
                **stamp,
            }
        )
    connection.execute(insert(stl_event), events)

    for row in read_csv("fellows_calls.csv"):
        call_id = connection.execute(
            insert(fellows_call)
            .values(
                year=int(row["year"]),
                applicants=int(row["applicants"]) if row["applicants"] else None,
                applicants_at_least=_flag(row["applicants_at_least"]),
                fellows=int(row["fellows"]) if row["fellows"] else None,
                fellows_women=int(row["fellows_women"]) if row["fellows_women"] else None,
                source=row["source"],
                **stamp,
            )
            .returning(fellows_call.c.id)
        ).scalar_one()
        connection.execute(
            insert(call_state),
            [{"call_id": call_id, "state_code": code, **stamp} for code in row["states"].split(";")],
        )
    store.audit(connection, SYSTEM, "load", "starting_record", None, after={"source": "data/stl_*.csv"})
