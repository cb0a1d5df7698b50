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

from sqlalchemy import Connection

from accompaniment.access import Action, Actor, require
from accompaniment.domain.errors import ValidationError
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

__all__ = [
    "CommitmentRef", "ImportCheck", "ImportKind", "ImportRecord", "ImportResult", "Outcome", "Update", "check_import",
    "commit_import",
]  # fmt: skip


def _require_writes(actor: Actor, kind: ImportKind, records: Iterable[ImportRecord]) -> None:
    require(actor, Action.IMPORT_DATA)
    for code in sorted({r.state_code for r in records}):
        require(actor, WRITE_ACTION[kind], code)
        if kind == ImportKind.MILESTONES:
            require(actor, Action.WRITE_MILESTONE, code)


def check_import(
    store: Store, actor: Actor, kind: ImportKind | str, records: list[ImportRecord]
) -> ImportCheck:
    """The dry run: what ``commit_import`` would do with ``records``, and every problem, without writing."""
    kind = ImportKind(kind)
    require(actor, Action.IMPORT_DATA)
    with store.read() as connection:
        return ImportChecker(connection, kind, records).run()


def commit_import(
    store: Store,
    actor: Actor,
    kind: ImportKind | str,
    records: list[ImportRecord],
    progress: Progress | None = None,
) -> ImportResult:
    """Write every new row of ``records`` in one transaction, or nothing if any row has a problem
    (``ValidationError`` with one problem per row and column)."""
    kind = ImportKind(kind)
    _require_writes(actor, kind, records)
    say = progress or (lambda done, total: None)

    def work(connection: Connection) -> ImportResult:
        checker = ImportChecker(connection, kind, records)
        check = checker.run()
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
