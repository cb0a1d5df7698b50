"""Bad input to the reporting cycle is refused with a message in the user's language, and nothing partial is
written (issue 12): no file without its row, no row without its file, no lost draft."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from accompaniment.domain import evidence_files as kinds
from accompaniment.domain.errors import (
    ConflictError,
    EvidenceCorrupted,
    EvidenceRefused,
    TransitionRefused,
    ValidationError,
)
from accompaniment.store import reporting
from accompaniment.store.database import Store
from accompaniment.store.evidence_files import open_evidence_file, store_evidence_file, stored_path
from accompaniment.store.schema import evidence_file
from tests.conftest import ACTORS, OAXACA
from tests.store.builders import add_milestone
from tests.store.test_reporting_cycle import PDF_BYTES, evidence_folder, open_quarter

__all__ = ["evidence_folder"]  # autouse: each test's files in its own folder
OWN = ACTORS["secretariat_own"]
SPECIALIST = ACTORS["specialist"]
WORKING_GROUP = ACTORS["working_group"]
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200


def stored_files(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def file_rows(store: Store) -> int:
    with store.read() as connection:
        return connection.execute(select(func.count()).select_from(evidence_file)).scalar_one()


def upload(store: Store, name: str, content: bytes, actor=OWN, state_code: str = OAXACA):  # noqa: ANN001, ANN201
    return store_evidence_file(store, actor, state_code, name, io.BytesIO(content))


def office_file(content_type: str | None = None, mimetype: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if mimetype is not None:
            archive.writestr("mimetype", mimetype)
        if content_type is not None:
            archive.writestr(
                "[Content_Types].xml",
                f'<Types><Override PartName="/word/document.xml" ContentType="{content_type}"/></Types>',
            )
        archive.writestr("content.xml", "<x/>")
    return buffer.getvalue()


def refused(store: Store, name: str, content: bytes) -> EvidenceRefused:
    with pytest.raises(EvidenceRefused) as caught:
        upload(store, name, content)
    return caught.value


def test_an_executable_renamed_pdf_is_refused_by_its_content_and_nothing_is_kept(
    store: Store, evidence_folder: Path
) -> None:
    error = refused(store, "informe.pdf", ELF)

    assert "informe.pdf" in error.message("es") and "no es PDF" in error.message("es")
    assert "informe.pdf" in error.message("en") and "is not a PDF" in error.message("en")
    assert file_rows(store) == 0 and stored_files(evidence_folder) == []


def test_a_file_over_the_limit_is_refused_while_streaming(
    store: Store, evidence_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACCOMPANIMENT_EVIDENCE_MAX_BYTES", "1048576")

    error = refused(store, "grande.pdf", PDF_BYTES + b"0" * (3 * 1048576))

    assert "grande.pdf" in error.message("es") and "1 MB" in error.message("es")
    assert file_rows(store) == 0 and stored_files(evidence_folder) == []


def test_an_empty_file_is_refused(store: Store, evidence_folder: Path) -> None:
    error = refused(store, "vacio.pdf", b"")

    assert error.message("es") == "El archivo «vacio.pdf» está vacío."
    assert error.message("en") == 'The file "vacio.pdf" is empty.'
    assert file_rows(store) == 0 and stored_files(evidence_folder) == []


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../etc/passwd.pdf", "../../etc/passwd.pdf"),
        ("actas\\enero.pdf", "actas\\enero.pdf"),
        ("acta\x00.pdf", "acta?.pdf"),
        ("acta\n.pdf", "acta?.pdf"),
        ("..", ".."),
    ],
)
def test_a_file_name_that_is_a_path_or_holds_control_characters_is_refused(
    store: Store, evidence_folder: Path, name: str, shown: str
) -> None:
    error = refused(store, name, PDF_BYTES)

    assert shown in error.message("es") and shown in error.message("en")
    assert file_rows(store) == 0 and stored_files(evidence_folder) == []


def test_a_row_the_database_refuses_leaves_no_file_behind(store: Store, evidence_folder: Path) -> None:
    with pytest.raises(ValidationError):
        upload(store, "acta.pdf", PDF_BYTES, actor=ACTORS["admin"], state_code="99")  # no such state

    assert file_rows(store) == 0 and stored_files(evidence_folder) == []


def test_the_same_bytes_are_kept_once(store: Store, evidence_folder: Path) -> None:
    first = upload(store, "acta.pdf", PDF_BYTES)
    again = upload(store, "acta-copia.pdf", PDF_BYTES, actor=SPECIALIST)

    assert again.id == first.id and again.file_name == "acta.pdf"
    assert file_rows(store) == 1 and stored_files(evidence_folder) == [stored_path(store, first.sha256)]


def test_a_file_whose_bytes_changed_or_vanished_is_reported_never_served(store: Store) -> None:
    info = upload(store, "acta.pdf", PDF_BYTES)
    path = stored_path(store, info.sha256)

    path.write_bytes(PDF_BYTES.replace(b"1.7", b"1.6"))
    with pytest.raises(EvidenceCorrupted) as caught:
        open_evidence_file(store, OWN, info.id)
    path.unlink()
    with pytest.raises(EvidenceCorrupted):
        open_evidence_file(store, OWN, info.id)

    assert "acta.pdf" in caught.value.message("es") and "SHA-256" in caught.value.message("en")


@pytest.mark.parametrize(
    ("content", "media_type"),
    [
        (PDF_BYTES, kinds.PDF),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, kinds.PNG),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, kinds.JPEG),
        (office_file(content_type=kinds.DOCX + ".main+xml"), kinds.DOCX),
        (office_file(content_type=kinds.XLSX + ".main+xml"), kinds.XLSX),
        (office_file(mimetype=kinds.ODT), kinds.ODT),
        (office_file(content_type="application/vnd.ms-word.document.macroEnabled.main+xml"), None),
        (office_file(mimetype="application/vnd.oasis.opendocument.spreadsheet"), None),
        (office_file(), None),
        (b"PK\x03\x04 not really a zip", None),
        (ELF, None),
        (b"<html><script>alert(1)</script>", None),
    ],
)
def test_the_type_is_read_from_the_content(content: bytes, media_type: str | None) -> None:
    assert kinds.detect_media_type(io.BytesIO(content)) == media_type


# ---- the report's own bad moves -----------------------------------------------------------------------------


@pytest.fixture
def draft(store: Store) -> tuple[int, int, int]:
    """(period id, report id, version) of a saved draft of Oaxaca with one milestone line."""
    milestone_id = add_milestone(store)
    period_id = open_quarter(store)
    data = {
        "narrative": "Primera versión",
        "items": [{"milestone_id": milestone_id, "progress": 20, "status": "in_progress"}],
    }
    version = reporting.save_draft(store, OWN, period_id, OAXACA, data, None)
    return period_id, reporting.get_report(store, OWN, period_id, OAXACA).id, version


def test_a_second_submit_is_refused_and_says_why(store: Store, draft: tuple[int, int, int]) -> None:
    _, report_id, version = draft
    submitted = reporting.submit_report(store, OWN, report_id, version)

    with pytest.raises(TransitionRefused) as caught:
        reporting.submit_report(store, OWN, report_id, submitted)
    with pytest.raises(ConflictError):
        reporting.submit_report(store, OWN, report_id, version)  # the double click, from the old version

    assert caught.value.message("es") == (
        "No se puede enviar a revisión: el informe está enviado. Actualice la página para ver su estado actual."
    )
    assert caught.value.message("en").startswith("Cannot submit for review: the report is submitted.")


def test_approving_a_draft_is_refused_and_changes_nothing(store: Store, draft: tuple[int, int, int]) -> None:
    period_id, report_id, version = draft

    with pytest.raises(TransitionRefused) as caught:
        reporting.approve_report(store, WORKING_GROUP, report_id, version)

    assert "aprobar" in caught.value.message("es") and "borrador" in caught.value.message("es")
    report = reporting.get_report(store, WORKING_GROUP, period_id, OAXACA)
    assert (report.status, report.version) == ("draft", version)


def test_a_submitted_report_is_frozen(store: Store, draft: tuple[int, int, int]) -> None:
    period_id, report_id, version = draft
    submitted = reporting.submit_report(store, OWN, report_id, version)

    with pytest.raises(TransitionRefused):
        reporting.save_draft(store, OWN, period_id, OAXACA, {"narrative": "cambio tardío"}, submitted)

    assert reporting.get_report(store, OWN, period_id, OAXACA).narrative == "Primera versión"


def test_two_people_editing_one_draft_get_a_conflict_and_nothing_is_lost(
    store: Store, draft: tuple[int, int, int]
) -> None:
    period_id, _, version = draft
    reporting.save_draft(store, OWN, period_id, OAXACA, {"narrative": "La secretaría escribió esto"}, version)

    with pytest.raises(ConflictError) as caught:
        reporting.save_draft(
            store, SPECIALIST, period_id, OAXACA, {"narrative": "El especialista, a la vez"}, version
        )
    with pytest.raises(ConflictError):  # two first saves of a report nobody had started
        reporting.save_draft(store, SPECIALIST, period_id, OAXACA, {"narrative": "otra"}, None)

    kept = reporting.get_report(store, OWN, period_id, OAXACA)
    assert (kept.narrative, kept.version) == ("La secretaría escribió esto", version + 1)
    assert caught.value.current["narrative"] == "La secretaría escribió esto"
    assert "Otra persona guardó" in caught.value.message("es")


def test_a_complete_milestone_needs_evidence_and_a_file_counts(
    store: Store, draft: tuple[int, int, int]
) -> None:
    period_id, _, version = draft
    milestone_id = add_milestone(store)
    line = {"milestone_id": milestone_id, "progress": 100, "status": "complete"}

    with pytest.raises(ValidationError) as caught:
        reporting.save_draft(store, OWN, period_id, OAXACA, {"items": [line]}, version)
    info = upload(store, "acta.pdf", PDF_BYTES)
    saved = reporting.save_draft(
        store, OWN, period_id, OAXACA, {"items": [{**line, "evidence_file_id": info.id}]}, version
    )

    assert "evidencia" in caught.value.message("es")
    assert saved == version + 1
