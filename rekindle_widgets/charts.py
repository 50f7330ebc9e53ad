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

Colours are colour-blind safe and the same everywhere: :data:`STAGE_COLOURS`
(the Okabe-Ito palette) for the seven stages, :data:`MOOD_COLOURS` (viridis,
dark for "awful" to yellow for "rad") for mood levels.

:func:`describe` says in plain words what the charts show; the app and the
reports use it as alt text.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.colors import LinearSegmentedColormap, Normalize, to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from .bidi import isolated
from .content import guide
from .errors import RekindleError
from .fonts import fallback_font
from .instruments import find

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "EVENT_TAGS",
    "GAP_DAYS",
    "KINDS",
    "MOOD_COLOURS",
    "PALETTE",
    "STAGE_COLOURS",
    "Period",
    "describe",
    "describe_goals",
    "describe_scores",
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
    "weekdays",
]

# --------------------------------------------------------------------------
# Palette and style
# --------------------------------------------------------------------------

#: Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision deficiency.
PALETTE: dict[str, str] = {
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
}
#: One colour per stage of the guide, used by every chart and report.
STAGE_COLOURS: dict[int, str] = {
    1: PALETTE["orange"], 2: PALETTE["sky"], 3: PALETTE["green"], 4: PALETTE["yellow"],
    5: PALETTE["blue"], 6: PALETTE["vermillion"], 7: PALETTE["purple"],
}
#: Mood 1 (awful) to 5 (rad), sampled from viridis: ordered, and readable in greyscale too.
MOOD_COLOURS: dict[int, str] = {1: "#481d6f", 2: "#33628d", 3: "#1f9a8a", 4: "#69cd5b", 5: "#fde725"}
MOOD_LABELS = {1: "awful", 2: "bad", 3: "meh", 4: "good", 5: "rad"}
INK = "#1f2937"  # text and the mood line
MUTED = "#6b7280"
FAINT = "#d1d5db"
READINESS_COLOUR = PALETTE["blue"]
#: Tags drawn as events on the timeline (others can be passed with ``events=``).
EVENT_TAGS = ("contact", "date", "therapy")
_EVENT_MARKERS = ["o", "D", "s", "^", "v", "P", "X", "*"]
#: No line is drawn across a gap between entries longer than this many days.
GAP_DAYS = 14
#: Above this many points a chart aggregates further (per week, then per month).
MAX_POINTS = 1500
#: Under this many days with entries, tag comparisons say "too little data".
MIN_TAG_DAYS = 30

#: Chart kinds, for the CLI and reports: name -> default figure size in inches.
KINDS: dict[str, tuple[float, float]] = {
    "timeline": (11.0, 5.2),
    "pixels": (11.0, 2.9),
    "stages": (10.0, 5.0),
    "weekdays": (8.0, 4.4),
    "tags": (8.5, 4.8),
    "scores": (10.0, 4.2),
    "goals": (10.0, 4.4),  # from Journal.goal_progress(), not the entries
}

STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.titlesize": 13,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.titlepad": 10,
    "axes.labelsize": 10,
    "axes.labelcolor": "#374151",
    "axes.edgecolor": "#9ca3af",
    "axes.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "axes.axisbelow": True,
    "grid.color": "#e5e7eb",
    "grid.linewidth": 0.8,
    "xtick.color": "#4b5563",
    "ytick.color": "#4b5563",
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.frameon": False,
    "legend.fontsize": 9,
    "text.color": INK,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "svg.hashsalt": "rekindle",  # the same chart gives the same SVG
    "text.hinting": "no_hinting",
}


@contextmanager
def _style() -> Any:
    extra = fallback_font()  # e.g. a tag in Japanese: drawn in the computer's CJK font, not as boxes
    with mpl.rc_context(STYLE if extra is None else {**STYLE, "font.family": [STYLE["font.family"], extra[0]]}):
        yield


def _plain(text: Any) -> str:
    """User text for matplotlib: a ``$`` is a dollar sign, never the start of mathtext."""
    return str(text).replace("$", r"\$")


def _new_axes(ax: Axes | None, size: tuple[float, float],
              margins: tuple[float, float, float, float] | None = None) -> Axes:
    """``ax``, or the Axes of a new Figure of ``size`` inches.

    With ``margins`` (left, right, top, bottom, in inches) the layout is fixed,
    which renders about twice as fast as matplotlib's constrained layout (used
    otherwise): the timeline, drawn most often, knows its margins.
    """
    if ax is not None:
        return ax
    if margins is None:
        fig = Figure(figsize=size, dpi=100, layout="constrained")
        fig.get_layout_engine().set(h_pad=0.08, w_pad=0.1)
        return fig.add_subplot()
    fig = Figure(figsize=size, dpi=100)
    left, right, top, bottom = margins
    width, height = size
    fig.subplots_adjust(left=left / width, right=1 - right / width, top=1 - top / height,
                        bottom=bottom / height)
    return fig.add_subplot()


def _tint(colour: str, amount: float) -> tuple[float, float, float]:
    """``colour`` mixed with white (``amount`` 0 = white, 1 = the colour)."""
    r, g, b = to_rgb(colour)
    return (1 - amount * (1 - r), 1 - amount * (1 - g), 1 - amount * (1 - b))


def _shade(colour: str, amount: float = 0.35) -> tuple[float, float, float]:
    """``colour`` darkened towards black."""
    return tuple(c * (1 - amount) for c in to_rgb(colour))  # type: ignore[return-value]


def mood_cmap() -> LinearSegmentedColormap:
    return LinearSegmentedColormap.from_list("rekindle_mood", [MOOD_COLOURS[k] for k in range(1, 6)])


def stage_name(stage: int) -> str:
    return guide().stage(int(stage)).name


def empty(ax: Axes | None = None, message: str = "No entries yet",
          hint: str = "Log a mood (rekindle log --mood 4) and your charts appear here.",
          size: tuple[float, float] = (8.0, 3.0)) -> Axes:
    """A friendly placeholder chart: nothing to show yet, and how to change that."""
    with _style():
        ax = _new_axes(ax, size)
        ax.set_axis_off()
        ax.text(0.5, 0.58, _plain(message), ha="center", va="center", fontsize=16, color=INK,
                transform=ax.transAxes)
        if hint:
            ax.text(0.5, 0.38, _plain(hint), ha="center", va="center", fontsize=10, color=MUTED,
                    transform=ax.transAxes)
    return ax


def _check_data(data: Any, columns: Iterable[str] = ("date", "mood")) -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise RekindleError(f"chart data must be the journal's DataFrame (Journal.entries()), "
                            f"not {type(data).__name__}")
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise RekindleError(f"chart data lacks the column(s) {', '.join(missing)}; "
                            "pass the DataFrame from Journal.entries()")
    return data


# --------------------------------------------------------------------------
# Days and stage periods: the shared arithmetic
# --------------------------------------------------------------------------


def daily(data: pd.DataFrame) -> pd.DataFrame:
    """One row per day with entries: mood mean/min/max, entry count, readiness mean, stage (last entry's).

    Indexed by the (naive, local) day, oldest first. Plain numpy reductions
    over runs of equal days: the timeline calls this on every redraw.
    """
    day_ns = pd.DatetimeIndex(data["date"]).normalize().as_unit("ns").asi8
    mood = data["mood"].to_numpy(dtype=float)
    ready = data["readiness"].astype("Float64").to_numpy(dtype=float, na_value=np.nan) \
        if "readiness" in data else np.full(len(data), np.nan)
    stage = data["stage"].astype("Float64").to_numpy(dtype=float, na_value=np.nan) if "stage" in data else None
    if len(day_ns) > 1 and (np.diff(day_ns) < 0).any():  # local days out of UTC order (time zones)
        order = np.argsort(day_ns, kind="stable")
        day_ns, mood, ready = day_ns[order], mood[order], ready[order]
        stage = stage[order] if stage is not None else None
    starts = np.flatnonzero(np.r_[True, day_ns[1:] != day_ns[:-1]]) if len(day_ns) else np.array([], dtype=int)
    counts = np.diff(np.r_[starts, len(day_ns)])
    has_ready = ~np.isnan(ready)
    with np.errstate(invalid="ignore", divide="ignore"):
        ready_mean = np.add.reduceat(np.where(has_ready, ready, 0.0), starts) / \
            np.add.reduceat(has_ready.astype(float), starts) if len(starts) else np.array([])
    index = pd.DatetimeIndex(day_ns[starts].view("datetime64[ns]"), name="day")
    out = pd.DataFrame({
        "mood": np.add.reduceat(mood, starts) / counts if len(starts) else np.array([]),
        "low": np.minimum.reduceat(mood, starts) if len(starts) else np.array([]),
        "high": np.maximum.reduceat(mood, starts) if len(starts) else np.array([]),
        "entries": counts,
        "readiness": ready_mean,
    }, index=index)
    if stage is not None:
        out["stage"] = stage[np.r_[starts[1:], len(day_ns)] - 1] if len(starts) else np.array([])
    return out


