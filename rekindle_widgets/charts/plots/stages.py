"""Mood and readiness per stage period: mean, range and trend for each stage the person went through."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..axes import (
    PHONE_MIN_PT,
    columns,
    empty,
    fit_label,
    legend_above,
    mood_ticks,
    narrow_now,
    new_axes,
    readiness_axis,
    root_figure,
    shade,
    style,
    tint,
    title_pad,
)
from ..display import chart
from ..kinds import KINDS
from ..summaries import check_data, stage_summary
from ..theme import INK, MUTED, READINESS_COLOUR, STAGE_COLOURS

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes

__all__ = ["stages"]

_ARROWS = {"rising": "↗ rising", "falling": "↘ falling", "flat": "→ flat",
           "too little data": "· too few days"}


@chart("stages")
def stages(data: pd.DataFrame, *, stages: Sequence[Any] | None = None, summary: pd.DataFrame | None = None,
           title: str | None = None, ax: Axes | None = None) -> Axes:
    """Mood and readiness per stage period: mean (dot), lowest to highest (bar), trend (arrow)."""
    data = check_data(data)
    table = summary if summary is not None else stage_summary(data, stages)
    if len(data) == 0 or table.empty:
        return empty(ax, size=KINDS["stages"])
    with style():
        ax = new_axes(ax, KINDS["stages"])
        phone = narrow_now()
        n = len(table)
        x = np.arange(n, dtype=float)
        for i, row in enumerate(table.itertuples(index=False)):
            colour = STAGE_COLOURS.get(int(row.stage), MUTED) if not pd.isna(row.stage) else MUTED
            ax.axvspan(i - 0.45, i + 0.45, color=tint(colour, 0.18), lw=0, zorder=0)
            if not pd.isna(row.mood_min):
                ax.plot([i - 0.12, i - 0.12], [row.mood_min, row.mood_max], color=shade(colour, 0.2), lw=5,
                        alpha=0.45, solid_capstyle="round", zorder=2)
                ax.scatter([i - 0.12], [row.mood_mean], s=110, color=colour, edgecolor=INK, lw=1.0, zorder=4)
                ax.text(i - 0.12, row.mood_mean, f"  {row.mood_mean:.1f}", va="center", ha="left", fontsize=9,
                        fontweight="bold", zorder=5)
            ax.text(i, 0.62, _ARROWS.get(row.trend, row.trend).split(" ")[0] if phone else
                    _ARROWS.get(row.trend, row.trend), ha="center", va="bottom", fontsize=8.5,
                    color=INK if row.trend != "too little data" else MUTED)
            if phone:  # a phone's chart: the counts and dates are in the description, not in 3.5 inches
                continue
            ax.text(i, 0.32, f"{row.entries} entr{'y' if row.entries == 1 else 'ies'} · "
                    f"{row.days_logged}/{row.days} day{'' if row.days == 1 else 's'}", ha="center",
                    va="bottom", fontsize=7.5, color=MUTED)
        ax.set_xlim(-0.55, n - 0.45)
        ax.set_ylim(0.25, 5.55)
        ax.set_yticks(*mood_ticks())
        ax.set_ylabel("Mood")
        labels = []
        for row in ([] if phone else table.itertuples(index=False)):
            name = row.name if pd.isna(row.stage) else f"{int(row.stage)} · {row.name}"
            column = ax.get_position().width * root_figure(ax).get_figwidth() / n  # inches per stage
            labels.append(_wrap(name, max(12, int(column * 72 / (8.5 * 0.6))))
                          + f"\n{_short_day(row.start)} – {_short_day(row.end, True)}")
        if phone:  # the stage's number under its band; its name in the legend below
            labels = ["" if pd.isna(row.stage) else str(int(row.stage)) for row in table.itertuples(index=False)]
        ax.set_xticks(x, labels, fontsize=8.5 if n > 4 else 9)
        ax.tick_params(axis="x", length=0)
        handles: list[Artist] = [Line2D([], [], lw=0, marker="o", ms=8, mfc=MUTED, mec=INK, label="mean mood"),
                   Line2D([], [], lw=5, color=MUTED, alpha=0.45, label="lowest to highest")]
        if table["readiness_mean"].notna().any():
            rax = readiness_axis(ax)
            for i, row in enumerate(table.itertuples(index=False)):
                if pd.isna(row.readiness_min):
                    continue
                rax.plot([i + 0.14, i + 0.14], [row.readiness_min, row.readiness_max], color=READINESS_COLOUR,
                         lw=2, alpha=0.35, solid_capstyle="round")
                rax.scatter([i + 0.14], [row.readiness_mean], marker="D", s=55, color=READINESS_COLOUR,
                            edgecolor="white", lw=0.8, zorder=4)
            handles.append(Line2D([], [], lw=0, marker="D", ms=6, color=READINESS_COLOUR,
                                  label="mean readiness (right scale)"))
        if phone:
            handles += [Patch(color=tint(STAGE_COLOURS.get(int(row.stage), MUTED), 0.5),
                              label=fit_label(f"{int(row.stage)} {row.name}", 3.0, PHONE_MIN_PT))
                        for row in table.itertuples(index=False) if not pd.isna(row.stage)]
        ax.legend(handles=handles, **legend_above(), ncol=columns(3), borderaxespad=0.2)
        ax.set_title(title if title is not None else "Mood and readiness by stage", pad=title_pad(26))
    return ax


def _wrap(text: str, width: int) -> str:
    lines = textwrap.wrap(text, width)
    if len(lines) == 2:  # balance two lines rather than leave an orphan word
        balanced = textwrap.wrap(text, max(len(text) // 2 + 4, max(map(len, text.split()))))
        if len(balanced) == 2 and max(map(len, balanced)) <= width:
            lines = balanced
    return "\n".join(lines[:3])


def _short_day(d: Any, year: bool = False) -> str:
    d = pd.Timestamp(d)
    return f"{d.day} {d:%b %Y}" if year else f"{d.day} {d:%b}"


