"""Moving forward in words: decisions, I-statements and micro-dates as the views show them.

The journal stores the records (:mod:`.journal.forward`), the content file
holds the words (:mod:`.content.forward`); this module joins the two once, so
that the page, the CLI, the report and the session page say the same thing:

* :func:`option_label`, :func:`decision_lines` and :func:`comparison_lines`;
* :func:`unsure_advice`: what a "no" to any of the four questions suggests
  (talking it through more; never a score);
* (their calendar files, :func:`~rekindle_widgets.io.reminders.review_ics` and
  :func:`~rekindle_widgets.io.reminders.date_ics`, are with the other calendar files).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ..content.forward import forward
from ..journal import Decision, MicroDate, compare

__all__ = ["answers_text", "comparison_lines", "decision_lines", "option_label", "question_text",
           "unsure_advice", "upcoming"]


def option_label(option: str) -> str:
    """"carry-on" -> "Carry on as now for a while"."""
    return forward().decision.option(option).label


def question_text(question: str) -> str:
    return forward().decision.question(question).label


def answers_text(decision: Decision) -> str:
    """The four answers in a few words: "know the options: yes · values clear: no · ..."."""
    return " \u00b7 ".join(f"{q.short}: {'yes' if decision.answers[q.id] else 'no'}"
                           for q in forward().decision.questions)


def unsure_advice(decision: Decision) -> str:
    """What the four answers suggest, in words: a "no" to any means talking it through more."""
    text = forward().decision
    return text.unsure_text if decision.unsure else text.sure_text


def decision_lines(decision: Decision) -> list[str]:
    """A decision as plain lines: the choice, reasons by option (weights as 0-5), the answers, who, review."""
    lines = [f"{decision.day}: {option_label(decision.option)}"]
    for choice in forward().decision.options:
        for r in decision.reasons_for(choice.id):
            lines.append(f"  {choice.label}: {r.text} (matters {r.weight} of 5)")
    for q in forward().decision.questions:
        lines.append(f"  {q.label} {'yes' if decision.answers[q.id] else 'no'}")
    if decision.involved:
        lines.append("  involved: " + ", ".join(decision.involved))
    if decision.review:
        lines.append(f"  review on {decision.review}")
    if decision.note:
        lines.append(f"  note: {decision.note}")
    return lines


def comparison_lines(before: Decision, after: Decision) -> list[str]:
    """What changed from ``before`` to ``after``, one sentence a line ("nothing changed" when nothing did)."""
    text = forward().decision
    return compare(before, after).lines({o.id: o.label for o in text.options},
                                        {q.id: q.short + ":" for q in text.questions})


def upcoming(dates: Iterable[MicroDate], today: date | None = None) -> list[MicroDate]:
    """Planned dates that have not happened yet, soonest first."""
    today = today or date.today()
    return sorted((d for d in dates if d.happened is None and d.planned >= today), key=lambda d: d.planned)