def _bins(day_index: pd.DatetimeIndex) -> str:
    """The aggregation step that keeps a chart under :data:`MAX_POINTS` points."""
    if len(day_index) == 0:
        return "D"
    span = (day_index[-1] - day_index[0]).days + 1
    if span <= MAX_POINTS:
        return "D"
    if span / 7 <= MAX_POINTS:
        return "W-MON"
    return "MS"


def _binned(days: pd.DataFrame, step: str) -> pd.DataFrame:
    if step == "D":
        return days
    label = "left" if step.startswith("W") else None
    grouped = days.resample(step, label=label, closed=label) if label else days.resample(step)
    weights = days["entries"]
    out = pd.DataFrame({
        "mood": (days["mood"] * weights).resample(step, label=label or "left", closed=label or "left").sum()
        / weights.resample(step, label=label or "left", closed=label or "left").sum(),
        "low": grouped["low"].min(),
        "high": grouped["high"].max(),
        "entries": grouped["entries"].sum(),
        "readiness": grouped["readiness"].mean(),
    })
    return out[out["entries"] > 0]


@dataclass(frozen=True)
class Period:
    """A stretch of days in one stage: ``start`` inclusive, ``end`` exclusive (naive days)."""

    stage: int
    start: pd.Timestamp
    end: pd.Timestamp

    @property
    def name(self) -> str:
        return stage_name(self.stage)

    @property
    def colour(self) -> str:
        return STAGE_COLOURS[self.stage]


def _changes_from(stages: Sequence[Any]) -> list[tuple[pd.Timestamp, int]]:
    out: list[tuple[pd.Timestamp, int]] = []
    for change in sorted(stages, key=lambda c: c.since):  # stable: same-day changes keep their order
        day = pd.Timestamp(change.since)
        if out and out[-1][0] == day:
            out[-1] = (day, int(change.stage))  # the later record wins, as in the journal
        else:
            out.append((day, int(change.stage)))
    return out


def _changes_from_column(data: pd.DataFrame) -> list[tuple[pd.Timestamp, int]]:
    if "stage" not in data or data.empty:
        return []
    frame = pd.DataFrame({"day": pd.DatetimeIndex(data["date"]).normalize(),
                          "stage": data["stage"].astype("Float64")}).dropna().sort_values("day", kind="stable")
    if frame.empty:
        return []
    stage = frame["stage"].to_numpy(dtype=float)
    starts = np.r_[True, stage[1:] != stage[:-1]]
    return [(day, int(s)) for day, s in zip(frame["day"][starts], stage[starts])]


def stage_periods(data: pd.DataFrame | None = None, stages: Sequence[Any] | None = None, *,
                  until: date | pd.Timestamp | None = None) -> list[Period]:
    """The stage timeline as periods, oldest first.

    From ``stages`` (StageChange records) when given, else from the ``stage``
    column of ``data`` (each period then starts on its first entry). The last
    period ends the day after ``until`` (default: the last entry, or its own
    start). Consecutive records of the same stage make one period.
    """
    changes = _changes_from(stages) if stages is not None else _changes_from_column(data)
    merged: list[tuple[pd.Timestamp, int]] = []
    for day, stage in changes:
        if not merged or merged[-1][1] != stage:
            merged.append((day, stage))
    if not merged:
        return []
    if until is None and data is not None and len(data):
        until = pd.Timestamp(data["date"].max()).normalize()
    last = max(pd.Timestamp(until).normalize() if until is not None else merged[-1][0], merged[-1][0])
    ends = [day for day, _ in merged[1:]] + [last + pd.Timedelta(days=1)]
    return [Period(stage, start, end) for (start, stage), end in zip(merged, ends)]


def _break_gaps(x: np.ndarray, y: np.ndarray, gap_days: float) -> tuple[np.ndarray, np.ndarray]:
    """Insert NaN between points further apart than ``gap_days`` so lines stop at gaps."""
    if len(x) < 2:
        return x, y
    jumps = np.flatnonzero(np.diff(x) > gap_days)
    if not len(jumps):
        return x, y
    return np.insert(x, jumps + 1, np.nan), np.insert(y, jumps + 1, np.nan)


def _rolling(series: pd.Series, window: int) -> pd.Series:
    """Mean over the last ``window`` days of daily values (time-based: gaps are not bridged)."""
    clean = series.dropna()
    if clean.empty:
        return clean
    return clean.rolling(f"{int(window)}D", min_periods=1).mean()


def _date_axis(ax: Axes, start: pd.Timestamp, end: pd.Timestamp) -> None:
    span = (end - start).days
    pad = pd.Timedelta(days=max(1.0, span * 0.01)) if span > 3 else pd.Timedelta(days=3)
    ax.set_xlim(mdates.date2num(start - pad), mdates.date2num(end + pad))
    locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))


def _mood_axis(ax: Axes, bottom: float = 0.5) -> None:
    ax.set_ylim(bottom, 5.55)
    ax.set_yticks([1, 2, 3, 4, 5], [f"{k} {MOOD_LABELS[k]}" for k in range(1, 6)])
    ax.set_ylabel("Mood")


# --------------------------------------------------------------------------
# timeline
# --------------------------------------------------------------------------


def _fit_label(text: str, width_inches: float, fontsize: float) -> str:
    """``text`` shortened with an ellipsis to fit about ``width_inches``."""
    fits = int(width_inches * 72 / (fontsize * 0.58))
    if len(text) <= fits:
        return text
    if fits < 4:
        return ""
    return text[: fits - 1].rstrip() + "…"


def _band_label(period: Period, width_inches: float, fontsize: float) -> str:
    """"3 · Dip a toe in the water" on one line, or two, or shortened, or just "3"."""
    import textwrap

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
        return lines[0] + "\n" + _fit_label(" ".join(lines[1:]), width_inches, fontsize)
    return str(period.stage) if width_inches > 0.1 else ""


def _stage_bands(ax: Axes, periods: Sequence[Period], start: pd.Timestamp, end: pd.Timestamp,
                 *, labels: bool = True) -> None:
    """Shaded bands, one per stage period, with the stage number and name at the top."""
    x0, x1 = ax.get_xlim()
    axes_width = ax.get_position().width * ax.figure.get_figwidth()
    across = ax.get_xaxis_transform()  # x in data (days), y from 0 to 1 over the axes
    entered, entered_colours = [], []
    for period in periods:
        left = mdates.date2num(max(period.start, start))
        right = mdates.date2num(min(period.end, end + pd.Timedelta(days=1)))
        if right <= left:
            continue
        band = Rectangle((left, 0), right - left, 1, transform=across, facecolor=_tint(period.colour, 0.14),
                         lw=0, zorder=0, gid=f"stage-{period.stage}", label=f"_stage {period.stage}")
        ax.add_patch(band)
        if period.start >= start:  # the day the person entered the stage
            entered.append([(left, 0), (left, 1)])
            entered_colours.append(_shade(period.colour, 0.25))
        if labels:
            visible = (min(right, x1) - max(left, x0)) / (x1 - x0) * axes_width
            text = _band_label(period, visible - 0.1, 8.5)
            if text:
                ax.annotate(text, (max(left, x0), 1.0), xycoords=("data", "axes fraction"), xytext=(4, -4),
                            textcoords="offset points", ha="left", va="top", fontsize=8.5, linespacing=1.1,
                            color=_shade(period.colour, 0.55), annotation_clip=False, zorder=5)
    if entered:
        ax.add_collection(LineCollection(entered, colors=entered_colours, linewidths=1.1, alpha=0.9, zorder=1,
                                         transform=across, label="_stage changes"), autolim=False)


