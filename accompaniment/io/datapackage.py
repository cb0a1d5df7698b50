"""The public data set as a Frictionless (Tabular) Data Package: ``datapackage.json`` plus one CSV per entity.

The package is always built as the public sees the data (``access.PUBLIC``), whoever asks for it, so it can be
published as is: no personal data, no private notes, no accounts, no audit log. Each resource carries a Table
Schema with field types, its primary key and its foreign keys, so the files can be validated and joined by any
Frictionless tool. Licence: CC-BY-4.0.

The tables are streamed (issue 18): each CSV is written by the database (``io.export.write_csv_rows``) straight into
its file or its zip entry, so neither ``write_datapackage`` nor ``write_datapackage_zip`` holds a table in memory.
``build_datapackage`` (every file as bytes) remains for callers that want the files in hand.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from accompaniment import i18n
from accompaniment.access import PUBLIC
from accompaniment.io.calendar import national_calendar
from accompaniment.io.export import write_csv_rows
from accompaniment.io.scorecard_schema import indicator_field
from accompaniment.store.database import Store
from accompaniment.store.export_queries import PUBLIC_ENTITIES, ExportTable

PACKAGE_NAME = "stl-accompaniment-monitor"
LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}
SOURCES = [
    {
        "title": "APERTUS, public platform of the fellows programme (GobiernoFacil/agentes-v2)",
        "path": "https://github.com/GobiernoFacil/agentes-v2",
    },
    {"title": "INEGI, Marco Geoestadístico (state codes and names)", "path": "https://www.inegi.org.mx/"},
    {
        "title": "United Nations, Transforming our world: the 2030 Agenda for Sustainable Development (A/RES/70/1)",
        "path": "https://sdgs.un.org/2030agenda",
    },
    {
        "title": "Open Government Partnership, Articles of Governance (OGP values)",
        "path": "https://www.opengovpartnership.org/",
    },
]
DESCRIPTOR = "datapackage.json"
CALENDAR = "calendar/national.ics"


def _field(name: str, kind: str, lang: str) -> dict[str, Any]:
    field: dict[str, Any] = {"name": name, "type": kind}
    for key in (f"io.column.{name}", f"fields.{name}"):
        if i18n.has(key, lang):
            field["title"] = i18n.t(key, lang)
            break
    if kind == "boolean":
        field["trueValues"], field["falseValues"] = ["true"], ["false"]
    field.update(indicator_field(name, lang))  # the scorecard's definitions (issue 16)
    return field


def _one_or_many(names: tuple[str, ...]) -> str | list[str]:
    return names[0] if len(names) == 1 else list(names)


def resource_descriptor(table: ExportTable, lang: str) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [_field(c.name, c.type, lang) for c in table.columns],
        "primaryKey": _one_or_many(table.primary_key),
        "missingValues": [""],
    }
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {
                "fields": _one_or_many(fk.fields),
                "reference": {"resource": fk.resource, "fields": _one_or_many(fk.reference)},
            }
            for fk in table.foreign_keys
        ]
    title_key = f"io.entity.{table.name}"
    return {
        "name": table.name,
        "title": i18n.t(title_key, lang) if i18n.has(title_key, lang) else table.name,
        "path": f"data/{table.name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"delimiter": ",", "header": True},
        "schema": schema,
    }


def _descriptor(resources: list[dict[str, Any]], created: datetime, lang: str) -> bytes:
    descriptor = {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": i18n.t("io.datapackage.title", lang),
        "description": i18n.t("io.datapackage.description", lang),
        "keywords": ["gobierno abierto", "open government", "STL", "Agenda 2030", "México"],
        "created": created.isoformat().replace("+00:00", "Z"),
        "licenses": [LICENCE],
        "sources": SOURCES,
        "resources": resources,
    }
    return json.dumps(descriptor, ensure_ascii=False, indent=2).encode("utf-8")


def stream_datapackage(
    store: Store,
    opener: Callable[[str], BinaryIO],
    lang: str = i18n.DEFAULT_LANGUAGE,
    now: datetime | None = None,
) -> list[str]:
    """Write the package's files, each into ``opener(relative path)`` (closed here), in the order
    ``build_datapackage`` lists them: ``data/<entity>.csv``, ``datapackage.json``, the calendar. Returns the paths."""
    resources = []
    written = []
    for name in PUBLIC_ENTITIES:
        relative = f"data/{name}.csv"
        with opener(relative) as out:
            table = write_csv_rows(store, PUBLIC, name, out, excel=False, lang=lang)
        resources.append(resource_descriptor(table, lang))
        written.append(relative)
    created = (now or datetime.now(UTC)).replace(microsecond=0)
    with opener(DESCRIPTOR) as out:
        out.write(_descriptor(resources, created, lang))
    with opener(CALENDAR) as out:
        out.write(national_calendar(store, lang, now=created))  # issue 14: public events, beside the tables
    return [*written, DESCRIPTOR, CALENDAR]


def build_datapackage(
    store: Store, lang: str = i18n.DEFAULT_LANGUAGE, now: datetime | None = None
) -> dict[str, bytes]:
    """The package's files by relative path: ``data/<entity>.csv``, ``datapackage.json`` and the calendar."""
    with tempfile.TemporaryDirectory(prefix="accompaniment-package-") as folder:
        paths = write_datapackage(store, Path(folder), lang, now=now)
        files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in paths}
    order = [*(p for p in files if p.startswith("data/")), DESCRIPTOR, CALENDAR]
    return {relative: files[relative] for relative in order}


def write_datapackage(
    store: Store, out_dir: Path, lang: str = i18n.DEFAULT_LANGUAGE, now: datetime | None = None
) -> list[Path]:
    """Write the package into ``out_dir``; returns the files written, the descriptor first."""

    def opener(relative: str) -> BinaryIO:
        path = out_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        return path.open("wb")

    relatives = stream_datapackage(store, opener, lang, now)
    return [out_dir / r for r in [DESCRIPTOR, *(r for r in relatives if r != DESCRIPTOR)]]


def write_datapackage_zip(
    store: Store, out: BinaryIO, lang: str = i18n.DEFAULT_LANGUAGE, now: datetime | None = None
) -> None:
    """The package as one zip file written into ``out``, each file compressed as it is written."""
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        stream_datapackage(store, lambda relative: archive.open(f"{PACKAGE_NAME}/{relative}", "w"), lang, now)


def datapackage_zip(store: Store, lang: str = i18n.DEFAULT_LANGUAGE) -> bytes:
    """The package as one zip file, for a download button (built in a temporary file: only the zip is held)."""
    with tempfile.TemporaryFile() as spool:
        write_datapackage_zip(store, spool, lang)
        spool.seek(0)
        return spool.read()
