"""Questionnaires between sessions in the app: the client's panel (Wellbeing) and the therapist's (session page).

Every decision is in :mod:`rekindle_widgets.model.plans` and :mod:`rekindle_widgets.model.alerts`;
these panels bind controls to it and escape what they show.

Driven without a browser::

    panel = ClientPlanPanel(journal)
    panel.upload.value = ({"name": "rekindle-plan-p-....json", "content": memoryview(data), ...},)
    panel.open_button.click(); panel.due_html.value      # "due: PHQ-9 (today)"
    panel.passphrase.value = "four words of passphrase"; panel.return_button.click(); panel.return_link.value

    panel = TherapistPlanPanel(client, journal)
    panel.instruments.value = ("phq9", "gad7"); panel.every.value = 7; panel.set_button.click()
    panel.plan_link.value                                 # a download link to the plan file
    panel.upload.value = (...); panel.passphrase.value = "..."; panel.import_button.click(); panel.import_status.value
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from typing import Any

import ipywidgets as w

from ..errors import RekindleError
from ..journal import Journal
from .base import data_link, labelled, message

__all__ = ["ClientPlanPanel", "TherapistPlanPanel", "alerts_html", "due_html", "new_html"]

#: questionnaires a plan may hold (scored scales and the safety screen; the stage reflections are for sessions)
PLAN_CHOICES = ("phq9", "gad7", "who5", "ruler", "safety")
EVERY = (("weekly", 7), ("every 2 weeks", 14), ("every 4 weeks", 28), ("daily", 1), ("before each session", "session"))


def _uploaded(upload: w.FileUpload) -> tuple[str, bytes] | None:
    if not upload.value:
        return None
    item = upload.value[0]
    return str(item["name"]), bytes(item["content"])


def due_html(rows: list[Any], today: date, *, empty: str = "") -> str:
    """What a plan asks for, one line each: overdue and due in bold, done muted."""
    if not rows:
        return f'<p class="rk-muted">{html.escape(empty)}</p>' if empty else ""
    items = []
    for row in rows:
        text = html.escape(row.text(today))
        if row.status == "overdue":
            items.append(f'<li><b class="rk-danger">overdue:</b> {text}</li>')
        elif row.status == "due":
            items.append(f"<li><b>due:</b> {text}</li>")
        else:
            items.append(f'<li class="rk-muted">{html.escape(row.status)}: {text}</li>')
    return f'<ul class="rk-due rk-tight-list">{"".join(items)}</ul>'


def new_html(last: date | None, rows: list[Any]) -> str:
    since = f"since the last session ({last.isoformat()})" if last else "so far (no earlier session)"
    if not rows:
        return f'<p class="rk-new rk-muted">Nothing new {html.escape(since)}.</p>'
    items = "".join(f"<li>{html.escape(r.text)}</li>" for r in rows)
    return (f'<p class="rk-new rk-lead"><b>New {html.escape(since)}</b></p>'
            f'<ul>{items}</ul>')


def alerts_html(found: list[Any], *, skip_safety: bool = True) -> str:
    """The alerts as a framed list (the safety alert is shown by the safety panel above, with the services)."""
    shown = [a for a in found if not (skip_safety and a.kind == "safety")]
    if not shown:
        return ""
    items = "".join(f"<li><b>{html.escape(a.title)}:</b> {html.escape(a.text)}</li>" for a in shown)
    return f'<div class="rk-alerts" role="status"><b>Alerts</b><ul>{items}</ul></div>'


class ClientPlanPanel(w.VBox):
    """The client's side: open a plan file from the therapist, see what is due, add it to a calendar, send back."""

    def __init__(self, journal: Journal, **kwargs: Any):
        self.journal = journal
        self.upload = w.FileUpload(description="Open plan file", accept=".json", multiple=False,
                                   layout=w.Layout(width="auto"),
                                   tooltip="The rekindle-plan-....json file your therapist sent")
        self.open_button = w.Button(description="Open plan", icon="folder-open", layout=w.Layout(width="auto"),
                                    tooltip="Keep the plan in your journal and show what is due")
        self.status = w.HTML()
        self.due_html = w.HTML()
        self.calendar_link = w.HTML()
        self.passphrase = labelled(w.Password(description="Passphrase", placeholder="at least 8 characters",
                                              tooltip="Encrypts your answers; tell your therapist by phone, "
                                                      "not in the same email"), "90px")
        self.return_button = w.Button(description="Make answers file", icon="paper-plane",
                                      layout=w.Layout(width="auto"),
                                      tooltip="Your answers to the plan's questionnaires, encrypted, to send back")
        self.return_link = w.HTML()
        self.open_button.on_click(lambda _b: self.open_file())
        self.return_button.on_click(lambda _b: self.make_return())
        self.send_box = w.VBox([
            w.HTML('<p class="rk-muted">When you have filled them in, make a file of your answers (only the '
                   "plan's questionnaires, nothing else from your journal) and send it to your therapist.</p>"),
            w.HBox([self.passphrase, self.return_button], layout=w.Layout(flex_flow="row wrap")),
            self.return_link])
        super().__init__([
            w.HTML("<h3>From your therapist</h3>"),
            w.HBox([self.upload, self.open_button], layout=w.Layout(flex_flow="row wrap")),
            self.status, self.due_html, self.calendar_link, self.send_box,
        ], **kwargs)
        self.add_class("rk-plan-client")
        self.refresh()

    def refresh(self, today: date | None = None) -> None:
        from ..io.reminders import to_ics
        from ..model.plans import due

        today = today or date.today()
        plans = self.journal.plans(role="received")
        rows = due(self.journal, today, role="received")
        self.due_html.value = due_html(rows, today, empty="No plan from a therapist. If you have one, open its "
                                                          "file here.")
        self.send_box.layout.display = "" if plans else "none"
        active = [p for p in plans if p.active]
        if active and active[-1].every_days is not None:
            from ..io.plan_files import plan_calendar

            ics = to_ics(plan_calendar(active[-1]))
            self.calendar_link.value = "<p>" + data_link(ics, "notes-plan.ics", "text/calendar",
                                                         "Add the due days to your calendar (.ics)") + "</p>"
        else:
            self.calendar_link.value = ""

    def open_file(self) -> None:
        from ..io.plan_files import open_plan

        got = _uploaded(self.upload)
        if got is None:
            self.status.value = message("error", "Choose the plan file first (Open plan file).")
            return
        name, data = got
        try:
            plan = open_plan(self.journal, data, name)
        except RekindleError as exc:
            self.status.value = message("error", str(exc))
            return
        self.status.value = message("ok", f"Opened the plan: {plan.how_often}, from {plan.start.isoformat()}.")
        self.refresh()

    def make_return(self) -> str:
        from ..io.plan_files import return_bytes, return_file_name

        try:
            plan, data, count = return_bytes(self.journal, passphrase=self.passphrase.value)
        except RekindleError as exc:
            self.return_link.value = message("error", str(exc))
            return ""
        name = return_file_name(plan)
        self.passphrase.value = ""
        self.return_link.value = ("<p>" + data_link(data, name, "application/octet-stream",
                                                    f"Download your answers ({count}, encrypted): {name}")
                                  + '</p><p class="rk-muted">Send this file to your therapist and tell them the '
                                    "passphrase another way.</p>")
        return self.return_link.value


