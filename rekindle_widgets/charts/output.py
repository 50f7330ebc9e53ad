"""A figure as PNG or SVG bytes, drawn in the charts' style, its description inside as alt text."""

from __future__ import annotations

import io
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any

from ..errors import RekindleError
from .agg import drawing
from .axes import frozen_ticks, is_narrow, legible, style

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["render"]


def render(fig: Figure, format: str = "png", *, dpi: int = 150, description: str | None = None,
           quick: bool = False) -> bytes:
    """The figure as PNG or SVG bytes (``description`` goes into the file as its alt text).

    ``quick``: a picture for the page now, not a file to keep: the PNG is compressed at level 1 (for the
    timeline about 11 ms less than level 3, for 2% more bytes; benchmark P8).
    """
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
    extra: dict[str, Any] = {"pil_kwargs": {"compress_level": 1 if quick else 3}} if fmt == "png" else {}
    if is_narrow(fig):
        legible(fig)
    with style(), frozen_ticks(fig), drawing(fig) if fmt == "png" else nullcontext():
        fig.savefig(buffer, format=fmt, dpi=dpi, metadata=meta, **extra)
    return buffer.getvalue()
