"""Whole figures for the views (CLI, report, app): one call per chart kind."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib import import_module
from typing import TYPE_CHECKING, Any

import pandas as pd
from matplotlib.figure import Figure

from .axes import narrow_now, root_figure, screen_size, style
from .kinds import KINDS, check
from .plots.goals import goals
from .plots.scores import scores
from .summaries import scorable

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["figure"]


def figure(kind: str, data: pd.DataFrame, *, stages: Sequence[Any] | None = None,
           responses: pd.DataFrame | None = None, progress: pd.DataFrame | None = None,
           trackers: pd.DataFrame | None = None, **kws: Any) -> Figure:
    """A whole figure of one chart kind (for the CLI, the reports and the app).

    ``scores`` draws one panel per questionnaire in ``responses``; ``goals``
    draws ``progress`` (from :meth:`Journal.goal_progress`) and ``trackers`` the tracker values
    (:meth:`Journal.trackers`), not ``data``.
    """
    entry = check(kind)
    if kind == "goals":
        if progress is None:
            progress = pd.DataFrame(columns=["session_id", "date", "goal", "rating"])
        return root_figure(goals(progress, **kws))
    if kind == "scores":
        usable = scorable(responses)
        instruments = list(dict.fromkeys(usable["instrument"].astype(str))) if len(usable) else []
        if kws.get("instrument"):
            instruments = [kws.pop("instrument")]
        if len(instruments) <= 1:
            return root_figure(scores(usable, instrument=instruments[0] if instruments else None, **kws))
        with style():
            fig = Figure(figsize=screen_size((KINDS["scores"][0], 3.4 * len(instruments))), layout="constrained")
            fig._rk_narrow = narrow_now()  # type: ignore[attr-defined]
            for ax, inst in zip(fig.subplots(len(instruments), 1, squeeze=False)[:, 0], instruments, strict=True):
                scores(usable, instrument=inst, ax=ax, **kws)
        return fig
    chart: Callable[..., Axes] = getattr(import_module(f"{__package__}.plots.{kind}"), kind)
    if entry.data == "trackers":  # draws ``trackers`` (Journal.trackers()), not the entries
        if trackers is None:
            trackers = pd.DataFrame(columns=["id", "timestamp", "date", "name", "value", "yesno"])
        return root_figure(chart(trackers, **({"stages": stages} if entry.stages else {}), **kws))
    if entry.stages:
        kws["stages"] = stages
    return root_figure(chart(data, **kws))
