"""The import page: bring a mood log from Daylio, Pixels or a spreadsheet into the journal.

Upload a file; the page says what kind of file it is, shows its first rows and
what an import would add, asks for a level for any mood label it does not
know (or for the columns of a CSV from another app), and imports it whole or
not at all, with a progress bar. The upload is parsed from memory: nothing
with personal data is written to disk except the journal itself.

Everything it decides is the importers' (:mod:`rekindle_widgets.importers`);
this module only binds controls to them. Test it without a browser: set
``page.upload.value`` (or call :meth:`ImportPage.load`), click the buttons,
read ``page.status.value``, ``page.preview.value`` and ``page.result``.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

import ipywidgets as w

from ..bidi import isolated
from ..errors import RekindleError
from ..importers import (
    LABELS,
    Options,
    Parsed,
    UnknownLabelsError,
    csv_columns,
    import_parsed,
    parse_bytes,
    preview,
)
from ..importers.options import parse_mood_scale, parse_tz
from ..journal import MOOD_LABELS, ImportResult, Journal, opened, path_of
from .base import labelled, message

__all__ = ["ImportPage", "preview_table"]

_FORMATS = [("Detect from the content", "auto")] + [(label, fmt) for fmt, label in LABELS.items()]
_LEVELS = [("choose a level", 0)] + [(f"{level} {MOOD_LABELS[level]}", level) for level in range(5, 0, -1)]
_NONE = "(none)"


def preview_table(rows: list[dict[str, Any]]) -> str:
    """Preview rows as an HTML table; every cell is escaped."""
    head = "".join(f"<th style='text-align:left;padding:2px 8px'>{h}</th>"
                   for h in ("time", "mood", "readiness", "tags", "note"))
    body = []
    for r in rows:
        cells = [r["time"].replace("T", " "), f"{r['mood']} {r['mood_label']}",
                 "" if r["readiness"] is None else str(r["readiness"]), ", ".join(r["tags"]), r["note"]]
        body.append("<tr>" + "".join(
            f"<td style='padding:2px 8px;vertical-align:top'>{html.escape(c).replace(chr(10), '<br>')}</td>"
            for c in cells) + "</tr>")
    return (f"<table class='rk-import-preview' style='border-collapse:collapse'><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


class ImportPage(w.VBox):
    """Upload -> detected format -> preview -> (label levels / CSV columns) -> Import.

    Public attributes: ``upload`` (FileUpload), ``format`` (Dropdown), ``tz``
    (Text), ``status``, ``preview`` and ``outcome`` (HTML), ``mapping`` (the
    label form: ``level_pickers`` maps each unknown label to its Dropdown,
    ``apply_levels`` its button), ``columns_form`` (``column_pickers``,
    ``mood_scale``, ``date_format``, ``apply_columns``), ``import_button``,
    ``progress`` (IntProgress); after an import ``result`` holds the
    :class:`~rekindle_widgets.journal.ImportResult`.
    """

    def __init__(self, journal: Journal | str | os.PathLike[str] | None = None, *, preview_rows: int = 8,
                 **kwargs: Any):
        self._journal = journal
        self.preview_rows = preview_rows
        self._raw: bytes | None = None
        self._name = ""
        self._mood_map: dict[str, int] = {}
        self._columns: dict[str, Any] = {}
        self.fmt: str | None = None
        self.parsed: Parsed | None = None
        self.result: ImportResult | None = None

        self.upload = w.FileUpload(description="Choose file", multiple=False, accept="",
                                   tooltip="A Daylio CSV or .daylio backup, a Pixels JSON, or a CSV")
        self.format = labelled(w.Dropdown(options=_FORMATS, value="auto", description="Format",
                                          tooltip="Leave on 'Detect' unless the guess is wrong"), "90px")
        self.tz = labelled(w.Text(value="", description="Time zone", placeholder="this computer's, or Europe/London",
                                  tooltip="For files whose times carry no zone (Daylio CSV, Pixels, CSV)"), "90px")
        self.status = w.HTML()
        self.preview = w.HTML()
        self.level_pickers: dict[str, w.Dropdown] = {}
        self.apply_levels = w.Button(description="Use these levels", icon="check", disabled=True,
                                     tooltip="Read the file again with the levels you chose")
        self.mapping = w.VBox(layout=w.Layout(display="none"))
        self.column_pickers: dict[str, w.Dropdown] = {}
        self.mood_scale = labelled(w.Text(value="1..5", description="Mood scale",
                                          tooltip="The lowest and highest mood in the file, e.g. 1..10"))
        self.date_format = labelled(w.Text(value="", description="Date format", placeholder="ISO (2024-03-01 20:30)",
                                           tooltip="A strptime pattern such as %d/%m/%Y %H:%M"))
        self.apply_columns = w.Button(description="Read with these columns", icon="check",
                                      tooltip="Read the CSV with the columns chosen above")
        self.columns_form = w.VBox(layout=w.Layout(display="none"))
        self.import_button = w.Button(description="Import", icon="upload", button_style="primary", disabled=True,
                                      tooltip="Add the entries to your journal (all or nothing)")
        self.progress = w.IntProgress(value=0, min=0, max=1, description="Importing",
                                      layout=w.Layout(visibility="hidden"))
        self.outcome = w.HTML()

        self.upload.observe(self._on_upload, names="value")
        self.format.observe(lambda _: self._reparse(), names="value")
        self.tz.observe(lambda _: self._reparse(), names="value")
        self.apply_levels.on_click(lambda _: self._use_levels())
        self.apply_columns.on_click(lambda _: self._use_columns())
        self.import_button.on_click(lambda _: self.do_import())
        super().__init__([
            w.HTML("<p>Bring your mood log from Daylio (CSV export or .daylio backup), Pixels (JSON) or a "
                   "spreadsheet (CSV). Nothing is written until you press Import, and a file goes in whole "
                   "or not at all; entries already in your journal are skipped.</p>"),
            w.HBox([self.upload, self.format]), self.tz, self.status, self.mapping, self.columns_form,
            self.preview, w.HBox([self.import_button, self.progress]), self.outcome,
        ], **kwargs)

    # -- reading -------------------------------------------------------------

    def load(self, content: bytes | memoryview, name: str) -> None:
        """Read a file's bytes as if uploaded (the upload control calls this)."""
        self._raw, self._name = bytes(content), name
        self._mood_map, self._columns = {}, {}
        self.result = None
        self.outcome.value = ""
        self._reparse()

    def _on_upload(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if files:
            item = files[0]
            self.load(item["content"], item["name"])

    def _options(self) -> Options:
        scale = self._columns.get("mood_scale")
        return Options(mood_map=self._mood_map, tz=parse_tz(self.tz.value),
                       date_col=self._columns.get("date"), mood_col=self._columns.get("mood"),
                       note_col=self._columns.get("note"), tags_col=self._columns.get("tags"),
                       readiness_col=self._columns.get("readiness"),
                       mood_scale=parse_mood_scale(scale) if scale else None,
                       date_format=self._columns.get("date_format") or None)

    def _reparse(self) -> None:
        self.parsed, self.fmt = None, None
        self.import_button.disabled = True
        self.preview.value = ""
        self.mapping.layout.display = "none"
        if self._raw is None:
            return
        try:
            self.fmt, self.parsed = parse_bytes(self._raw, self._name, self.format.value, self._options())
        except UnknownLabelsError as exc:
            self._ask_levels(exc)
            return
        except RekindleError as exc:
            self.status.value = message("error", str(exc))
            self._offer_columns(exc)
            return
        self.columns_form.layout.display = "none" if not self._columns else ""
        self._show_preview()

    def _show_preview(self) -> None:
        assert self.parsed is not None and self.fmt is not None
        try:
            view = preview(self.parsed, self.fmt, self._name, self._journal_for_preview(), rows=self.preview_rows)
        except RekindleError as exc:
            self.status.value = message("error", str(exc))
            return
        text = view.summary()
        if text.startswith(self._name):  # the file's name, set apart: a Hebrew name cannot reorder the sentence
            text = isolated(self._name) + text[len(self._name):]
        self.status.value = message("info", text) + "".join(message("warn", f"Note: {n}") for n in view.warnings)
        self.preview.value = preview_table(view.rows) if view.rows else ""
        self.import_button.disabled = not view.total

    def _journal_for_preview(self) -> Journal | Path:
        return self._journal if isinstance(self._journal, Journal) else path_of(self._journal)

    # -- label levels ------------------------------------------------------------

    def _ask_levels(self, exc: UnknownLabelsError) -> None:
        self.status.value = message(
            "warn", f"{isolated(self._name)}: {len(exc.labels)} mood label(s) are your own. Choose the level each "
                    f"one stands for (1 {MOOD_LABELS[1]} to 5 {MOOD_LABELS[5]}), then press 'Use these levels'.")
        self.level_pickers = {}
        for label in exc.labels:
            picker = labelled(w.Dropdown(options=_LEVELS, value=0, description=label,
                                         tooltip=f"{exc.counts[label]} entries use '{label}'"), "160px")
            picker.observe(lambda _: self._levels_ready(), names="value")
            self.level_pickers[label] = picker
        self.apply_levels.disabled = True
        self.mapping.children = [*self.level_pickers.values(), self.apply_levels]
        self.mapping.layout.display = ""

    def _levels_ready(self) -> None:
        self.apply_levels.disabled = not all(p.value for p in self.level_pickers.values())

    def _use_levels(self) -> None:
        chosen = {label: p.value for label, p in self.level_pickers.items() if p.value}
        if len(chosen) < len(self.level_pickers):
            self.status.value = message("error", "choose a level for every label first")
            return
        self._mood_map.update(chosen)
        self._reparse()

    # -- CSV columns -------------------------------------------------------------

    def _offer_columns(self, exc: RekindleError) -> None:
        text = str(exc)
        csv_like = "cannot tell what kind of file" in text or "is this a Rekindle export" in text
        if self.format.value not in ("auto", "csv") or not (csv_like or self._columns):
            return
        try:
            names = csv_columns(self._raw or b"", self._name)
        except RekindleError:
            names = []
        if not names:
            return
        self.status.value = message(
            "warn", f"{isolated(self._name)} looks like a CSV from another app. Choose its date and mood columns "
                    f"(and any others), then press 'Read with these columns'.") + \
            (message("error", str(exc)) if self._columns else "")
        if not self.column_pickers or [o for o in self.column_pickers["date"].options] != names:
            optional = [_NONE, *names]
            self.column_pickers = {
                "date": labelled(w.Dropdown(options=names, value=names[0], description="Date column")),
                "mood": labelled(w.Dropdown(options=names, value=names[1], description="Mood column")),
                "note": labelled(w.Dropdown(options=optional, value=_NONE, description="Note column")),
                "tags": labelled(w.Dropdown(options=optional, value=_NONE, description="Tags column")),
                "readiness": labelled(w.Dropdown(options=optional, value=_NONE, description="Readiness column")),
            }
        self.columns_form.children = [*self.column_pickers.values(), self.mood_scale, self.date_format,
                                      self.apply_columns]
        self.columns_form.layout.display = ""

    def _use_columns(self) -> None:
        picked = {role: p.value for role, p in self.column_pickers.items() if p.value != _NONE}
        try:
            if self.mood_scale.value.strip():
                parse_mood_scale(self.mood_scale.value)
        except RekindleError as exc:
            self.status.value = message("error", str(exc))
            return
        self._columns = {**picked, "mood_scale": self.mood_scale.value.strip() or None,
                         "date_format": self.date_format.value.strip() or None}
        self._reparse()

    # -- importing -----------------------------------------------------------------

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.max = max(total, 1)
        self.progress.value = done

    def do_import(self) -> ImportResult | None:
        """Write the parsed file to the journal in one transaction; show what was added and skipped."""
        if self.parsed is None or self.fmt is None:
            self.outcome.value = message("error", "choose a file that can be read first")
            return None
        self.import_button.disabled = True
        self.progress.value, self.progress.layout.visibility = 0, "visible"
        try:
            with opened(self._journal) as journal:
                result = import_parsed(journal, self.fmt, self.parsed, progress=self._on_progress)
        except RekindleError as exc:
            self.outcome.value = message("error", f"Nothing was imported: {exc}")
            self.import_button.disabled = False
            return None
        self.result = result
        added = f"Added {result.added} {'entry' if result.added == 1 else 'entries'}"
        skipped = f"skipped {result.duplicates} already in your journal"
        self.outcome.value = message("ok", f"{added} from {isolated(self._name)}; {skipped}.") + "".join(
            message("warn", f"Note: {n}") for n in result.warnings)
        self.status.value = ""  # the "would add" counts are out of date now
        # forget the upload: the person's file stays in memory no longer than needed
        self._raw, self.parsed = None, None
        self.upload.value = ()
        return result
