"""Mood by day of the week, each day counted once."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.colors import Normalize
from matplotlib.lines import Line2D

from ..axes import (
    columns,
    empty,
    legend_above,
    mood_cmap,
    mood_ticks,
    narrow_now,
    new_axes,
    style,
    tint,
    title_pad,
    too_little,
)
from ..display import chart
from ..kinds import KINDS
from ..summaries import MIN_TAG_DAYS, check_data, daily
from ..theme import INK, MOOD_COLOURS, MUTED

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["weekdays"]

_WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


@chart("weekdays")
def weekdays(data: pd.DataFrame, *, title: str | None = None, ax: Axes | None = None) -> Axes:
    """Mean mood by weekday (each day's mean counts once), with a 95% interval and the day count."""
    data = check_data(data)
    if len(data) == 0:
        return empty(ax, size=KINDS["weekdays"])
    days = daily(data)
    by = days["mood"].groupby(days.index.day_of_week)
    mean, count, sd = by.mean(), by.size(), by.std(ddof=1)
    overall = float(days["mood"].mean())
    with style():
        ax = new_axes(ax, KINDS["weekdays"])
        cmap, norm = mood_cmap(), Normalize(1, 5)
        ax.axhline(overall, color=MUTED, lw=1, ls=(0, (4, 3)), zorder=1)
        ax.text(1.005, overall, f"all days\n{overall:.1f}", transform=ax.get_yaxis_transform(), ha="left",
                va="center", fontsize=8, color=MUTED)
        for d in range(7):
            if d not in mean.index:
                ax.text(d, 1.2, "no\nentries", ha="center", va="bottom", fontsize=8, color=MUTED)
                continue
            m, n = float(mean[d]), int(count[d])
            half = 1.96 * float(sd[d]) / np.sqrt(n) if n > 1 and sd[d] == sd[d] else 0.0
            ax.plot([d, d], [1, m], color=tint(MOOD_COLOURS[3], 0.35), lw=10, solid_capstyle="butt", zorder=2)
            if half:
                ax.errorbar([d], [m], yerr=[[half], [half]], color=INK, lw=1.2, capsize=4, zorder=3)
            ax.scatter([d], [m], s=90, color=cmap(norm(m)), edgecolor=INK, lw=1, zorder=4)
            ax.text(d + 0.13, m, f"{m:.1f}", ha="left", va="center", fontsize=9, zorder=5, color=INK,
                    fontweight="bold")
            if not narrow_now():  # a phone's chart has no room for them: the description gives the counts
                ax.text(d, 0.62, f"{n} day{'s' if n != 1 else ''}", ha="center", va="bottom", fontsize=7.5,
                        color=MUTED)
        ax.set_xticks(range(7), _WEEKDAYS)
        ax.tick_params(axis="x", length=0)
        ax.set_xlim(-0.6, 6.6)
        ax.set_ylim(0.55, 5.5)
        ax.set_yticks(*mood_ticks())
        ax.set_ylabel("Mean mood")
        handles = [Line2D([], [], lw=0, marker="o", ms=8, mfc=MOOD_COLOURS[3], mec=INK,
                          label="mean mood (each day counts once)"),
                   Line2D([], [], color=INK, lw=1.2, marker="_", ms=8, label="95% interval"),
                   Line2D([], [], color=MUTED, lw=1, ls=(0, (4, 3)), label="all days")]
        ax.legend(handles=handles, **legend_above(), ncol=columns(3), borderaxespad=0.2)
        ax.set_title(title if title is not None else "Mood by day of the week", pad=title_pad(24))
        if len(days) < MIN_TAG_DAYS:
            too_little(ax, len(days))
    return ax


