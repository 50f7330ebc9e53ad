"""Agreements, the weekly check-in and the red-flag watch (issue 17), as one panel.

At the top, the flags the watch raises now (:func:`rekindle_widgets.model.watch.raised`),
each with what to do next; then what the two of you agreed (add one, say that
one ended), this week's check-in (one row per agreement that applies:
kept / partly / not kept, and the three questions), the check-ins so far, and
a weekly reminder for the person's calendar (:mod:`rekindle_widgets.io.reminders`).

The panel binds controls to the journal and the watch; it decides nothing
itself. Every piece of the person's text is escaped before it goes into HTML.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date, time
from typing import Any

import ipywidgets as w

from ..bidi import isolated
from ..content.watch import watch_text
from ..errors import RekindleError
from ..io.reminders import CHECK_IN
from ..journal import Agreement, CheckIn, Journal
from ..model.watch import Flag, raised
from .base import as_journal, labelled, message
from .reminders import ReminderPanel
from .style import Page

__all__ = ["AgreementsWatch", "flags_html"]

FILENAME = "notes-weekly.ics"
KEPT_OPTIONS = [("Kept", "kept"), ("Partly", "partly"), ("Not kept", "not-kept")]
YES_NO = [("Yes", True), ("No", False)]
FEELS_OPTIONS = [("A new beginning", "new"), ("A repeat", "repeat"), ("Not sure", "unsure")]


def _day(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


def flags_html(flags: list[Flag]) -> str:
    """The flags raised, each with the guide's red flag and the next step; or the quiet message."""
    text = watch_text()
    if not flags:
        return message("ok", text.quiet)
    items = "".join(
        f'<li class="rk-flag"><strong>{html.escape(f.title)}.</strong> '
        f"{html.escape(isolated(f.says))}"
        f'<br><span class="rk-danger-ink">The guide\u2019s red flag: \u201c{html.escape(f.sign.red_flag)}\u201d'
        f"</span><br><em>Next:</em> {html.escape(f.sign.next)}</li>"
        for f in flags)
    n = len(flags)
    return (f'<div class="rk-flags" role="status"><div class="rk-flags-title">'
            f'The watch raises {n} red flag{"s" if n != 1 else ""}'
            f'</div><ul>{items}</ul><div class="rk-flags-note">{html.escape(text.unsafe)}</div></div>')


def _checkin_line(c: CheckIn, names: dict[int, str]) -> str:
    parts = c.parts(lambda n: html.escape(isolated(names.get(n, f"agreement {n}"))))
    return f"<li><strong>{_day(c.day)}</strong>: {'; '.join(parts)}</li>"


def _choice(options: list[tuple[str, Any]], tooltip: str) -> w.ToggleButtons:
    return w.ToggleButtons(options=options, value=None, tooltip=tooltip,
                           style={"button_width": "auto"}, layout=w.Layout(width="auto", flex_flow="row wrap"))