def timeline(data: pd.DataFrame, *, stages: Sequence[Any] | None = None, window: int = 7,
             events: Sequence[str] = EVENT_TAGS, readiness: bool = True, title: str | None = None,
             ax: Axes | None = None) -> Axes:
    """Mood (1-5) and readiness (0-10, right-hand scale) over time, over the stage periods.

    Several entries a day become the day's mean with its range (low to high)
    as a thin bar; the thick line is the mean over the last ``window`` days.
    Each stage period is a shaded band named at the top; entries tagged with
    one of ``events`` are marked along the bottom. Over long spans days are
    grouped into weeks or months, so 100,000 entries draw as fast as 1,000.
    """
    data = _check_data(data)
    if len(data) == 0:
        return empty(ax, size=KINDS["timeline"])
    if not isinstance(window, int) or isinstance(window, bool) or window < 1:
        raise RekindleError(f"window must be a whole number of days, 1 or more, not {window!r}")
    with _style():
        days = daily(data)
        step = _bins(days.index)
        shown = _binned(days, step)
        start, end = days.index[0], days.index[-1]
        periods = stage_periods(data, stages, until=end)
        if periods and periods[-1].start > end:  # entered a stage after the last entry: show it
            end = periods[-1].start
        rows = [t for t in dict.fromkeys(e.strip().lower() for e in events) if t]
        present = _event_days(data, rows, step)
        has_readiness = readiness and "readiness" in data and bool(days["readiness"].notna().any())
        n_handles = 3 + has_readiness  # events are named on their rows, stages on their bands
        legend_rows = -(-n_handles // 4)
        ax = _new_axes(ax, KINDS["timeline"], margins=(0.95, 0.8 if has_readiness else 0.3,
                                                       0.15 if title == "" else 0.5, 0.42 + 0.22 * legend_rows))
        _date_axis(ax, start, end)
        bottom = 0.5 - 0.3 * len(present)
        _mood_axis(ax, bottom)

        x = mdates.date2num(shown.index.to_pydatetime()) if step == "D" else \
            mdates.date2num(shown.index.to_pydatetime()) + (3.5 if step.startswith("W") else 15)
        gap = max(GAP_DAYS, 8 if step.startswith("W") else 0, 35 if step == "MS" else 0)
        unit = {"D": "day", "W-MON": "week", "MS": "month"}[step]
        busy = step != "D" or days["entries"].mean() > 4
        if busy:  # lowest to highest would be 1 to 5 nearly everywhere: show the middle half instead
            low, high = _middle_half(data, step, shown.index)
            range_label = f"middle half of each {unit}'s entries"
        else:
            low, high = shown["low"].to_numpy(), shown["high"].to_numpy()
            range_label = "lowest to highest that day"
        spread = high > low
        if spread.any():
            segs = np.stack([np.column_stack([x[spread], low[spread]]),
                             np.column_stack([x[spread], high[spread]])], axis=1)
            ax.add_collection(LineCollection(segs, colors=FAINT, linewidths=1.6 if len(x) < 400 else 0.8,
                                             alpha=1.0 if len(x) < 400 else 0.7, zorder=2, label="_range"),
                              autolim=False)
        ax.scatter(x, shown["mood"], s=14 if len(x) < 400 else 6, color=INK, alpha=0.45, lw=0, zorder=3)
        roll = _rolling(days["mood"], window)
        rx, ry = _break_gaps(mdates.date2num(roll.index.to_pydatetime()), roll.to_numpy(), gap)
        if step != "D":  # smooth over the bins instead of plotting every day
            roll = shown["mood"].rolling(3, min_periods=1, center=True).mean()
            rx, ry = _break_gaps(x, roll.to_numpy(), gap)
        ax.plot(rx, ry, color=INK, lw=2.2, zorder=4, solid_capstyle="round")
        handles: list[Any] = [
            Line2D([], [], color=INK, lw=0, marker="o", ms=4, alpha=0.6,
                   label={"D": "mood, daily mean", "W-MON": "mood, weekly mean", "MS": "mood, monthly mean"}[step]),
            Line2D([], [], color=FAINT, lw=2, label=range_label),
            Line2D([], [], color=INK, lw=2.2, label=f"mood, {window}-day mean" if step == "D"
                   else "mood, smoothed"),
        ]

        if has_readiness:
            rax = _readiness_axis(ax)
            rax.set_zorder(ax.get_zorder() + 1)
            rax.patch.set_visible(False)
            rd = shown["readiness"].dropna()
            rdx = mdates.date2num(rd.index.to_pydatetime()) + (x[0] - mdates.date2num(
                shown.index[0].to_pydatetime()))
            rax.scatter(rdx, rd.to_numpy(), s=10 if len(rdx) < 400 else 5, marker="s",
                        color=READINESS_COLOUR, alpha=0.35, lw=0, zorder=3)
            rroll = _rolling(days["readiness"], window) if step == "D" else \
                rd.rolling(3, min_periods=1, center=True).mean()
            qx = mdates.date2num(rroll.index.to_pydatetime()) if step == "D" else rdx
            qx, qy = _break_gaps(qx, rroll.to_numpy(), gap)
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
            ax.text(ax.get_xlim()[0], y, _plain(isolated(_fit_label(tag, 0.75, 8))) + " ", ha="right", va="center",
                    fontsize=8, color=MUTED, clip_on=False)
        if present:
            ax.axhline(0.5, color=FAINT, lw=0.8, zorder=1)

        # the bands go in last: their labels are fitted to the final axes size
        _stage_bands(ax, periods, start, end)
        _label_gaps(ax, days.index)
        legend = ax.legend(handles=handles, loc="upper center", ncol=min(4, len(handles)), handlelength=1.6,
                           columnspacing=1.4, bbox_to_anchor=(0.5, 0.0), borderaxespad=0.0,
                           bbox_transform=ax.transAxes + mpl.transforms.ScaledTranslation(
                               0, -0.36, ax.figure.dpi_scale_trans))
        legend.set_in_layout(False)
        ax.set_title(title if title is not None else "Mood and readiness over the stages")
    return ax


def _label_gaps(ax: Axes, day_index: pd.DatetimeIndex) -> None:
    """Say "no entries for N days" inside each gap wide enough to hold it."""
    if len(day_index) < 2:
        return
    x = mdates.date2num(day_index.to_pydatetime())
    x0, x1 = ax.get_xlim()
    inches_per_day = ax.get_position().width * ax.figure.get_figwidth() / (x1 - x0)
    for i in np.flatnonzero(np.diff(x) > GAP_DAYS):
        days = int(round(x[i + 1] - x[i])) - 1
        if days * inches_per_day >= 0.75:
            ax.text((x[i] + x[i + 1]) / 2, 3, f"no entries\nfor {days} days", ha="center", va="center",
                    fontsize=8, color=MUTED, style="italic", zorder=5)


def _bin_start(days: pd.DatetimeIndex, step: str) -> pd.DatetimeIndex:
    """The first day of each day's bin: itself, its week's Monday, or its month's first day."""
    if step == "D":
        return days
    if step.startswith("W"):
        return days - pd.to_timedelta(days.day_of_week, unit="D")
    return days - pd.to_timedelta(days.day - 1, unit="D")


def _middle_half(data: pd.DataFrame, step: str, index: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
    """25th and 75th percentile of the entries' moods in each bin of ``index``."""
    keys = _bin_start(pd.DatetimeIndex(data["date"]).normalize(), step)
    grouped = pd.Series(data["mood"].to_numpy(dtype=float), index=keys).groupby(level=0)
    return (grouped.quantile(0.25).reindex(index).to_numpy(), grouped.quantile(0.75).reindex(index).to_numpy())


def _readiness_axis(ax: Axes) -> Axes:
    """The right-hand 0-10 readiness scale twinned on a mood Axes, in the readiness colour."""
    rax = ax.twinx()
    rax.set_ylim(*_readiness_limits(ax))
    rax.set_yticks([0, 2, 4, 6, 8, 10])
    rax.set_ylabel("Readiness (0-10)", color=READINESS_COLOUR)
    rax.tick_params(axis="y", colors=READINESS_COLOUR)
    rax.spines["right"].set_visible(True)
    rax.spines["right"].set_color(READINESS_COLOUR)
    for side in ("top", "left", "bottom"):
        rax.spines[side].set_visible(False)
    rax.grid(False)
    return rax


def _readiness_limits(mood_ax: Axes) -> tuple[float, float]:
    """Readiness limits that put readiness 0 level with mood 1 and 10 with mood 5."""
    low, high = mood_ax.get_ylim()
    return (low - 1) * 2.5, (high - 1) * 2.5


def _event_days(data: pd.DataFrame, tags_wanted: Sequence[str], step: str) -> dict[str, np.ndarray]:
    """Tag -> x positions of the days (or weeks, months) with an entry tagged so (any case)."""
    if not tags_wanted or "tags" not in data or data.empty:
        return {}
    codes, uniques = pd.factorize(data["tags"])
    lowered = [{str(t).strip().lower() for t in (u if isinstance(u, tuple) else ())} for u in uniques]
    days = pd.DatetimeIndex(data["date"]).normalize()
    out: dict[str, np.ndarray] = {}
    for tag in tags_wanted:
        hit = np.array([tag in u for u in lowered] + [False], dtype=bool)
        mask = hit[codes]  # code -1 (a missing value) picks the final False
        if not mask.any():
            continue
        tagged = pd.DatetimeIndex(np.unique(days[mask].to_numpy()))
        shift = 0.0
        if step != "D":
            tagged = pd.Series(1, index=tagged).resample(step, label="left", closed="left").sum()
            tagged = pd.DatetimeIndex(tagged[tagged > 0].index)
            shift = 3.5 if step.startswith("W") else 15
        out[tag] = mdates.date2num(tagged.to_pydatetime()) + shift
    return out


# --------------------------------------------------------------------------
# pixels
# --------------------------------------------------------------------------


def pixels(data: pd.DataFrame, *, stages: Sequence[Any] | None = None, title: str | None = None,
           ax: Axes | None = None) -> Axes:
    """A year in pixels: one square a day coloured by that day's mean mood.

    Weeks run left to right, Monday to Sunday top to bottom, one row of
    squares per year (years stacked, oldest on top). Days without entries stay
    blank; a dark outline marks where one stage ends and the next begins, and
    a coloured ribbon above each year shows the stage.
    """
    data = _check_data(data)
    if len(data) == 0:
        return empty(ax, size=KINDS["pixels"])
    days = daily(data)
    years = list(range(days.index[0].year, days.index[-1].year + 1))
    periods = stage_periods(data, stages, until=days.index[-1])
    with _style():
        ax = _new_axes(ax, (KINDS["pixels"][0], 1.05 + 1.75 * len(years)))
        cmap, norm = mood_cmap(), Normalize(1, 5)
        block = 10.0  # a year's height: 7 day rows + ribbon + month labels
        stage_of_day = _stage_lookup(periods)
        polys, colours, blanks = [], [], []
        ribbon_polys, ribbon_colours = [], []
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
                for w, d in zip(wx, dy):
                    outline.append(((w + 1, top + d), (w + 1, top + d + 1)) if vertical else
                                   ((w, top + d + 1), (w + 1, top + d + 1)))
            # the ribbon: one segment per week, the colour of that week's stage (its last day)
            for w in range(int(week.max()) + 1):
                in_week = stage[week == w]
                s = int(in_week[-1]) if len(in_week) else 0
                if s:
                    ribbon_polys.append([(w, top - 0.75), (w + 1, top - 0.75), (w + 1, top - 0.25), (w, top - 0.25)])
                    ribbon_colours.append(STAGE_COLOURS[s])
            # stage numbers where a stage starts in this year
            for p in periods:
                if p.start.year == year:
                    w = ((p.start - first).days + first.weekday()) // 7
                    ax.text(w + 0.5, top - 0.95, str(p.stage), ha="center", va="bottom", fontsize=7.5,
                            color=_shade(p.colour, 0.5), fontweight="bold")
            ax.text(-0.25, top - 0.5, str(year), ha="right", va="center", fontsize=11, fontweight="bold")
            for m in range(1, 13):
                start = pd.Timestamp(year=year, month=m, day=1)
                w = ((start - first).days + first.weekday()) // 7
                ax.text(w + 0.1, top + 7.25, start.strftime("%b"), ha="left", va="top", fontsize=8, color=MUTED)
            for d, label in ((0, "Mon"), (2, "Wed"), (4, "Fri"), (6, "Sun")):
                ax.text(-0.25, top + d + 0.5, label, ha="right", va="center", fontsize=7, color=MUTED)
        ax.add_collection(PolyCollection(blanks, facecolors="#f9fafb", edgecolors="#eceef1", linewidths=0.5))
        ax.add_collection(PolyCollection(polys, facecolors=colours, edgecolors="none"))
        ax.add_collection(PolyCollection(ribbon_polys, facecolors=ribbon_colours, edgecolors="none"))
        if outline:
            ax.add_collection(LineCollection(outline, colors=INK, linewidths=1.6, capstyle="projecting",
                                             label="_stage boundaries"))
        ax.set_xlim(-2.6, 54)
        ax.set_ylim(len(years) * block - 1.8, -1.6)
        ax.set_aspect("equal")
        ax.set_axis_off()
        handles = [Patch(color=MOOD_COLOURS[k], label=f"{k} {MOOD_LABELS[k]}") for k in range(1, 6)]
        handles.append(Patch(facecolor="#f9fafb", edgecolor="#d1d5db", label="no entry"))
        legend = ax.legend(handles=handles, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=6,
                           handlelength=1.0, handleheight=1.0, columnspacing=1.0, handletextpad=0.4,
                           fontsize=8.5, borderaxespad=0.1)
        ax.add_artist(legend)
        seen = [p.stage for p in periods]
        if seen:
            stage_handles = [Patch(color=STAGE_COLOURS[s], label=_fit_label(f"{s} {stage_name(s)}", 2.7, 8.5))
                             for s in dict.fromkeys(seen)]
            stage_handles.append(Line2D([], [], color=INK, lw=1.6, label="stage boundary"))
            ax.legend(handles=stage_handles, loc="upper left", bbox_to_anchor=(0.0, 0.0),
                      ncol=min(3 if len(stage_handles) > 4 else 4, len(stage_handles)), handlelength=1.1,
                      columnspacing=1.4, fontsize=8.5,
                      borderaxespad=0.1)
        ax.set_title(title if title is not None else "Year in pixels")
    return ax


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


# --------------------------------------------------------------------------
# stage summary and the stages chart
# --------------------------------------------------------------------------

_SUMMARY_COLUMNS = ["stage", "name", "start", "end", "days", "days_logged", "entries", "mood_mean",
                    "mood_min", "mood_max", "readiness_mean", "readiness_min", "readiness_max",
                    "readiness_change", "trend_per_week", "trend"]
#: A change of this much mood per week (on the 1-5 scale) or more counts as rising or falling.
TREND_THRESHOLD = 0.1


def _trend(days: pd.DataFrame, column: str = "mood") -> float:
    """Least-squares slope of the daily means, per week (NaN under 3 days or a week of data)."""
    values = days[column].dropna()
    if len(values) < 3:
        return float("nan")
    x = (values.index - values.index[0]).days.to_numpy(dtype=float)
    if x[-1] < 6:
        return float("nan")
    slope = np.polyfit(x, values.to_numpy(dtype=float), 1)[0]
    return float(slope * 7)


def _trend_word(slope: float) -> str:
    if math.isnan(slope):
        return "too little data"
    if slope >= TREND_THRESHOLD:
        return "rising"
    if slope <= -TREND_THRESHOLD:
        return "falling"
    return "flat"


def stage_summary(data: pd.DataFrame, stages: Sequence[Any] | None = None) -> pd.DataFrame:
    """One row per stage period, oldest first.

    Columns: ``stage``, ``name``, ``start`` and ``end`` (first and last day, within
    the data), ``days`` (calendar days), ``days_logged``, ``entries``,
    ``mood_mean``/``_min``/``_max``, ``readiness_mean``/``_min``/``_max``,
    ``readiness_change`` (last week's mean minus the first week's),
    ``trend_per_week`` (least-squares slope of daily mean mood, per week) and
    ``trend`` ("rising", "flat", "falling" or "too little data").
    Entries before the first stage change make a first row with stage NA.
    """
    data = _check_data(data)
    if len(data) == 0:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in _SUMMARY_COLUMNS})
    days = daily(data)
    first, last = days.index[0], days.index[-1]
    periods = stage_periods(data, stages, until=last)
    spans: list[tuple[int | None, str, pd.Timestamp, pd.Timestamp]] = []
    if not periods or periods[0].start > first:
        spans.append((None, "Before any stage", first, periods[0].start if periods else last + pd.Timedelta(days=1)))
    spans += [(p.stage, p.name, p.start, p.end) for p in periods]
    rows = []
    ready = data["readiness"].astype("Float64") if "readiness" in data else None
    entry_days = pd.DatetimeIndex(data["date"]).normalize()
    for stage, name, start, end in spans:
        lo, hi = max(start, first), min(end, last + pd.Timedelta(days=1))
        if hi <= lo:
            continue
        in_days = days[(days.index >= lo) & (days.index < hi)]
        mask = (entry_days >= lo) & (entry_days < hi)
        mood = data["mood"][mask]
        r = ready[mask].dropna() if ready is not None else pd.Series(dtype=float)
        slope = _trend(in_days)
        change = float("nan")
        rd = in_days["readiness"].dropna()
        if len(rd) >= 2 and (rd.index[-1] - rd.index[0]).days >= 7:
            change = float(rd[rd.index >= rd.index[-1] - pd.Timedelta(days=6)].mean()
                           - rd[rd.index <= rd.index[0] + pd.Timedelta(days=6)].mean())
        rows.append({
            "stage": stage, "name": name, "start": lo.date(), "end": (hi - pd.Timedelta(days=1)).date(),
            "days": (hi - lo).days, "days_logged": len(in_days), "entries": int(mask.sum()),
            "mood_mean": float(mood.mean()) if len(mood) else float("nan"),
            "mood_min": int(mood.min()) if len(mood) else pd.NA,
            "mood_max": int(mood.max()) if len(mood) else pd.NA,
            "readiness_mean": float(r.mean()) if len(r) else float("nan"),
            "readiness_min": int(r.min()) if len(r) else pd.NA,
            "readiness_max": int(r.max()) if len(r) else pd.NA,
            "readiness_change": change, "trend_per_week": slope, "trend": _trend_word(slope),
        })
    out = pd.DataFrame(rows, columns=_SUMMARY_COLUMNS)
    for column in ("stage", "mood_min", "mood_max", "readiness_min", "readiness_max"):
        out[column] = out[column].astype("Int64")
    for column in ("days", "days_logged", "entries"):
        out[column] = out[column].astype("int64")
    return out


