"""Alerts: what a therapist should see before anything else about a client.

One function, :func:`alerts`, decides them; the session page, the reports and
the practice overview only show its list. Three kinds, in this order:

* ``safety``: a safety flag was raised in the client's answers (ever; the rule
  is :func:`rekindle_widgets.model.scorer.raised_flag`, so unknown flags count). Views
  put the safety services first, as everywhere (:mod:`.widgets.safety`);
* ``deterioration``: a questionnaire's latest score is a reliable deterioration
  from its first (:func:`rekindle_widgets.model.reliable_change.changes`);
* ``overdue``: a questionnaire of the client's measurement plan is overdue
  (:func:`rekindle_widgets.model.plans.due`).

Texts name questionnaires, dates and scores only: never a note, tag or answer
in the client's words. Scores are self-reported, not a diagnosis.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

__all__ = ["KINDS", "Alert", "alerts"]

KINDS = ("safety", "deterioration", "overdue")


@dataclass(frozen=True)
class Alert:
    """One alert: ``kind`` (see :data:`KINDS`), a sentence, and for safety the flags' kinds (crisis, abuse)."""

    kind: str
    text: str
    instrument: str | None = None
    day: str | None = None  # YYYY-MM-DD: when it was raised / measured / due
    safety_kinds: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return {"safety": "Safety flag", "deterioration": "Reliable deterioration",
                "overdue": "Questionnaire overdue"}[self.kind]


def _short(instrument_id: str) -> str:
    from ..content.instruments import find

    inst = find(instrument_id)
    return inst.short_title if inst is not None else instrument_id


def alerts(journal: Any, today: date | None = None, *, responses: Any = None, changes: Any = None,
           due_rows: Any = None) -> list[Alert]:
    """The alerts for one journal on ``today`` (default today): safety first, then deterioration, then overdue.

    ``responses``, ``changes``, ``due_rows``: the journal's responses frame, its
    :func:`rekindle_widgets.model.reliable_change.changes` and :func:`rekindle_widgets.model.plans.due`, if
    already worked out (the practice overview has them).
    """
    from . import reliable_change as change
    from .plans import due
    from .scorer import safety_flags_ever

    today = today or date.today()
    out: list[Alert] = []
    marks = safety_flags_ever(journal)
    if marks:
        last = marks[-1]
        kinds = tuple(dict.fromkeys(m.kind for m in reversed(marks)))
        times = "once" if len(marks) == 1 else f"{len(marks)} times"
        out.append(Alert("safety", f"A safety flag was raised {times}, most recently on {last.at[:10]} "
                                   f"({_short(last.instrument)}: {last.label}). Talk it through; the services "
                                   "are shown first.", last.instrument, last.at[:10], kinds))
    frame = journal.responses() if responses is None else responses
    for found in change.changes(frame) if changes is None else changes:
        if found.status == change.DETERIORATION:
            steps = change.series(frame, found.instrument)
            day = steps[-1].local_day if steps else None
            out.append(Alert("deterioration", f"{found.describe()} (latest on {day}; self-reported, not a "
                                              "diagnosis).", found.instrument, day))
    for row in due(journal, today) if due_rows is None else due_rows:
        if row.status == "overdue":
            since = row.since.isoformat() if row.since else None
            out.append(Alert("overdue", f"{_short(row.instrument)} is overdue since {since}"
                                        + (f"; last answered {row.last.isoformat()}" if row.last else
                                           "; not answered since the plan started") + ".",
                             row.instrument, since))
    return out
