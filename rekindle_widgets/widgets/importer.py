"""The import page: bring a mood log from Daylio, Bearable, iMoodJournal, How We Feel, Pixels, Pixy or a
spreadsheet into the journal.

Upload a file; the page names the tracker and layout it found, shows its first
rows and what an import would add, asks for a level for any mood label it does
not know (the file's default names filled in) or for the columns of a CSV from
another app (the columns their names suggest filled in), and imports it whole
or not at all, with a progress bar, then shows the account of every row. The
upload is parsed from memory: nothing with personal data is written to disk
except the journal itself.

Everything it decides is the importers' (:mod:`rekindle_widgets.io.importers`);
this module only binds controls to them. Test it without a browser: set
``page.upload.value`` (or call :meth:`ImportPage.load`), click the buttons,
read ``page.status.value``, ``page.preview.value`` and ``page.result``.
"""

from __future__ import annotations

import html
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import ipywidgets as w

from ..bidi import isolated
from ..errors import RekindleError
from ..io import APPS
from ..io.importers import (
    LABELS,
    Options,
    Parsed,
    UnknownLabelsError,
    csv_columns,
    detect,
    import_parsed,
    parse_bytes,
    preview,
    reads,
)
from ..io.importers.options import parse_mood_scale, parse_tz
from ..journal import MOOD_LABELS, ImportResult, Journal, opened, path_of
from .base import labelled, message
from .style import Page

__all__ = ["ImportPage", "preview_table"]

_FORMATS = [("Detect from the content", "auto")] + [(label, fmt) for fmt, label in LABELS.items()]
_LEVELS = [("choose a level", 0)] + [(f"{level} {MOOD_LABELS[level]}", level) for level in range(5, 0, -1)]
_NONE = "(none)"


#: column role -> header words that suggest it (the column form starts from these; the person can change them)
_GUESSES = {
    "date": ("date", "day", "when", "timestamp", "datetime", "full_date"),
    "time": ("time", "time of day", "hour", "clock"),
    "mood": ("mood", "score", "rating", "level", "feeling", "rating/amount"),
    "note": ("note", "notes", "comment", "journal", "text", "message"),
    "tags": ("tags", "labels", "activities", "emotions"),
    "readiness": ("readiness", "ready"),
}


def guess_columns(names: list[str]) -> dict[str, str]:
    """role -> the column whose name (or its first word) matches a usual name for it; each column used once."""
    guessed: dict[str, str] = {}
    for role, words in _GUESSES.items():
        for name in names:
            key = name.strip().casefold()
            first = key.split("(")[0].split()[:1]
            if name not in guessed.values() and (key in words or (first and first[0] in words)):
                guessed[role] = name
                break
    return guessed


def _skipped(lines: list[str]) -> str:
    if not lines:
        return ""
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    return message("warn", f"Skipped {len(lines)} {'line' if len(lines) == 1 else 'lines'} that cannot be read:") + \
        f"<ul class='rk-import-skipped'>{items}</ul>"