_ARROWS = {"rising": "↗ rising", "falling": "↘ falling", "flat": "→ flat", "too little data": "· too few days"}


def stages(data: pd.DataFrame, *, stages: Sequence[Any] | None = None, summary: pd.DataFrame | None = None,
           title: str | None = None, ax: Axes | None = None) -> Axes:
    """Mood and readiness per stage period: mean (dot), lowest to highest (bar), trend (arrow)."""
    data = _check_data(data)
    table = summary if summary is not None else stage_summary(data, stages)
    if len(data) == 0 or table.empty:
        return empty(ax, size=KINDS["stages"])
    with _style():
        ax = _new_axes(ax, KINDS["stages"])
        n = len(table)
        x = np.arange(n, dtype=float)
        for i, row in enumerate(table.itertuples(index=False)):
            colour = STAGE_COLOURS.get(int(row.stage), MUTED) if not pd.isna(row.stage) else MUTED
            ax.axvspan(i - 0.45, i + 0.45, color=_tint(colour, 0.18), lw=0, zorder=0)
            if not pd.isna(row.mood_min):
                ax.plot([i - 0.12, i - 0.12], [row.mood_min, row.mood_max], color=_shade(colour, 0.2), lw=5,
                        alpha=0.45, solid_capstyle="round", zorder=2)
                ax.scatter([i - 0.12], [row.mood_mean], s=110, color=colour, edgecolor=INK, lw=1.0, zorder=4)
                ax.text(i - 0.12, row.mood_mean, f"  {row.mood_mean:.1f}", va="center", ha="left", fontsize=9,
                        fontweight="bold", zorder=5)
            ax.text(i, 0.62, _ARROWS.get(row.trend, row.trend), ha="center", va="bottom", fontsize=8.5,
                    color=INK if row.trend != "too little data" else MUTED)
            ax.text(i, 0.32, f"{row.entries} entr{'y' if row.entries == 1 else 'ies'} · "
                    f"{row.days_logged}/{row.days} day{'' if row.days == 1 else 's'}", ha="center",
                    va="bottom", fontsize=7.5, color=MUTED)
        ax.set_xlim(-0.55, n - 0.45)
        ax.set_ylim(0.25, 5.55)
        ax.set_yticks([1, 2, 3, 4, 5], [f"{k} {MOOD_LABELS[k]}" for k in range(1, 6)])
        ax.set_ylabel("Mood")
        labels = []
        for row in table.itertuples(index=False):
            name = row.name if pd.isna(row.stage) else f"{int(row.stage)} · {row.name}"
            column = ax.get_position().width * ax.figure.get_figwidth() / n  # inches per stage
            labels.append(_wrap(name, max(12, int(column * 72 / (8.5 * 0.6))))
                          + f"\n{_short_day(row.start)} – {_short_day(row.end, True)}")
        ax.set_xticks(x, labels, fontsize=8.5 if n > 4 else 9)
        ax.tick_params(axis="x", length=0)
        handles = [Line2D([], [], lw=0, marker="o", ms=8, mfc=MUTED, mec=INK, label="mean mood"),
                   Line2D([], [], lw=5, color=MUTED, alpha=0.45, label="lowest to highest")]
        if table["readiness_mean"].notna().any():
            rax = _readiness_axis(ax)
            for i, row in enumerate(table.itertuples(index=False)):
                if pd.isna(row.readiness_min):
                    continue
                rax.plot([i + 0.14, i + 0.14], [row.readiness_min, row.readiness_max], color=READINESS_COLOUR,
                         lw=2, alpha=0.35, solid_capstyle="round")
                rax.scatter([i + 0.14], [row.readiness_mean], marker="D", s=55, color=READINESS_COLOUR,
                            edgecolor="white", lw=0.8, zorder=4)
            handles.append(Line2D([], [], lw=0, marker="D", ms=6, color=READINESS_COLOUR,
                                  label="mean readiness (right scale)"))
        ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=3, borderaxespad=0.2)
        ax.set_title(title if title is not None else "Mood and readiness by stage", pad=26)
    return ax


