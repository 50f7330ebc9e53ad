"""Whole figures for the views (CLI, report, app): one call per chart kind, and rendering to bytes."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from importlib import import_module
from typing import TYPE_CHECKING, Any

import pandas as pd
from matplotlib.figure import Figure

from ..errors import RekindleError
from .axes import frozen_ticks, style
from .kinds import KINDS, check
from .plots.goals import goals
from .plots.scores import scores
from .summaries import scorable

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["figure", "render"]


def figure(kind: str, data: pd.DataFrame, *, stages: Sequence[Any] | None = None,
           responses: pd.DataFrame | None = None, progress: pd.DataFrame | None = None, **kws: Any) -> Figure:
    """A whole figure of one chart kind (for the CLI, the reports and the app).

    ``scores`` draws one panel per questionnaire in ``responses``; ``goals``
    draws ``progress`` (from :meth:`Journal.goal_progress`), not ``data``.
    """
    entry = check(kind)
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
        with style():
            fig = Figure(figsize=(KINDS["scores"][0], 3.4 * len(instruments)), layout="constrained")
            for ax, inst in zip(fig.subplots(len(instruments), 1, squeeze=False)[:, 0], instruments):
                scores(usable, instrument=inst, ax=ax, **kws)
        return fig
    chart: Callable[..., Axes] = getattr(import_module(f"{__package__}.plots.{kind}"), kind)
    if entry.stages:
        kws["stages"] = stages
    return chart(data, **kws).figure


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
    # compression level 3 is twice as fast as 6; the files are about 10% larger
    extra = {"pil_kwargs": {"compress_level": 3}} if fmt == "png" else {}
    with style(), frozen_ticks(fig):
        fig.savefig(buffer, format=fmt, dpi=dpi, metadata=meta, **extra)
    return buffer.getvalue()