class TherapistPlanPanel(w.VBox):
    """The therapist's side, for one client: the plan, what is due, what is new, set a plan, import answers."""

    def __init__(self, practice: Any, client: Any, journal: Journal, *,
                 on_change: Callable[[], None] | None = None, **kwargs: Any):
        from ..content.instruments import instrument, own_instruments, practice_problems

        self.practice, self.client, self.journal = practice, client, journal
        # the practice's own questionnaires are offered after the bundled ones; a file of its own that cannot
        # be used is named here, with the key at fault, rather than silently missing from the list
        choices = [*PLAN_CHOICES, *(i.id for i in own_instruments())]
        here = f"{getattr(practice, 'path', '')}/"
        self.problems = w.HTML("".join(message("warn", f"Left out until fixed: {p.removeprefix(here)}")
                                       for p in practice_problems()))
        self.on_change = on_change
        self.summary = w.HTML()
        self.due_html = w.HTML()
        self.new_html = w.HTML()
        self.instruments = labelled(w.SelectMultiple(
            options=[(instrument(i).title, i) for i in choices], value=("phq9",), rows=min(len(choices), 8),
            description="Questionnaires", tooltip="Ctrl- or Cmd-click to choose several",
            layout=w.Layout(width="440px", max_width="100%")), "110px")  # a practice's own titles in full
        self.every = labelled(w.Dropdown(options=list(EVERY), value=7, description="How often"), "110px")
        self.start = labelled(w.DatePicker(description="From", value=date.today()), "110px")
        self.set_button = w.Button(description="Set plan", icon="calendar", button_style="primary",
                                   layout=w.Layout(width="auto"),
                                   tooltip="Keep this plan for the client and make the file to send them")
        self.plan_link = w.HTML()
        self.upload = w.FileUpload(description="Client's answers", accept="", multiple=False,
                                   layout=w.Layout(width="auto"),
                                   tooltip="The file the client sent back (rekindle-return-....age) or their backup")
        self.passphrase = labelled(w.Password(description="Passphrase", placeholder="if the file is encrypted"),
                                   "90px")
        self.import_button = w.Button(description="Import answers", icon="download", layout=w.Layout(width="auto"),
                                      tooltip="Add the answers to this client's journal; nothing is added twice")
        self.import_status = w.HTML()
        self.set_button.on_click(lambda _b: self.set_plan())
        self.import_button.on_click(lambda _b: self.import_answers())
        super().__init__([
            self.summary, self.due_html, self.new_html,
            w.HTML('<p class="rk-gap-above"><b>Set a plan</b> (it replaces the current one)</p>'), self.problems,
            w.HBox([self.instruments, w.VBox([self.every, self.start, self.set_button])],
                   layout=w.Layout(flex_flow="row wrap")),
            self.plan_link,
            w.HTML('<p class="rk-gap-above"><b>Import the client\'s answers</b></p>'),
            w.HBox([self.upload, self.passphrase, self.import_button], layout=w.Layout(flex_flow="row wrap")),
            self.import_status,
        ], **kwargs)
        self.add_class("rk-plan-therapist")
        self.refresh()

    def refresh(self, today: date | None = None) -> None:
        from ..model.plans import due, new_since_last_session

        today = today or date.today()
        plans = self.journal.plans(role="set", active=True)
        if plans:
            p = plans[-1]
            from ..content.instruments import find

            titles = ", ".join(getattr(find(i), "title", i) for i in p.instruments)
            self.summary.value = (f"<p>Plan {html.escape(p.plan)}: {html.escape(titles)}, {html.escape(p.how_often)}, "
                                  f"from {p.start.isoformat()}.</p>")
        else:
            self.summary.value = '<p class="rk-muted">No plan yet: set one below to ask for questionnaires ' \
                                 "between sessions.</p>"
        self.due_html.value = due_html(due(self.journal, today, role="set"), today)
        self.new_html.value = new_html(*new_since_last_session(self.journal, today))

    def set_plan(self) -> Any:
        from ..io.plan_files import plan_file_name, plan_file_text
        from ..model.plans import set_plan

        try:
            if self.start.value is None:
                raise RekindleError("Give the day the plan starts.")
            plan = set_plan(self.journal, self.client.id, self.instruments.value, self.every.value,
                            self.start.value)
        except RekindleError as exc:
            self.plan_link.value = message("error", str(exc))
            return None
        name = plan_file_name(plan)
        self.plan_link.value = ("<p>" + data_link(plan_file_text(plan).encode("utf-8"), name, "application/json",
                                                  f"Download the plan file to send ({name})")
                                + '</p><p class="rk-muted">It holds the questionnaires, how often and the start '
                                  "day, and the client's id; no alias or notes.</p>")
        self.refresh()
        if self.on_change:
            self.on_change()
        return plan

    def import_answers(self) -> Any:
        from ..io.plan_files import import_return

        got = _uploaded(self.upload)
        if got is None:
            self.import_status.value = message("error", "Choose the client's file first.")
            return None
        name, data = got
        try:
            account = import_return(self.practice, self.client.id, data, name, self.passphrase.value or None)
        except RekindleError as exc:
            self.import_status.value = message("error", str(exc))
            return None
        self.passphrase.value = ""
        self.import_status.value = message("ok" if account.added else "info", f"{name}: {account}.")
        self.refresh()
        if self.on_change:
            self.on_change()
        return account
