"""Goals: a client's goals, each rated 0-10 in each therapy session."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from ...bidi import isolated
from ..axes import columns, empty, fit_label, new_axes, plain, style
from ..display import chart
from ..kinds import KINDS
from ..summaries import check_progress, sessions_of
from ..theme import GOAL_COLOURS

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["goals"]

_GOAL_MARKERS = ("o", "s", "D", "^", "v", "P", "X", "*")
_GOAL_LINES = ("-", "--", ":")


@chart("goals")
def goals(progress: pd.DataFrame, *, title: str | None = None, ax: Axes | None = None) -> Axes:
    """Each goal's 0-10 progress rating over the sessions (from :meth:`Journal.goal_progress`).

    One line per goal (followed by its text), sessions evenly spaced in date
    order and named by their day. Each goal has its own colour and marker, so
    the lines can be told apart without colour; markers are nudged sideways
    where two goals share a rating. A dotted line bridges sessions in which a
    goal was not rated. Goals are named in the legend below.
    """
    progress = check_progress(progress)
    if len(progress) == 0:
        return empty(ax, "No goals rated yet",
                     "Rate goals 0-10 in a session (rekindle session add --goal \"TEXT=6\") "
                     "to see them here.",
                     size=KINDS["goals"])
    sessions = sessions_of(progress)
    order = {key: i for i, key in enumerate(sessions["key"])}
    days = pd.DatetimeIndex(progress["date"]).normalize()
    keys = progress["session_id"].to_numpy() if "session_id" in progress else days.asi8
    x_all = np.array([order[k] for k in keys], dtype=float)
    names = list(dict.fromkeys(str(g) for g in progress["goal"]))
    n, m = len(sessions), len(names)
    rows = -(-m // 2)  # legend rows, two goals a row
    with style():
        ax = new_axes(ax, (KINDS["goals"][0], KINDS["goals"][1] + 0.24 * max(0, rows - 1)))
        nudge = min(0.09, 0.36 / max(1, m - 1)) if m > 1 else 0.0
        handles = []
        for i, name in enumerate(names):
            rows_of = (progress["goal"].astype(str) == name).to_numpy()
            x, y = x_all[rows_of], progress["rating"].to_numpy(dtype=float)[rows_of]
            sort = np.argsort(x, kind="stable")
            skipped = np.r_[False, np.diff(x[sort]) > 1]  # not rated in the sessions between
            x, y = x[sort] + (i - (m - 1) / 2) * nudge, y[sort]
            colour = GOAL_COLOURS[i % len(GOAL_COLOURS)]
            dash = _GOAL_LINES[(i // len(GOAL_COLOURS)) % len(_GOAL_LINES)]
            marker = _GOAL_MARKERS[i % len(_GOAL_MARKERS)]
            for j in np.flatnonzero(skipped):
                ax.plot(x[j - 1:j + 1], y[j - 1:j + 1], color=colour, lw=1.2, ls=(0, (1, 2.5)), zorder=2)
            xs = np.insert(x, np.flatnonzero(skipped), np.nan) if skipped.any() else x
            ys = np.insert(y, np.flatnonzero(skipped), np.nan) if skipped.any() else y
            ax.plot(xs, ys, color=colour, lw=2, ls=dash, zorder=3, solid_capstyle="round")
            ax.scatter(x, y, s=46, marker=marker, color=colour, edgecolor="white", lw=1, zorder=4)
            handles.append(Line2D([], [], color=colour, lw=2, ls=dash, marker=marker, ms=7, mec="white",
                                  label=plain(isolated(fit_label(name, 4.4, 9)))))
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
                  ncol=columns(2 if m > 1 else 1), handlelength=2.2, columnspacing=2.0, borderaxespad=0.0)
        ax.set_title(title if title is not None else "Goals: progress rated in each session")
    return ax