def _wrap(text: str, width: int) -> str:
    import textwrap

    lines = textwrap.wrap(text, width)
    if len(lines) == 2:  # balance two lines rather than leave an orphan word
        balanced = textwrap.wrap(text, max(len(text) // 2 + 4, max(map(len, text.split()))))
        if len(balanced) == 2 and max(map(len, balanced)) <= width:
            lines = balanced
    return "\n".join(lines[:3])


def _short_day(d: Any, year: bool = False) -> str:
    d = pd.Timestamp(d)
    return f"{d.day} {d:%b %Y}" if year else f"{d.day} {d:%b}"


# --------------------------------------------------------------------------
# weekdays and tags
# --------------------------------------------------------------------------

_WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def weekdays(data: pd.DataFrame, *, title: str | None = None, ax: Axes | None = None) -> Axes:
    """Mean mood by weekday (each day's mean counts once), with a 95% interval and the day count."""
    data = _check_data(data)
    if len(data) == 0:
        return empty(ax, size=KINDS["weekdays"])
    days = daily(data)
    by = days["mood"].groupby(days.index.day_of_week)
    mean, count, sd = by.mean(), by.size(), by.std(ddof=1)
    overall = float(days["mood"].mean())
    with _style():
        ax = _new_axes(ax, KINDS["weekdays"])
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
            ax.plot([d, d], [1, m], color=_tint(MOOD_COLOURS[3], 0.35), lw=10, solid_capstyle="butt", zorder=2)
            if half:
                ax.errorbar([d], [m], yerr=[[half], [half]], color=INK, lw=1.2, capsize=4, zorder=3)
            ax.scatter([d], [m], s=90, color=cmap(norm(m)), edgecolor=INK, lw=1, zorder=4)
            ax.text(d + 0.13, m, f"{m:.1f}", ha="left", va="center", fontsize=9, zorder=5, color=INK,
                    fontweight="bold")
            ax.text(d, 0.62, f"{n} day{'s' if n != 1 else ''}", ha="center", va="bottom", fontsize=7.5, color=MUTED)
        ax.set_xticks(range(7), _WEEKDAYS)
        ax.tick_params(axis="x", length=0)
        ax.set_xlim(-0.6, 6.6)
        ax.set_ylim(0.55, 5.5)
        ax.set_yticks([1, 2, 3, 4, 5], [f"{k} {MOOD_LABELS[k]}" for k in range(1, 6)])
        ax.set_ylabel("Mean mood")
        handles = [Line2D([], [], lw=0, marker="o", ms=8, mfc=MOOD_COLOURS[3], mec=INK,
                          label="mean mood (each day counts once)"),
                   Line2D([], [], color=INK, lw=1.2, marker="_", ms=8, label="95% interval"),
                   Line2D([], [], color=MUTED, lw=1, ls=(0, (4, 3)), label="all days")]
        ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=3, borderaxespad=0.2)
        ax.set_title(title if title is not None else "Mood by day of the week", pad=24)
        if len(days) < MIN_TAG_DAYS:
            _too_little(ax, len(days))
    return ax


def _too_little(ax: Axes, n_days: int) -> None:
    ax.text(0.5, 0.94, f"Too little data: {n_days} day{'s' if n_days != 1 else ''} with entries "
            f"(under {MIN_TAG_DAYS}); differences may be chance", transform=ax.transAxes, ha="center",
            va="top", fontsize=9, color=PALETTE["vermillion"], fontweight="bold",
            bbox={"boxstyle": "round,pad=0.35", "fc": "white", "ec": PALETTE["vermillion"], "lw": 0.8})


def tag_table(data: pd.DataFrame, *, top: int = 12, min_entries: int = 3) -> pd.DataFrame:
    """Per tag: mean mood of entries with it and without it, their counts, and the difference."""
    data = _check_data(data, ("mood", "tags"))
    rows = []
    if len(data):
        tags_col = data["tags"]
        exploded = tags_col.explode().dropna()
        counts = exploded.value_counts()
        mood = data["mood"].to_numpy(dtype=float)
        for tag, n in counts.items():
            if n < min_entries or len(data) - n < min_entries:
                continue
            has = np.zeros(len(data), dtype=bool)
            has[np.unique(data.index.get_indexer(exploded.index[exploded == tag]))] = True
            rows.append({"tag": tag, "with": float(mood[has].mean()), "without": float(mood[~has].mean()),
                         "n_with": int(has.sum()), "n_without": int((~has).sum())})
    table = pd.DataFrame(rows, columns=["tag", "with", "without", "n_with", "n_without"])
    table["difference"] = table["with"] - table["without"]
    return table.sort_values("n_with", ascending=False, kind="stable").head(top) \
        .sort_values("difference", kind="stable").reset_index(drop=True)


def tags(data: pd.DataFrame, *, top: int = 12, min_entries: int = 3, title: str | None = None,
         ax: Axes | None = None) -> Axes:
    """Mean mood of entries with each tag (filled dot) against entries without it (hollow dot).

    The ``top`` most used tags with at least ``min_entries`` entries each way.
    Under :data:`MIN_TAG_DAYS` days of entries the chart says "Too little data".
    """
    data = _check_data(data, ("date", "mood", "tags"))
    if len(data) == 0:
        return empty(ax, size=KINDS["tags"])
    table = tag_table(data.reset_index(drop=True), top=top, min_entries=min_entries)
    n_days = int(pd.DatetimeIndex(data["date"]).normalize().nunique())
    if table.empty:
        return empty(ax, "No tags to compare yet",
                     f"Tags need {min_entries} or more entries with them and without them.", size=KINDS["tags"])
    with _style():
        ax = _new_axes(ax, (KINDS["tags"][0], 1.9 + 0.42 * len(table)))
        ax.grid(axis="x", visible=True)
        ax.grid(axis="y", visible=False)
        y = np.arange(len(table))
        cmap, norm = mood_cmap(), Normalize(1, 5)
        with_ = table["with"].to_numpy()
        for i, (a, b) in enumerate(zip(table["without"], with_)):
            ax.plot([a, b], [i, i], color=FAINT, lw=3, zorder=1, solid_capstyle="round")
        ax.scatter(table["without"], y, s=60, facecolor="white", edgecolor=MUTED, lw=1.4, zorder=3,
                   label="without the tag")
        ax.scatter(with_, y, s=80, color=[cmap(norm(v)) for v in with_], edgecolor=INK, lw=1, zorder=4,
                   label="with the tag")
        for i, row in enumerate(table.itertuples(index=False)):
            ax.text(5.55, i, f"{row.difference:+.1f}", va="center", ha="right", fontsize=9,
                    color=INK if abs(row.difference) >= 0.25 else MUTED, fontweight="bold")
        ax.set_yticks(y, [_plain(f"{isolated(t)}  ({n})") for t, n in zip(table["tag"], table["n_with"])])
        ax.tick_params(axis="y", length=0)
        ax.set_xlim(0.8, 5.65)
        ax.set_xticks([1, 2, 3, 4, 5], [f"{k} {MOOD_LABELS[k]}" for k in range(1, 6)])
        ax.set_xlabel("Mean mood of the entries")
        ax.set_ylim(-0.7, len(table) - 0.3 + (0.9 if n_days < MIN_TAG_DAYS else 0))
        ax.spines["left"].set_visible(False)
        ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=2, borderaxespad=0.2)
        ax.set_title(title if title is not None else "Mood with and without each tag", pad=24)
        if n_days < MIN_TAG_DAYS:
            _too_little(ax, n_days)
    return ax


