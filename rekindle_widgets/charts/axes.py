"""What every chart shares on the matplotlib side: the style, a new Axes, common scales and marks.

Library code draws on :class:`matplotlib.figure.Figure`, never pyplot, so
nothing is left open: :func:`new_axes` returns the Axes it is given, or the
Axes of a new detached Figure. :func:`empty` is the friendly placeholder every
chart shows for an empty journal.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.colors import LinearSegmentedColormap, to_rgb
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.ticker import FixedFormatter, FixedLocator, NullLocator

from ..fonts import fallback_font
from ..journal import MOOD_LABELS
from .summaries import MIN_TAG_DAYS
from .theme import INK, MOOD_COLOURS, MUTED, PALETTE, READINESS_COLOUR, STYLE

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "MOOD_LABELS", "PHONE_DPI", "PHONE_MIN_PT", "PHONE_WIDTH", "break_gaps", "columns", "date_axis", "empty",
    "fit_label", "frozen_ticks", "is_narrow", "legend_above", "legible", "mood_axis", "mood_cmap", "mood_ticks",
    "narrow", "narrow_now", "new_axes", "plain", "readiness_axis", "root_figure", "row_axes", "screen_size", "shade",
    "style",
    "tint", "title_pad", "too_little",
]

# -- charts for a phone's screen (issue 24) ---------------------------------------------------------------
# A figure drawn for a laptop (8 to 11 inches wide) and shrunk to a phone's ~345 CSS px has text 3 to 4 px
# tall. Drawn for the phone instead: PHONE_WIDTH inches at PHONE_DPI is a 630 px picture, under twice the
# ~345 px it is shown at; there 1 pt is about 1.37 CSS px, so PHONE_MIN_PT keeps every text at 11.6 px or more.
PHONE_WIDTH = 3.5
PHONE_DPI = 180
PHONE_MIN_PT = 8.5
_NARROW: ContextVar[bool] = ContextVar("rekindle_narrow_charts", default=False)


@contextmanager
def narrow() -> Iterator[None]:
    """Charts made inside the block are drawn for a phone's screen: narrow, taller, larger text."""
    token = _NARROW.set(True)
    try:
        yield
    finally:
        _NARROW.reset(token)


def screen_size(size: tuple[float, float]) -> tuple[float, float]:
    """A chart's figure size for the screen it is drawn for (inside :func:`narrow`: a phone's)."""
    if not _NARROW.get():
        return size
    return (PHONE_WIDTH, max(3.4, size[1]))


def narrow_now() -> bool:
    """Whether charts made now are drawn for a phone (inside :func:`narrow`)."""
    return _NARROW.get()


def columns(wanted: int) -> int:
    """A legend's columns: ``wanted``, or one on a phone's chart (a row of four entries is wider than it)."""
    return 1 if _NARROW.get() else wanted


def legend_above(below: float = 0.1) -> dict[str, Any]:
    """Where a legend goes that a wide chart puts between its title and the plot: on a phone's, ``below``
    (axes heights) under the plot, as a title, a legend of three rows and the plot do not share 3.5 inches."""
    if _NARROW.get():
        return {"loc": "upper left", "bbox_to_anchor": (0.0, -below)}
    return {"loc": "lower left", "bbox_to_anchor": (0.0, 1.0)}


def title_pad(pad: float) -> float:
    """A title's distance from the plot: ``pad`` points over a legend, 6 on a phone's chart (none there)."""
    return 6 if _NARROW.get() else pad


def is_narrow(fig: Any) -> bool:
    """Whether ``fig`` was drawn for a phone (inside :func:`narrow`)."""
    return bool(getattr(fig, "_rk_narrow", False))


def legible(fig: Figure) -> None:
    """Every text of a phone's figure at :data:`PHONE_MIN_PT` or more (the plots set some at 7 to 8.5 pt)."""
    import textwrap

    from matplotlib.text import Text

    for text in fig.findobj(Text):
        if text.get_text() and float(text.get_fontsize()) < PHONE_MIN_PT:
            text.set_fontsize(PHONE_MIN_PT)
    from matplotlib.legend import Legend

    for ax in fig.axes:  # a title starts over the plot, not at the figure's edge: it gets two lines of 11 pt
        # centred, left (the charts' style), right: matplotlib keeps the three as attributes
        for title in (ax.title, getattr(ax, "_left_title", None), getattr(ax, "_right_title", None)):
            if title is not None and title.get_text() and "\n" not in title.get_text():
                title.set_fontsize(min(float(title.get_fontsize()), 11))
                title.set_text(textwrap.fill(title.get_text(), 22))
    for legend in fig.findobj(Legend):  # an entry starts after its handle, over the plot: two lines at most
        for text in legend.get_texts():
            if len(text.get_text()) > 26 and "\n" not in text.get_text():
                text.set_text(textwrap.fill(text.get_text(), 26))


