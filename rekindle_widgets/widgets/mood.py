"""The mood log page: a quick entry form, the recent entries (each with edit and delete, and Undo after
every change), and the charts, redrawn when an entry is saved."""

from __future__ import annotations

import html
from datetime import datetime, time, tzinfo
from typing import TYPE_CHECKING

import ipywidgets as w

from ..charts.kinds import REGISTRY, entry_kinds
from ..errors import RekindleError
from ..journal import MOOD_LABELS, UNCHANGED, Journal, parse_track
from .base import Screen, as_journal, figure_html, labelled, message
from .corrections import UndoButton, entry_html
from .style import Page

if TYPE_CHECKING:
    import pandas as pd

RECENT = 10  # entries listed under the form, newest first
#: chart kinds offered on the page (those drawn from the entries, and the person's trackers): label -> kind
CHARTS = {kind.label: kind.name for kind in (*entry_kinds(), REGISTRY["trackers"])}
SUGGESTED_TAGS = ("contact", "date", "therapy", "meditation", "friends", "exercise", "sleep")


class MoodLog(Page):
    """Log how you feel (mood 1-5, readiness 0-10, tags, a note) and see it charted."""

    def __init__(self, journal: Journal | str | None = None, *, chart: bool = True, **kwargs):
        self.journal = as_journal(journal)
        self.mood = labelled(w.ToggleButtons(
            options=[(f"{n} {MOOD_LABELS[n]}", n) for n in range(1, 6)], value=None,
            description="Mood (required)", tooltips=[f"{n}: {MOOD_LABELS[n]}" for n in range(1, 6)],
            style={"button_width": "80px"}))
        self.mood.add_class("rk-mood")  # on a phone the five share one row (widgets/style.py)
        self.readiness = labelled(w.Dropdown(
            options=[("not today", None)] + [(str(n), n) for n in range(11)], index=0,
            description="Readiness 0-10", tooltip="How ready do you feel to move forward? 0 not at all, 10 fully"))
        self.tags = labelled(w.Text(description="Tags", placeholder=", ".join(SUGGESTED_TAGS[:4]),
                                    tooltip="Words for what happened, separated by commas", continuous_update=False,
                                    layout=w.Layout(width="60%")))
        self.note = labelled(w.Textarea(description="Note", placeholder="Anything you want to remember",
                                        continuous_update=False,
                                        layout=w.Layout(width="90%", height="80px")))
        self.track = labelled(w.Text(description="Trackers", placeholder="sleep=7.5, worked out=yes",
                                     tooltip="Your own trackers, a number or yes/no each, separated by commas",
                                     continuous_update=False, layout=w.Layout(width="60%")))
        self.day = labelled(w.DatePicker(description="Day (optional)", value=None,
                                         tooltip="For an entry you forgot: the day it is about (default now)"))
        self.time = labelled(w.TimePicker(description="Time", value=None, tooltip="The time of day (default noon)"),
                             "50px")
        self.save = w.Button(description="Save entry", button_style="primary", icon="check")
        self.cancel = w.Button(description="Cancel edit", icon="times", layout=w.Layout(display="none"))
        self.status = w.HTML()
        self.editing: int | None = None
        self._zone: tzinfo | None = None  # the UTC offset of the entry being edited
        self.save.on_click(self._on_save)
        self.cancel.on_click(lambda _b: self._stop_editing())
        self.undo = UndoButton(self.journal, self.status, lambda _change: self._changed())
        self.recent = w.VBox(layout=w.Layout(max_width="900px"))
        self._rows: list[tuple[w.HTML, w.Button, w.Button]] = []  # made as needed, reused (list_recent)
        self._boxes: list[w.HBox] = []
        self._listed: list[tuple] = []  # the entry rows the widgets show now
        children = [w.HTML("<h3>How are you today?</h3>"), self.mood, self.readiness, self.tags, self.note,
                    self.track,
                    w.HBox([self.day, self.time], layout=w.Layout(flex_flow="row wrap")),
                    w.HBox([self.save, self.cancel, self.undo], layout=w.Layout(flex_flow="row wrap")), self.status,
                    self.undo.earlier,
                    w.HTML("<h3>Recent entries</h3>"), self.recent]
        self.kind = self.chart = self.alt = self.insights = None
        if chart:
            self.kind = labelled(w.Dropdown(options=list(CHARTS.items()), value="timeline", description="Chart"))
            self.chart = w.HTML()
            self.alt = w.HTML()
            self.kind.observe(lambda _: self.refresh(), names="value")
            from .download import ReportPanel

            self.report = ReportPanel(self.journal)  # the person's own report, in their voice
            self.insights = w.HTML()  # the report's "Insights" section: what goes with better days
            self.insights.add_class("rk-insights")
            children += [w.HTML("<h3>Your journal so far</h3>"), self.kind, self.chart, self.alt, self.insights,
                         w.HTML("<h3>Your report</h3>"), self.report]
        super().__init__(children, **kwargs)
        self.list_recent()
        self.show_insights(self.refresh())

    def _at(self) -> datetime | None:
        """The back-dated moment given (local time), or None for "now"."""
        if self.day.value is None:
            return None
        # an entry being edited keeps the UTC offset it was recorded with; a new one is in local time
        return datetime.combine(self.day.value, self.time.value or time(12, 0), tzinfo=self._zone)

    def _on_save(self, _button=None) -> None:
        if self.mood.value is None:
            self.status.value = message("error",
                                        f"Choose a mood from 1 ({MOOD_LABELS[1]}) to 5 ({MOOD_LABELS[5]}) first.")
            return
        try:
            tags = [t for t in (self.tags.value or "").split(",") if t.strip()]
            at = self._at()
            specs = [s for s in (self.track.value or "").split(",") if s.strip()]
            moment = at if at is not None else datetime.now().astimezone().replace(microsecond=0)
            tracked = [parse_track(spec, moment) for spec in specs]  # all checked before anything is saved
            self.journal.check_trackers(tracked)
            if self.editing is None and tracked:
                at = moment  # a new entry and its trackers share one moment
            if self.editing is not None:
                entry_id = self.editing
                changed = self.journal.edit_entry(entry_id, mood=self.mood.value, readiness=self.readiness.value,
                                                  tags=tags, note=self.note.value, at=UNCHANGED if at is None else at)
            else:
                entry_id = self.journal.add(self.mood.value, self.readiness.value, tags=tags, note=self.note.value,
                                            at=at)
            for item in tracked:
                self.journal.add_tracked(item)
        except RekindleError as exc:
            self.status.value = message("error", str(exc))
            return
        if self.editing is not None:
            self.status.value = message("ok", f"Changed entry {entry_id}." if changed else
                                        f"Entry {entry_id} already says that; nothing changed.")
        else:
            self.status.value = message("ok", f"Saved entry {entry_id}: mood {self.mood.value} "
                                              f"({MOOD_LABELS[self.mood.value]})"
                                              + (f" and {len(tracked)} tracker value{'s' if len(tracked) != 1 else ''}"
                                                 if tracked else "") + ".")
        self._clear_form()
        self._changed()

    def _clear_form(self) -> None:
        self.mood.value = None
        self.readiness.index = 0  # "not today" shown (value=None would show an empty menu)
        self.tags.value = ""
        self.note.value = ""
        self.track.value = ""
        self.day.value = None
        self.time.value = None
        self.editing = None
        self._zone = None
        self.save.description = "Save entry"
        self.cancel.layout.display = "none"

    def _changed(self) -> None:
        """After any change: the chart, the list and the Undo button show the journal as it is now (the chart
        first: it is what takes longest to reach the page, benchmark P8)."""
        drawn = self.refresh()
        self.list_recent()
        self.undo.show()
        self.show_insights(drawn)

    def list_recent(self) -> None:
        """The latest entries, newest first, each with Edit and Delete."""
        try:
            rows = self.journal.recent(RECENT)
        except RekindleError as exc:
            self.recent.children = [w.HTML(message("error", f"The entries cannot be listed just now: {exc}"))]
            return
        # the rows' widgets are made once and given each new entry: a save changes a few values in the
        # page instead of opening (and leaking) a dozen new widgets per entry listed (benchmark P8)
        while len(self._rows) < len(rows):
            self._rows.append(self._recent_row(len(self._rows)))
        for (item, edit, delete), row in zip(self._rows, rows, strict=False):
            item.value = entry_html(row)
            edit.tooltip = f"Correct entry {row[0]}"
            delete.tooltip = f"Delete entry {row[0]} (Undo brings it back)"
        self._listed = list(rows)
        if rows:
            self.recent.children = [box for box, _row in zip(self._boxes, rows, strict=False)]
        else:
            self.recent.children = [w.HTML("<p>No entries yet.</p>")]

    def _recent_row(self, index: int) -> tuple[w.HTML, w.Button, w.Button]:
        """The widgets of the ``index``-th listed entry (newest first): its text, Edit and Delete."""
        item = w.HTML(layout=w.Layout(flex="1 1 300px"))
        edit = w.Button(description="Edit", icon="pencil", layout=w.Layout(width="auto"))
        delete = w.Button(description="Delete", icon="trash", layout=w.Layout(width="auto"))

        def listed() -> tuple | None:  # the entry the row shows now (None: a click from a row just taken away)
            return self._listed[index] if index < len(self._listed) else None

        def on_edit(_button: w.Button) -> None:
            if (row := listed()) is not None:
                self.start_editing(row)

        def on_delete(_button: w.Button) -> None:
            if (row := listed()) is not None:
                self.delete(row[0])

        edit.on_click(on_edit)
        delete.on_click(on_delete)
        self._boxes.append(w.HBox([item, edit, delete], layout=w.Layout(flex_flow="row wrap", align_items="center")))
        return item, edit, delete

    def start_editing(self, row) -> None:
        """Put an entry's values in the form; Save then changes that entry (the old version is kept)."""
        entry_id, ts, _day, mood, readiness, tags, note = row[:7]
        at = datetime.fromisoformat(ts)
        self.mood.value = mood
        self.readiness.value = readiness
        self.tags.value = ", ".join(t for t in tags.split("|") if t)
        self.note.value = note
        self.day.value = at.date()
        self.time.value = at.time().replace(tzinfo=None)
        self.editing = entry_id
        self._zone = at.tzinfo
        self.save.description = f"Save changes to entry {entry_id}"
        self.cancel.layout.display = None
        self.status.value = message("info", f"Editing entry {entry_id}: change it above and save.")

    def _stop_editing(self) -> None:
        self._clear_form()
        self.status.value = ""

    def delete(self, entry_id: int) -> None:
        try:
            self.journal.delete_entry(entry_id)
        except RekindleError as exc:
            self.status.value = message("error", str(exc))
            return
        if self.editing == entry_id:
            self._clear_form()
        self.status.value = message("ok", f"Deleted entry {entry_id}. Undo brings it back.")
        self._changed()

    def show_insights(self, data: pd.DataFrame | None = None) -> None:
        """What goes with better days and how much mood moves: the report's own section, or why not yet.
        ``data``: the entries the chart was just drawn from (read again when None)."""
        if self.insights is None:
            return
        from ..report import sections_html
        from ..report.insights import TITLE, insight_sections

        try:
            data, trackers = self.journal.entries() if data is None else data, self.journal.trackers()
        except RekindleError as exc:
            self.insights.value = message("error", f"The insights cannot be worked out just now: {exc}")
            return
        self.insights.value = sections_html(insight_sections(data, trackers=trackers)) or (
            f"<h4>{html.escape(TITLE)}</h4><p class='rk-muted'>No entries yet: once you have logged a few days, "
            "what goes with your better days shows here.</p>")

    def refresh(self) -> pd.DataFrame | None:
        """Redraw the chosen chart from the journal; the entries it read (None when it read none)."""
        if self.chart is None or self.alt is None or self.kind is None:  # chart=False: no chart to draw
            return None
        from .. import charts

        try:
            data = self.journal.entries()
            changes = self.journal.stage_changes()
            moments = self.journal.timeline_moments()  # micro-dates that happened (Moving forward)
            trackers = self.journal.trackers() if REGISTRY[self.kind.value].data == "trackers" else None
        except RekindleError as exc:  # e.g. another program holds the whole file: say so here, keep the page
            self.chart.value = message("error", f"The chart cannot be drawn just now: {exc}")
            self.alt.value = ""
            return None
        kind = self.kind.value
        from ..model.watch import journal_flags  # the red-flag watch's weeks, marked on the timeline

        flags = journal_flags(self.journal, history=True) if kind == "timeline" else []
        # the kind's own figure, as in the report: the timeline's layout is fixed (no constrained layout)
        with Screen.charts():  # a phone's screen: a narrow chart of the recent weeks, in large text
            fig = charts.figure(kind, data, stages=changes if REGISTRY[kind].stages else None, trackers=trackers,
                                **({"flags": flags} if flags else {}),
                                **({"moments": moments} if kind == "timeline" and moments else {}))
            alt = charts.describe(data, changes, kind=kind, moments=moments if kind == "timeline" else None,
                                  trackers=trackers)
            alt += " " + charts.describe_flags(flags) if flags else ""
            self.chart.value = figure_html(fig, alt)
        # the words the picture carries as alt text, for anyone who wants them read out or written down
        self.alt.value = ('<details class="rk-alt"><summary>Describe this chart</summary>'
                          f'<p class="rk-prose-wide">{html.escape(alt)}</p></details>')
        return data
