"""The exports list evidence files with their SHA-256 and, for public files, their download path (issue 12); the
public data package holds only public files and names no uploader."""

from __future__ import annotations

import io

from accompaniment.store.database import Store
from accompaniment.store.evidence_files import store_evidence_file
from accompaniment.store.export_queries import PUBLIC_ENTITIES, export_table
from tests.conftest import ACTORS, OAXACA
from tests.store.test_reporting_cycle import PDF_BYTES, evidence_folder

__all__ = ["evidence_folder"]  # autouse: each test's files in its own folder
OWN = ACTORS["secretariat_own"]


def test_the_evidence_export_lists_hashes_and_the_download_path_of_public_files_only(store: Store) -> None:
    private = store_evidence_file(store, OWN, OAXACA, "acta.pdf", io.BytesIO(PDF_BYTES))
    public = store_evidence_file(store, OWN, OAXACA, "foto.pdf", io.BytesIO(PDF_BYTES + b"1"), is_public=True)

    staff = export_table(store, ACTORS["working_group"], "evidence_file")
    everyone = export_table(store, ACTORS["public"], "evidence_file")
    other_state = export_table(store, ACTORS["secretariat_other"], "evidence_file")

    rows = {
        row[staff.column_names.index("sha256")]: dict(zip(staff.column_names, row, strict=True))
        for row in staff.rows
    }
    assert rows[private.sha256]["download_path"] is None
    assert rows[public.sha256]["download_path"] == f"evidencia?archivo={public.sha256}"
    assert rows[private.sha256]["uploaded_by"] == "sec-oaxaca"
    assert [row[everyone.column_names.index("sha256")] for row in everyone.rows] == [public.sha256]
    assert "uploaded_by" not in everyone.column_names
    assert len(other_state.rows) == 1
    assert "evidence_file" in PUBLIC_ENTITIES
