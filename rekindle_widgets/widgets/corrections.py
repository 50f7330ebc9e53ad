"""What the pages share for corrections (issue 16): the Undo button, shown after every change."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from ..errors import RekindleError
from ..journal import MOOD_LABELS, Change, Journal
from .base import message


class UndoButton(w.HBox):
    """"Undo <the last change>", shown while this visit has a change to take back.

    Only changes made since the page's journal was opened (this visit: a page load is a new kernel) are
    offered; older ones are in each record's history, with their dates.

    ``on_undone(change)`` runs after an undo, for the page to redraw itself;
    the outcome is written to ``status`` (an HTML widget the page shows).
    """

    def __init__(self, journal: Journal, status: w.HTML, on_undone: Callable[[Change], Any]):
        self.journal = journal
        self.after = journal.opened_after  # read now, before this page changes anything
        self.status = status
        self.on_undone = on_undone
        self.button = w.Button(description="Undo", icon="undo", layout=w.Layout(width="auto"))
        self.button.on_click(lambda _b: self.undo())
        #: the changes of earlier visits, with their dates: shown, not offered (for the page to place)
        self.earlier = w.HTML()
        self.show_earlier()
        super().__init__([self.button], layout=w.Layout(display="none"))

    def show_earlier(self) -> None:
        """List the last changes made before this visit, in words and with their dates."""
        try:
            older = self.journal.changes(before=self.after + 1, limit=5)
        except RekindleError:
            older = []
        self.earlier.value = earlier_html(older)

    def show(self) -> None:
        """Offer to undo the journal's last change (called after every change the page makes)."""
        try:
            last = self.journal.last_change(after=self.after)
        except RekindleError:
            last = None
        if last is None:
            self.layout.display = "none"
            return
        self.button.description = f"Undo {last}"
        self.button.tooltip = f"Take back {last}; press again to go further back"
        self.layout.display = None

    def hide(self) -> None:
        self.layout.display = "none"

    def undo(self) -> Change | None:
        if self.journal.last_change(after=self.after) is None:  # another page undid this visit's last change
            self.status.value = message("info", "Nothing from this visit is left to undo.")
            self.show()
            return None
        try:
            change = self.journal.undo()
        except RekindleError as exc:
            self.status.value = message("error", str(exc))
            self.show()
            return None
        self.status.value = message("ok", f"Undid {change}.")
        self.on_undone(change)
        self.show()
        return change


def earlier_html(changes: list[Change]) -> str:
    """Earlier visits' changes, newest first, each with its date: behind a disclosure, with the way to undo."""
    if not changes:
        return ""
    from datetime import datetime

    def when(at: str) -> str:
        try:
            return f"{datetime.fromisoformat(at).astimezone():%d %b %Y, %H:%M}"
        except (TypeError, ValueError):  # a time the file should not hold: the change is listed all the same
            return "at a time that cannot be read"

    items = "".join(f"<li>{when(c.at_utc)}: {html.escape(str(c))}</li>" for c in changes)
    return ('<details class="rk-earlier"><summary>Changes from earlier visits</summary>'
            f"<ul>{items}</ul><p>Undo here takes back only what this visit changed. To take back an older "
            "change, edit or delete the entry, or run <code>rekindle undo</code> (newest first).</p></details>")


def entry_html(row: tuple[Any, ...]) -> str:
    """One entry row (as Journal.rows gives it) as escaped HTML for the recent-entries list."""
    _id, ts, _day, mood, readiness, tags, note, _source = row[:8]
    parts = [f"<b>{html.escape(ts[:16].replace('T', ' '))}</b>", f"mood {mood} ({html.escape(MOOD_LABELS[mood])})"]
    if readiness is not None:
        parts.append(f"readiness {readiness}")
    if tags:
        parts.append("tags <bdi>" + html.escape(", ".join(tags.split("|"))) + "</bdi>")
    if note:
        short = note if len(note) <= 120 else note[:117] + "..."
        parts.append(f"<bdi>{html.escape(short)}</bdi>")
    return '<span class="rk-entry">' + " · ".join(parts) + "</span>"
