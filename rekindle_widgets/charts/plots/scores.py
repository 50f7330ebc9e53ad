"""Questionnaire totals over time, the instrument's score bands shaded."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import matplotlib.dates as mdates
import numpy as np
import pandas as pd

from ...instruments import find
from ..axes import break_gaps, date_axis, empty, new_axes, plain, style
from ..display import chart
from ..kinds import KINDS
from ..summaries import instrument_bands, scorable
from ..theme import INK, MUTED

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["scores"]


@chart("scores")
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
    with style():
        ax = new_axes(ax, KINDS["scores"])
        times = pd.DatetimeIndex(data["timestamp"]).tz_convert(None)
        order = np.argsort(times.asi8, kind="stable")
        times, totals = times[order], data["total"].to_numpy(dtype=float)[order]
        x = mdates.date2num(times.to_pydatetime())
        greys = ["#f3f4f6", "#e5e7eb"]
        for i, (b_lo, b_hi, label) in enumerate(sorted(bands, key=lambda b: b[0])):
            ax.axhspan(b_lo - 0.5, b_hi + 0.5, color=greys[i % 2], lw=0, zorder=0)
            ax.text(1.005, (b_lo + b_hi) / 2, plain(label), transform=ax.get_yaxis_transform(), ha="left",
                    va="center", fontsize=8.5, color=MUTED)
        xs, ys = break_gaps(x, totals, 90)
        ax.plot(xs, ys, color=INK, lw=1.6, zorder=3)
        ax.scatter(x, totals, s=40, color=INK, zorder=4, edgecolor="white", lw=1)
        if len(x) <= 12:
            for xi, yi in zip(x, totals, strict=True):
                ax.annotate(f"{yi:g}", (xi, yi), xytext=(0, 7), textcoords="offset points", ha="center",
                            fontsize=8.5, color=INK)
        start, end = times[0].normalize(), times[-1].normalize()
        date_axis(ax, start, end)
        ax.set_ylim(lo - 0.6, hi + 0.9)
        ax.set_ylabel("Total score")
        ax.set_title(title if title is not None else plain(f"{name}: totals over time"))
    return ax


