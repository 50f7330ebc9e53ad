"""Your own trackers over time (issue 27): one row each, a number's daily mean as a line, a yes/no item's days as
dots (filled yes, hollow no)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from ...bidi import isolated
from ..axes import columns, date_axis, empty, fit_label, legend_above, narrow_now, new_axes, plain, style, title_pad
from ..display import chart
from ..kinds import KINDS
from ..summaries import stage_periods
from ..theme import INK, MUTED, PALETTE
from .timeline import stage_bands

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["trackers"]

#: at most this many trackers are drawn, the most logged first
TOP = 8
_NUMBER, _YES = PALETTE["blue"], PALETTE["green"]


def check_trackers(data: pd.DataFrame) -> pd.DataFrame:
    from ...errors import RekindleError

    missing = [c for c in ("date", "name", "value", "yesno") if c not in getattr(data, "columns", ())]
    if not isinstance(data, pd.DataFrame) or missing:
        raise RekindleError("tracker data must be the journal's tracker table (Journal.trackers())")
    return data


@chart("trackers")
def trackers(data: pd.DataFrame, *, stages: Sequence[Any] | None = None, title: str | None = None,
             ax: Axes | None = None) -> Axes:
    """One row per tracker (the :data:`TOP` most logged): a number's daily mean drawn across its row, from its
    lowest (the row's foot) to its highest (its head), both written at the right; a yes/no item's days as dots,
    filled for yes and hollow for no; over the stage periods (``stages``), shaded as on the timeline."""
    data = check_trackers(data)
    if len(data) == 0:
        return empty(ax, "No trackers yet", "Log one with the mood: rekindle log --mood 4 --track sleep=7.5",
                     size=KINDS["trackers"])
    names = list(data["name"].value_counts().index[:TOP])
    with style():
        ax = new_axes(ax, (KINDS["trackers"][0], 1.6 + 0.55 * len(names)))
        for row, name in enumerate(names):
            y = len(names) - 1 - row
            rows = data[data["name"] == name]
            daily = rows.groupby(pd.DatetimeIndex(rows["date"]).normalize())["value"].mean()
            x = mdates.date2num(daily.index.to_pydatetime())
            ax.axhline(y, color="#e5e7eb", lw=0.8, zorder=0)
            if bool(rows["yesno"].iloc[0]):
                yes = daily.to_numpy() > 0.5
                ax.scatter(x[yes], np.full(yes.sum(), y), s=26, color=_YES, edgecolor=INK, lw=0.6, zorder=3)
                ax.scatter(x[~yes], np.full((~yes).sum(), y), s=26, facecolor="white", edgecolor=MUTED, lw=0.8,
                           zorder=3)
                span = f"yes on {int(yes.sum())} of {len(yes)} days"
            else:
                low, high = float(daily.min()), float(daily.max())
                scaled = (daily.to_numpy() - low) / (high - low) if high > low else np.full(len(daily), 0.5)
                ax.plot(x, y - 0.35 + 0.7 * scaled, color=_NUMBER, lw=1.6, marker="o", ms=3, zorder=3)
                span = f"{low:g} to {high:g}"
            ax.annotate(span, (1.005, y), xycoords=("axes fraction", "data"), va="center", fontsize=8, color=MUTED)
        width = 1.4 if narrow_now() else 2.2
        ax.set_yticks(range(len(names)), [plain(fit_label(isolated(n), width, 9)) for n in reversed(names)])
        ax.tick_params(axis="y", length=0)
        ax.set_ylim(-0.6, len(names) - 0.4 + (0.45 if stages and not narrow_now() else 0))  # room for the names
        days = pd.DatetimeIndex(data["date"]).normalize()
        date_axis(ax, days.min(), days.max())
        if stages:
            stage_bands(ax, stage_periods(None, stages, until=days.max()), days.min(), days.max(),
                        labels=not narrow_now())
        ax.spines["left"].set_visible(False)
        handles = [Line2D([], [], color=_NUMBER, lw=1.6, marker="o", ms=3, label="a number: its day's mean"),
                   Line2D([], [], lw=0, marker="o", ms=6, mfc=_YES, mec=INK, label="yes"),
                   Line2D([], [], lw=0, marker="o", ms=6, mfc="white", mec=MUTED, label="no")]
        ax.legend(handles=handles, **legend_above(0.25), ncol=columns(3), borderaxespad=0.2)
        ax.set_title(title if title is not None else "Your trackers", pad=title_pad(24))
    return ax
