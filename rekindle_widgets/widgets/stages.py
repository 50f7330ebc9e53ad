"""The stage navigator: the seven stages, where you are, each stage's reflection, and the stage changes
recorded so far, each of which can be edited or removed (with Undo after every change)."""

from __future__ import annotations

import html
from datetime import date
from typing import Any

import ipywidgets as w

from ..content import guide
from ..errors import RekindleError
from ..journal import Journal
from .base import as_journal, message
from .corrections import UndoButton
from .style import Page


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


class StageNavigator(Page):
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
        self.editing: int | None = None
        self.cancel = w.Button(description="Cancel edit", icon="times", layout=w.Layout(display="none"))
        self.cancel.on_click(lambda _b: self._stop_editing())
        self.undo = UndoButton(self.journal, self.status, lambda _change: self._changed())
        self.recorded = w.VBox()
        self.enter_button.on_click(lambda _b: self.enter())
        self.choice.observe(lambda _c: self.show(self.choice.value), names="value")
        super().__init__([
            w.HTML("<h2>The seven stages</h2>"), self.where, self.choice, self.summary,
            w.HBox([self.since, self.note, self.enter_button, self.cancel, self.undo],
                   layout=w.Layout(flex_flow="row wrap")),
            self.status, w.HTML("<h3>Stage changes recorded</h3>"), self.recorded, self.reflection,
        ], **kwargs)
        self.list_changes()
        self.show(current)

    def show(self, number: int) -> None:
        from .questionnaire import Questionnaire

        stage = guide().stage(number)
        self.summary.value = (f"<h3>{html.escape(stage.title)}</h3>"
                              f"<p class='rk-prose-wide'>{html.escape(stage.summary)}</p>")
        if number == 6:  # stage 6 is a decision point again (issue 17)
            from ..content.forward import forward

            self.summary.value += message("info", f"{forward().decision.stage6_intro} The decision point is on "
                                                  "the Moving forward page.")
        self.status.value = ""
        self.reflection.children = [Questionnaire(f"stage{number}", self.journal, context=self.context,
                                                  region=self.region, paged=False, header=False)]

    def enter(self) -> None:
        number = self.choice.value
        name = guide().stage(number).name
        try:
            if self.editing is not None:
                changed = self.journal.edit_stage(self.editing, stage=number, since=self.since.value,
                                                  note=self.note.value)
                text = (f"Changed: stage {number} ({name}) from {self.since.value}." if changed
                        else "That stage change already says this; nothing changed.")
            else:
                change = self.journal.set_stage(number, self.since.value, self.note.value)
                text = f"Recorded: stage {number} ({name}) from {change.since.isoformat()}."
        except RekindleError as exc:
            self.status.value = message("error", str(exc))
            return
        self.status.value = message("ok", text)
        self._stop_editing(keep_status=True)
        self._changed()

    def _changed(self) -> None:
        self.where.value = where_html(self.journal)
        self.list_changes()
        self.undo.show()

    def list_changes(self) -> None:
        """Every recorded stage change, newest first, each with Edit and Remove."""
        rows = []
        for change in reversed(self.journal.stage_changes()):
            stage = guide().stage(change.stage)
            text = f"<b>{change.since.isoformat()}</b> · stage {stage.number}: {html.escape(stage.name)}"
            if change.note:
                text += f" · <bdi>{html.escape(change.note)}</bdi>"
            edit = w.Button(description="Edit", icon="pencil", layout=w.Layout(width="auto"),
                            tooltip=f"Correct the stage change of {change.since.isoformat()}")
            remove = w.Button(description="Remove", icon="trash", layout=w.Layout(width="auto"),
                              tooltip=f"Remove the stage change of {change.since.isoformat()} (Undo brings it back)")
            edit.on_click(lambda _b, c=change: self.start_editing(c))
            remove.on_click(lambda _b, c=change: self.remove(c.id))
            rows.append(w.HBox([w.HTML(text, layout=w.Layout(flex="1 1 300px")), edit, remove],
                               layout=w.Layout(flex_flow="row wrap", align_items="center", max_width="900px")))
        self.recorded.children = rows or [w.HTML("<p>None yet.</p>")]

    def start_editing(self, change: Any) -> None:
        self.editing = change.id
        self.choice.value = change.stage
        self.since.value = change.since
        self.note.value = change.note
        self.enter_button.description = "Save changes"
        self.cancel.layout.display = None
        self.status.value = message("info", f"Editing the stage change of {change.since.isoformat()}: change the "
                                            "stage, day or note and save.")

    def _stop_editing(self, keep_status: bool = False) -> None:
        self.editing = None
        self.note.value = ""
        self.enter_button.description = "I'm entering this stage"
        self.cancel.layout.display = "none"
        if not keep_status:
            self.status.value = ""

    def remove(self, change_id: Any) -> None:
        try:
            self.journal.delete_stage(change_id)
        except RekindleError as exc:
            self.status.value = message("error", str(exc))
            return
        if self.editing == change_id:
            self._stop_editing()
        self.status.value = message("ok", "Removed that stage change. Undo brings it back.")
        self._changed()
