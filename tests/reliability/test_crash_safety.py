"""A writer killed with SIGKILL at random moments loses nothing it reported and leaves nothing half-written.

A writer process (forked by ``crash_writer.py``) logs sessions with agreements in a loop and prints each id once its
transaction committed. The test kills it at seeded random moments (while it opens the store, or while it writes),
reopens the same database the way the app does (on DuckDB this replays the write-ahead log the writer left), and
checks every session: the reported ones are all there, and every stored session has exactly the agreements,
organisations and participants it was written with, and its audit entry. Twenty rounds on DuckDB, fifteen on
PostgreSQL (where the server, not the file, does the recovery).
"""

from __future__ import annotations

import random
import re
import time
from datetime import date

import pytest
from sqlalchemy import func, select

from accompaniment.store.activity import log_session
from accompaniment.store.database import Store, open_store
from accompaniment.store.schema import (
    agreement,
    audit_entry,
    dialogue_session,
    milestone,
    milestone_update,
    participation,
    session_organization,
)
from tests.conftest import ACTORS
from tests.reliability.conftest import seed_plan
from tests.reliability.processes import WriterServer

ROUNDS = {"duckdb": 20, "postgres": 15}
SEED = 20261126
TOPICS = re.compile(r"^(?P<tag>round-\d+) n=(?P<n>\d+) agreements=(?P<count>\d+)$")

SPECIALIST = ACTORS["specialist"]

pytestmark = pytest.mark.slow


def check_database(
    store: Store, reported: dict[int, int], round_tags: set[str], context: str
) -> dict[str, int]:
    """Every reported session is there with all its rows; no stored session is partial; no orphan rows."""
    with store.read() as connection:
        sessions = {
            r.id: r.topics
            for r in connection.execute(
                select(dialogue_session.c.id, dialogue_session.c.topics).where(
                    dialogue_session.c.topics.like("round-%")
                )
            )
        }

        def per_session(table, column=None):  # noqa: ANN001, ANN202
            column = table.c.session_id if column is None else column
            return dict(connection.execute(select(column, func.count()).group_by(column)).all())

        agreements = per_session(agreement)
        organisations = per_session(session_organization)
        participants = dict(
            connection.execute(
                select(participation.c.session_id, func.sum(participation.c.count))
                .where(participation.c.session_id.is_not(None))
                .group_by(participation.c.session_id)
            ).all()
        )
        audited = set(
            connection.execute(
                select(audit_entry.c.entity_id).where(audit_entry.c.entity == "dialogue_session")
            ).scalars()
        )
        orphans = connection.execute(
            select(func.count())
            .select_from(agreement)
            .outerjoin(dialogue_session, dialogue_session.c.id == agreement.c.session_id)
            .where(dialogue_session.c.id.is_(None))
        ).scalar_one()

    missing = sorted(set(reported) - set(sessions))
    assert not missing, f"{context}: reported sessions missing after the kill: {missing}"
    assert orphans == 0, f"{context}: {orphans} agreements without their session"
    for session_id, topics in sessions.items():
        match = TOPICS.match(topics)
        assert match, f"{context}: unexpected topics {topics!r}"
        count = int(match["count"])
        if session_id in reported:
            assert reported[session_id] == count
        assert agreements.get(session_id, 0) == count, f"{context}: session {session_id} is half-written"
        assert organisations.get(session_id, 0) == count, (
            f"{context}: session {session_id} lost organisations"
        )
        assert participants.get(session_id, 0) == count + 1, (
            f"{context}: session {session_id} lost participants"
        )
        assert session_id in audited, f"{context}: session {session_id} has no audit entry"
    stored_by_tag: dict[str, int] = {}
    for topics in sessions.values():
        tag = TOPICS.match(topics)["tag"]
        stored_by_tag[tag] = stored_by_tag.get(tag, 0) + 1
    assert set(stored_by_tag) <= round_tags
    return stored_by_tag


