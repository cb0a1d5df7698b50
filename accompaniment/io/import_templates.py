"""The empty files to fill in: one per kind, CSV or XLSX, with the Spanish headers the importer reads; the XLSX
adds a sheet that says, for each column, whether it is required and which values it takes."""

from __future__ import annotations

from accompaniment import i18n
from accompaniment.io import import_format as fmt
from accompaniment.io.import_rows import DATES, NUMBERS
from accompaniment.io.tabular import write_csv, write_xlsx
from accompaniment.store.imports import ImportKind


def _accepted(kind: ImportKind, column: str, lang: str) -> str:
    if column == "status":
        enum_class = fmt.STATUS_ENUM[kind]
    else:
        enum_class = fmt.ENUMS.get(column)
    if enum_class is not None:
        labels = [i18n.t(f"enum.{enum_class.__name__}.{m.value}", lang) for m in enum_class]
        return "; ".join(labels)
    if column in DATES:
        return i18n.t("io.template.date", lang)
    if column in NUMBERS or column.startswith("participants_"):
        return i18n.t("io.template.number", lang)
    if column in ("organizations", "sdg_targets"):
        return i18n.t(f"io.template.{column}", lang)
    if column == "state_code":
        return i18n.t("io.template.state", lang)
    if column == "proactive":
        return i18n.t("io.template.yes_no", lang)
    return i18n.t("io.template.text", lang)


def template(kind: ImportKind | str, file_format: str, lang: str = i18n.DEFAULT_LANGUAGE) -> bytes:
    """An empty file of ``kind`` with the Spanish headers; the XLSX adds a sheet explaining each column."""
    kind = ImportKind(kind)
    headers = [fmt.column_label(kind, c.name, "es") for c in fmt.COLUMNS[kind]]
    if file_format == "csv":
        return write_csv(headers, [])
    yes, no = i18n.t("common.yes", lang), i18n.t("common.no", lang)
    guide = [
        (fmt.column_label(kind, c.name, "es"), yes if c.required else no, _accepted(kind, c.name, lang))
        for c in fmt.COLUMNS[kind]
    ]
    guide_header = [
        i18n.t("io.template.column", lang),
        i18n.t("io.template.required", lang),
        i18n.t("io.template.accepted", lang),
    ]
    return write_xlsx(
        [
            (i18n.t(f"io.kind.{kind.value}", "es"), headers, []),
            (i18n.t("io.template.guide", lang), guide_header, guide),
        ]
    )
