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

from ..charts import theme
from ..errors import RekindleError
from .base import data_link, message

__all__ = ["PracticeOverviewPage"]

_MUTED = f"color:{theme.SECONDARY};font-size:0.92em"
#: the tables' look; on a narrow screen each row becomes a card, each cell labelled with its column
_STYLE = """<style>
.rk-ov-table { border-collapse: collapse; font-size: 0.92em; width: 100%; }
.rk-ov-table th, .rk-ov-table td { text-align: left; vertical-align: top; padding: 4px 8px;
  border-bottom: 1px solid #e5e7eb; overflow-wrap: anywhere; }
.rk-ov-table th { background: #f9fafb; }
@media (max-width: 640px) {
  .rk-ov-table thead { display: none; }
  .rk-ov-table tr { display: block; border-bottom: 1px solid #d1d5db; padding: 6px 0; }
  .rk-ov-table td { display: block; border: 0; padding: 1px 4px; }
  .rk-ov-table td::before { content: attr(data-label) ": "; font-weight: 600; }
  .rk-ov-table td:first-child { font-weight: 600; }
}
</style>"""


def _table(columns: tuple[str, ...], rows: list[tuple[str, ...]], cls: str) -> str:
    head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in columns)
    body = "".join("<tr>" + "".join(f'<td data-label="{html.escape(col, quote=True)}">{html.escape(c)}</td>'
                                    for col, c in zip(columns, row, strict=True)) + "</tr>" for row in rows)
    return f'<table class="rk-ov-table {cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


class PracticeOverviewPage(w.VBox):
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
        super().__init__([w.HTML(_STYLE + "<h3 style='margin:10px 0 4px 0'>Practice overview</h3>"),
                          w.HBox([self.refresh_button]), self.status, self.alerts, self.table,
                          w.HTML("<h4 style='margin:14px 0 4px 0'>Across the practice (anonymised)</h4>"),
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
        self.status.value = (f'<p style="{_MUTED}">{len(ov.rows)} client{"s" if len(ov.rows) != 1 else ""}, '
                             f"{ov.alerts} alert{'s' if ov.alerts != 1 else ''}, as on {ov.day.isoformat()}.</p>")
        flagged = [(r, a) for r in ov.rows for a in r.alerts]
        self.alerts.value = "" if not flagged else (
            f'<div class="rk-alerts" style="border-left:6px solid {theme.DANGER};background:{theme.DANGER_BG};'
            f'color:{theme.DANGER_INK};padding:6px 14px;border-radius:4px;margin:4px 0 10px 0"><b>Alerts</b><ul '
            'style="margin:4px 0">' + "".join(
                f"<li><b>{html.escape(r.id)} ({html.escape(r.alias)}) · {html.escape(a.title)}:</b> "
                f"{html.escape(a.text)}</li>" for r, a in flagged) + "</ul></div>")
        rows = [_client_cells(r, ov.day) for r in ov.rows]
        self.table.value = _table(CLIENT_COLUMNS, rows, "rk-overview-clients") if rows else \
            f'<p style="{_MUTED}">No clients yet.</p>'
        self.outcomes.value = (_table(OUTCOME_COLUMNS, [o.cells() for o in ov.outcomes], "rk-overview-outcomes")
                               + f'<p style="{_MUTED}">Improvement and deterioration: of the clients with two or '
                                 "more scores, latest against first. Recovery: of those at or past the cut-off at "
                                 f"first. {html.escape(NOT_A_DIAGNOSIS)}</p>")
        day = ov.day.isoformat()
        self.downloads.value = ("<p>" + data_link(render_html(overview_report(ov)).encode("utf-8"),
                                                  f"rekindle-overview-{day}.html", "text/html", "Download as HTML")
                                + " · " + data_link(overview_csv(ov).encode("utf-8"), f"rekindle-overview-{day}.csv",
                                                    "text/csv", "Download as CSV") + "</p>")
