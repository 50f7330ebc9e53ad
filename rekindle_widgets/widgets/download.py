"""Download the journal from the page: CSV for spreadsheets, JSON to move it whole."""

from __future__ import annotations

from datetime import date

import ipywidgets as w

from ..errors import RekindleError
from ..export import export_csv, export_json
from ..journal import Journal
from .base import as_journal, data_link, message


class DownloadPanel(w.VBox):
    """Two buttons that turn the journal into download links (data URIs, nothing on disk)."""

    def __init__(self, journal: Journal | str | None = None, **kwargs):
        self.journal = as_journal(journal)
        self.csv_button = w.Button(description="Prepare CSV download", icon="download",
                                   tooltip="Your entries as a spreadsheet file",
                                   layout=w.Layout(width="auto"))
        self.json_button = w.Button(description="Prepare full backup (JSON)", icon="download",
                                    tooltip="Entries, stages and questionnaire answers: everything",
                                    layout=w.Layout(width="auto"))
        self.link = w.HTML()
        self.csv_button.on_click(lambda _: self.prepare("csv"))
        self.json_button.on_click(lambda _: self.prepare("json"))
        super().__init__([w.HBox([self.csv_button, self.json_button]), self.link], **kwargs)

    def prepare(self, fmt: str) -> None:
        try:
            text = (export_json if fmt == "json" else export_csv)(self.journal)
        except RekindleError as exc:
            self.link.value = message("error", str(exc))
            return
        data = text.encode("utf-8")
        name = f"rekindle-journal-{date.today().isoformat()}.{fmt}"
        mime = "application/json" if fmt == "json" else "text/csv"
        size = f"{len(data) / 1024:.0f} KB" if len(data) >= 1024 else f"{len(data)} bytes"
        self.link.value = data_link(data, name, mime, f"Save {name} ({size})")
