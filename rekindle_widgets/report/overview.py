"""The practice overview (:mod:`rekindle_widgets.model.overview`) as a report, a CSV file, or either on disk."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from ..errors import RekindleError
from ..io.export import neutralise
from ..model.overview import CLIENT_COLUMNS, OUTCOME_COLUMNS, Overview, _client_cells
from ..model.reliable_change import NOT_A_DIAGNOSIS
from ..paths import write_private
from .html import render_html
from .model import Paragraph, Report, Section, Table

__all__ = ["overview_csv", "overview_report", "write_overview"]


def overview_csv(overview: Overview) -> str:
    """The overview as CSV: one ``client`` row per client, then one ``practice`` row per scale (no client named).

    Cells a spreadsheet would run as a formula are neutralised as in Rekindle's exports.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(("row", *CLIENT_COLUMNS, *OUTCOME_COLUMNS))
    blank_outcome = ("",) * len(OUTCOME_COLUMNS)
    def cell(text: str) -> str:
        return "" if text == "-" else neutralise(text)

    for row in overview.rows:
        writer.writerow(("client", *map(cell, _client_cells(row, overview.day)), *blank_outcome))
    for scale in overview.outcomes:
        writer.writerow(("practice", *("",) * len(CLIENT_COLUMNS), *map(cell, scale.cells())))
    return out.getvalue()


def overview_report(overview: Overview) -> Report:
    """The overview as a :class:`~rekindle_widgets.report.Report` (for :func:`~rekindle_widgets.report.render_html`)."""

    report = Report(title="Practice overview", subtitle=f"{len(overview.rows)} clients · {overview.day.isoformat()}",
                    facts=[("Clients", str(len(overview.rows))), ("Alerts", str(overview.alerts))],
                    disclaimer=NOT_A_DIAGNOSIS)
    flagged = [(r, a) for r in overview.rows for a in r.alerts]
    if flagged:
        report.sections.append(Section("Alerts", tuple(
            Paragraph(a.text, "alert", heading=f"{r.id} ({r.alias}) · {a.title}") for r, a in flagged)))
    cells = [_client_cells(r, overview.day) for r in overview.rows]
    rows = tuple((f"{c[1]} ({c[0]})", *c[2:]) for c in cells)  # alias and id in one column: a narrower table
    report.sections.append(Section("Clients", (Table(
        ("client", *CLIENT_COLUMNS[2:]), rows, widths=(1.4, 1.8, 2.6, 2, 1.4)),) if rows
        else (Paragraph("No clients yet."),)))
    report.sections.append(Section("Across the practice (anonymised)", (
        Table(OUTCOME_COLUMNS, tuple(o.cells() for o in overview.outcomes)),
        Paragraph("Improvement and deterioration are counted among the clients with two or more scores on a "
                  "scale, comparing their latest score with their first. Recovery is counted among those whose "
                  "first score was at or past the scale's cut-off. " + NOT_A_DIAGNOSIS, "muted"))))
    return report


def write_overview(overview: Overview, path: Any) -> str:
    """Write the overview to ``path`` (.html or .csv, whole or not at all); returns the kind written."""
    target = Path(path).expanduser()
    kind = target.suffix.lower()
    if kind not in (".html", ".csv"):
        raise RekindleError(f"cannot write the overview as {target.name!r}: give a file ending in .html or .csv")
    if target.is_dir() or not target.parent.is_dir():
        raise RekindleError(f"cannot write {target}: give a file name in a folder that exists")
    if kind == ".csv":
        write_private(target, overview_csv(overview))
    else:
        write_private(target, render_html(overview_report(overview)))
    return kind[1:]
