"""How much mood moves: the day-to-day swing and the spread within days, per stage (issue 27)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ...model.insights import MIN_PAIRS, Variability
from ...model.insights import variability as stretches
from ..axes import columns, empty, fit_label, legend_above, narrow_now, row_axes, style, tint, title_pad
from ..display import chart
from ..kinds import KINDS
from ..summaries import check_data
from ..theme import INK, MUTED, STAGE_COLOURS

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["periods", "variability"]


def periods(data: pd.DataFrame) -> list[tuple[str, Variability, int | None]]:
    """The stretches the chart shows: each stage, then the 30 days before the latest and the latest 30
    (a short label, the variability, the stage or None)."""
    recent, before, stages = stretches(data)
    rows: list[tuple[str, Variability, int | None]] = []
    for v in stages:
        stage = int(v.label.split()[1])  # "stage 3 (Dip a toe in the water)"
        rows.append((f"Stage {stage}", v, stage))
    if before is not None:
        rows.append(("30 days before", before, None))
    if recent is not None:
        rows.append(("Latest 30 days" if narrow_now() else f"Latest 30 days (to {recent.end:%d %b})", recent, None))
    return rows


@chart("variability")
def variability(data: pd.DataFrame, *, title: str | None = None, ax: Axes | None = None) -> Axes:
    """The day-to-day swing (the square root of the mean squared successive difference of daily moods, a
    bar) and the spread within days (a dot), for each stage, then the 30 days before the latest and the
    latest 30; a stretch with too few pairs of consecutive days is left empty and says so."""
    data = check_data(data)
    if len(data) == 0:
        return empty(ax, size=KINDS["variability"])
    rows = periods(data)
    if not rows:
        return empty(ax, "Not enough days yet", "Log a mood on a few days in a row.", size=KINDS["variability"])
    with style():
        ax = row_axes(ax, KINDS["variability"][0], len(rows))
        y = np.arange(len(rows))[::-1]
        for yi, (_label, v, stage) in zip(y, rows, strict=True):
            colour = tint(STAGE_COLOURS[stage], 0.45) if stage else tint(MUTED, 0.45)
            if v.swing is None:
                ax.text(0.05, yi, f"too few days in a row ({v.pairs} pairs; {MIN_PAIRS} needed)", va="center",
                        fontsize=8.5, color=MUTED)
            else:
                ax.barh([yi], [v.swing], height=0.6, color=colour, edgecolor=INK, lw=0.8, zorder=2)
                ax.text(v.swing + 0.03, yi, f"{v.swing:.1f}", va="center", fontsize=9, color=INK,
                        fontweight="bold", zorder=4)
            if v.within is not None:
                ax.scatter([v.within], [yi], s=45, marker="D", color="white", edgecolor=INK, lw=1.1, zorder=3)
        width = 1.7 if narrow_now() else 2.6
        ax.set_yticks(y, [fit_label(label, width, 9) for label, _v, _s in rows])
        ax.tick_params(axis="y", length=0)
        reach = max([1.5] + [x for _l, v, _s in rows for x in (v.swing or 0, v.within or 0)])
        ax.set_xlim(0, reach * 1.15)
        ax.set_ylim(-0.7, len(rows) - 0.3)
        ax.set_xlabel("Mood points (1-5 scale)")
        ax.spines["left"].set_visible(False)
        handles = [Patch(facecolor=tint(MUTED, 0.45), edgecolor=INK, label="from one day to the next"),
                   Line2D([], [], lw=0, marker="D", ms=6, mfc="white", mec=INK, label="within a day")]
        ax.legend(handles=handles, **legend_above(0.2), ncol=columns(2), borderaxespad=0.2)
        ax.set_title(title if title is not None else "How much your mood moves", pad=title_pad(24))
    return ax
