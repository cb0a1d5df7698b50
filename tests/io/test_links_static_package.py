"""The open-data package published at a stable URL (issue 13): built into the static folder, swapped in atomically,
rebuilt when the data version moves, and as public as the download."""

from __future__ import annotations

import os

from frictionless import validate

from accompaniment.io import static_package
from accompaniment.io.datapackage import DESCRIPTOR
from accompaniment.store import data_version
from tests.io.conftest import PRIVATE


def published_files(folder):
    root = folder / static_package.PUBLISHED
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_the_published_package_validates_and_holds_nothing_private(seeded, tmp_path):
    store, _ = seeded
    static_package.publish(store, tmp_path, data_version.current(store))
    assert (tmp_path / static_package.PUBLISHED).is_symlink()
    report = validate(str(tmp_path / static_package.PUBLISHED / DESCRIPTOR))
    assert report.valid, [(task.name, e.message) for task in report.tasks for e in task.errors][:5]
    everything = b"\n".join(published_files(tmp_path).values()).decode("utf-8")
    for value in PRIVATE.values():
        assert value not in everything


def test_a_refresh_builds_only_when_the_data_version_moved(seeded_duckdb, tmp_path):
    store, _ = seeded_duckdb
    version = data_version.current(store)
    assert static_package.refresh(store, tmp_path, version) is True  # nothing published yet: the start
    first = static_package.published_build(tmp_path)
    assert static_package.refresh(store, tmp_path, version) is False
    assert static_package.published_build(tmp_path) == first
    assert static_package.refresh(store, tmp_path, version + 1) is True
    assert static_package.published_build(tmp_path) != first


def test_the_swap_keeps_the_previous_build_for_a_reader_and_removes_older_ones(seeded_duckdb, tmp_path):
    store, _ = seeded_duckdb
    builds = [static_package.publish(store, tmp_path, version).name for version in (1, 2, 3)]
    kept = sorted(p.name for p in (tmp_path / static_package.BUILDS).iterdir())
    assert kept == sorted(builds[1:])
    assert static_package.published_build(tmp_path) == builds[-1]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary link left behind


def test_the_link_is_replaced_in_one_step_so_a_reader_sees_the_old_or_the_new_package(
    seeded_duckdb, tmp_path
):
    """os.replace of a symbolic link: the published path always resolves to a complete build."""
    store, _ = seeded_duckdb
    old = static_package.publish(store, tmp_path, 1)
    descriptor = (tmp_path / static_package.PUBLISHED / DESCRIPTOR).open("rb")  # a reader mid-download
    new = static_package.publish(store, tmp_path, 2)
    assert os.path.realpath(tmp_path / static_package.PUBLISHED) == str(new)
    assert descriptor.read() == (old / DESCRIPTOR).read_bytes()
    descriptor.close()


def test_the_package_urls_are_under_the_apps_static_files():
    urls = static_package.package_urls("https://stl.example.org/")
    assert urls["descriptor"] == "https://stl.example.org/app/static/open-data/datapackage.json"
