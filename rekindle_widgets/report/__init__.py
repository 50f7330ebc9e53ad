"""Reports: the journal as one self-contained HTML page or a PDF.

A report is built once as plain data and rendered twice, so both formats say
the same thing::

    html = html_report(journal, since="2026-03-01")
    pdf = pdf_report(journal)
    write_report(journal, "report.pdf")          # .html, .htm or .pdf; written privately (0600)

The package, one concern a module:

- :mod:`.model`: the document: :class:`Report` (title, facts, sections),
  :class:`Section`, and its blocks :class:`Paragraph`, :class:`Table`,
  :class:`Chart`. Plain frozen data.
- :mod:`.build`: journal -> :class:`Report`: :func:`build_report` (the
  person's own report) and :func:`build_session_report` (a therapist's report
  on one client: the same plus their sessions and goals).
- :mod:`.html`: :func:`render_html`, one page that loads nothing and runs no
  script; every piece of text escaped.
- :mod:`.pdf`: :func:`render_pdf` and the :class:`~.pdf.PdfWriter` that lays
  out A4 pages, embedding DejaVu Sans (shipped with matplotlib) so any
  language prints.
- :mod:`.files`: the one-call API above, and the file suffix -> format rule.

What a report holds: the date range, days tracked, mood, each chart with a
description in words (its alt text), the stage summary, the latest result of
each questionnaire, recent notes, and, if a safety flag was ever raised, the
safety services from the guide (never a danger score). Every page says it is
self-reported and not a diagnosis.

Other reports reuse this: pass ``title``/``subtitle``, ``extra_sections``
(your own :class:`Section` objects, placed after the overview), and
``anonymise=True`` to leave out every free-text note and free-text answer.
"""

from __future__ import annotations

from .build import (
    ANONYMISED,
    CHART_TITLES,
    CHARTS,
    RECENT_NOTES,
    SESSION_SOURCE,
    SESSION_TITLE,
    build_report,
    build_session_report,
    change_sections,
    client_label,
    goal_names,
    session_sections,
)
from .files import SUFFIXES, html_report, pdf_report, report_format, write_report, write_session_report
from .html import render_html, sections_html
from .model import DISCLAIMER, FULL_WIDTH_IN, Block, Chart, Paragraph, Report, Section, Table
from .pdf import PdfWriter, render_pdf

__all__ = [
    "ANONYMISED",
    "CHARTS",
    "CHART_TITLES",
    "DISCLAIMER",
    "FULL_WIDTH_IN",
    "RECENT_NOTES",
    "SESSION_SOURCE",
    "SESSION_TITLE",
    "SUFFIXES",
    "Block",
    "Chart",
    "Paragraph",
    "PdfWriter",
    "Report",
    "Section",
    "Table",
    "build_report",
    "build_session_report",
    "change_sections",
    "client_label",
    "goal_names",
    "html_report",
    "pdf_report",
    "render_html",
    "render_pdf",
    "report_format",
    "sections_html",
    "session_sections",
    "write_report",
    "write_session_report",
]
