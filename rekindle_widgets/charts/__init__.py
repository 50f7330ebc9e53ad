"""Charts of the mood and readiness journal: data in, matplotlib Axes out.

Every chart follows the seaborn pattern::

    ax = charts.timeline(journal.entries(), stages=journal.stage_changes())

``data`` is the DataFrame from :meth:`Journal.entries`; ``stages`` the stage
timeline from :meth:`Journal.stage_changes` (without it the periods are read
from the ``stage`` column of ``data``). A chart draws on the ``ax`` it is given
or makes its own :class:`matplotlib.figure.Figure` (never pyplot: nothing is
left open), and returns the Axes so callers can compose. Every chart copes with
an empty journal (a friendly "No entries yet"), a single entry, long gaps (no
line is drawn across a gap of more than :data:`GAP_DAYS` days) and 100,000
entries (aggregated per day, or per week or month over long spans: never one
marker per entry).

The package, by layer (each imports only those above it):

- :mod:`.theme`: colours, fonts and style, for the charts, the HTML report and the app (plain data);
- :mod:`.kinds`: the chart kinds (name, menu label, size, what it shows, which data): the one list
  the CLI, the report and the app read; no matplotlib, no pandas;
- :mod:`.summaries`: the arithmetic (days, stage periods, the stage summary, tags, scores), pandas only;
- :mod:`.alt_text`: :func:`describe` and friends, the charts in words (alt text), pandas only;
- :mod:`.axes`: the matplotlib side every chart shares (style, new Axes, scales, the empty chart);
- :mod:`.plots`: one module per chart family, each holding the function of its name;
- :mod:`.figures`: :func:`figure`, a whole figure of one kind (for the CLI, the report, the app);
- :mod:`.output`: :func:`render`, a figure as PNG or SVG bytes with its alt text inside;
- :mod:`.agg`: the Agg canvas :func:`render` lends a figure while saving it as PNG: the same pixels,
  with the text shaped and rasterised once and remembered (a chart redrawn after each save, benchmark P8);
- :mod:`.display`: how a chart shows where it is drawn: in a notebook or Voila its Axes displays as a
  picture with :func:`describe` as alt text (IPython printers for our Axes; see the module for why), and
  every chart takes a :class:`~rekindle_widgets.journal.Journal` in place of its data.

Importing this package loads nothing heavy: each name below is imported from
its module when first used, so ``rekindle_widgets.charts.kinds`` can be read
without matplotlib.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from . import display  # light: no matplotlib, no pandas

#: public name -> the module (relative to this package) that defines it
_HOME: dict[str, str] = {
    **dict.fromkeys(["PALETTE", "STAGE_COLOURS", "MOOD_COLOURS", "GOAL_COLOURS", "INK", "MUTED", "FAINT",
                     "READINESS_COLOUR", "STYLE"], ".theme"),
    **dict.fromkeys(["KINDS", "REGISTRY", "Kind"], ".kinds"),
    **dict.fromkeys(["EVENT_TAGS", "GAP_DAYS", "MAX_POINTS", "MIN_TAG_DAYS", "TREND_THRESHOLD", "Period",
                     "daily", "instrument_bands", "scorable", "stage_name", "stage_periods", "stage_summary",
                     "tag_table"], ".summaries"),
    **dict.fromkeys(["describe", "describe_flags", "describe_goals", "describe_scores", "describe_trackers"],
                    ".alt_text"),
    **dict.fromkeys(["MOOD_LABELS", "empty", "mood_cmap"], ".axes"),
    **{name: f".plots.{name}"
       for name in ("timeline", "pixels", "stages", "weekdays", "tags", "effects", "variability", "trackers", "scores",
                    "goals")},
    "figure": ".figures",
    "render": ".output",
}

__all__ = [
    "EVENT_TAGS",
    "GAP_DAYS",
    "KINDS",
    "MOOD_COLOURS",
    "PALETTE",
    "STAGE_COLOURS",
    "Period",
    "describe",
    "describe_flags",
    "describe_goals",
    "describe_scores",
    "effects",
    "empty",
    "figure",
    "goals",
    "pixels",
    "render",
    "scores",
    "stage_periods",
    "stage_summary",
    "stages",
    "tags",
    "timeline",
    "trackers",
    "variability",
    "weekdays",
]


_MODULES = ("theme", "kinds", "summaries", "alt_text", "axes", "plots", "figures", "output", "display")


def __getattr__(name: str) -> Any:
    if name in _MODULES:  # charts.kinds, charts.theme ... before anything imported them
        return import_module(f".{name}", __name__)
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(home, __name__), name)
    globals()[name] = value  # once: later lookups are plain attribute reads
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOME, *_MODULES})


display.register()  # inside IPython (a notebook, Voila): our charts display as pictures

if TYPE_CHECKING:  # what the lazy names are, for type checkers and editors
    from .alt_text import describe, describe_goals, describe_scores
    from .axes import MOOD_LABELS, empty, mood_cmap  # noqa: F401
    from .figures import figure
    from .kinds import KINDS, REGISTRY, Kind  # noqa: F401
    from .output import render
    from .plots.effects import effects
    from .plots.goals import goals
    from .plots.pixels import pixels
    from .plots.scores import scores
    from .plots.stages import stages
    from .plots.tags import tags
    from .plots.timeline import timeline
    from .plots.trackers import trackers
    from .plots.variability import variability
    from .plots.weekdays import weekdays
    from .summaries import (  # noqa: F401
        EVENT_TAGS,
        GAP_DAYS,
        MAX_POINTS,
        MIN_TAG_DAYS,
        TREND_THRESHOLD,
        Period,
        daily,
        instrument_bands,
        scorable,
        stage_name,
        stage_periods,
        stage_summary,
        tag_table,
    )
    from .theme import FAINT, GOAL_COLOURS, INK, MOOD_COLOURS, MUTED, PALETTE, READINESS_COLOUR, STAGE_COLOURS, STYLE  # noqa: F401
