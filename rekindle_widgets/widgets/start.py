"""The start page: what Rekindle is and is not, where help is, where your data lives."""

from __future__ import annotations

import html

import ipywidgets as w

from ..content import guide
from ..journal import Journal
from ..paths import public_session
from .base import as_journal, message
from .style import Page

PATHS = [
    ("Check-up", "an honest look at the relationship that ended, with a safety screen first."),
    ("Stages", "the seven stages, where you are now, reflections and a \u201cready to move on?\u201d checklist."),
    ("Mood log", "a quick daily entry, and charts of your mood and readiness through the stages."),
    ("Wellbeing", "short standard questionnaires (WHO-5, PHQ-9, GAD-7, readiness ruler) over time."),
    ("Import", "bring a mood log you already keep in Daylio, Pixels or a spreadsheet."),
    ("Therapist", "for therapists: clients kept apart, guided sessions, notes, goals and a report."),
]


def intro_html() -> str:
    """What this is and is not: the first thing on the Start page, before help."""
    g = guide()
    return (f"<h2>Start here</h2><p class='rk-big'>{html.escape(g.tagline)}</p>"
            f"<p><b>Not therapy.</b> {html.escape(g.disclaimer)}</p>")


def ways_html() -> str:
    """The pages of the workbook, one line each."""
    paths = "".join(f"<li><b>{html.escape(name)}</b>: {html.escape(text)}</li>" for name, text in PATHS)
    return f"<h3>Ways through the workbook</h3><ul>{paths}</ul>"


def no_trail_html() -> str:
    """How to leave no trail in the browser: the quick exit's keys, history, private windows."""
    return ("<h3>Leaving no trail</h3>"
            "<p>To leave at once, press <b>Shift three times</b> or <b>Esc twice</b>, or use "
            "\u201cLeave this page quickly\u201d: the app is replaced by a neutral page, Back does not "
            "bring it back, and the app locks itself: even its address opens only a sign-in box until it is "
            "opened again from the computer that started it.<br>"
            "Your browser still lists the pages you opened (this app\u2019s address, without its key, "
            "under the tab title \u201cNotes\u201d or the one you chose): to clear that, open its history "
            "(Ctrl+H; \u2318+Y on a Mac) and delete this page, or clear the last hour.<br>"
            "A private (incognito) window leaves less behind: its history, cookies and this tab\u2019s "
            "title are gone when you close it.</p>")


def public_warning_html() -> str:
    return message("warn", "This is a public, temporary Binder session: anyone with its address can reach it, "
                           "and everything here is deleted after about 10 idle minutes. Try the demo, but do "
                           "not type anything private; download your journal before you leave.")


class StartPage(Page):
    """Welcome, safety first, the paths through the workbook, and the journal's whereabouts."""

    def __init__(self, journal: Journal | str | None = None, *, region: str | None = None, **kwargs):
        from .download import DownloadPanel
        from .reminders import ReminderPanel
        from .safety import SafetyPanel

        self.journal = as_journal(journal)
        children = []
        if public_session():
            children.append(w.HTML(public_warning_html()))
        self.safety = SafetyPanel(region=region)
        self.where = w.HTML()
        self.show_where()
        self.download = DownloadPanel(self.journal, on_restored=self.show_where)
        self.no_trail = w.HTML(no_trail_html())
        self.tab_title = w.Text(
            description="Tab title", placeholder="Notes", style={"description_width": "initial"},
            tooltip="What this browser tab is called (kept in this browser only); empty for \u201cNotes\u201d")
        self.tab_title.add_class("rk-tab-title")
        self.reminders = ReminderPanel()
        # a way into the check-up, right after help: shown by the App, which can open its tab
        self.go = {"Check-up": w.Button(description="Start the check-up", button_style="primary",
                                        icon="arrow-right", layout=w.Layout(display="none", width="auto"))}
        # what this is, help, the way in; then the journal; settings and backups last
        children += [w.HTML(intro_html()), self.safety, *self.go.values(), self.where, w.HTML(ways_html()),
                     self.no_trail, self.tab_title, self.download, self.reminders]
        super().__init__(children, **kwargs)

    def show_where(self) -> None:
        """Where the journal is and what it holds (again after a backup is restored)."""
        from datetime import date

        from ..model.plans import due, due_line

        line = due_line(due(self.journal), date.today())  # a therapist's plan: "due: PHQ-9 (today), ..."
        plan = (f'<p class="rk-due-line"><b>From your therapist</b>, {html.escape(line)} (on the Wellbeing '
                "page).</p>" if line else "")
        if self.journal.is_example():
            self.where.value = (
                "<h3>The example journal</h3><p>Made-up entries, so the charts have something to show: "
                f"{html.escape(self.journal.summary())}. Your own journal starts empty "
                "(\u201cStart my own journal\u201d at the top of the page).</p>" + plan)
            return
        self.where.value = (
            f"<h3>Your journal</h3><p>Saved on this computer only, readable by you only: "
            f"<code>{html.escape(str(self.journal.path))}</code><br>{html.escape(self.journal.summary())}.</p>"
            + plan)


def public_notice() -> w.HTML:
    """The public-session warning on Binder; an empty widget anywhere else."""
    return w.HTML(public_warning_html() if public_session() else "")