def test_a_writer_killed_at_random_moments_loses_no_reported_session_and_leaves_none_half_written(
    backend: str, store_url: str
) -> None:
    rng = random.Random(SEED)
    open_store(store_url).close()  # created and migrated by the app path; the writer only opens it
    reported: dict[int, int] = {}
    tags: set[str] = set()
    writes_killed_mid_run = 0
    server = WriterServer(store_url)
    try:
        for round_number in range(ROUNDS[backend]):
            tag = f"round-{round_number}"
            tags.add(tag)
            current = server.start(tag)
            if rng.random() < 0.2:
                time.sleep(rng.uniform(0.0, 0.5))  # while it starts and opens the database
            else:
                server.wait_for_commits(current)
                time.sleep(rng.uniform(0.0, 0.4))  # somewhere among the writes
                writes_killed_mid_run += 1
            this_round = server.kill(current)
            reported.update(this_round)

            context = f"{backend}, round {round_number} (seed {SEED})"
            store = open_store(store_url)  # what the app does on its next start
            try:
                stored = check_database(store, reported, tags, context)
                # At most one session can commit and die before its id is printed.
                assert stored.get(tag, 0) - len(this_round) in (0, 1), context
            finally:
                store.close()
    finally:
        server.close()
    assert writes_killed_mid_run >= ROUNDS[backend] // 2
    assert len(reported) > ROUNDS[backend], "the writer hardly wrote anything: the kills tested nothing"


# ---- issue 17: a second kind of write, milestone updates ---------------------------------------------------------

MILESTONE_ROUNDS = {"duckdb": 8, "postgres": 15}
NOTE = re.compile(r"^(?P<tag>milestone-round-\d+) n=(?P<n>\d+)$")


def check_milestone(
    store: Store, milestone_id: int, reported: dict[str, dict[int, int]], context: str
) -> None:
    """Every reported update is there; the milestone row, its timeline and the audit log agree with each other."""
    with store.read() as connection:
        row = connection.execute(
            select(milestone.c.version, milestone.c.progress).where(milestone.c.id == milestone_id)
        ).one()
        updates = connection.execute(
            select(milestone_update.c.note, milestone_update.c.progress)
            .where(milestone_update.c.milestone_id == milestone_id)
            .order_by(milestone_update.c.id)
        ).all()
        audited = connection.execute(
            select(func.count())
            .select_from(audit_entry)
            .where(audit_entry.c.entity == "milestone", audit_entry.c.entity_id == milestone_id)
            .where(audit_entry.c.action == "update")
        ).scalar_one()
    stored: dict[str, dict[int, float]] = {}
    for note, progress in updates:
        match = NOTE.match(note)
        assert match, f"{context}: unexpected note {note!r}"
        stored.setdefault(match["tag"], {})[int(match["n"])] = progress
    for tag, done in reported.items():
        missing = sorted(set(done) - set(stored.get(tag, {})))
        assert not missing, f"{context}: reported updates of {tag} missing after the kill: {missing}"
        assert all(stored[tag][n] == progress for n, progress in done.items()), context
        # At most one update can commit and die before it is printed.
        assert len(stored.get(tag, {})) - len(done) in (0, 1), context
    assert row.version == 1 + len(updates), f"{context}: version {row.version}, {len(updates)} updates"
    assert audited == len(updates), f"{context}: {audited} audit entries for {len(updates)} updates"
    if updates:
        assert row.progress == updates[-1].progress, f"{context}: the milestone is not at its last update"