class AgreementsWatch(Page):
    """What you agreed, this week's check-in on it, and the red flags the watch raises.

    Public attributes: ``flags`` (HTML: the flags raised now, at the top), ``agreement``
    (Text) with ``since`` (DatePicker) and ``add_button``; ``agreement_list`` (HTML) and
    ``end_choice`` (Dropdown) with ``end_button``; ``day`` (DatePicker), ``rows`` (agreement number ->
    ToggleButtons kept/partly/not-kept), ``past_raised``, ``promises_visible``, ``feels``
    (ToggleButtons) and ``save_button``; ``history`` (HTML: the check-ins so far);
    ``remind_day``, ``remind_at`` and ``remind_button`` with ``remind_link`` (the .ics download);
    ``status`` (HTML: what the last action did). ``on_changed`` is called after a save
    (a page can redraw its timeline).
    """

    def __init__(self, journal: Journal | str | None = None, *, region: str | None = None,
                 on_changed: Callable[[], None] | None = None, **kwargs: Any):
        self.journal = as_journal(journal)
        self.on_changed = on_changed
        text = watch_text()
        wide = w.Layout(width="min(100%, 420px)")
        self.flags = w.HTML()
        self.agreement = w.Text(placeholder="e.g. No phones at dinner", description="We agreed",
                                tooltip="A boundary or a new habit the two of you agreed, in your own words",
                                layout=wide, style={"description_width": "90px"})
        self.since = labelled(w.DatePicker(description="Since", value=date.today(),
                                           tooltip="The day you agreed it", layout=w.Layout(width="190px")), "45px")
        self.add_button = w.Button(description="Add agreement", icon="plus", layout=w.Layout(width="auto"),
                                   tooltip="Save the agreement; it appears in the next check-in")
        self.agreement_list = w.HTML()
        self.end_choice = labelled(w.Dropdown(description="It ended", options=[], value=None,
                                              tooltip="An agreement that no longer applies: the watch leaves it",
                                              layout=w.Layout(width="min(100%, 420px)")), "90px")
        self.end_button = w.Button(description="Mark as ended", icon="check", layout=w.Layout(width="auto"),
                                   tooltip="From today on, check-ins no longer ask about it")
        self.day = labelled(w.DatePicker(description="Week of", value=date.today(),
                                         tooltip="The day of this check-in", layout=w.Layout(width="230px")), "90px")
        self.rows: dict[int, w.ToggleButtons] = {}
        self.rows_box = w.VBox()
        self.past_raised = _choice(YES_NO, "Were old hurts brought up again this week?")
        self.promises_visible = _choice(YES_NO, "Are the changes you were promised visible in daily life?")
        self.feels = _choice(FEELS_OPTIONS, "Does this feel like a new beginning, or a repeat of before?")
        self.save_button = w.Button(description="Save this week's check-in", icon="save", button_style="primary",
                                    layout=w.Layout(width="auto"),
                                    tooltip="Save the answers given; blank ones stay blank")
        self.history = w.HTML()
        self.reminder = ReminderPanel(
            weekly_only=True, at=time(19, 0), filename=FILENAME,
            intro=f"<h4>A weekly reminder</h4><p class=\"rk-prose-wide\">A calendar file with a check-in once a "
                  f"week. The event says only \u201c{html.escape(CHECK_IN)}\u201d: nothing you wrote here goes "
                  "into your calendar.</p>")
        # the panel's parts by the names this widget's tests and docstring use
        self.remind_day, self.remind_at = self.reminder.day, self.reminder.at
        self.remind_button, self.remind_link = self.reminder.button, self.reminder.link
        self.status = w.HTML()
        self.add_button.on_click(lambda _: self.add())
        self.end_button.on_click(lambda _: self.end())
        self.save_button.on_click(lambda _: self.save())

        wrap = w.Layout(flex_flow="row wrap", align_items="center", width="100%")

        def question(label: str, control: w.Widget) -> w.Widget:
            return w.VBox([w.HTML(f"<div>{html.escape(label)}</div>"), control], layout=w.Layout(margin="2px 0 6px 0"))

        super().__init__([
            w.HTML("<h3>Agreements and the red-flag watch</h3>"
                   f'<p class="rk-prose-wide rk-hint">{html.escape(text.intro)}</p>'),
            self.flags,
            w.HTML("<h4>What we agreed</h4>"),
            self.agreement_list,
            w.HBox([self.agreement, self.since, self.add_button], layout=wrap),
            w.HBox([self.end_choice, self.end_button], layout=wrap),
            w.HTML("<h4>This week\u2019s check-in</h4>"),
            self.day,
            self.rows_box,
            question("Were old hurts brought up again this week?", self.past_raised),
            question("Promises of change: are they visible in daily life?", self.promises_visible),
            question("Does this feel like a new beginning, or a repeat?", self.feels),
            w.HBox([self.save_button], layout=wrap),
            self.status,
            w.HTML("<h4>Check-ins so far</h4>"),
            self.history,
            self.reminder,
        ], **kwargs)
        self.add_class("rk-watch")
        self.refresh()

    # -- reading -------------------------------------------------------------

    def _read(self) -> tuple[list[Agreement], list[CheckIn]]:
        return self.journal.agreements(), self.journal.checkins()

    def refresh(self) -> None:
        """Show the journal as it is: the flags, the agreements, a row for each that applies, the check-ins."""
        try:
            agreements, checkins = self._read()
        except RekindleError as exc:
            self.flags.value = message("error", f"The agreements cannot be read just now: {exc}")
            return
        self.flags.value = flags_html(raised(agreements, checkins))
        active = [a for a in agreements if a.ended is None]
        if agreements:
            items = "".join(
                f"<li>{html.escape(isolated(a.text))} <span class=\"rk-hint\">(agreement {a.id}, since "
                f"{_day(a.since)}{f', ended {_day(a.ended)}' if a.ended else ''})</span></li>"
                for a in agreements)
            self.agreement_list.value = f'<ul class="rk-agreements">' \
                                        f"{items}</ul>"
        else:
            self.agreement_list.value = message("info", "No agreements yet. Write down the first thing the two of "
                                                        "you agreed, a boundary or a new habit.")
        self.end_choice.options = [(f"{a.id}. {a.text}", a.id) for a in active]
        self.end_choice.value = None
        self.end_button.disabled = not active
        self._rows(active)
        names = {a.id or 0: a.text for a in agreements}
        if checkins:
            shown = checkins[-12:][::-1]
            more = (f'<p class="rk-hint">and {len(checkins) - len(shown)} earlier</p>'
                    if len(checkins) > len(shown) else "")
            self.history.value = ('<ul class="rk-checkins">'
                                  + "".join(_checkin_line(c, names) for c in shown) + "</ul>" + more)
        else:
            self.history.value = '<p class="rk-hint">No check-ins yet.</p>'

    def _rows(self, active: list[Agreement]) -> None:
        rows: dict[int, w.ToggleButtons] = {}
        boxes = []
        for a in active:
            number = a.id or 0
            toggle = self.rows.get(number) or _choice(KEPT_OPTIONS, f"How did agreement {number} go this week?")
            toggle.value = None
            rows[number] = toggle
            # HTML, not a Label: a Label is one line and cut a long agreement off on a phone
            words = html.escape(f"{number}. {a.text}")
            boxes.append(w.VBox([w.HTML(f'<span dir="auto" class="rk-agreement-words">{words}</span>',
                                        layout=w.Layout(max_width="100%")), toggle],
                                layout=w.Layout(margin="2px 0 6px 0")))
        self.rows = rows
        self.rows_box.children = boxes or [w.HTML('<p class="rk-hint">Add an agreement above to rate it '
                                                  "here each week; the three questions below need none.</p>")]

    # -- actions -------------------------------------------------------------

    def add(self) -> None:
        """Save the agreement typed in, from the day chosen."""
        try:
            made = self.journal.add_agreement(self.agreement.value, self.since.value or date.today())
        except RekindleError as exc:
            self.status.value = message("error", str(exc))
            return
        self.agreement.value = ""
        self.refresh()
        self.status.value = message("ok", f"Saved agreement {made.id}: {made.text}")
        self._changed()

    def end(self) -> None:
        """Mark the chosen agreement as ended today: later check-ins leave it out."""
        if self.end_choice.value is None:
            self.status.value = message("error", "Choose the agreement that ended first.")
            return
        try:
            ended = self.journal.end_agreement(self.end_choice.value)
        except RekindleError as exc:
            self.status.value = message("error", str(exc))
            return
        self.refresh()
        self.status.value = message("ok", f"Agreement {ended.id} ended today; the watch no longer follows it.")
        self._changed()

    def save(self) -> None:
        """Save this week's check-in from the answers given (an agreement not rated is left out)."""
        marks = [(number, toggle.value) for number, toggle in self.rows.items() if toggle.value is not None]
        try:
            saved = self.journal.add_checkin(day=self.day.value or date.today(), marks=marks,
                                             past_raised=self.past_raised.value,
                                             promises_visible=self.promises_visible.value, feels=self.feels.value)
        except RekindleError as exc:
            self.status.value = message("error", str(exc))
            return
        self.past_raised.value = self.promises_visible.value = self.feels.value = None
        self.refresh()
        n = len(raised(*self._read()))
        after = f" The watch raises {n} red flag{'s' if n != 1 else ''}: see the top of this panel." if n else \
            " No red flags raised."
        self.status.value = message("ok", f"Saved the check-in of {_day(saved.day)}.{after}")
        self._changed()

    def remind(self) -> None:
        """The weekly check-in as a calendar file to download."""
        self.reminder.prepare()

    def _changed(self) -> None:
        if self.on_changed is not None:
            self.on_changed()
