"""The practice overview in the app (the Therapist tab): every client at a glance, and outcomes, anonymised.

The numbers come from :func:`rekindle_widgets.model.overview.practice_overview`; this
page lays them out, escaped, and offers the same overview as HTML and CSV files.

Driven without a browser::

    page = PracticeOverviewPage(practice)
    page.refresh_button.click(); page.table.value; page.outcomes.value; page.downloads.value
"""

from __future__ import annotations

import html
from datetime import date
from typing import Any

import ipywidgets as w

from ..errors import RekindleError
from .base import data_link, message
from .style import Page

__all__ = ["PracticeOverviewPage"]



def _table(columns: tuple[str, ...], rows: list[tuple[str, ...]], cls: str) -> str:
    head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in columns)
    body = "".join("<tr>" + "".join(f'<td data-label="{html.escape(col, quote=True)}">{html.escape(c)}</td>'
                                    for col, c in zip(columns, row, strict=True)) + "</tr>" for row in rows)
    return f'<table class="rk-ov-table {cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


class PracticeOverviewPage(Page):
    """Per client: latest scores, change, what is due, alerts; across the practice: outcomes, no client named."""

    def __init__(self, practice: Any, **kwargs: Any):
        self.practice = practice
        self.overview: Any = None
        self.refresh_button = w.Button(description="Refresh overview", icon="refresh", layout=w.Layout(width="auto"),
                                       tooltip="Read every client's journal again")
        self.status = w.HTML()
        self.alerts = w.HTML()
        self.table = w.HTML()
        self.outcomes = w.HTML()
        self.downloads = w.HTML()
        self.refresh_button.on_click(lambda _b: self.refresh())
        super().__init__([w.HTML("<h3 class='rk-h'>Practice overview</h3>"),
                          w.HBox([self.refresh_button]), self.status, self.alerts, self.table,
                          w.HTML("<h4 class='rk-h-gap'>Across the practice (anonymised)</h4>"),
                          self.outcomes, self.downloads], **kwargs)
        self.add_class("rk-overview")
        self.refresh()

    def refresh(self, today: date | None = None) -> None:
        from ..model.overview import (
            CLIENT_COLUMNS,
            OUTCOME_COLUMNS,
            _client_cells,
            practice_overview,
        )
        from ..model.reliable_change import NOT_A_DIAGNOSIS
        from ..report import render_html
        from ..report.overview import overview_csv, overview_report

        if self.practice is None:
            self.status.value = message("error", "No practice folder.")
            return
        try:
            ov = self.overview = practice_overview(self.practice, today)
        except RekindleError as exc:
            self.status.value = message("error", str(exc))
            return
        self.status.value = (f'<p class="rk-muted">{len(ov.rows)} client{"s" if len(ov.rows) != 1 else ""}, '
                             f"{ov.alerts} alert{'s' if ov.alerts != 1 else ''}, as on {ov.day.isoformat()}.</p>")
        flagged = [(r, a) for r in ov.rows for a in r.alerts]
        self.alerts.value = "" if not flagged else (
            '<div class="rk-alerts" role="status"><b>Alerts</b><ul>' + "".join(
                f"<li><b>{html.escape(r.id)} ({html.escape(r.alias)}) · {html.escape(a.title)}:</b> "
                f"{html.escape(a.text)}</li>" for r, a in flagged) + "</ul></div>")
        rows = [_client_cells(r, ov.day) for r in ov.rows]
        self.table.value = _table(CLIENT_COLUMNS, rows, "rk-overview-clients") if rows else \
            '<p class="rk-muted">No clients yet.</p>'
        self.outcomes.value = (_table(OUTCOME_COLUMNS, [o.cells() for o in ov.outcomes], "rk-overview-outcomes")
                               + f'<p class="rk-muted">Improvement and deterioration: of the clients with two or '
                                 "more scores, latest against first. Recovery: of those at or past the cut-off at "
                                 f"first. {html.escape(NOT_A_DIAGNOSIS)}</p>")
        day = ov.day.isoformat()
        self.downloads.value = ("<p>" + data_link(render_html(overview_report(ov)).encode("utf-8"),
                                                  f"rekindle-overview-{day}.html", "text/html", "Download as HTML")
                                + " · " + data_link(overview_csv(ov).encode("utf-8"), f"rekindle-overview-{day}.csv",
                                                    "text/csv", "Download as CSV") + "</p>")
