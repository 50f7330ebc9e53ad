"""The mood log page: a quick entry form and the charts, redrawn when an entry is saved."""

from __future__ import annotations

import html

import ipywidgets as w

from ..charts.kinds import REGISTRY, entry_kinds
from ..errors import RekindleError
from ..journal import MOOD_LABELS, Journal
from .base import as_journal, figure_html, labelled, message

#: chart kinds offered on the page (those drawn from the entries): label -> kind
CHARTS = {kind.label: kind.name for kind in entry_kinds()}
SUGGESTED_TAGS = ("contact", "date", "therapy", "meditation", "friends", "exercise", "sleep")


class MoodLog(w.VBox):
    """Log how you feel (mood 1-5, readiness 0-10, tags, a note) and see it charted."""

    def __init__(self, journal: Journal | str | None = None, *, chart: bool = True, **kwargs):
        self.journal = as_journal(journal)
        self.mood = labelled(w.ToggleButtons(
            options=[(f"{n} {MOOD_LABELS[n]}", n) for n in range(1, 6)], value=None,
            description="Mood (required)", tooltips=[f"{n}: {MOOD_LABELS[n]}" for n in range(1, 6)],
            style={"button_width": "80px"}))
        self.readiness = labelled(w.Dropdown(
            options=[("not today", None)] + [(str(n), n) for n in range(11)], index=0,
            description="Readiness 0-10", tooltip="How ready do you feel to move forward? 0 not at all, 10 fully"))
        self.tags = labelled(w.Text(description="Tags", placeholder=", ".join(SUGGESTED_TAGS[:4]),
                                    tooltip="Words for what happened, separated by commas", continuous_update=False,
                                    layout=w.Layout(width="60%")))
        self.note = labelled(w.Textarea(description="Note", placeholder="Anything you want to remember",
                                        continuous_update=False,
                                        layout=w.Layout(width="90%", height="80px")))
        self.save = w.Button(description="Save entry", button_style="primary", icon="check")
        self.status = w.HTML()
        self.save.on_click(self._on_save)
        children = [w.HTML("<h3>How are you today?</h3>"), self.mood, self.readiness, self.tags, self.note,
                    self.save, self.status]
        self.kind = self.chart = self.alt = None
        if chart:
            self.kind = labelled(w.Dropdown(options=list(CHARTS.items()), value="timeline", description="Chart"))
            self.chart = w.HTML()
            self.alt = w.HTML()
            self.kind.observe(lambda _: self.refresh(), names="value")
            children += [w.HTML("<h3>Your journal so far</h3>"), self.kind, self.chart, self.alt]
        super().__init__(children, **kwargs)
        self.refresh()

    def _on_save(self, _button=None) -> None:
        if self.mood.value is None:
            self.status.value = message("error", f"Choose a mood from 1 ({MOOD_LABELS[1]}) to 5 ({MOOD_LABELS[5]}) first.")
            return
        try:
            tags = [t for t in (self.tags.value or "").split(",") if t.strip()]
            entry_id = self.journal.add(self.mood.value, self.readiness.value, tags=tags, note=self.note.value)
        except RekindleError as exc:
            self.status.value = message("error", str(exc))
            return
        self.status.value = message("ok", f"Saved entry {entry_id}: mood {self.mood.value} "
                                          f"({MOOD_LABELS[self.mood.value]}).")
        self.mood.value = None
        self.readiness.index = 0  # "not today" shown (value=None would show an empty menu)
        self.tags.value = ""
        self.note.value = ""
        self.refresh()

    def refresh(self) -> None:
        """Redraw the chosen chart from the journal."""
        if self.chart is None:
            return
        from .. import charts

        try:
            data = self.journal.entries()
            changes = self.journal.stage_changes()
        except RekindleError as exc:  # e.g. another program holds the whole file: say so here, keep the page
            self.chart.value = message("error", f"The chart cannot be drawn just now: {exc}")
            self.alt.value = ""
            return
        kind = self.kind.value
        # the kind's own figure, as in the report: the timeline's layout is fixed (no constrained layout)
        fig = charts.figure(kind, data, stages=changes if REGISTRY[kind].stages else None)
        alt = charts.describe(data, changes, kind=kind)
        self.chart.value = figure_html(fig, alt)
        self.alt.value = f'<p class="rk-alt" style="max-width:60em">{html.escape(alt)}</p>'
