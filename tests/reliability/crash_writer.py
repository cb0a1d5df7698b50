"""Writer for ``test_crash_safety``: sessions with agreements logged in a loop by a process that gets SIGKILLed.

Run as ``python crash_writer.py URL``. Starting Python and importing the store takes seconds on a small machine, so
this script is a tiny fork server: it imports once, then for each line ``TAG [LIMIT]`` read on stdin forks a writer
process, which opens the database afresh (as a new app process would; the server itself never opens it) and logs
sessions until killed (or, with a LIMIT, logs that many and then waits idle to be killed).
Lines on stdout, each flushed:

- ``started <pid>``: a writer was forked for the tag just read;
- ``<session id> <agreements>``: the writer's transaction for that session has committed;
- ``ended <pid> <wait status>``: the writer is gone (the test expects killed by SIGKILL).

Each session also says in its topics how many agreements, organisations and participants it was written with, so a
session that committed but was never reported (killed between the commit and the print) can be checked too.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from datetime import date
from typing import Any

from sqlalchemy import select

from accompaniment.access import Actor
from accompaniment.domain.enums import Role
from accompaniment.store.activity import log_session
from accompaniment.store.agreements import add_agreement
from accompaniment.store.commitments import update_milestone
from accompaniment.store.database import Store, open_store
from accompaniment.store.schema import milestone

SPECIALIST = Actor(Role.SPECIALIST, username="especialista")


def session(tag: str, n: int) -> tuple[dict[str, Any], int]:
    count = 1 + n % 4
    return {
        "state_code": "20",
        "held_on": date(2025, 6, 1),
        "session_type": "working_table",
        "topics": f"{tag} n={n} agreements={count}",
        "organizations": [f"Organización {tag} {n}.{j}" for j in range(count)],
        "participants": {"government": {"women": count, "men": 1}},
        "agreements": [
            {"text": f"Acuerdo {tag} {n}.{j}", "due_date": date(2026, 1, 1 + j)} for j in range(count)
        ],
    }, count


def update_until_killed(store: Store, tag: str, milestone_id: int) -> None:
    """A second kind of write: milestone updates (the milestone row, a timeline entry and an audit entry in one
    transaction), each reported as ``<n> <progress>`` once committed. Tag: ``milestone-round-R@ID``."""
    with store.read() as connection:
        version = connection.execute(
            select(milestone.c.version).where(milestone.c.id == milestone_id)
        ).scalar_one()
    n = 0
    while True:
        progress = min(n + 1, 99)
        data = {"progress": progress, "status": "in_progress", "note": f"{tag} n={n}"}
        version = update_milestone(store, SPECIALIST, milestone_id, version, data)["version"]
        print(n, progress, flush=True)
        n += 1


def add_until_killed(store: Store, tag: str, session_id: int) -> None:
    """A third kind of write: agreements added one by one to a session, each reported as ``<agreement id> <n>``
    once committed. Tag: ``agreement-round-R@SESSION_ID``."""
    n = 0
    while True:
        agreement_id = add_agreement(store, SPECIALIST, session_id, {"text": f"{tag} n={n}"})
        print(agreement_id, n, flush=True)
        n += 1


def write_until_killed(url: str, tag: str, limit: int | None) -> None:
    """Log sessions until killed; after ``limit`` of them (if given), wait idle to be killed."""
    store = open_store(url, upgrade=False)  # the test created and migrated it
    if tag.startswith("milestone-"):
        name, _, milestone_id = tag.partition("@")
        update_until_killed(store, name, int(milestone_id))
    if tag.startswith("agreement-"):
        name, _, session_id = tag.partition("@")
        add_until_killed(store, name, int(session_id))
    n = 0
    while limit is None or n < limit:
        data, count = session(tag, n)
        session_id = log_session(store, SPECIALIST, data)
        print(session_id, count, flush=True)
        n += 1
    time.sleep(3600)


def serve(url: str) -> None:
    for line in sys.stdin:
        tag, _, limit = line.strip().partition(" ")
        pid = os.fork()
        if pid == 0:
            try:
                write_until_killed(url, tag, int(limit) if limit else None)
            except BaseException:  # noqa: BLE001 - report, then leave without running the server's cleanup
                traceback.print_exc()
                sys.stderr.flush()
            os._exit(1)
        print(f"started {pid}", flush=True)
        _, status = os.waitpid(pid, 0)
        # On a fresh line: the killed writer may have left half a line behind.
        print(f"\nended {pid} {status}", flush=True)


if __name__ == "__main__":
    serve(sys.argv[1])