def test_a_milestone_updater_killed_at_random_moments_loses_no_reported_update_and_leaves_none_half_written(
    backend: str, store_url: str
) -> None:
    rng = random.Random(SEED + 1)
    store = open_store(store_url)
    try:
        milestone_id = seed_plan(store, milestones=1).milestone_ids[0]
    finally:
        store.close()
    reported: dict[str, dict[int, int]] = {}
    killed_mid_run = 0
    server = WriterServer(store_url)
    try:
        for round_number in range(MILESTONE_ROUNDS[backend]):
            tag = f"milestone-round-{round_number}"
            current = server.start(f"{tag}@{milestone_id}")
            if rng.random() < 0.2:
                time.sleep(rng.uniform(0.0, 0.5))
            else:
                server.wait_for_commits(current)
                time.sleep(rng.uniform(0.0, 0.4))
                killed_mid_run += 1
            reported[tag] = server.kill(current)
            store = open_store(store_url)
            try:
                check_milestone(
                    store, milestone_id, reported, f"{backend}, round {round_number} (seed {SEED + 1})"
                )
            finally:
                store.close()
    finally:
        server.close()
    assert killed_mid_run >= MILESTONE_ROUNDS[backend] // 2
    assert sum(len(done) for done in reported.values()) > MILESTONE_ROUNDS[backend], (
        "hardly any update written"
    )


# ---- issue 17: a third kind of write, agreements added to a session ----------------------------------------------

AGREEMENT_ROUNDS = {"duckdb": 6, "postgres": 12}
TEXT = re.compile(r"^(?P<tag>agreement-round-\d+) n=(?P<n>\d+)$")


def check_agreements(
    store: Store, session_id: int, reported: dict[str, dict[int, int]], context: str
) -> None:
    """Every reported agreement is there with its text; every stored one has its audit entry and its own position."""
    with store.read() as connection:
        rows = connection.execute(
            select(agreement.c.id, agreement.c.text, agreement.c.position).where(
                agreement.c.session_id == session_id
            )
        ).all()
        audited = set(
            connection.execute(
                select(audit_entry.c.entity_id).where(
                    audit_entry.c.entity == "agreement", audit_entry.c.action == "create"
                )
            ).scalars()
        )
    by_id = {r.id: r for r in rows}
    assert len({r.position for r in rows}) == len(rows), f"{context}: two agreements share a position"
    assert all(r.id in audited for r in rows), f"{context}: an agreement without its audit entry"
    stored_by_tag: dict[str, int] = {}
    for r in rows:
        match = TEXT.match(r.text)
        assert match, f"{context}: unexpected text {r.text!r}"
        stored_by_tag[match["tag"]] = stored_by_tag.get(match["tag"], 0) + 1
    for tag, done in reported.items():
        for agreement_id, n in done.items():
            assert agreement_id in by_id, (
                f"{context}: reported agreement {agreement_id} missing after the kill"
            )
            assert by_id[agreement_id].text == f"{tag} n={n}", context
        assert stored_by_tag.get(tag, 0) - len(done) in (0, 1), context


def test_an_agreement_writer_killed_at_random_moments_loses_no_reported_agreement_and_leaves_none_unaudited(
    backend: str, store_url: str
) -> None:
    rng = random.Random(SEED + 2)
    store = open_store(store_url)
    try:
        session_id = log_session(
            store, SPECIALIST, {"state_code": "20", "held_on": date(2025, 6, 1), "session_type": "plenary"}
        )
    finally:
        store.close()
    reported: dict[str, dict[int, int]] = {}
    killed_mid_run = 0
    server = WriterServer(store_url)
    try:
        for round_number in range(AGREEMENT_ROUNDS[backend]):
            tag = f"agreement-round-{round_number}"
            current = server.start(f"{tag}@{session_id}")
            if rng.random() < 0.2:
                time.sleep(rng.uniform(0.0, 0.5))
            else:
                server.wait_for_commits(current)
                time.sleep(rng.uniform(0.0, 0.4))
                killed_mid_run += 1
            reported[tag] = server.kill(current)
            store = open_store(store_url)
            try:
                check_agreements(
                    store, session_id, reported, f"{backend}, round {round_number} (seed {SEED + 2})"
                )
            finally:
                store.close()
    finally:
        server.close()
    assert killed_mid_run >= AGREEMENT_ROUNDS[backend] // 2
    assert sum(len(done) for done in reported.values()) > AGREEMENT_ROUNDS[backend], "hardly anything written"
