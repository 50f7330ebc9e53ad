"""Mood with and without each tag."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.colors import Normalize

from ...bidi import isolated
from ..axes import (
    columns,
    empty,
    legend_above,
    mood_cmap,
    mood_ticks,
    plain,
    row_axes,
    style,
    title_pad,
    too_little,
)
from ..display import chart
from ..kinds import KINDS
from ..summaries import MIN_TAG_DAYS, check_data, tag_table
from ..theme import FAINT, INK, MUTED

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["tags"]


@chart("tags")
def tags(data: pd.DataFrame, *, top: int = 12, min_entries: int = 3, title: str | None = None,
         ax: Axes | None = None) -> Axes:
    """Mean mood of entries with each tag (filled dot) against entries without it (hollow dot).

    The ``top`` most used tags with at least ``min_entries`` entries each way.
    Under :data:`MIN_TAG_DAYS` days of entries the chart says "Too little data".
    """
    data = check_data(data, ("date", "mood", "tags"))
    if len(data) == 0:
        return empty(ax, size=KINDS["tags"])
    table = tag_table(data.reset_index(drop=True), top=top, min_entries=min_entries)
    n_days = int(pd.DatetimeIndex(data["date"]).normalize().nunique())
    if table.empty:
        return empty(ax, "No tags to compare yet",
                     f"Tags need {min_entries} or more entries with them and without them.",
                     size=KINDS["tags"])
    with style():
        ax = row_axes(ax, KINDS["tags"][0], len(table))
        y = np.arange(len(table))
        cmap, norm = mood_cmap(), Normalize(1, 5)
        with_ = table["with"].to_numpy()
        for i, (a, b) in enumerate(zip(table["without"], with_, strict=True)):
            ax.plot([a, b], [i, i], color=FAINT, lw=3, zorder=1, solid_capstyle="round")
        ax.scatter(table["without"], y, s=60, facecolor="white", edgecolor=MUTED, lw=1.4, zorder=3,
                   label="without the tag")
        ax.scatter(with_, y, s=80, color=[cmap(norm(v)) for v in with_], edgecolor=INK, lw=1, zorder=4,
                   label="with the tag")
        for i, row in enumerate(table.itertuples(index=False)):
            ax.text(5.55, i, f"{row.difference:+.1f}", va="center", ha="right", fontsize=9,
                    color=INK if abs(row.difference) >= 0.25 else MUTED, fontweight="bold")
        ax.set_yticks(y, [plain(f"{isolated(t)}  ({n})") for t, n in zip(table["tag"], table["n_with"], strict=True)])
        ax.tick_params(axis="y", length=0)
        ax.set_xlim(0.8, 5.65)
        ax.set_xticks(*mood_ticks())
        ax.set_xlabel("Mean mood of the entries")
        ax.set_ylim(-0.7, len(table) - 0.3 + (0.9 if n_days < MIN_TAG_DAYS else 0))
        ax.spines["left"].set_visible(False)
        ax.legend(**legend_above(0.22), ncol=columns(2), borderaxespad=0.2)  # below the axis's name
        ax.set_title(title if title is not None else "Mood with and without each tag", pad=title_pad(24))
        if n_days < MIN_TAG_DAYS:
            too_little(ax, n_days)
    return ax


