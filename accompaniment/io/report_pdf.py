"""The printable page: an A4 document with headings, tables and simple bar charts, drawn with fpdf2.

The font is DejaVu Sans Condensed, shipped in ``io/fonts`` (a Unicode subset), so reports print accents, ñ,
dashes and quotes the same on any machine, with no system fonts. Charts are drawn as vector bars, so their labels
stay sharp, searchable and readable by a screen reader; no chart renderer is needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

FONT_DIR = Path(__file__).parent / "fonts"
FAMILY = "DejaVuCondensed"
INK = (33, 37, 41)
MUTED = (108, 117, 125)
ACCENT = (0, 84, 147)
RULE = (206, 212, 218)
HEADING_FILL = (233, 239, 246)
BAND_FILL = (246, 248, 250)
# Bars by position; sectors and genders keep their order across charts so a colour always means the same thing.
PALETTE = [
    (0, 84, 147),
    (219, 112, 41),
    (64, 145, 108),
    (155, 89, 182),
    (200, 66, 66),
    (120, 120, 120),
    (212, 175, 55),
]


class ReportDocument(FPDF):
    """An A4 report with a running title, page numbers and the helpers the report sections use."""

    def __init__(self, title: str, page_label: str, lang: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.report_title = title
        self.page_label = page_label  # e.g. "Página {page} de {pages}"
        self.add_font(FAMILY, "", FONT_DIR / "DejaVuSansCondensed.ttf")
        self.add_font(FAMILY, "B", FONT_DIR / "DejaVuSansCondensed-Bold.ttf")
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=16)
        self.set_title(title)
        self.set_lang(lang)
        self.set_creator("STL Accompaniment Monitor")
        self.alias_nb_pages("{nb}")
        self.set_font(FAMILY, size=10)
        self.set_text_color(*INK)

    # ---- page furniture ---------------------------------------------------------------------------------------

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(FAMILY, size=8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, self.report_title, new_x="LMARGIN", new_y="NEXT")
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(3)
        self.set_text_color(*INK)
        self.set_font(FAMILY, size=10)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, size=8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, self.page_label.format(page=self.page_no(), pages="{nb}"), align="R")
        self.set_text_color(*INK)

    # ---- text -------------------------------------------------------------------------------------------------

    @property
    def content_width(self) -> float:
        return self.w - self.l_margin - self.r_margin

    def title_block(self, title: str, lines: Sequence[str]) -> None:
        self.set_font(FAMILY, "B", 18)
        self.set_text_color(*ACCENT)
        self.multi_cell(0, 9, title, align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*MUTED)
        self.set_font(FAMILY, size=9)
        for line in lines:
            self.multi_cell(0, 5, line, align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)
        self.ln(3)

    def heading(self, text: str) -> None:
        if self.will_page_break(30):
            self.add_page()
        self.ln(3)
        self.set_font(FAMILY, "B", 13)
        self.set_text_color(*ACCENT)
        self.multi_cell(0, 7, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_draw_color(*ACCENT)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(2)
        self.set_text_color(*INK)
        self.set_font(FAMILY, size=10)

    def subheading(self, text: str) -> None:
        if self.will_page_break(20):
            self.add_page()
        self.set_font(FAMILY, "B", 10.5)
        self.multi_cell(0, 6, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_font(FAMILY, size=10)

    def paragraph(self, text: str, muted: bool = False) -> None:
        self.set_font(FAMILY, size=10)
        if muted:
            self.set_text_color(*MUTED)
        self.multi_cell(0, 5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)
        self.ln(1)

    def figures(self, items: Sequence[tuple[str, str]]) -> None:
        """Headline figures in a row of boxes: (label, value)."""
        if not items:
            return
        per_row = 4
        width = self.content_width / per_row
        for start in range(0, len(items), per_row):
            if self.will_page_break(18):
                self.add_page()
            top = self.get_y()
            for index, (label, value) in enumerate(items[start : start + per_row]):
                x = self.l_margin + index * width
                self.set_fill_color(*HEADING_FILL)
                self.rect(x + 1, top, width - 2, 16, style="F")
                self.set_xy(x + 2, top + 1.5)
                self.set_font(FAMILY, "B", 13)
                self.cell(width - 4, 7, value)
                self.set_xy(x + 2, top + 8.5)
                self.set_font(FAMILY, size=8)
                self.set_text_color(*MUTED)
                self.cell(width - 4, 5, label)
                self.set_text_color(*INK)
            self.set_xy(self.l_margin, top + 18)
        self.set_font(FAMILY, size=10)

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        align: Sequence[str] | None = None,
        size: float = 8.5,
    ) -> None:
        """A table with banded rows whose header repeats on each page; ``widths`` are relative."""
        if not rows:
            return
        self.set_font(FAMILY, size=size)
        self.set_fill_color(255, 255, 255)
        self.set_draw_color(*RULE)
        style = FontFace(emphasis="BOLD", fill_color=HEADING_FILL)
        with super().table(
            col_widths=tuple(widths),
            headings_style=style,
            line_height=size * 0.54,
            text_align="LEFT",
            borders_layout="HORIZONTAL_LINES",
            padding=1,
            cell_fill_color=BAND_FILL,
            cell_fill_mode="ROWS",
            width=self.content_width,
        ) as table:
            heading = table.row()
            for text in headers:
                heading.cell(text)
            for values in rows:
                row = table.row()
                for index, value in enumerate(values):
                    row.cell(value, align=(align[index] if align else "LEFT"))
        self.ln(2)
        self.set_font(FAMILY, size=10)

    # ---- charts -----------------------------------------------------------------------------------------------

    def bars(
        self,
        title: str,
        items: Sequence[tuple[str, float, str]],
        maximum: float | None = None,
        colour: tuple[int, int, int] = ACCENT,
    ) -> None:
        """Horizontal bars: (label, value, value as text). Bars scale to ``maximum`` (default: the largest)."""
        if not items:
            return
        if title:
            self.subheading(title)
        top_value = maximum or max((value for _, value, _ in items), default=0) or 1
        label_width, value_width, height = 58.0, 16.0, 5.2
        bar_room = self.content_width - label_width - value_width
        self.set_font(FAMILY, size=8.5)
        for label, value, shown in items:
            if self.will_page_break(height + 1):
                self.add_page()
                self.set_font(FAMILY, size=8.5)
            y = self.get_y()
            self.set_x(self.l_margin)
            self.cell(label_width - 2, height, _fit(self, label, label_width - 2), align="R")
            self.set_fill_color(*RULE)
            self.rect(self.l_margin + label_width, y + 1, bar_room, height - 2, style="F")
            self.set_fill_color(*colour)
            length = max(0.0, min(value / top_value, 1.0)) * bar_room
            if length > 0:
                self.rect(self.l_margin + label_width, y + 1, length, height - 2, style="F")
            self.set_xy(self.l_margin + label_width + bar_room + 1, y)
            self.cell(value_width - 1, height, shown, new_x="LMARGIN", new_y="NEXT")
        self.ln(2)
        self.set_font(FAMILY, size=10)

    def stacked_bars(
        self, title: str, rows: Sequence[tuple[str, Sequence[float]]], legend: Sequence[str]
    ) -> None:
        """Horizontal stacked bars: (label, one value per legend entry), scaled to the largest total."""
        if not rows:
            return
        self.subheading(title)
        self.set_font(FAMILY, size=8)
        x = self.l_margin
        for index, name in enumerate(legend):
            self.set_fill_color(*PALETTE[index % len(PALETTE)])
            self.rect(x, self.get_y() + 1.2, 3, 3, style="F")
            self.set_x(x + 4)
            width = self.get_string_width(name) + 6
            self.cell(width, 5, name)
            x += width + 4
        self.ln(6)
        top_total = max((sum(values) for _, values in rows), default=0) or 1
        label_width, value_width, height = 58.0, 16.0, 5.2
        bar_room = self.content_width - label_width - value_width
        self.set_font(FAMILY, size=8.5)
        for label, values in rows:
            if self.will_page_break(height + 1):
                self.add_page()
                self.set_font(FAMILY, size=8.5)
            y = self.get_y()
            self.set_x(self.l_margin)
            self.cell(label_width - 2, height, _fit(self, label, label_width - 2), align="R")
            x = self.l_margin + label_width
            for index, value in enumerate(values):
                length = value / top_total * bar_room
                if length > 0:
                    self.set_fill_color(*PALETTE[index % len(PALETTE)])
                    self.rect(x, y + 1, length, height - 2, style="F")
                    x += length
            self.set_xy(self.l_margin + label_width + bar_room + 1, y)
            self.cell(value_width - 1, height, f"{int(sum(values))}", new_x="LMARGIN", new_y="NEXT")
        self.ln(2)
        self.set_font(FAMILY, size=10)


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """``text`` shortened with an ellipsis to fit ``width`` at the current font."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"