@contextmanager
def style() -> Iterator[None]:
    """The charts' matplotlib style (:data:`.theme.STYLE`), with a fallback font for other scripts."""
    extra = fallback_font()  # e.g. a tag in Japanese: drawn in the computer's CJK font, not as boxes
    fonts = STYLE if extra is None else {**STYLE, "font.family": [STYLE["font.family"], extra[0]]}
    if _NARROW.get():  # a phone's: no text under PHONE_MIN_PT (tick labels and legends are 9 pt anyway)
        fonts = {**fonts, **{key: max(float(value), PHONE_MIN_PT) for key, value in fonts.items()
                             if key.endswith("size") and isinstance(value, (int, float))}}
    with mpl.rc_context(fonts):  # type: ignore[arg-type]  # matplotlib types rc keys as a Literal of names
        yield


@contextmanager
def frozen_ticks(fig: Figure) -> Iterator[None]:
    """While ``fig`` is saved: each automatic tick locator and formatter is asked once, not at every
    measurement of the draw (matplotlib asks the date axis's three times a draw).

    Only for a fixed layout (no layout engine): then the axes do not move while drawing, and the ticks
    and their labels are exactly those matplotlib would find. Put back afterwards, so a chart's Axes
    still adapts its ticks to new limits.
    """
    saved: list[tuple[Any, Any, Any]] = []
    if fig.get_layout_engine() is None:
        for ax in fig.axes:
            for axis in (ax.xaxis, ax.yaxis):
                for ticker in (axis.major, axis.minor):  # shared axes share their tickers: freeze each once
                    locator, formatter = ticker.locator, ticker.formatter
                    if (locator is None or formatter is None or isinstance(locator, NullLocator)
                            or any(t is ticker for t, _, _ in saved)):
                        continue
                    locs = locator()
                    labels = FixedFormatter(formatter.format_ticks(list(locs)))
                    labels.set_offset_string(formatter.get_offset())
                    saved.append((ticker, ticker.locator, ticker.formatter))
                    ticker.locator, ticker.formatter = FixedLocator(locs), labels
    try:
        yield
    finally:
        for ticker, locator, formatter in saved:
            ticker.locator, ticker.formatter = locator, formatter


def plain(text: Any) -> str:
    """User text for matplotlib: a ``$`` is a dollar sign, never the start of mathtext."""
    return str(text).replace("$", r"\$")


def new_axes(ax: Axes | None, size: tuple[float, float],
             margins: tuple[float, float, float, float] | None = None) -> Axes:
    """``ax``, or the Axes of a new Figure of ``size`` inches.

    With ``margins`` (left, right, top, bottom, in inches) the layout is fixed,
    which renders about twice as fast as matplotlib's constrained layout (used
    otherwise): the timeline, drawn most often, knows its margins.
    """
    if ax is not None:
        return ax
    size = screen_size(size)
    if margins is None:
        fig = Figure(figsize=size, dpi=100, layout=ConstrainedLayoutEngine(h_pad=0.08, w_pad=0.1))
        fig._rk_narrow = _NARROW.get()  # type: ignore[attr-defined]
        return fig.add_subplot()
    fig = Figure(figsize=size, dpi=100)
    fig._rk_narrow = _NARROW.get()  # type: ignore[attr-defined]
    left, right, top, bottom = margins
    width, height = size
    fig.subplots_adjust(left=left / width, right=1 - right / width, top=1 - top / height,
                        bottom=bottom / height)
    return fig.add_subplot()


def root_figure(ax: Axes) -> Figure:
    """The whole Figure ``ax`` is drawn on.

    matplotlib types ``ax.figure`` as Figure or SubFigure; a SubFigure's
    ``figure`` is its root Figure and a Figure's is itself, so this is always
    the Figure that saves, sizes and renders.
    """
    return ax.figure.figure


def tint(colour: str, amount: float) -> tuple[float, float, float]:
    """``colour`` mixed with white (``amount`` 0 = white, 1 = the colour)."""
    r, g, b = to_rgb(colour)
    return (1 - amount * (1 - r), 1 - amount * (1 - g), 1 - amount * (1 - b))


def shade(colour: str, amount: float = 0.35) -> tuple[float, float, float]:
    """``colour`` darkened towards black."""
    return tuple(c * (1 - amount) for c in to_rgb(colour))  # type: ignore[return-value]


