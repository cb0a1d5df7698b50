"""The public data package is a valid Frictionless Tabular Data Package, and publishes nothing private."""

from __future__ import annotations

import io
import json
import zipfile

from frictionless import Package, validate

from accompaniment.io.datapackage import DESCRIPTOR, PACKAGE_NAME, datapackage_zip, write_datapackage
from accompaniment.store.export_queries import PUBLIC_ENTITIES
from tests.io.conftest import PRIVATE


def test_the_public_data_package_validates_with_frictionless(seeded, tmp_path):
    store, _ = seeded
    written = write_datapackage(store, tmp_path)
    assert written[0] == tmp_path / DESCRIPTOR
    Package(str(tmp_path / DESCRIPTOR))  # the descriptor itself is valid metadata
    report = validate(str(tmp_path / DESCRIPTOR))
    problems = [(task.name, error.message) for task in report.tasks for error in task.errors]
    assert report.valid, problems[:10]
    assert {task.name for task in report.tasks} == set(PUBLIC_ENTITIES)


def test_the_descriptor_declares_licence_sources_types_and_keys(seeded_duckdb, tmp_path):
    store, _ = seeded_duckdb
    write_datapackage(store, tmp_path)
    descriptor = json.loads((tmp_path / DESCRIPTOR).read_text(encoding="utf-8"))
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["sources"] and all(source["title"] for source in descriptor["sources"])
    resources = {r["name"]: r for r in descriptor["resources"]}
    sessions = resources["dialogue_session"]["schema"]
    types = {f["name"]: f["type"] for f in sessions["fields"]}
    assert (
        types["held_on"] == "date"
        and types["participant_total"] == "integer"
        and types["is_demo"] == "boolean"
    )
    assert sessions["primaryKey"] == "id"
    assert {"fields": "state_code", "reference": {"resource": "state", "fields": "code"}} in sessions[
        "foreignKeys"
    ]
    links = resources["commitment_sdg_target"]["schema"]
    assert links["primaryKey"] == ["commitment_id", "target_code"]
    assert all("schema" in r and r["path"] == f"data/{r['name']}.csv" for r in resources.values())


def test_a_broken_foreign_key_is_caught_by_the_validation(seeded_duckdb, tmp_path):
    """Guards the test above: frictionless really checks the declared foreign keys."""
    store, _ = seeded_duckdb
    write_datapackage(store, tmp_path)
    path = tmp_path / "data" / "participation.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[1] = "999999"
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = validate(str(tmp_path / DESCRIPTOR))
    assert not report.valid
    assert any(error.type == "foreign-key" for task in report.tasks for error in task.errors)


def test_no_file_of_the_data_package_holds_personal_data_or_private_notes(seeded, tmp_path):
    store, _ = seeded
    out = tmp_path / "package"
    written = write_datapackage(store, out)
    assert len(written) == len(PUBLIC_ENTITIES) + 2  # the descriptor and the national calendar (issue 14)
    assert sorted(written) == sorted(p for p in out.rglob("*") if p.is_file())
    for path in written:
        content = path.read_bytes()
        for marker in PRIVATE.values():
            assert marker.encode() not in content, (path.name, marker)
    header = (out / "data" / "member.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "person_" not in header


def test_the_zipped_package_holds_the_same_files(seeded_duckdb):
    store, _ = seeded_duckdb
    with zipfile.ZipFile(io.BytesIO(datapackage_zip(store))) as archive:
        names = set(archive.namelist())
        assert f"{PACKAGE_NAME}/{DESCRIPTOR}" in names
        assert {f"{PACKAGE_NAME}/data/{name}.csv" for name in PUBLIC_ENTITIES} <= names
        for name in names:
            content = archive.read(name)
            assert not any(marker.encode() in content for marker in PRIVATE.values())
