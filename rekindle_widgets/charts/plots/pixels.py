"""A year in pixels: one square a day coloured by that day's mean mood, a row of weeks per year."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.colors import Normalize
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ...journal import MOOD_LABELS
from ..axes import columns, empty, fit_label, mood_cmap, narrow_now, new_axes, shade, style
from ..display import chart
from ..kinds import KINDS
from ..summaries import Period, check_data, daily, stage_name, stage_periods
from ..theme import INK, MOOD_COLOURS, MUTED, STAGE_COLOURS

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["pixels"]


@chart("pixels")
def pixels(data: pd.DataFrame, *, stages: Sequence[Any] | None = None, title: str | None = None,
           ax: Axes | None = None) -> Axes:
    """A year in pixels: one square a day coloured by that day's mean mood.

    Weeks run left to right, Monday to Sunday top to bottom, one row of
    squares per year (years stacked, oldest on top). Days without entries stay
    blank; a dark outline marks where one stage ends and the next begins, and
    a coloured ribbon above each year shows the stage.
    """
    data = check_data(data)
    if len(data) == 0:
        return empty(ax, size=KINDS["pixels"])
    days = daily(data)
    years = list(range(days.index[0].year, days.index[-1].year + 1))
    periods = stage_periods(data, stages, until=days.index[-1])
    with style():
        ax = new_axes(ax, (KINDS["pixels"][0], 1.05 + 1.75 * len(years)))
        cmap, norm = mood_cmap(), Normalize(1, 5)
        block = 10.0  # a year's height: 7 day rows + ribbon + month labels
        stage_of_day = _stage_lookup(periods)
        polys, colours, blanks = [], [], []
        ribbon_polys: list[list[tuple[float, float]]] = []
        ribbon_colours: list[str] = []
        outline: list[tuple[tuple[float, float], tuple[float, float]]] = []
        for row, year in enumerate(years):
            top = row * block
            first = pd.Timestamp(year=year, month=1, day=1)
            all_days = pd.date_range(first, pd.Timestamp(year=year, month=12, day=31), freq="D")
            week = ((all_days - first).days + first.weekday()) // 7
            weekday = all_days.day_of_week
            mood = days["mood"].reindex(all_days).to_numpy()
            stage = stage_of_day(all_days)
            x = np.asarray(week, dtype=float)
            y = top + np.asarray(weekday, dtype=float)
            squares = np.stack([np.column_stack([x + 0.06, y + 0.06]), np.column_stack([x + 0.94, y + 0.06]),
                                np.column_stack([x + 0.94, y + 0.94]), np.column_stack([x + 0.06, y + 0.94])],
                               axis=1)
            empty_day = np.isnan(mood)
            blanks.extend(squares[empty_day])
            polys.extend(squares[~empty_day])
            colours.extend(cmap(norm(mood[~empty_day])))
            # stage boundaries: an edge between neighbouring days (next day below, same day next week
            # to the right) in different stages
            grid = np.full((int(week.max()) + 2, 8), -1, dtype=np.int64)
            grid[np.asarray(week), np.asarray(weekday)] = stage
            here = grid[:-1, :7]
            right, below = grid[1:, :7], grid[:-1, 1:]
            for other, vertical in ((right, True), (below, False)):
                wx, dy = np.nonzero((here >= 0) & (other >= 0) & (here != other))
                for w, d in zip(wx.tolist(), dy.tolist(), strict=True):  # plain ints, not numpy's
                    outline.append(((w + 1, top + d), (w + 1, top + d + 1)) if vertical else
                                   ((w, top + d + 1), (w + 1, top + d + 1)))
            # the ribbon: one segment per week, the colour of that week's stage (its last day)
            for w in range(int(week.max()) + 1):
                in_week = stage[week == w]
                s = int(in_week[-1]) if len(in_week) else 0
                if s:
                    ribbon_polys.append([(w, top - 0.75), (w + 1, top - 0.75), (w + 1, top - 0.25),
                                         (w, top - 0.25)])
                    ribbon_colours.append(STAGE_COLOURS[s])
            # stage numbers where a stage starts in this year
            for p in periods:
                if p.start.year == year:
                    w = ((p.start - first).days + first.weekday()) // 7
                    ax.text(w + 0.5, top - 0.95, str(p.stage), ha="center", va="bottom", fontsize=7.5,
                            color=shade(p.colour, 0.5), fontweight="bold")
            ax.text(-0.25, top - 0.5, str(year), ha="right", va="center", fontsize=11, fontweight="bold")
            for m in range(1, 13):
                start = pd.Timestamp(year=year, month=m, day=1)
                w = ((start - first).days + first.weekday()) // 7
                ax.text(w + 0.1, top + 7.25, start.strftime("%b"), ha="left", va="top", fontsize=8,
                        color=MUTED)
            for d, label in ((0, "Mon"), (2, "Wed"), (4, "Fri"), (6, "Sun")):
                ax.text(-0.25, top + d + 0.5, label, ha="right", va="center", fontsize=7, color=MUTED)
        ax.add_collection(PolyCollection(blanks, facecolors="#f9fafb", edgecolors="#eceef1", linewidths=0.5))
        ax.add_collection(PolyCollection(polys, facecolors=colours, edgecolors="none"))
        ax.add_collection(PolyCollection(ribbon_polys, facecolors=ribbon_colours, edgecolors="none"))
        if outline:
            ax.add_collection(LineCollection(outline, colors=INK, linewidths=1.6, capstyle="projecting",
                                             label="_stage boundaries"))
        if narrow_now():  # a phone's: only the weeks from the first entry to the last, in bigger squares
            first_week, last_week = (_week(days.index[0]), _week(days.index[-1])) if len(years) == 1 else (0, 53)
            for text in list(ax.texts):  # labels of weeks outside the span would sit in the margin
                at = text.get_position()[0]
                if at >= 0 and not first_week - 0.5 <= at <= last_week + 1:
                    text.remove()
            for text in ax.texts:  # the weekday and year labels move to the span's left edge
                if text.get_position()[0] < 0:
                    text.set_x(first_week - 0.25)
            ax.set_xlim(first_week - 2.6, last_week + 1.2)
        else:
            ax.set_xlim(-2.6, 54)
        ax.set_ylim(len(years) * block - 1.8, -1.6)
        ax.set_aspect("equal")
        ax.set_axis_off()
        handles = [Patch(color=MOOD_COLOURS[k], label=f"{k} {MOOD_LABELS[k]}") for k in range(1, 6)]
        handles.append(Patch(facecolor="#f9fafb", edgecolor="#d1d5db", label="no entry"))
        legend_below = narrow_now()  # a phone's: the legend under the squares, not beside the title
        legend = ax.legend(handles=handles, loc="upper right" if legend_below else "lower right",
                           bbox_to_anchor=(1.0, 0.0 if legend_below else 1.0), ncol=columns(6),
                           handlelength=1.0, handleheight=1.0, columnspacing=1.0, handletextpad=0.4,
                           fontsize=8.5, borderaxespad=0.1)
        ax.add_artist(legend)
        seen = [p.stage for p in periods]
        if seen:
            stage_handles: list[Artist] = [
                Patch(color=STAGE_COLOURS[s], label=fit_label(f"{s} {stage_name(s)}", 2.7, 8.5))
                for s in dict.fromkeys(seen)]
            stage_handles.append(Line2D([], [], color=INK, lw=1.6, label="stage boundary"))
            ax.legend(handles=stage_handles, loc="upper left", bbox_to_anchor=(0.0, 0.0),
                      ncol=columns(min(3 if len(stage_handles) > 4 else 4, len(stage_handles))), handlelength=1.1,
                      columnspacing=1.4, fontsize=8.5,
                      borderaxespad=0.1)
        ax.set_title(title if title is not None else "Year in pixels")
    return ax


def _week(day: pd.Timestamp) -> int:
    """The column of ``day`` in its year's row: weeks from Monday, the one holding 1 January first."""
    first = pd.Timestamp(year=day.year, month=1, day=1)
    return ((day - first).days + first.weekday()) // 7


def _stage_lookup(periods: Sequence[Period]) -> Callable[[pd.DatetimeIndex], np.ndarray]:
    """A function: days -> stage number (0 = no stage) for each day."""
    starts = np.array([p.start.value for p in periods], dtype=np.int64)
    ends = np.array([p.end.value for p in periods], dtype=np.int64)
    numbers = np.array([p.stage for p in periods], dtype=np.int64)

    def lookup(days: pd.DatetimeIndex) -> np.ndarray:
        if not len(periods):
            return np.zeros(len(days), dtype=np.int64)
        values = days.as_unit("ns").asi8
        index = np.searchsorted(starts, values, side="right") - 1
        found = (index >= 0) & (values < ends[np.clip(index, 0, None)])
        return np.where(found, numbers[np.clip(index, 0, None)], 0)

    return lookup


