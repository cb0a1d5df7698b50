"""What both printable reports share: the reporting period, wording and formatting in the report's language, the
opening block of the first page, and the participation table and chart."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import pandas as pd

from accompaniment import i18n
from accompaniment.demo import has_demo_data
from accompaniment.domain.enums import Gender, Sector
from accompaniment.domain.errors import ValidationError
from accompaniment.store.database import Store

if TYPE_CHECKING:  # fpdf2 is imported when a report is drawn, not by a page that only offers one (issue 18)
    from accompaniment.io.report_pdf import ReportDocument

DEFAULT_PERIOD_DAYS = 365


def default_period(today: date) -> tuple[date, date]:
    return today - timedelta(days=DEFAULT_PERIOD_DAYS - 1), today


def report_period(today: date, start: date | None, end: date | None, lang: str) -> tuple[date, date]:
    """The period a report covers (the default one where a bound is missing); a reversed period or a language
    the catalogues do not have is refused with a message that names it (issue 20), never a blank report."""
    if lang not in i18n.LANGUAGES:
        raise ValidationError.single(
            "report_language", "unknown_language", value=lang, choices=", ".join(i18n.LANGUAGES)
        )
    default_start, default_end = default_period(today)
    start, end = start or default_start, end or default_end
    if end < start:
        raise ValidationError.single("period_end", "end_before_start")
    return start, end


class ReportText:
    """Catalogue lookups and number, date and label formatting in one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, key: str, **params: object) -> str:
        return i18n.t(f"io.report.{key}", self.lang, **params)

    def label(self, enum_name: str, value: object) -> str:
        raw = getattr(value, "value", value)
        if raw is None or (isinstance(raw, float) and pd.isna(raw)):
            return "—"
        return i18n.t(f"enum.{enum_name}.{int(raw) if enum_name == 'Phase' else raw}", self.lang)

    def date(self, value: date | None) -> str:
        return i18n.format_date(None if value is None or pd.isna(value) else value, self.lang)

    def number(self, value: float | None, decimals: int = 0) -> str:
        return i18n.format_number(None if value is None or pd.isna(value) else value, self.lang, decimals)

    def percent(self, value: float | None) -> str:
        return i18n.format_percent(None if value is None or pd.isna(value) else value, self.lang)

    def note(self, text: str) -> str:
        """Starting-record notes are catalogue keys; people's notes are shown as written."""
        return i18n.t(text, self.lang) if text and i18n.has(text, self.lang) else (text or "")


def open_document(
    store: Store, title: str, start: date, end: date, tx: ReportText, today: date
) -> ReportDocument:
    from accompaniment.io.report_pdf import ReportDocument

    pdf = ReportDocument(title, i18n.t("io.report.page", tx.lang, page="{page}", pages="{pages}"), tx.lang)
    pdf.add_page()
    lines = [
        tx("subtitle"),
        tx("period", start=tx.date(start), end=tx.date(end)),
        tx("generated", date=tx.date(today)),
    ]
    if has_demo_data(store):
        lines.append(tx("demo"))
    pdf.title_block(title, lines)
    return pdf


def participation_block(pdf: ReportDocument, participation: pd.DataFrame, tx: ReportText) -> None:
    pdf.subheading(tx("participation_header"))
    if participation.empty:
        pdf.paragraph(tx("none"), muted=True)
        return
    grid = participation.groupby(["sector", "gender"])["participants"].sum()
    genders = [g.value for g in Gender]
    sectors = [s.value for s in Sector if s.value in grid.index.get_level_values(0)]
    rows = [(tx.label("Sector", s), [float(grid.get((s, g), 0)) for g in genders]) for s in sectors]
    table_rows = [(label, *(tx.number(v) for v in values), tx.number(sum(values))) for label, values in rows]
    pdf.table(
        [tx("sector"), *(tx.label("Gender", g) for g in genders), tx("participants")],
        table_rows,
        widths=(30, 14, 14, 18, 14),
        align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
    )
    pdf.stacked_bars(tx("chart_participation"), rows, [tx.label("Gender", g) for g in genders])
