"""The stage navigator: the seven stages, where you are, and each stage's reflection."""

from __future__ import annotations

import html
from datetime import date
from typing import Any

import ipywidgets as w

from ..content import guide
from ..errors import RekindleError
from ..journal import Journal
from .base import as_journal, message


def where_html(journal: Journal) -> str:
    """'You are in stage N since DATE', or how to begin."""
    changes = journal.stage_changes()
    if not changes:
        return ("<p><b>No stage recorded yet.</b> Most people start with the check-up, then stage 1. "
                "Choose a stage below and press \u201cI'm entering this stage\u201d when you begin it.</p>")
    latest = changes[-1]
    stage = guide().stage(latest.stage)
    return (f"<p>You are in <b>stage {stage.number}: {html.escape(stage.name)}</b> "
            f"since {latest.since.isoformat()}.</p>")


class StageNavigator(w.VBox):
    """Pick a stage, read what it is about, reflect, tick its checklist, and record entering it."""

    def __init__(self, journal: Journal | str | None = None, *, region: str | None = None,
                 context: str = "self", **kwargs: Any):
        self.journal = as_journal(journal)
        self.region = region
        self.context = context
        stages = guide().stages
        current = self.journal.current_stage() or 1
        self.where = w.HTML(where_html(self.journal))
        self.choice = w.ToggleButtons(
            options=[(f"{s.number}. {s.name}", s.number) for s in stages], value=current,
            description="Stage", tooltips=[s.name for s in stages],
            style={"button_width": "auto", "description_width": "60px"})
        self.summary = w.HTML()
        self.since = w.DatePicker(description="First day", value=date.today(),
                                  style={"description_width": "initial"})
        self.note = w.Text(description="Note (optional)", placeholder="What made you take this step?",
                           style={"description_width": "initial"}, layout=w.Layout(width="60%"))
        self.enter_button = w.Button(description="I'm entering this stage", button_style="primary",
                                     icon="flag", tooltip="Record the day you began this stage",
                                     layout=w.Layout(width="auto"))
        self.status = w.HTML()
        self.reflection = w.VBox()
        self.enter_button.on_click(lambda _b: self.enter())
        self.choice.observe(lambda _c: self.show(self.choice.value), names="value")
        super().__init__([
            w.HTML("<h2>The seven stages</h2>"), self.where, self.choice, self.summary,
            w.HBox([self.since, self.note, self.enter_button], layout=w.Layout(flex_flow="row wrap")),
            self.status, self.reflection,
        ], **kwargs)
        self.show(current)

    def show(self, number: int) -> None:
        from .questionnaire import Questionnaire

        stage = guide().stage(number)
        self.summary.value = (f"<h3>{html.escape(stage.title)}</h3>"
                              f"<p style='max-width:60em'>{html.escape(stage.summary)}</p>")
        self.status.value = ""
        self.reflection.children = [Questionnaire(f"stage{number}", self.journal, context=self.context,
                                                  region=self.region, paged=False, header=False)]

    def enter(self) -> None:
        number = self.choice.value
        try:
            change = self.journal.set_stage(number, self.since.value, self.note.value)
        except RekindleError as exc:
            self.status.value = message("error", str(exc))
            return
        name = guide().stage(number).name
        self.status.value = message("ok", f"Recorded: stage {number} ({name}) from {change.since.isoformat()}.")
        self.note.value = ""
        self.where.value = where_html(self.journal)
