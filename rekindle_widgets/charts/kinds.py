"""The chart kinds: the one list every view reads (CLI, report, mood page, app).

Imports no matplotlib and no pandas: building the ``rekindle`` command line
must stay cheap. Each :class:`Kind` names the function in
:mod:`rekindle_widgets.charts` that draws it, its default figure size, a
one-line description, and which data it takes.

To add a chart: write ``plots/NAME.py`` with ``NAME(data, *, ..., ax=None) -> Axes``,
add a :class:`Kind` here, a ``_describe_NAME`` in :mod:`.alt_text`, and export
the function in the package's ``__init__``.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from ..errors import RekindleError

__all__ = ["KINDS", "REGISTRY", "Kind", "check", "entry_kinds"]


@dataclass(frozen=True)
class Kind:
    """One kind of chart."""

    name: str  #: also the name of the function that draws it
    label: str  #: its name in a menu ("Year in pixels")
    size: tuple[float, float]  #: default figure size in inches
    summary: str  #: one line: what it shows
    #: which data it draws: the journal's entries, questionnaire responses, goal progress, or tracker values
    data: Literal["entries", "responses", "progress", "trackers"] = "entries"
    stages: bool = False  #: takes the stage timeline (``stages=``)
    title: str = ""  #: its heading in a report ("Mood and readiness over time"); the label when empty
    in_report: bool = True  #: the journal's report shows it (goals: the session report, with the sessions)
    own_words: bool = False  #: draws the person's own words (tags): an anonymised report leaves it out

    @property
    def heading(self) -> str:
        return self.title or self.label


REGISTRY: MappingProxyType[str, Kind] = MappingProxyType({k.name: k for k in (
    Kind("timeline", "Timeline", (11.0, 5.2), "mood and readiness over time, over the stage periods",
         stages=True, title="Mood and readiness over time"),
    Kind("pixels", "Year in pixels", (11.0, 2.9), "one square a day coloured by mood, a row per year",
         stages=True, title="Every day at a glance"),
    Kind("stages", "By stage", (10.0, 5.0), "mood and readiness per stage period, with each trend",
         stages=True),
    Kind("weekdays", "By weekday", (8.0, 4.4), "mean mood by day of the week", title="By day of the week"),
    # the report shows tags as "effects": the same question, with how sure each answer is
    Kind("tags", "Tags", (8.5, 4.8), "mood with and without each tag", own_words=True, in_report=False),
    Kind("effects", "What goes with better days", (8.5, 4.8),
         "each tag's difference in mean mood, same day and next day, with its 95% interval", own_words=True),
    # the report says these numbers in its Insights section (report/insights.py); each entry's stage is in the
    # entries' own table, so no stages= here
    Kind("variability", "How mood moves", (8.5, 3.6),
         "the day-to-day swing and the spread within days, per stage and the latest 30 days",
         title="How much your mood moves", in_report=False),
    # the person's own trackers: the Mood log's menu and the CLI draw it; the report says them in its Insights
    Kind("trackers", "Your trackers", (11.0, 3.4), "your own trackers over time and the stages, one row each",
         data="trackers", stages=True, own_words=True, in_report=False),
    Kind("scores", "Questionnaire scores", (10.0, 4.2), "questionnaire totals over time, bands shaded",
         data="responses"),
    Kind("goals", "Goals", (10.0, 4.4), "a client's goals rated 0-10 in each session",
         data="progress", in_report=False),  # from Journal.goal_progress(); the session report draws it
)})

#: Chart kind -> default figure size in inches, in the registry's order.
KINDS: MappingProxyType[str, tuple[float, float]] = MappingProxyType(
    {name: kind.size for name, kind in REGISTRY.items()})


def check(name: str) -> Kind:
    """The kind called ``name``, or a RekindleError naming the kinds there are."""
    kind = REGISTRY.get(name) if isinstance(name, str) else None
    if kind is None:
        raise RekindleError(f"unknown chart kind {name!r}; choose one of {', '.join(REGISTRY)}")
    return kind


def entry_kinds() -> tuple[Kind, ...]:
    """The kinds drawn from the journal's entries (the mood page offers these)."""
    return tuple(k for k in REGISTRY.values() if k.data == "entries")