def preview_table(rows: list[dict[str, Any]]) -> str:
    """Preview rows as an HTML table; every cell is escaped."""
    head = "".join(f"<th>{h}</th>"
                   for h in ("time", "mood", "readiness", "tags", "note"))
    body = []
    for r in rows:
        cells = [r["time"].replace("T", " "), f"{r['mood']} {r['mood_label']}",
                 "" if r["readiness"] is None else str(r["readiness"]), ", ".join(r["tags"]), r["note"]]
        body.append("<tr>" + "".join(
            f"<td>{html.escape(c).replace(chr(10), '<br>')}</td>"
            for c in cells) + "</tr>")
    return (f"<table class='rk-import-preview'><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


class ImportPage(Page):
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
                                   tooltip=f"A file from {APPS}, or any CSV")
        self.format = labelled(w.Dropdown(options=_FORMATS, value="auto", description="Format",
                                          tooltip="Leave on 'Detect' unless the guess is wrong"), "90px")
        self.tz = labelled(w.Text(value="", description="Time zone", placeholder="this computer's, or Europe/London",
                                  tooltip="For files whose times carry no zone (Daylio CSV, Pixels, CSV)"), "90px")
        self.skip_invalid = w.Checkbox(value=False, description="Skip rows that cannot be read", indent=False,
                                       tooltip="Import the rest of the file and list the lines skipped "
                                               "(by default a file with unreadable rows is refused)")
        self.status = w.HTML()
        self.preview = w.HTML()
        #: help, shown first when the file records thoughts of self-harm or suicide
        self.safety = w.VBox()
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
        self.skip_invalid.observe(lambda _: self._reparse(), names="value")
        self.apply_levels.on_click(lambda _: self._use_levels())
        self.apply_columns.on_click(lambda _: self._use_columns())
        self.import_button.on_click(lambda _: self.do_import())
        super().__init__([
            self.safety,
            w.HTML(f"<p>Bring your mood log from {APPS}, or a spreadsheet (CSV). Nothing is written until "
                   "you press Import, and a file goes in whole or not at all; entries already in your journal "
                   "are skipped, and every row is accounted for.</p>"),
            w.HBox([self.upload, self.format]), self.tz, self.skip_invalid, self.status, self.mapping,
            self.columns_form,
            self.preview, w.HBox([self.import_button, self.progress]), self.outcome,
        ], **kwargs)

    # -- reading -------------------------------------------------------------

    def load(self, content: bytes | memoryview, name: str) -> None:
        """Read a file's bytes as if uploaded (the upload control calls this)."""
        self._raw, self._name = bytes(content), name
        self._mood_map, self._columns = {}, {}
        self.result = None
        self.outcome.value = ""
        self.progress.value, self.progress.layout.visibility = 0, "hidden"  # the last import's bar is done with
        self._reparse()

    def _on_upload(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if files:
            item = files[0]
            self.load(item["content"], item["name"])

    def _options(self) -> Options:
        scale = self._columns.get("mood_scale")
        options = self._base_options(scale)
        if self.skip_invalid.value:  # the box is a standing choice: it applies to the formats that can skip rows
            fmt = self.format.value
            if fmt == "auto":
                try:
                    fmt = detect(self._raw or b"", self._name, options)
                except RekindleError:
                    fmt = ""
            options = replace(options, skip_invalid=reads(fmt, "skip_invalid", options))
        return options

    def _base_options(self, scale: str | None) -> Options:
        return Options(mood_map=self._mood_map, tz=parse_tz(self.tz.value),
                       date_col=self._columns.get("date"), mood_col=self._columns.get("mood"),
                       note_col=self._columns.get("note"), tags_col=self._columns.get("tags"),
                       readiness_col=self._columns.get("readiness"),
                       mood_scale=parse_mood_scale(scale) if scale else None,
                       date_format=self._columns.get("date_format") or None, time_col=self._columns.get("time"))

    def _reparse(self) -> None:
        self.parsed, self.fmt = None, None
        self.safety.children = []  # a new reading of the file says again whether help comes first
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
        self.status.value = (message("info", text)
                             + "".join(message("warn", f"Note: {n}") for n in view.warnings)
                             + _skipped(view.account.skipped))
        self.preview.value = preview_table(view.rows) if view.rows else ""
        self.import_button.disabled = not view.total
        self._show_help(view.concerns)

    def _show_help(self, days: list) -> None:
        """Help first, above the form, when the file records thoughts of self-harm or suicide."""
        if not days:
            self.safety.children = []
            return
        from .safety import SafetyPanel

        when = f"on {len(days)} day{'s' if len(days) != 1 else ''}, the latest {days[-1].isoformat()}"
        self.safety.children = [
            w.HTML(message("warn", f"Your file records thoughts of harming yourself {when}. If they are with you "
                                   "now, you do not have to wait: these lines are free and confidential.")),
            SafetyPanel(kinds=("crisis",))]

    def _journal_for_preview(self) -> Journal | Path:
        return self._journal if isinstance(self._journal, Journal) else path_of(self._journal)

    # -- label levels ------------------------------------------------------------

    def _ask_levels(self, exc: UnknownLabelsError) -> None:
        found = LABELS.get(self._detected(), "")
        self.status.value = message(
            "warn", f"{isolated(self._name)}{f' ({found})' if found else ''}: "
                    f"{'1 mood label is' if len(exc.labels) == 1 else f'{len(exc.labels)} mood labels are'} "
                    f"your own. Choose the level each one stands for (1 {MOOD_LABELS[1]} to 5 {MOOD_LABELS[5]}), "
                    f"then press "
                    f"'Use these levels'. The labels this file shares with the app's defaults are filled in; "
                    f"change them if yours mean something else. Each label of your own is kept as a tag.")
        self.level_pickers = {}
        for label in [*exc.labels, *exc.known]:
            level = exc.known.get(label) or 0
            tip = (f"{exc.counts[label]} entries use '{label}'" if label in exc.counts
                   else f"'{label}' is a default name, level {level}")
            picker = labelled(w.Dropdown(options=_LEVELS, value=level, description=label, tooltip=tip), "160px")
            picker.observe(lambda _: self._levels_ready(), names="value")
            self.level_pickers[label] = picker
        self.apply_levels.disabled = True
        self.mapping.children = [*self.level_pickers.values(), self.apply_levels]
        self.mapping.layout.display = ""

    def _detected(self) -> str:
        """The format the file was read as (for naming the tracker while asking for levels)."""
        if self.format.value != "auto":
            return self.format.value
        try:
            return detect(self._raw or b"", self._name, self._options())
        except RekindleError:
            return ""

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
            guess = guess_columns(names)
            self.column_pickers = {
                "date": labelled(w.Dropdown(options=names, value=guess.get("date", names[0]),
                                            description="Date column")),
                "mood": labelled(w.Dropdown(options=names, value=guess.get("mood", names[1]),
                                            description="Mood column")),
                "time": labelled(w.Dropdown(options=optional, value=guess.get("time", _NONE),
                                            description="Time column")),
                "note": labelled(w.Dropdown(options=optional, value=guess.get("note", _NONE),
                                            description="Note column")),
                "tags": labelled(w.Dropdown(options=optional, value=guess.get("tags", _NONE),
                                            description="Tags column")),
                "readiness": labelled(w.Dropdown(options=optional, value=guess.get("readiness", _NONE),
                                                 description="Readiness column")),
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
        account = result.account
        found = LABELS.get(self.fmt, self.fmt) + (f", {self.parsed.layout}" if self.parsed.layout else "")
        self.outcome.value = (
            message("ok", f"{added} from {isolated(self._name)} ({found}); {skipped}.")
            + (message("info", f"Every row accounted for: {account}.") if account is not None else "")
            + "".join(message("warn", f"Note: {n}") for n in result.warnings)
            + _skipped(account.skipped if account is not None else []))
        self.status.value = ""  # the "would add" counts are out of date now
        # forget the upload: the person's file stays in memory no longer than needed
        self._raw, self.parsed = None, None
        self.upload.value = ()
        return result
