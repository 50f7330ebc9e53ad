"""The one-call API: a journal's report as HTML text, PDF bytes, or a private file.

::

    html = html_report(journal, since="2026-03-01")
    pdf = pdf_report(journal)
    write_report(journal, "report.pdf")          # .html, .htm or .pdf; written privately (0600)
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import RekindleError
from .build import build_report, build_session_report
from .html import render_html
from .pdf import render_pdf

if TYPE_CHECKING:
    from ..journal import Journal

__all__ = ["SUFFIXES", "html_report", "pdf_report", "report_format", "write_report", "write_session_report"]

SUFFIXES = {".html": "html", ".htm": "html", ".pdf": "pdf"}


def html_report(journal: Journal, since: date | str | None = None, until: date | str | None = None,
                **options: Any) -> str:
    """The report as one self-contained HTML page (options: see :func:`build_report`)."""
    return render_html(build_report(journal, since, until, **options))


def pdf_report(journal: Journal, since: date | str | None = None, until: date | str | None = None,
               **options: Any) -> bytes:
    """The report as PDF bytes (options: see :func:`build_report`)."""
    return render_pdf(build_report(journal, since, until, **options))


def report_format(path: str | os.PathLike[str]) -> str:
    """"html" or "pdf" from the file name; anything else is a mistake the person can fix."""
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise RekindleError(f"cannot tell the report format from {str(path)!r}; "
                            "end the file name in .html or .pdf")
    return SUFFIXES[suffix]


def write_report(journal: Journal, path: str | os.PathLike[str], since: date | str | None = None,
                 until: date | str | None = None, **options: Any) -> Path:
    """Write the report to ``path`` (.html/.htm or .pdf), whole or not at all, readable by you only."""
    from ..paths import write_private

    fmt = report_format(path)
    report = build_report(journal, since, until, **options)
    data: str | bytes = render_html(report) if fmt == "html" else render_pdf(report)
    return write_private(path, data)


def write_session_report(journal: Journal, path: str | os.PathLike[str], since: date | str | None = None,
                         until: date | str | None = None, **options: Any) -> Path:
    """Write a client's session report to ``path`` (.html/.htm or .pdf), whole or not at all, privately."""
    from ..paths import write_private

    fmt = report_format(path)
    report = build_session_report(journal, since, until, **options)
    return write_private(path, render_html(report) if fmt == "html" else render_pdf(report))
