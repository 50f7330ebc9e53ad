"""Check-in reminders as a calendar file: pick a time (and a weekday), save the .ics link."""

from __future__ import annotations

from datetime import time

import ipywidgets as w

from ..errors import RekindleError
from ..io.reminders import CHECK_IN, DAY_NAMES, calendar, to_ics
from .base import data_link, labelled, message

FILENAME = "notes-reminder.ics"
OFTEN = [("Every day", "daily"), ("Once a week", "weekly")]
DAYS = [(name.title(), i) for i, name in enumerate(DAY_NAMES)]


INTRO = (f"<h3>Reminders</h3><p>A calendar file for a regular check-in. Each event says only "
         f"\u201c{CHECK_IN}\u201d: nothing from your journal goes into your calendar.</p>")


class ReminderPanel(w.VBox):
    """A daily or weekly check-in for the person's own calendar app, offered as a data-URI download.

    ``weekly_only`` leaves out the daily choice (the red-flag watch's weekly check-in); ``at`` is the time
    offered first; ``intro`` (HTML) and ``filename`` say what the file is for.
    """

    def __init__(self, *, weekly_only: bool = False, at: time = time(20, 0), intro: str = INTRO,
                 filename: str = FILENAME, **kwargs):
        self.filename, self._example = filename, at.strftime("%H:%M")
        self.often = labelled(w.Dropdown(description="Remind me", options=OFTEN,
                                         value="weekly" if weekly_only else "daily",
                                         tooltip="How often a check-in appears in your calendar",
                                         layout=w.Layout(width="250px", display="none" if weekly_only else "")),
                              "90px")
        self.day = labelled(w.Dropdown(description="Every" if weekly_only else "On", options=DAYS, value=6,
                                       tooltip="The day of the week for a weekly check-in",
                                       layout=w.Layout(width="190px")), "50px" if weekly_only else "30px")
        self.at = labelled(w.TimePicker(description="At", value=at, step=60,
                                        tooltip="The time of the check-in, on your calendar's clock",
                                        layout=w.Layout(width="150px")), "30px")
        self.button = w.Button(description="Prepare calendar file", icon="calendar",
                               tooltip="An .ics file your calendar app (Google, Apple, Outlook) can import",
                               layout=w.Layout(width="auto"))
        self.link = w.HTML()
        self.often.observe(lambda _: self._show_day(), "value")
        for choice in (self.day, self.at):  # a link made for other choices would mislead
            choice.observe(lambda _: setattr(self.link, "value", ""), "value")
        self.button.on_click(lambda _: self.prepare())
        self._show_day()
        row = w.HBox([self.often, self.day, self.at], layout=w.Layout(flex_flow="row wrap", margin="0 0 6px 0"))
        super().__init__([w.HTML(intro), row, w.HBox([self.button]), self.link], **kwargs)

    def _show_day(self) -> None:
        self.day.layout.display = "" if self.often.value == "weekly" else "none"
        self.link.value = ""  # a link made for other choices would mislead

    def ics(self) -> bytes:
        """The calendar file for the current choices (floating times: see :mod:`rekindle_widgets.io.reminders`)."""
        if self.at.value is None:
            raise RekindleError(f"choose a time for the check-in, for example {self._example}")
        at = self.at.value.replace(second=0, microsecond=0)
        if self.often.value == "weekly":
            return to_ics(calendar(weekly=(self.day.value, at)))
        return to_ics(calendar(daily=at))

    def prepare(self) -> None:
        try:
            data = self.ics()
        except RekindleError as exc:
            self.link.value = message("error", str(exc))
            return
        self.link.value = data_link(data, self.filename, "text/calendar",
                                    f"Save {self.filename}, then open it with your calendar app")