# --------------------------------------------------------------------------
# questionnaire scores
# --------------------------------------------------------------------------


def instrument_bands(instrument_id: str) -> list[tuple[float, float, str]]:
    """``[(low, high, label), ...]`` for an instrument's score bands, from its content file."""
    info = find(instrument_id)
    if info is None:
        return []
    return [(float(b.min), float(b.max), b.label) for b in getattr(info, "bands", ())
            if getattr(b, "min", None) is not None and getattr(b, "max", None) is not None]


def scorable(responses: pd.DataFrame) -> pd.DataFrame:
    """Responses that have a score to chart: never a screen (the safety screen has no score)."""
    if responses is None or len(responses) == 0 or "total" not in responses:
        return pd.DataFrame(columns=["instrument", "timestamp", "total", "band", "flags"])
    keep = responses["total"].notna().to_numpy().copy()
    for i, inst in enumerate(responses["instrument"]):
        info = find(str(inst))
        if info is not None and (getattr(info, "screen", False) or not getattr(info, "has_total", True)):
            keep[i] = False
        if str(inst).lower() in {"safety", "danger"}:
            keep[i] = False
    return responses[keep]


def scores(responses: pd.DataFrame, *, instrument: str | None = None,
           bands: Sequence[tuple[float, float, str]] | None = None, title: str | None = None,
           ax: Axes | None = None) -> Axes:
    """One questionnaire's totals over time (from :meth:`Journal.responses`), its bands shaded.

    ``instrument`` picks which (default: the one answered most often).
    ``bands`` is ``[(low, high, label), ...]``; by default the instrument's own
    bands. A screen (the safety screen) has no score and is never charted.
    """
    data = scorable(responses)
    if instrument is not None:
        data = data[data["instrument"].astype(str).str.lower() == str(instrument).lower()]
    if data.empty:
        return empty(ax, "No questionnaire scores yet",
                     "Fill in a questionnaire (WHO-5, PHQ-9, GAD-7) and its scores appear here.",
                     size=KINDS["scores"])
    if instrument is None:
        instrument = str(data["instrument"].value_counts().index[0])
        data = data[data["instrument"] == instrument]
    info = find(instrument)
    if bands is None:
        bands = instrument_bands(instrument)
    name = getattr(info, "title", None) or str(instrument)
    lo = float(getattr(info, "min_total", 0) if info is not None else min(0.0, data["total"].min()))
    hi = float(getattr(info, "max_total", 0) if info is not None else data["total"].max())
    if bands:
        lo, hi = min(lo, min(b[0] for b in bands)), max(hi, max(b[1] for b in bands))
    hi = max(hi, float(data["total"].max()), lo + 1)
    with _style():
        ax = _new_axes(ax, KINDS["scores"])
        times = pd.DatetimeIndex(data["timestamp"]).tz_convert(None)
        order = np.argsort(times.asi8, kind="stable")
        times, totals = times[order], data["total"].to_numpy(dtype=float)[order]
        x = mdates.date2num(times.to_pydatetime())
        greys = ["#f3f4f6", "#e5e7eb"]
        for i, (b_lo, b_hi, label) in enumerate(sorted(bands, key=lambda b: b[0])):
            ax.axhspan(b_lo - 0.5, b_hi + 0.5, color=greys[i % 2], lw=0, zorder=0)
            ax.text(1.005, (b_lo + b_hi) / 2, _plain(label), transform=ax.get_yaxis_transform(), ha="left",
                    va="center", fontsize=8.5, color=MUTED)
        xs, ys = _break_gaps(x, totals, 90)
        ax.plot(xs, ys, color=INK, lw=1.6, zorder=3)
        ax.scatter(x, totals, s=40, color=INK, zorder=4, edgecolor="white", lw=1)
        if len(x) <= 12:
            for xi, yi in zip(x, totals):
                ax.annotate(f"{yi:g}", (xi, yi), xytext=(0, 7), textcoords="offset points", ha="center",
                            fontsize=8.5, color=INK)
        start, end = times[0].normalize(), times[-1].normalize()
        _date_axis(ax, start, end)
        ax.set_ylim(lo - 0.6, hi + 0.9)
        ax.set_ylabel("Total score")
        ax.set_title(title if title is not None else _plain(f"{name}: totals over time"))
    return ax


# --------------------------------------------------------------------------
# goals: a client's goals rated 0-10 in each therapy session
# --------------------------------------------------------------------------

#: One colour per goal (Okabe-Ito without its pale yellow), each with its own marker, so no goal is told
#: apart by colour alone; past seven goals the line style changes too.
GOAL_COLOURS = (PALETTE["blue"], PALETTE["orange"], PALETTE["green"], PALETTE["vermillion"],
                PALETTE["purple"], PALETTE["sky"], PALETTE["black"])
_GOAL_MARKERS = ("o", "s", "D", "^", "v", "P", "X", "*")
_GOAL_LINES = ("-", "--", ":")


def _check_progress(progress: Any) -> pd.DataFrame:
    if not isinstance(progress, pd.DataFrame):
        raise RekindleError(f"goal data must be the DataFrame from Journal.goal_progress(), "
                            f"not {type(progress).__name__}")
    missing = [c for c in ("date", "goal", "rating") if c not in progress.columns]
    if missing:
        raise RekindleError(f"goal data lacks the column(s) {', '.join(missing)}; "
                            "pass the DataFrame from Journal.goal_progress()")
    return progress


def _sessions_of(progress: pd.DataFrame) -> pd.DataFrame:
    """One row per session, in order: its key and day (sessions without an id are one per day)."""
    days = pd.DatetimeIndex(progress["date"]).normalize()
    keys = progress["session_id"].to_numpy() if "session_id" in progress else days.asi8
    frame = pd.DataFrame({"key": keys, "day": days})
    return frame.drop_duplicates("key").sort_values(["day", "key"], kind="stable").reset_index(drop=True)


