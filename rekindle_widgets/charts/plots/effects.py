"""What goes with better days: each tag's difference with its interval, zero marked (issue 27)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from ...bidi import isolated
from ...model.insights import LEVEL, MIN_DAYS, insights
from ..axes import columns, empty, legend_above, narrow_now, plain, row_axes, style, title_pad
from ..display import chart
from ..kinds import KINDS
from ..summaries import check_data
from ..theme import FAINT, INK, MUTED, PALETTE

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["effects"]

_SAME, _NEXT = PALETTE["blue"], PALETTE["vermillion"]


def _label(tag: str, lag: int) -> str:
    if lag == 0:
        return plain(isolated(tag))
    return plain(f"{isolated(tag)} (+1 day)" if narrow_now() else f"{isolated(tag)} · next day")


@chart("effects")
def effects(data: pd.DataFrame, *, top: int = 12, title: str | None = None, ax: Axes | None = None) -> Axes:
    """Mean daily mood on days with a tag minus days without it (a dot), and on the day after (a square),
    each with its 95% interval (:func:`~rekindle_widgets.model.insights.insights`), in the insights' order
    (the interval's lower end first); zero marked. A comparison on too few days to say is drawn faint."""
    data = check_data(data, ("date", "mood", "tags"))
    if len(data) == 0:
        return empty(ax, size=KINDS["effects"])
    found = insights(data)
    rows = found.effects[:top]
    if not rows:
        return empty(ax, "No tags to compare yet", found.reason or
                     f"A tag is compared once it is on {MIN_DAYS} days and missing from {MIN_DAYS}.",
                     size=KINDS["effects"])
    with style():
        ax = row_axes(ax, KINDS["effects"][0], len(rows), per_row=0.36)
        ax.axvline(0, color=MUTED, lw=1.2, ls=(0, (4, 3)), zorder=1)
        y = np.arange(len(rows))[::-1]
        for yi, e in zip(y, rows, strict=True):
            colour = (_SAME if e.lag == 0 else _NEXT) if e.sure_enough else FAINT
            ax.plot([e.low, e.high], [yi, yi], color=colour, lw=2.4, zorder=2, solid_capstyle="round")
            ax.scatter([e.difference], [yi], s=55, marker="o" if e.lag == 0 else "s", color=colour,
                       edgecolor=INK if e.sure_enough else MUTED, lw=0.8, zorder=3)
        ax.set_yticks(y, [_label(e.tag, e.lag) for e in rows])
        ax.tick_params(axis="y", length=0)
        reach = max(1.0, *(abs(v) for e in rows for v in (e.low, e.high)))
        ax.set_xlim(-reach * 1.08, reach * 1.08)
        ax.set_ylim(-0.7, len(rows) - 0.3)
        ax.set_xlabel("Mood: days with minus days without" if narrow_now()
                      else "Difference in mean mood: days with the tag minus days without")
        ax.spines["left"].set_visible(False)
        handles = [Line2D([], [], color=_SAME, lw=2.4, marker="o", ms=7, mec=INK, label="same day"),
                   Line2D([], [], color=_NEXT, lw=2.4, marker="s", ms=7, mec=INK, label="the day after"),
                   Line2D([], [], color=FAINT, lw=2.4, marker="o", ms=7, mec=MUTED, label="too few days to say"),
                   Line2D([], [], color=MUTED, lw=1.2, ls=(0, (4, 3)), label="no difference")]
        ax.legend(handles=handles, **legend_above(0.2), ncol=columns(4), borderaxespad=0.2)
        ax.set_title(title if title is not None else f"What goes with better days ({LEVEL:.0%} intervals)",
                     pad=title_pad(24))
    return ax
