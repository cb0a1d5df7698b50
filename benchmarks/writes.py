"""Ratio e: the store's write throughput against plain inserts of the same rows, one thread against one thread.

Method: the store side logs dialogue sessions (participants, three organisations, three agreements) with
``activity.log_session`` from one thread: input validation, the permission check, the state and link checks, one
transaction per session with its audit entry and the data version's bump. The plain side inserts the same rows
(session, participation, organisations, agreements) from one thread too, one transaction per session through
the same kind of engine, nothing else. Both sides run one after the other, so neither gains from threads the
other lacks (an earlier version ran the store on 8 threads against one plain thread, which hid its cost: on
DuckDB writes from one process take turns anyway). Each side writes to its own scratch copy of the smallest set.
"""

from __future__ import annotations

from datetime import date, timedelta
from statistics import median
from typing import Any

from sqlalchemy import Engine, insert

from accompaniment.access import Actor
from accompaniment.domain.enums import Role
from accompaniment.domain.models import SessionInput, validate
from accompaniment.store import activity
from accompaniment.store.database import Store, open_store
from accompaniment.store.schema import agreement, dialogue_session, participation, session_organization
from benchmarks.databases import Built, scratch_copy
from benchmarks.stats import Figure, paired, seconds

SESSIONS = 48  # per timed round, on each side
STATES = ["04", "08", "10", "11", "15", "17", "19", "20", "23", "24", "25", "26", "27", "29", "30"]
SPECIALIST = Actor(Role.SPECIALIST, username="benchmark")
TITLE = "store writes (log_session: validation, audit) ÷ plain inserts, one thread each"


def session_input(number: int) -> dict[str, Any]:
    held = date.today() - timedelta(days=10 + number % 200)
    return {
        "state_code": STATES[number % len(STATES)], "held_on": held, "session_type": "plenary",
        "modality": "hybrid", "topics": "Seguimiento de hitos (benchmark)", "consensus": 4,
        "participants": {"civil_society": {"women": 4, "men": 3}, "government": {"women": 2, "men": 5},
                         "guarantor_body": {"women": 1}},
        "organizations": ["Colectivo Ciudadano Local", "Secretaría de la Contraloría", "Órgano garante"],
        "public_summary": "Sesión de seguimiento (benchmark).", "summary": "Notas internas (benchmark).",
        "agreements": [
            {"text": "Enviar la minuta a las personas integrantes", "responsible_sector": "government",
             "due_date": held + timedelta(days=15)},
            {"text": "Convocar una mesa con el órgano garante", "responsible_sector": "guarantor_body",
             "due_date": held + timedelta(days=30)},
            {"text": "Publicar el avance en el micrositio", "responsible_sector": "civil_society"},
        ],
    }  # fmt: skip


def _plain_rows(store: Store, number: int) -> dict[str, Any]:
    """The rows ``log_session`` would write for session ``number``, prepared before the clock starts."""
    data = validate(SessionInput, session_input(number))
    stamp = store.stamp({"is_demo": False}, new=True)
    return {
        "session": {**activity._session_values(data), **stamp},
        "participation": activity._participation_rows(data.participants),
        "organizations": [{"position": i, "name": name} for i, name in enumerate(data.organizations)],
        "agreements": [
            {**activity.agreement_values(item, i), **stamp} for i, item in enumerate(data.agreements)
        ],
    }


def _insert_plainly(engine: Engine, rows: dict[str, Any]) -> None:
    with engine.begin() as connection:
        session_id = connection.execute(
            insert(dialogue_session).values(**rows["session"]).returning(dialogue_session.c.id)
        ).scalar_one()
        connection.execute(
            insert(participation), [{**r, "session_id": session_id} for r in rows["participation"]]
        )
        connection.execute(
            insert(session_organization), [{**r, "session_id": session_id} for r in rows["organizations"]]
        )
        connection.execute(insert(agreement), [{**r, "session_id": session_id} for r in rows["agreements"]])


def measure(built: Built, repeat: int) -> Figure:
    figure = Figure("e", TITLE, f"{built.backend} (scale {built.scale})", (">=", 0.5))
    store = open_store(scratch_copy(built, "writes_store"), upgrade=False)
    plain = open_store(scratch_copy(built, "writes_plain"), upgrade=False)
    rounds = range(repeat + 1)  # one warm-up round each
    store_rounds = [[session_input(r * SESSIONS + i) for i in range(SESSIONS)] for r in rounds]
    plain_rounds = [[_plain_rows(plain, r * SESSIONS + i) for i in range(SESSIONS)] for r in rounds]
    try:

        def by_store() -> None:
            for data in store_rounds.pop():
                activity.log_session(store, SPECIALIST, data)

        def by_plain_inserts() -> None:
            for rows in plain_rounds.pop():
                _insert_plainly(plain.engine, rows)

        store_times, plain_times = paired(by_store, by_plain_inserts, repeat)
        figure.ratios = [p / s for p, s in zip(plain_times, store_times, strict=True)]
        figure.detail = (
            f"{SESSIONS} sessions: store {seconds(store_times)} ({SESSIONS / median(store_times):.0f}/s), "
            f"plain {seconds(plain_times)} ({SESSIONS / median(plain_times):.0f}/s)"
        )
    finally:
        store.engine.dispose()
        plain.engine.dispose()
    return figure