def goals(progress: pd.DataFrame, *, title: str | None = None, ax: Axes | None = None) -> Axes:
    """Each goal's 0-10 progress rating over the sessions (from :meth:`Journal.goal_progress`).

    One line per goal (followed by its text), sessions evenly spaced in date
    order and named by their day. Each goal has its own colour and marker, so
    the lines can be told apart without colour; markers are nudged sideways
    where two goals share a rating. A dotted line bridges sessions in which a
    goal was not rated. Goals are named in the legend below.
    """
    progress = _check_progress(progress)
    if len(progress) == 0:
        return empty(ax, "No goals rated yet",
                     "Rate goals 0-10 in a session (rekindle session add --goal \"TEXT=6\") to see them here.",
                     size=KINDS["goals"])
    sessions = _sessions_of(progress)
    order = {key: i for i, key in enumerate(sessions["key"])}
    days = pd.DatetimeIndex(progress["date"]).normalize()
    keys = progress["session_id"].to_numpy() if "session_id" in progress else days.asi8
    x_all = np.array([order[k] for k in keys], dtype=float)
    names = list(dict.fromkeys(str(g) for g in progress["goal"]))
    n, m = len(sessions), len(names)
    rows = -(-m // 2)  # legend rows, two goals a row
    with _style():
        ax = _new_axes(ax, (KINDS["goals"][0], KINDS["goals"][1] + 0.24 * max(0, rows - 1)))
        nudge = min(0.09, 0.36 / max(1, m - 1)) if m > 1 else 0.0
        handles = []
        for i, name in enumerate(names):
            rows_of = (progress["goal"].astype(str) == name).to_numpy()
            x, y = x_all[rows_of], progress["rating"].to_numpy(dtype=float)[rows_of]
            sort = np.argsort(x, kind="stable")
            skipped = np.r_[False, np.diff(x[sort]) > 1]  # not rated in the sessions between
            x, y = x[sort] + (i - (m - 1) / 2) * nudge, y[sort]
            colour = GOAL_COLOURS[i % len(GOAL_COLOURS)]
            style = _GOAL_LINES[(i // len(GOAL_COLOURS)) % len(_GOAL_LINES)]
            marker = _GOAL_MARKERS[i % len(_GOAL_MARKERS)]
            for j in np.flatnonzero(skipped):
                ax.plot(x[j - 1:j + 1], y[j - 1:j + 1], color=colour, lw=1.2, ls=(0, (1, 2.5)), zorder=2)
            xs = np.insert(x, np.flatnonzero(skipped), np.nan) if skipped.any() else x
            ys = np.insert(y, np.flatnonzero(skipped), np.nan) if skipped.any() else y
            ax.plot(xs, ys, color=colour, lw=2, ls=style, zorder=3, solid_capstyle="round")
            ax.scatter(x, y, s=46, marker=marker, color=colour, edgecolor="white", lw=1, zorder=4)
            handles.append(Line2D([], [], color=colour, lw=2, ls=style, marker=marker, ms=7, mec="white",
                                  label=_plain(isolated(_fit_label(name, 4.4, 9)))))
        ax.set_ylim(-0.6, 10.6)
        ax.set_yticks(range(11), [f"{k}" for k in range(11)])
        ax.set_ylabel("Progress rating (0-10)")
        ax.set_xlim(-0.5, n - 0.5)
        step = max(1, -(-n // 12))  # at most about a dozen labelled sessions
        ticks = list(range(0, n, step))
        labels, year = [], None
        for t in ticks:
            day = sessions["day"][t]
            labels.append(f"{day.day} {day:%b}" + (f"\n{day.year}" if day.year != year else ""))
            year = day.year
        ax.set_xticks(ticks, labels)
        ax.set_xlabel("Session" if n == 1 else f"Sessions ({n}, in date order)")
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, -0.2 if n > 1 else -0.16),
                  ncol=2 if m > 1 else 1, handlelength=2.2, columnspacing=2.0, borderaxespad=0.0)
        ax.set_title(title if title is not None else "Goals: progress rated in each session")
    return ax


def describe_goals(progress: pd.DataFrame | None) -> str:
    """The goals chart in words: per goal, how many ratings, first and latest."""
    if progress is None or len(_check_progress(progress)) == 0:
        return "No goal has been rated in a session yet."
    sessions = _sessions_of(progress)
    first, last = sessions["day"].iloc[0], sessions["day"].iloc[-1]
    names = list(dict.fromkeys(str(g) for g in progress["goal"]))
    span = f"on {_day(first)}" if len(sessions) == 1 else f"from {_day(first)} to {_day(last)}"
    parts = [(f"Progress on {len(names)} goal{'s' if len(names) != 1 else ''}, each rated 0-10, in "
              f"{len(sessions)} session{'s' if len(sessions) != 1 else ''} {span}.")]
    frame = progress.assign(_day=pd.DatetimeIndex(progress["date"]).normalize())
    for name in names:
        rated = frame[frame["goal"].astype(str) == name].sort_values("_day", kind="stable")
        a, b = int(rated["rating"].iloc[0]), int(rated["rating"].iloc[-1])
        if len(rated) == 1:
            parts.append(f"'{isolated(name)}': {b} on {_day(rated['_day'].iloc[0])}.")
        else:
            move = "up" if b > a else "down" if b < a else "unchanged"
            parts.append(f"'{isolated(name)}': {a} to {b} ({move}) over {len(rated)} ratings.")
    return " ".join(parts)


# --------------------------------------------------------------------------
# describe: the charts in words
# --------------------------------------------------------------------------


def _day(d: Any) -> str:
    d = pd.Timestamp(d)
    return f"{d.day} {d:%B %Y}"


def describe(data: pd.DataFrame, stages: Sequence[Any] | None = None, *, kind: str | None = None,
             responses: pd.DataFrame | None = None, progress: pd.DataFrame | None = None) -> str:
    """A plain-language paragraph of what the charts show (alt text for the app and reports).

    Without ``kind``: the whole journal (dates, days tracked, mood, each
    stage's mean and trend, readiness change). With a chart ``kind`` (one of
    :data:`KINDS`): what that chart shows; ``scores`` reads ``responses``.
    """
    if kind == "scores":
        return describe_scores(responses)
    if kind == "goals":
        return describe_goals(progress)
    data = _check_data(data)
    if len(data) == 0:
        return "The journal has no entries yet, so the charts are empty."
    if kind is not None:
        if kind not in KINDS:
            raise RekindleError(f"unknown chart kind {kind!r}; choose one of {', '.join(KINDS)}")
        return {"timeline": _describe_timeline, "pixels": _describe_pixels, "stages": _describe_stages,
                "weekdays": _describe_weekdays, "tags": _describe_tags}[kind](data, stages)
    days = daily(data)
    first, last = days.index[0], days.index[-1]
    span = (last - first).days + 1
    mood = data["mood"]
    n = len(data)
    parts = [
        (f"From {_day(first)} to {_day(last)}, {n:,} mood entr{'y' if n == 1 else 'ies'} on "
         f"{len(days):,} of {span:,} day{'s' if span != 1 else ''}."),
        (f"Mood (1 = awful, 5 = rad) averaged {mood.mean():.1f}, lowest {int(mood.min())}, "
         f"highest {int(mood.max())}."),
    ]
    table = stage_summary(data, stages)
    staged = table[table["stage"].notna()]
    if len(staged):
        phrases = []
        for row in staged.itertuples(index=False):
            trend = {"rising": "rising", "falling": "falling", "flat": "steady",
                     "too little data": "too short to show a trend"}[row.trend]
            phrases.append(f"stage {int(row.stage)} ({row.name}, from {_day(row.start)}): mean "
                           f"{row.mood_mean:.1f}, {trend}" if row.mood_mean == row.mood_mean else
                           f"stage {int(row.stage)} ({row.name}): no entries")
        parts.append("By stage: " + "; ".join(phrases) + ".")
    else:
        parts.append("No stage has been recorded yet.")
    slope = _trend(days)
    if not math.isnan(slope):
        parts.append(f"Over the whole time mood was {_trend_word(slope).replace('flat', 'steady')} "
                     f"({slope:+.2f} a week).")
    rd = days["readiness"].dropna()
    if len(rd) >= 2 and (rd.index[-1] - rd.index[0]).days >= 7:
        early = rd[rd.index <= rd.index[0] + pd.Timedelta(days=6)].mean()
        late = rd[rd.index >= rd.index[-1] - pd.Timedelta(days=6)].mean()
        direction = "rose" if late - early >= 0.5 else "fell" if early - late >= 0.5 else "stayed about the same"
        parts.append(f"Readiness (0-10) {direction}: {early:.1f} in the first week, {late:.1f} in the last.")
    elif len(rd):
        parts.append(f"Readiness (0-10) averaged {rd.mean():.1f}.")
    else:
        parts.append("No readiness was recorded.")
    long_gaps = _long_gaps(days)
    if long_gaps:
        parts.append(f"There {'is' if long_gaps == 1 else 'are'} {long_gaps} gap{'s' if long_gaps != 1 else ''} "
                     f"of more than {GAP_DAYS} days without entries; the lines stop there.")
    return " ".join(parts)


def _describe_timeline(data: pd.DataFrame, stages: Sequence[Any] | None) -> str:
    days = daily(data)
    step = {"D": "day", "W-MON": "week", "MS": "month"}[_bins(days.index)]
    text = (f"Mood (1-5, left scale) from {_day(days.index[0])} to {_day(days.index[-1])}: each dot is a "
            f"{step}'s mean, a grey bar its lowest to highest entry, and the black line the mean over the last "
            "7 days")
    if days["readiness"].notna().any():
        text += "; the blue line is readiness (0-10, right scale) over the same 7 days"
    text += "."
    present = _event_days(data, EVENT_TAGS, "D")
    if present:
        text += " Markers along the bottom show days with entries tagged " + ", ".join(
            f"{isolated(tag)} ({len(xs)} day{'s' if len(xs) != 1 else ''})" for tag, xs in present.items()) + "."
    periods = stage_periods(data, stages, until=days.index[-1])
    if periods:
        table = stage_summary(data, stages)
        staged = table[table["stage"].notna()]
        text += " Shaded bands are the stages: " + "; ".join(
            f"{int(r.stage)} from {_day(r.start)}, mood {r.mood_mean:.1f}"
            + (f", readiness {r.readiness_mean:.1f}" if r.readiness_mean == r.readiness_mean else "")
            for r in staged.itertuples(index=False)) + "."
    long_gaps = _long_gaps(days)
    if long_gaps:
        text += f" The lines stop at {long_gaps} gap{'s' if long_gaps != 1 else ''} of more than {GAP_DAYS} days."
    return text


def _long_gaps(days: pd.DataFrame) -> int:
    if len(days) < 2:
        return 0
    gaps = np.diff(days.index.to_numpy()).astype("timedelta64[D]").astype(int)
    return int((gaps > GAP_DAYS).sum())


def _describe_pixels(data: pd.DataFrame, stages: Sequence[Any] | None) -> str:
    days = daily(data)
    first, last = days.index[0], days.index[-1]
    span = (last - first).days + 1
    years = sorted({first.year, last.year})
    good, hard = int((days["mood"] >= 4.5).sum()), int((days["mood"] <= 1.5).sum())
    text = (f"A calendar of {'–'.join(map(str, years))}, one square per day coloured by that day's mean mood "
            f"(dark for awful, yellow for rad). {len(days):,} of the {span:,} days from {_day(first)} to "
            f"{_day(last)} have entries; the rest are blank. {good:,} day{'s' if good != 1 else ''} averaged "
            f"4.5 or more and {hard:,} averaged 1.5 or less.")
    periods = stage_periods(data, stages, until=last)
    if periods:
        text += " Dark outlines mark where each stage began: " + "; ".join(
            f"stage {p.stage} on {_day(p.start)}" for p in periods) + "."
    return text


def _describe_stages(data: pd.DataFrame, stages: Sequence[Any] | None) -> str:
    table = stage_summary(data, stages)
    parts = []
    for row in table.itertuples(index=False):
        name = "Before any stage" if pd.isna(row.stage) else f"Stage {int(row.stage)} ({row.name})"
        text = (f"{name}, {_day(row.start)} to {_day(row.end)}: {row.entries} entries on {row.days_logged} of "
                f"{row.days} days, mood {row.mood_mean:.1f} on average (from {row.mood_min} to {row.mood_max}), "
                f"{'too short to show a trend' if row.trend == 'too little data' else row.trend.replace('flat', 'steady')}")
        if row.readiness_mean == row.readiness_mean:
            text += f"; readiness {row.readiness_mean:.1f} on average"
        parts.append(text + ".")
    return "Mood and readiness for each stage period. " + " ".join(parts)


def _describe_weekdays(data: pd.DataFrame, stages: Sequence[Any] | None) -> str:
    days = daily(data)
    mean = days["mood"].groupby(days.index.day_of_week).mean()
    names = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    text = (f"Mean mood by day of the week, each day counted once: highest on {names[int(mean.idxmax())]}s "
            f"({mean.max():.1f}), lowest on {names[int(mean.idxmin())]}s ({mean.min():.1f}).")
    if len(days) < MIN_TAG_DAYS:
        text += f" With only {len(days)} days of entries these differences may well be chance."
    return text


def _describe_tags(data: pd.DataFrame, stages: Sequence[Any] | None) -> str:
    table = tag_table(data.reset_index(drop=True))
    if table.empty:
        return "There are not yet enough tagged entries to compare mood with and without a tag."
    ranked = table.reindex(table["difference"].abs().sort_values(ascending=False).index).head(4)
    phrases = [f"'{isolated(r.tag)}' {abs(r.difference):.1f} {'higher' if r.difference >= 0 else 'lower'} "
               f"({r.n_with} entries)" for r in ranked.itertuples(index=False)]
    text = ("Mean mood of entries with each tag against entries without it. Largest differences: "
            + "; ".join(phrases) + ".")
    n_days = int(pd.DatetimeIndex(data["date"]).normalize().nunique())
    if n_days < MIN_TAG_DAYS:
        text += f" Too little data: {n_days} days of entries (under {MIN_TAG_DAYS}), so these may be chance."
    return text


def describe_scores(responses: pd.DataFrame | None) -> str:
    """Questionnaire totals in words: per instrument, how many, first and latest score and band."""
    usable = scorable(responses)
    if usable.empty:
        return "No questionnaire with a score has been filled in yet."
    parts = []
    for inst, group in usable.groupby(usable["instrument"].astype(str), sort=False):
        group = group.sort_values("timestamp", kind="stable")
        info = find(inst)
        name = getattr(info, "title", None) or inst
        top = getattr(info, "max_total", None) if info is not None else None
        latest = group.iloc[-1]
        text = (f"{name}: {len(group)} response{'s' if len(group) != 1 else ''}; latest "
                f"{latest['total']:g}{f' of {top}' if top else ''} on {_day(latest['timestamp'])}")
        if isinstance(latest.get("band"), str) and latest["band"]:
            text += f" ({latest['band']})"
        if len(group) > 1:
            text += f", first {group.iloc[0]['total']:g} on {_day(group.iloc[0]['timestamp'])}"
        parts.append(text + ".")
    return "Questionnaire totals over time, with score bands shaded where the questionnaire has them. " + \
        " ".join(parts)


# --------------------------------------------------------------------------
# Figures for views: one call per kind, and rendering to bytes
# --------------------------------------------------------------------------


def figure(kind: str, data: pd.DataFrame, *, stages: Sequence[Any] | None = None,
           responses: pd.DataFrame | None = None, progress: pd.DataFrame | None = None, **kws: Any) -> Figure:
    """A whole figure of one chart kind (for the CLI, the reports and the app).

    ``scores`` draws one panel per questionnaire in ``responses``; ``goals``
    draws ``progress`` (from :meth:`Journal.goal_progress`), not ``data``.
    """
    if kind not in KINDS:
        raise RekindleError(f"unknown chart kind {kind!r}; choose one of {', '.join(KINDS)}")
    if kind == "goals":
        if progress is None:
            progress = pd.DataFrame(columns=["session_id", "date", "goal", "rating"])
        return goals(progress, **kws).figure
    if kind == "scores":
        usable = scorable(responses)
        instruments = list(dict.fromkeys(usable["instrument"].astype(str))) if len(usable) else []
        if kws.get("instrument"):
            instruments = [kws.pop("instrument")]
        if len(instruments) <= 1:
            return scores(usable, instrument=instruments[0] if instruments else None, **kws).figure
        with _style():
            fig = Figure(figsize=(KINDS["scores"][0], 3.4 * len(instruments)), layout="constrained")
            for ax, inst in zip(fig.subplots(len(instruments), 1, squeeze=False)[:, 0], instruments):
                scores(usable, instrument=inst, ax=ax, **kws)
        return fig
    chart: Callable[..., Axes] = {"timeline": timeline, "pixels": pixels, "stages": _stages_chart,
                                  "weekdays": weekdays, "tags": tags}[kind]
    if kind in ("timeline", "pixels", "stages"):
        kws["stages"] = stages
    return chart(data, **kws).figure


_stages_chart = stages  # `stages` is also the name of an argument


def render(fig: Figure, format: str = "png", *, dpi: int = 150, description: str | None = None) -> bytes:
    """The figure as PNG or SVG bytes (``description`` goes into the file as its alt text)."""
    fmt = format.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise RekindleError(f"charts can be saved as .png or .svg, not .{fmt}")
    meta: dict[str, Any] = {"Title": "Rekindle chart"}
    if description:
        meta["Description"] = description
    if fmt == "svg":
        meta["Date"] = None
    buffer = io.BytesIO()
    extra = {"pil_kwargs": {"compress_level": 3}} if fmt == "png" else {}  # twice as fast as 6, files ~10% larger
    with _style():
        fig.savefig(buffer, format=fmt, dpi=dpi, metadata=meta, **extra)
    return buffer.getvalue()
