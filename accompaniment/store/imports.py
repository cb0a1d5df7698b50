"""Bulk import of validated rows: the checks a dry run shows, and the all-or-nothing commit that repeats them.

``io.importing`` reads a file, validates each row with the domain's input models and hands the rows here as
``ImportRecord``s. ``check_import`` resolves each row's references (the plan of a commitment, the commitment of a
milestone, the session of an agreement) and decides whether the row is new, already present, or wrong; it only
reads. ``commit_import`` runs the very same checks inside one write transaction and, only if no row has a problem,
writes every new row: a file goes in whole or not at all.

Re-importing is harmless: each imported row leaves its content hash in ``import_row``, and commitments, milestones
and agreements are also matched by their natural keys (plan and number, commitment and number, session and text),
so rows already there are skipped, never duplicated. A row with the key of a stored record (a milestone's natural
key; the id an exported session, workshop or agreement carries) is an update of that record when its values
differ (``store.import_updates``), applied in the same transaction through the forms' own store functions.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, select

from accompaniment.access import Action, Actor, require
from accompaniment.domain.errors import FieldProblem, PermissionDenied, ValidationError
from accompaniment.store.database import Store
from accompaniment.store.import_checks import ImportChecker
from accompaniment.store.import_records import (
    CHUNK,
    WRITE_ACTION,
    CommitmentRef,
    ImportCheck,
    ImportKind,
    ImportRecord,
    ImportResult,
    Outcome,
    Progress,
    Update,
)
from accompaniment.store.import_updates import apply_updates
from accompaniment.store.import_writer import ImportWriter
from accompaniment.store.schema import state

__all__ = [
    "CommitmentRef",
    "ImportCheck",
    "ImportKind",
    "ImportRecord",
    "ImportResult",
    "Outcome",
    "Update",
    "check_import",
    "commit_import",
]


def _require_writes(
    actor: Actor, kind: ImportKind, records: Iterable[ImportRecord], updates_in: str | None = None
) -> None:
    if updates_in is not None:  # a state's pre-filled workbook: its own milestones' progress, nothing else
        if kind != ImportKind.MILESTONES:
            raise PermissionDenied()
        require(actor, Action.WRITE_MILESTONE, updates_in)
        return
    require(actor, Action.IMPORT_DATA)
    for code in sorted({r.state_code for r in records}):
        require(actor, WRITE_ACTION[kind], code)
        if kind == ImportKind.MILESTONES:
            require(actor, Action.WRITE_MILESTONE, code)


def check_import(
    store: Store,
    actor: Actor,
    kind: ImportKind | str,
    records: list[ImportRecord],
    updates_in: str | None = None,
) -> ImportCheck:
    """The dry run: what ``commit_import`` would do with ``records``, and every problem, without writing.

    ``updates_in`` (a state's code) is the pre-filled workbook's import: the actor needs only to be allowed to
    update that state's milestones, and a row of another state or a new milestone is a problem."""
    kind = ImportKind(kind)
    if updates_in is None:
        require(actor, Action.IMPORT_DATA)
    else:
        _require_writes(actor, kind, [], updates_in)
    with store.read() as connection:
        check = ImportChecker(connection, kind, records).run()
        return _scoped(connection, check, records, updates_in)


def _scoped(
    connection: Connection, check: ImportCheck, records: list[ImportRecord], updates_in: str | None
) -> ImportCheck:
    if updates_in is None:
        return check
    names = dict(connection.execute(select(state.c.code, state.c.name)).all())
    for record in records:
        if record.state_code != updates_in:
            params = {"state": names.get(record.state_code, record.state_code), "own": names.get(updates_in)}
            check.problems.append(FieldProblem("state_code", "other_state", params, record.row))
            check.outcomes[record.row] = Outcome.INVALID
        elif check.outcomes.get(record.row) == Outcome.NEW:
            check.problems.append(FieldProblem("number", "updates_only", {}, record.row))
            check.outcomes[record.row] = Outcome.INVALID
    return check


def commit_import(
    store: Store,
    actor: Actor,
    kind: ImportKind | str,
    records: list[ImportRecord],
    progress: Progress | None = None,
    updates_in: str | None = None,
) -> ImportResult:
    """Write every new row of ``records`` and apply every update in one transaction, or nothing if any row has
    a problem (``ValidationError`` with one problem per row and column). ``updates_in``: see ``check_import``."""
    kind = ImportKind(kind)
    _require_writes(actor, kind, records, updates_in)
    say = progress or (lambda done, total: None)

    def work(connection: Connection) -> ImportResult:
        checker = ImportChecker(connection, kind, records)
        check = _scoped(connection, checker.run(), records, updates_in)
        if check.problems:
            raise ValidationError(check.problems)
        fresh = [r for r in records if check.outcomes[r.row] == Outcome.NEW]
        writer = ImportWriter(store, connection, actor, kind, checker)
        for start in range(0, len(fresh), CHUNK):
            writer.write(fresh[start : start + CHUNK])
            say(min(start + CHUNK, len(fresh)), len(fresh))
        writer.finish()
        apply_updates(store, actor, check.updates)
        return ImportResult(
            created=len(fresh),
            skipped=check.present_rows,
            plans_created=writer.plans_created,
            updated=len(check.updates),
        )

    return store.write_together(work)
