"""The timeline: mood and readiness over time, over the stage periods."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from ...bidi import isolated
from ...errors import RekindleError
from ..axes import (
    break_gaps,
    columns,
    date_axis,
    empty,
    fit_label,
    mood_axis,
    narrow_now,
    new_axes,
    plain,
    readiness_axis,
    root_figure,
    shade,
    style,
    tint,
)
from ..display import chart
from ..kinds import KINDS
from ..summaries import (
    EVENT_TAGS,
    GAP_DAYS,
    Period,
    binned,
    bins,
    check_data,
    daily,
    event_days,
    middle_half,
    rolling,
    stage_periods,
)
from ..theme import DANGER, FAINT, INK, MUTED, READINESS_COLOUR

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["timeline"]

#: the days a phone's timeline shows: the last twelve weeks
PHONE_DAYS = 84
_EVENT_MARKERS = ["o", "D", "s", "^", "v", "P", "X", "*"]


@chart("timeline")
def timeline(data: pd.DataFrame, *, stages: Sequence[Any] | None = None, window: int = 7,
             events: Sequence[str] = EVENT_TAGS, readiness: bool = True, title: str | None = None,
             flags: Sequence[Any] = (), moments: Mapping[str, Sequence[Any]] | None = None,
             ax: Axes | None = None) -> Axes:
    """Mood (1-5) and readiness (0-10, right-hand scale) over time, over the stage periods.

    Several entries a day become the day's mean with its range (low to high)
    as a thin bar; the thick line is the mean over the last ``window`` days.
    Each stage period is a shaded band named at the top; entries tagged with
    one of ``events`` are marked along the bottom. Over long spans days are
    grouped into weeks or months, so 100,000 entries draw as fast as 1,000.

    ``flags``: red flags of the watch (:func:`rekindle_widgets.model.watch.flag_history`,
    anything with ``weeks``, a sequence of check-in dates): the week before
    each of those check-ins is hatched in red, and a row along the bottom,
    "red flags", marks the check-ins.

    ``moments`` (label -> dates) adds rows of events that are not tags, such as
    the days micro-dates happened (:meth:`Journal.timeline_moments`, which a
    chart drawn from a Journal uses by itself); days outside the chart's span
    are left out.
    """
    data = check_data(data)
    phone = narrow_now()
    if phone and len(data):  # a phone's: the recent weeks, drawn large (the description covers all of them)
        data = data[data["date"] >= data["date"].max().normalize() - pd.Timedelta(days=PHONE_DAYS - 1)]
        if title is None:
            title = f"Mood and readiness, last {PHONE_DAYS // 7} weeks"
    if len(data) == 0:
        return empty(ax, size=KINDS["timeline"])
    if not isinstance(window, int) or isinstance(window, bool) or window < 1:
        raise RekindleError(f"window must be a whole number of days, 1 or more, not {window!r}")
    with style():
        days = daily(data)
        step = bins(days.index)
        shown = binned(days, step)
        start, end = days.index[0], days.index[-1]
        periods = stage_periods(data, stages, until=end)
        if periods and periods[-1].start > end:  # entered a stage after the last entry: show it
            end = periods[-1].start
        rows = [t for t in dict.fromkeys(e.strip().lower() for e in events) if t]
        present = _event_x(data, rows, step)
        flagged = sorted({pd.Timestamp(d) for f in flags for d in f.weeks})
        if flagged and flagged[-1] > end:
            end = flagged[-1]
        if flagged and flagged[0] - pd.Timedelta(days=6) < start:
            start = flagged[0] - pd.Timedelta(days=6)
        present.update(_moment_x(moments, step, start, end))
        has_readiness = readiness and "readiness" in data and bool(days["readiness"].notna().any())
        n_handles = 3 + has_readiness + bool(flagged)  # events are named on their rows, stages on their bands
        legend_rows = -(-n_handles // columns(4))
        margins = (0.95, 0.8 if has_readiness else 0.3, 0.15 if title == "" else 0.5,
                   0.42 + 0.22 * legend_rows)  # inches: left, right, top, bottom
        if phone:  # the same parts in 3.5 inches: tighter sides, the title on two lines, the legend in one column
            margins = (0.78, 0.55 if has_readiness else 0.2, 0.15 if title == "" else 0.62,
                       0.45 + 0.2 * legend_rows)
        ax = new_axes(ax, KINDS["timeline"], margins=margins)
        date_axis(ax, start, end)
        bottom = 0.5 - 0.3 * (len(present) + bool(flagged))
        mood_axis(ax, bottom)

        x = mdates.date2num(shown.index.to_pydatetime()) if step == "D" else \
            mdates.date2num(shown.index.to_pydatetime()) + (3.5 if step.startswith("W") else 15)
        gap = max(GAP_DAYS, 8 if step.startswith("W") else 0, 35 if step == "MS" else 0)
        unit = {"D": "day", "W-MON": "week", "MS": "month"}[step]
        busy = step != "D" or days["entries"].mean() > 4
        if busy:  # lowest to highest would be 1 to 5 nearly everywhere: show the middle half instead
            low, high = middle_half(data, step, shown.index)
            range_label = f"middle half of each {unit}'s entries"
        else:
            low, high = shown["low"].to_numpy(), shown["high"].to_numpy()
            range_label = "lowest to highest that day"
        spread = high > low
        if spread.any():
            segs = np.stack([np.column_stack([x[spread], low[spread]]),
                             np.column_stack([x[spread], high[spread]])], axis=1)
            ranges = LineCollection(segs, colors=FAINT,  # type: ignore[arg-type]  # an (N, 2, 2) array
                                    linewidths=1.6 if len(x) < 400 else 0.8,
                                    alpha=1.0 if len(x) < 400 else 0.7, zorder=2, label="_range")
            ax.add_collection(ranges, autolim=False)
        ax.scatter(x, shown["mood"], s=14 if len(x) < 400 else 6, color=INK, alpha=0.45, lw=0, zorder=3)
        roll = rolling(days["mood"], window)
        rx, ry = break_gaps(mdates.date2num(roll.index.to_pydatetime()), roll.to_numpy(), gap)
        if step != "D":  # smooth over the bins instead of plotting every day
            roll = shown["mood"].rolling(3, min_periods=1, center=True).mean()
            rx, ry = break_gaps(x, roll.to_numpy(), gap)
        ax.plot(rx, ry, color=INK, lw=2.2, zorder=4, solid_capstyle="round")
        handles: list[Any] = [
            Line2D([], [], color=INK, lw=0, marker="o", ms=4, alpha=0.6,
                   label={"D": "mood, daily mean", "W-MON": "mood, weekly mean",
                          "MS": "mood, monthly mean"}[step]),
            Line2D([], [], color=FAINT, lw=2, label=range_label),
            Line2D([], [], color=INK, lw=2.2, label=f"mood, {window}-day mean" if step == "D"
                   else "mood, smoothed"),
        ]

        if has_readiness:
            rax = readiness_axis(ax)
            rax.set_zorder(ax.get_zorder() + 1)
            rax.patch.set_visible(False)
            rd = shown["readiness"].dropna()
            rdx = mdates.date2num(rd.index.to_pydatetime()) + (x[0] - mdates.date2num(
                shown.index[0].to_pydatetime()))
            rax.scatter(rdx, rd.to_numpy(), s=10 if len(rdx) < 400 else 5, marker="s",
                        color=READINESS_COLOUR, alpha=0.35, lw=0, zorder=3)
            rroll = rolling(days["readiness"], window) if step == "D" else \
                rd.rolling(3, min_periods=1, center=True).mean()
            qx = mdates.date2num(rroll.index.to_pydatetime()) if step == "D" else rdx
            qx, qy = break_gaps(qx, rroll.to_numpy(), gap)
            rax.plot(qx, qy, color=READINESS_COLOUR, lw=1.8, zorder=4)
            handles.append(Line2D([], [], color=READINESS_COLOUR, lw=1.8, marker="s", ms=3,
                                  label=f"readiness, {window}-day mean" if step == "D" else "readiness"))

        for row, (tag, xs) in enumerate(present.items()):
            y = 0.5 - 0.3 * (row + 0.5)
            marker = _EVENT_MARKERS[row % len(_EVENT_MARKERS)]
            if len(xs) > 120:  # dense: a rug of ticks reads better than overlapping markers
                ax.scatter(xs, np.full(len(xs), y), marker="|", s=30, color=MUTED, lw=0.6, zorder=3,
                           clip_on=False)
            else:
                ax.scatter(xs, np.full(len(xs), y), marker=marker, s=16, facecolor="white",
                           edgecolor=MUTED, lw=0.9, zorder=3, clip_on=False)
            ax.text(ax.get_xlim()[0], y, plain(isolated(fit_label(tag, 0.75, 8))) + " ", ha="right",
                    va="center", fontsize=8, color=MUTED, clip_on=False)
        if flagged:
            handles.append(_flag_weeks(ax, flagged, 0.5 - 0.3 * (len(present) + 0.5)))
        if present or flagged:
            ax.axhline(0.5, color=FAINT, lw=0.8, zorder=1)

        # the bands go in last: their labels are fitted to the final axes size
        stage_bands(ax, periods, start, end)
        _label_gaps(ax, days.index)
        legend = ax.legend(handles=handles, loc="upper center", ncol=columns(min(4, len(handles))), handlelength=1.6,
                           columnspacing=1.4, bbox_to_anchor=(0.5, 0.0), borderaxespad=0.0,
                           bbox_transform=ax.transAxes + mpl.transforms.ScaledTranslation(
                               0, -0.36, ax.figure.dpi_scale_trans))
        legend.set_in_layout(False)
        # y given: the title stays where matplotlib would put it (no ticks on top), and drawing skips
        # measuring every axis to place it
        ax.set_title(title if title is not None else "Mood and readiness over the stages", y=1.0,
                     fontsize=11 if phone else None)
    return ax


def _flag_weeks(ax: Axes, days: Sequence[pd.Timestamp], y: float) -> Any:
    """Hatch the week before each flagged check-in, mark the check-ins on a row of their own; the legend's handle."""
    across = ax.get_xaxis_transform()
    for day in days:
        right = mdates.date2num(day + pd.Timedelta(days=1))
        ax.add_patch(Rectangle((right - 7, 0), 7, 1, transform=across, facecolor="none", edgecolor=DANGER,
                               hatch="////", lw=0, alpha=0.3, zorder=0.5, label="_red flag week"))
    xs = mdates.date2num(pd.DatetimeIndex(days).to_pydatetime()) + 0.5
    ax.scatter(xs, np.full(len(xs), y), marker="v", s=22, color=DANGER, lw=0, zorder=3, clip_on=False)
    ax.text(ax.get_xlim()[0], y, "red flags ", ha="right", va="center", fontsize=8, color=DANGER, clip_on=False)
    return Line2D([], [], color=DANGER, lw=0, marker="v", ms=5, label="a week behind a red flag")


