"""Questionnaire totals over time, the instrument's score bands shaded."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import matplotlib.dates as mdates
import numpy as np
import pandas as pd

from ...content.instruments import find
from ..axes import break_gaps, date_axis, empty, new_axes, plain, root_figure, style
from ..display import chart
from ..kinds import KINDS
from ..summaries import instrument_bands, scorable
from ..theme import INK, MUTED, PALETTE

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
                ax.annotate(f"{yi:g}", (xi, yi), xytext=(0, 8), textcoords="offset points", ha="center",
                            fontsize=8.5, color=INK)
        _change_marks(ax, info, x, totals)
        start, end = times[0].normalize(), times[-1].normalize()
        date_axis(ax, start, end)
        ax.set_ylim(lo - 0.6, hi + 0.9)
        ax.set_ylabel("Total score")
        ax.set_title(title if title is not None else plain(f"{name}: totals over time"))
    return ax




#: How the scores chart marks a classified change (colour-blind safe, and told apart by shape too).
CHANGE_STYLE: dict[str, dict[str, Any]] = {
    "no reliable change": {"color": INK, "marker": "o", "size": 40},  # as every other score: the plain dot
    "reliable improvement": {"color": PALETTE["green"], "marker": "o", "size": 70},
    "reliable deterioration": {"color": PALETTE["vermillion"], "marker": "X", "size": 70},
}


def _change_marks(ax: Axes, info, x: np.ndarray, totals: np.ndarray) -> None:
    """The reliable-change margin around the first score, the cut-off, and a marker at each classified change.

    Classified by :func:`rekindle_widgets.model.reliable_change.classify_series` (each score
    against the first); artists carry a ``gid`` starting ``rk-change-`` so a
    test can find them. An instrument without change constants, or totals it
    cannot classify (from a newer version), get no marks.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from ...errors import RekindleError
    from ...model.reliable_change import RECOVERED, RELIABLE_RECOVERY, classify_series

    rule = getattr(info, "change", None)
    if rule is None or not len(totals):
        return
    try:
        steps = classify_series(info, list(totals))
    except RekindleError:
        return
    factor = info.percentage_factor if rule.score == "percentage" else 1
    # totals are whole numbers: the margin's edge lies between the largest change that is not reliable and
    # the smallest that is (PHQ-9: 5 and 6 points, so 5.5; WHO-5: 2 and 3 raw points, so 2.5)
    smallest = math.ceil(rule.threshold / factor - 1e-9)
    margin, first = smallest - 0.5, float(totals[0])
    ax.axhspan(first - margin, first + margin, facecolor=PALETTE["sky"], alpha=0.16, lw=0, zorder=1,
               gid="rk-change-margin")
    cut = rule.caseness / factor
    cut += -0.5 if rule.caseness_test in ("at_least", "below") else 0.5  # between the last non-case and first case
    ax.axhline(cut, color=MUTED, lw=1, ls=(0, (4, 3)), zorder=2, gid="rk-change-cutoff")
    handles = [Patch(facecolor=PALETTE["sky"], alpha=0.35,
                     label=f"under {smallest} point{'s' if smallest != 1 else ''} from the first: no reliable change"),
               Line2D([], [], color=MUTED, lw=1, ls=(0, (4, 3)),
                      label=f"clinical cut-off ({_cutoff_text(rule, factor)})")]
    for status, look in CHANGE_STYLE.items():
        where = [i + 1 for i, c in enumerate(steps) if c.status == status]
        if where:
            ax.scatter(x[where], totals[where], s=float(look["size"]), zorder=5, edgecolor="white", lw=1,
                       label=status, gid=f"rk-change-{status.replace(' ', '-')}", color=str(look["color"]),
                       marker=str(look["marker"]))
            handles.append(Line2D([], [], ls="", markeredgecolor="white", label=status,
                                  markersize=6.5 if status == "no reliable change" else 8,
                                  markerfacecolor=str(look["color"]), marker=str(look["marker"])))
    for kind in (RELIABLE_RECOVERY, RECOVERED):
        where = [i + 1 for i, c in enumerate(steps) if c.recovery == kind]
        if where:
            ax.scatter(x[where], totals[where], s=130, zorder=4, facecolor="none", lw=1.4,
                       edgecolor=PALETTE["green"] if kind == RELIABLE_RECOVERY else MUTED, label=kind,
                       gid=f"rk-change-{kind.replace(' ', '-')}")
            handles.append(Line2D([], [], ls="", marker="o", markersize=11, markerfacecolor="none",
                                  markeredgecolor=PALETTE["green"] if kind == RELIABLE_RECOVERY else MUTED,
                                  label=kind))
    width = root_figure(ax).get_size_inches()[0] * ax.get_position().width  # inches this Axes spans
    columns = 3 if width >= 7.5 else 2 if width >= 5 else 1
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, -0.13), ncol=min(len(handles), columns),
              fontsize=8.5, frameon=False, borderaxespad=0.2)


def _cutoff_text(rule, factor: float) -> str:
    """``"10 or more"``; on a percentage rule, in the chart's raw totals too: ``"below 52%: a total below 13"``."""
    if rule.score != "percentage":
        return rule.caseness_text()
    from dataclasses import replace

    raw = replace(rule, caseness=rule.caseness / factor).caseness_text()
    return f"{rule.caseness_text().replace(f'{rule.caseness:g}', f'{rule.caseness:g}%')}: a total {raw}"