def mood_cmap() -> LinearSegmentedColormap:
    """Mood 1 to 5 as a colour map through :data:`.theme.MOOD_COLOURS`."""
    return LinearSegmentedColormap.from_list("rekindle_mood", [MOOD_COLOURS[k] for k in range(1, 6)])


def row_axes(ax: Axes | None, width: float, rows: int, per_row: float = 0.42) -> Axes:
    """``ax``, or a new one for a chart of ``rows`` horizontal rows (tags, effects, variability): as tall as
    its rows need, with vertical grid lines only."""
    ax = new_axes(ax, (width, 1.9 + per_row * rows))
    ax.grid(axis="x", visible=True)
    ax.grid(axis="y", visible=False)
    return ax


def empty(ax: Axes | None = None, message: str = "No entries yet",
          hint: str = "Log a mood (rekindle log --mood 4) and your charts appear here.",
          size: tuple[float, float] = (8.0, 3.0)) -> Axes:
    """A friendly placeholder chart: nothing to show yet, and how to change that."""
    with style():
        ax = new_axes(ax, size)
        ax.set_axis_off()
        ax.text(0.5, 0.58, plain(message), ha="center", va="center", fontsize=16, color=INK,
                transform=ax.transAxes)
        if hint:
            ax.text(0.5, 0.38, plain(hint), ha="center", va="center", fontsize=10, color=MUTED,
                    transform=ax.transAxes)
    return ax


def fit_label(text: str, width_inches: float, fontsize: float) -> str:
    """``text`` shortened with an ellipsis to fit about ``width_inches``."""
    fits = int(width_inches * 72 / (fontsize * 0.58))
    if len(text) <= fits:
        return text
    if fits < 4:
        return ""
    return text[: fits - 1].rstrip() + "…"


def break_gaps(x: np.ndarray, y: np.ndarray, gap_days: float) -> tuple[np.ndarray, np.ndarray]:
    """Insert NaN between points further apart than ``gap_days`` so lines stop at gaps."""
    if len(x) < 2:
        return x, y
    jumps = np.flatnonzero(np.diff(x) > gap_days)
    if not len(jumps):
        return x, y
    return np.insert(x, jumps + 1, np.nan), np.insert(y, jumps + 1, np.nan)


def date_axis(ax: Axes, start: pd.Timestamp, end: pd.Timestamp) -> None:
    """Days from ``start`` to ``end`` (padded a little) on the x axis, with concise date labels."""
    span = (end - start).days
    pad = pd.Timedelta(days=max(1.0, span * 0.01)) if span > 3 else pd.Timedelta(days=3)
    ax.set_xlim(mdates.date2num(start - pad), mdates.date2num(end + pad))
    phone = _NARROW.get()
    locator: mdates.DateLocator = mdates.AutoDateLocator(minticks=3, maxticks=4 if phone else 9)
    if phone and span > 45:  # a phone's recent weeks: one label a month, room for each
        locator = mdates.MonthLocator()
    ax.xaxis.set_major_locator(locator)
    # every label a date a person can read: "04 Dec", "Dec 2026", "2026" (never a bare "04"); on a phone's
    # chart a month's first day is "Dec" (the year is in the title's span)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(
        locator, show_offset=False, formats=["%Y", "%b" if phone else "%b %Y", "%d %b", "%H:%M", "%H:%M", "%S.%f"],
        zero_formats=["", "%Y", "%b" if phone else "%b %Y", "%d %b", "%H:%M", "%H:%M"]))


def mood_ticks() -> tuple[list[int], list[str]]:
    """The mood scale's ticks and labels: ``1 awful`` to ``5 rad``."""
    return [1, 2, 3, 4, 5], [f"{k} {MOOD_LABELS[k]}" for k in range(1, 6)]


def mood_axis(ax: Axes, bottom: float = 0.5) -> None:
    """Mood 1-5 on the y axis, named."""
    ax.set_ylim(bottom, 5.55)
    ax.set_yticks(*mood_ticks())
    ax.set_ylabel("Mood")


def readiness_axis(ax: Axes) -> Axes:
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


def too_little(ax: Axes, n_days: int) -> None:
    """The "Too little data" warning across the top of a comparison chart."""
    ax.text(0.5, 0.94, f"Too little data: {n_days} day{'s' if n_days != 1 else ''} with entries "
            f"(under {MIN_TAG_DAYS}); differences may be chance", transform=ax.transAxes, ha="center",
            va="top", fontsize=9, color=PALETTE["vermillion"], fontweight="bold",
            bbox={"boxstyle": "round,pad=0.35", "fc": "white", "ec": PALETTE["vermillion"], "lw": 0.8})