def _event_x(data: pd.DataFrame, tags_wanted: Sequence[str], step: str) -> dict[str, np.ndarray]:
    """Tag -> x positions of its days (or the middle of its weeks, months)."""
    shift = 0.0 if step == "D" else 3.5 if step.startswith("W") else 15
    return {tag: mdates.date2num(days.to_pydatetime()) + shift
            for tag, days in event_days(data, tags_wanted, step).items()}


def _moment_x(moments: Mapping[str, Sequence[Any]] | None, step: str, start: pd.Timestamp,
              end: pd.Timestamp) -> dict[str, np.ndarray]:
    """Label -> x positions of its days within the chart's span (binned as the tags are)."""
    out: dict[str, np.ndarray] = {}
    for label, days in (moments or {}).items():
        when = pd.DatetimeIndex(pd.to_datetime(list(days))).normalize().unique().sort_values()
        when = when[(when >= start) & (when <= end)]
        if not len(when):
            continue
        shift = 0.0
        if step != "D":
            counted = pd.Series(1, index=when).resample(step, label="left", closed="left").sum()
            when = pd.DatetimeIndex(counted[counted > 0].index)
            shift = 3.5 if step.startswith("W") else 15
        out[str(label)] = mdates.date2num(when.to_pydatetime()) + shift
    return out


