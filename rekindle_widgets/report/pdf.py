"""A report as an A4 PDF (fpdf2, with a bundled Unicode font).

:class:`PdfWriter` lays out one :class:`~.model.Report`: the title block, then
each section (headings kept with what follows them, short sections and tables
kept on one page), every page footed with the disclaimer and its number.
DejaVu Sans (shipped with matplotlib) prints most languages; a CJK font is
loaded only when the text needs one, and characters no font has print as a
placeholder, with a note saying so (never silently).
"""

from __future__ import annotations

import io
from functools import cache
from typing import Any

from .. import __version__
from ..fonts import PLACEHOLDER, dejavu, fallback_font, missing_characters
from .model import FULL_WIDTH_IN, Block, Chart, Paragraph, Report, Section, Table, map_text, texts

__all__ = ["PdfWriter", "render_pdf"]

INK = (31, 41, 55)
MUTED = (107, 114, 128)
ALERT = (180, 83, 9)
LINE = (229, 231, 235)
Colour = tuple[int, int, int]


def _missing_note(missing: frozenset[str]) -> str:
    return (f"{len(missing)} different character{'s' if len(missing) != 1 else ''} in this report (such as "
            "Chinese, Japanese or Korean writing, or emoji) have no font on this computer and print as "
            f"{PLACEHOLDER}. The HTML report (rekindle report -o report.html) shows every character.")