def _band_label(period: Period, width_inches: float, fontsize: float) -> str:
    """"3 · Dip a toe in the water" on one line, or two, or shortened, or just "3"."""
    fits = int(width_inches * 72 / (fontsize * 0.58))
    full = f"{period.stage} · {period.name}"
    if len(full) <= fits:
        return full
    if fits >= 8:
        balanced = textwrap.wrap(full, max(len(full) // 2 + 4, max(map(len, full.split()))))
        if len(balanced) == 2 and max(map(len, balanced)) <= fits:
            return "\n".join(balanced)  # two lines of about the same length, not one and an orphan
        lines = textwrap.wrap(full, fits)
        if len(lines) == 2:
            return "\n".join(lines)
        return lines[0] + "\n" + fit_label(" ".join(lines[1:]), width_inches, fontsize)
    return str(period.stage) if width_inches > 0.1 else ""


def stage_bands(ax: Axes, periods: Sequence[Period], start: pd.Timestamp, end: pd.Timestamp,
                 *, labels: bool = True) -> None:
    """Shaded bands, one per stage period, with the stage number and name at the top."""
    x0, x1 = ax.get_xlim()
    axes_width = ax.get_position().width * root_figure(ax).get_figwidth()
    across = ax.get_xaxis_transform()  # x in data (days), y from 0 to 1 over the axes
    entered, entered_colours = [], []
    for period in periods:
        left = mdates.date2num(max(period.start, start))
        right = mdates.date2num(min(period.end, end + pd.Timedelta(days=1)))
        if right <= left:
            continue
        band = Rectangle((left, 0), right - left, 1, transform=across, facecolor=tint(period.colour, 0.14),
                         lw=0, zorder=0, gid=f"stage-{period.stage}", label=f"_stage {period.stage}")
        ax.add_patch(band)
        if period.start >= start:  # the day the person entered the stage
            entered.append([(left, 0), (left, 1)])
            entered_colours.append(shade(period.colour, 0.25))
        if labels:
            visible = (min(right, x1) - max(left, x0)) / (x1 - x0) * axes_width
            text = _band_label(period, visible - 0.1, 8.5)
            if text:
                ax.annotate(text, (max(left, x0), 1.0), xycoords=("data", "axes fraction"), xytext=(4, -4),
                            textcoords="offset points", ha="left", va="top", fontsize=8.5, linespacing=1.1,
                            color=shade(period.colour, 0.55), annotation_clip=False, zorder=5)
    if entered:
        ax.add_collection(LineCollection(entered, colors=entered_colours, linewidths=1.1, alpha=0.9, zorder=1,
                                         transform=across, label="_stage changes"), autolim=False)


def _label_gaps(ax: Axes, day_index: pd.DatetimeIndex) -> None:
    """Say "no entries for N days" inside each gap wide enough to hold it."""
    if len(day_index) < 2:
        return
    x = mdates.date2num(day_index.to_pydatetime())
    x0, x1 = ax.get_xlim()
    inches_per_day = ax.get_position().width * root_figure(ax).get_figwidth() / (x1 - x0)
    for i in np.flatnonzero(np.diff(x) > GAP_DAYS):
        days = round(x[i + 1] - x[i]) - 1
        if days * inches_per_day >= 0.75:
            ax.text((x[i] + x[i + 1]) / 2, 3, f"no entries\nfor {days} days", ha="center", va="center",
                    fontsize=8, color=MUTED, style="italic", zorder=5)