def _height_guess(block: Block) -> float:
    """About how tall a block prints, in mm (to keep short sections together; generous)."""
    if isinstance(block, Paragraph):
        lines = sum(1 + len(line) // 95 for line in block.text.split("\n")) if block.text else 0
        return 5 * lines + (5.5 if block.heading else 0) + 2
    if isinstance(block, Table):
        return 10 + 8 * len(block.rows) + (6 if block.caption else 0)
    return 1000.0  # a chart: never "short"


@cache
def _document_class() -> type:
    """An FPDF whose pages end in ``footer_text`` and the page number (fpdf2 loads only for a PDF)."""
    from fpdf import FPDF

    class Document(FPDF):
        footer_text = ""

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("DejaVu", "", 7.5)
            self.set_text_color(*MUTED)
            self.cell(0, 5, f"{self.footer_text}    Page {self.page_no()} of {{nb}}", align="C")

    return Document


class PdfWriter:
    """Lays out one report on A4 pages: ``PdfWriter(report).write()`` -> PDF bytes.

    Characters no available font has are replaced by a placeholder before
    layout (and :attr:`missing` says which), so what prints is what was measured.
    """

    def __init__(self, report: Report):
        regular, bold = dejavu()
        missing = missing_characters(texts(report), [regular])
        extra = fallback_font() if missing else None  # loading a CJK font costs a second: only when needed
        if extra:
            missing = missing_characters(missing, [extra[1]])
        if missing:
            table = dict.fromkeys(map(ord, missing), PLACEHOLDER)
            report = map_text(report, lambda text: text.translate(table))
        self.report = report
        self.missing = missing

        pdf = _document_class()(format="A4", unit="mm")
        pdf.footer_text = report.footer
        pdf.set_margins(16, 16, 16)
        pdf.set_auto_page_break(True, margin=18)
        pdf.add_font("DejaVu", "", str(regular))
        pdf.add_font("DejaVu", "B", str(bold))
        fallbacks = ["DejaVu"]  # bold DejaVu lacks some letters (Arabic, for one) that the regular face has
        if extra:
            pdf.add_font("Fallback", "", str(extra[1]))
            fallbacks.append("Fallback")
        pdf.set_fallback_fonts(fallbacks, exact_match=False)
        pdf.set_text_shaping(use_shaping_engine=True)  # joins Arabic letters, orders right-to-left text
        pdf.set_title(f"{report.title} · {report.subtitle}")
        pdf.set_creator(f"Rekindle {__version__}")
        pdf.set_creation_date(report.generated)
        pdf.set_lang("en")
        pdf.alias_nb_pages()
        self.pdf: Any = pdf
        self.width: float = 0.0

    def write(self) -> bytes:
        """The whole report as PDF bytes."""
        self.pdf.add_page()
        self.width = self.pdf.epw
        self.title_block()
        for section in self.report.sections:
            self.section(section)
        return bytes(self.pdf.output())

    # -- pieces ----------------------------------------------------------------

    def text(self, value: str, size: float = 10, style: str = "", colour: Colour = INK,
             gap: float = 1.5, line: float = 1.45) -> None:
        """A paragraph across the page, right-aligned when it reads right to left (e.g. a Hebrew note)."""
        from fpdf.bidi import auto_detect_base_direction
        from fpdf.enums import TextDirection, XPos, YPos

        pdf = self.pdf
        pdf.set_font("DejaVu", style, size)
        pdf.set_text_color(*colour)
        align = "R" if auto_detect_base_direction(value) == TextDirection.RTL else "L"
        pdf.multi_cell(self.width, size * 0.3528 * line, value, align=align, new_x=XPos.LMARGIN,
                       new_y=YPos.NEXT)
        pdf.ln(gap)

    def heading(self, value: str, colour: Colour = INK) -> None:
        """A section heading with a rule under it; never the last thing on a page."""
        pdf = self.pdf
        if pdf.will_page_break(30):
            pdf.add_page()
        pdf.ln(3)
        self.text(value, 14, "B", colour, gap=0.5)
        pdf.set_draw_color(*LINE)
        pdf.set_line_width(0.5)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + self.width, pdf.get_y())
        pdf.ln(3)

    def title_block(self) -> None:
        """Title, subtitle, the disclaimer in a box, the facts, and the missing-font note if any."""
        from fpdf.enums import XPos, YPos

        pdf, report = self.pdf, self.report
        self.text(report.title, 22, "B", gap=0.5, line=1.2)
        self.text(report.subtitle, 13, colour=MUTED, gap=2)
        pdf.set_fill_color(249, 250, 251)
        pdf.set_draw_color(209, 213, 219)
        pdf.set_font("DejaVu", "B", 9.5)
        pdf.set_text_color(*INK)
        pdf.cell(pdf.get_string_width(report.disclaimer) + 8, 7, report.disclaimer, border=1, fill=True,
                 new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="C")
        pdf.ln(4)
        for key, value in report.facts:
            pdf.set_font("DejaVu", "", 10)
            pdf.set_text_color(*MUTED)
            pdf.cell(38, 6, key)
            pdf.set_font("DejaVu", "B", 10)
            pdf.set_text_color(*INK)
            pdf.multi_cell(self.width - 38, 6, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)
        if self.missing:
            self.text(_missing_note(self.missing), 8.5, colour=MUTED, gap=2)

    def _keep_together(self, section: Section) -> None:
        """Start a new page rather than split a heading from its chart, or a short section in two."""
        pdf = self.pdf
        first = section.blocks[0] if section.blocks else None
        if isinstance(first, Chart):  # a heading goes over with its first chart, never alone at a page's foot
            need = min(self.width, self.width * first.width_in / FULL_WIDTH_IN) * first.aspect + 45
            if need < pdf.eph and pdf.will_page_break(need):
                pdf.add_page()
        elif first is not None:  # a short section (a session, say) is kept on one page
            need = 16 + sum(_height_guess(b) for b in section.blocks)
            if need < pdf.eph / 2 and pdf.will_page_break(need):
                pdf.add_page()

    def section(self, section: Section) -> None:
        self._keep_together(section)
        self.heading(section.title, ALERT if section.kind == "safety" else INK)
        for block, after in zip(section.blocks, (*section.blocks[1:], None), strict=True):
            if isinstance(block, Paragraph):
                if block.heading and isinstance(after, Table):
                    self._keep_with_table(block, after)
                self.paragraph(block)
            elif isinstance(block, Table):
                self.table(block)
            elif isinstance(block, Chart):
                self.chart(block)

    def _keep_with_table(self, lead: Paragraph, table: Table) -> None:
        """A headed paragraph goes over with the table it introduces (a questionnaire's answers, say).

        A short table is kept on one page (see :meth:`table`); without this its
        heading would be left alone at the foot of the page before it.
        """
        pdf = self.pdf
        rows = _height_guess(table)
        need = _height_guess(lead) + (rows if rows < pdf.eph / 2 else 30)
        if need < pdf.eph and pdf.will_page_break(need):
            pdf.add_page()

    def paragraph(self, block: Paragraph) -> None:
        if block.heading:
            self.text(block.heading, 10, "B", MUTED if block.style == "note" else INK, gap=0.3)
        if block.text:
            colour = ALERT if block.style == "alert" else MUTED if block.style == "muted" else INK
            size = 9 if block.style in ("muted", "note") else 10
            self.text(block.text, size, "B" if block.style == "alert" else "", colour,
                      gap=3 if block.style == "note" else 1.5)

    def table(self, block: Table) -> None:
        from fpdf.fonts import FontFace

        pdf = self.pdf
        guess = _height_guess(block)  # mm, roughly
        if guess < pdf.eph / 2 and pdf.will_page_break(guess):
            pdf.add_page()  # a short table stays on one page
        if block.caption:
            self.text(block.caption, 9.5, "B", gap=0.5)
        pdf.set_font("DejaVu", "", 8.5)
        pdf.set_text_color(*INK)
        pdf.set_draw_color(*LINE)
        pdf.set_line_width(0.2)
        widths = block.widths or tuple(1.0 for _ in block.columns)
        with pdf.table(col_widths=widths, width=self.width, text_align="LEFT", line_height=4.2,
                       headings_style=FontFace(emphasis="BOLD", fill_color=(243, 244, 246)),
                       borders_layout="HORIZONTAL_LINES", padding=1.2, align="LEFT") as t:
            head = t.row()
            for c in block.columns:
                head.cell(c)
            for row in block.rows:
                r = t.row()
                for c in row:
                    r.cell(c)
        pdf.ln(2.5)

    def chart(self, block: Chart) -> None:
        """A chart at its own scale (a narrow one is not blown up), its title above, its description below."""
        pdf = self.pdf
        w = min(self.width, self.width * block.width_in / FULL_WIDTH_IN)
        h = w * block.aspect
        if pdf.will_page_break(h + 22):
            pdf.add_page()
        self.text(block.title, 11, "B", gap=0.5)
        pdf.image(io.BytesIO(block.png), x=pdf.l_margin, w=w, h=h, alt_text=block.description)
        pdf.set_y(pdf.get_y() + 1.5)
        self.text(block.description, 8.5, colour=MUTED, gap=4)


def render_pdf(report: Report) -> bytes:
    """The report as an A4 PDF (fpdf2), every page footed with the disclaimer and page number."""
    return PdfWriter(report).write()
