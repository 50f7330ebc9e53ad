"""Small pieces every widget page shares: journal handles, messages, images, links."""

from __future__ import annotations

import base64
import html
import io
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from ..charts.display import html_img
from ..charts.theme import MESSAGE_COLOURS
from ..journal import as_journal  # re-exported: the pages take "a Journal, a path, or None"

if TYPE_CHECKING:
    from matplotlib.figure import Figure, SubFigure

__all__ = ["Screen", "as_journal", "data_link", "figure_html", "message", "title"]


def message(kind: str, text: str) -> str:
    """An escaped, coloured one-line message for an HTML widget (kind: info/ok/error/warn; its colours are
    ``rk-msg rk-<kind>`` in the stylesheet)."""
    if kind not in MESSAGE_COLOURS:
        raise ValueError(f"no message kind {kind!r}")
    role = ' role="alert"' if kind == "error" else ' role="status"'
    return f'<div class="rk-msg rk-{kind}"{role}>{html.escape(text)}</div>'


def title(text: str, level: int = 3) -> w.HTML:
    return w.HTML(f"<h{level}>{html.escape(text)}</h{level}>")


def figure_html(fig: Figure | SubFigure, alt: str, *, dpi: int = 100) -> str:
    """A matplotlib Figure as an <img> with alt text (works in Voila and JupyterLab alike).

    ``fig`` may be a chart's ``ax.figure``, which matplotlib types as Figure or
    SubFigure: the whole Figure is drawn (``fig.figure``, itself for a Figure).
    """
    from ..charts.axes import PHONE_DPI, is_narrow, legible

    root = fig.figure
    narrow = is_narrow(root)  # drawn for a phone: more pixels per inch, so it stays sharp at its width
    dpi = PHONE_DPI if narrow else dpi
    if root.get_layout_engine() is None:  # a fixed layout (the timeline's) fits already: no measuring draw
        from ..charts.output import render

        return html_img(render(root, "png", dpi=dpi, quick=True), alt)  # the <img> a notebook shows too
    if narrow:
        legible(root)
    from ..charts.agg import drawing

    buf = io.BytesIO()
    # a phone's picture keeps its width (the layout has fitted everything in it): "tight" would widen it
    with drawing(root):
        root.savefig(buf, format="png", dpi=dpi, bbox_inches=None if narrow else "tight")
    return html_img(buf.getvalue(), alt)


class Screen:
    """The screen this kernel's page is shown on: the app learns its width from the browser (quick-exit.js)
    and pages draw their charts for it (:meth:`charts`). One kernel serves one page, so one screen."""

    narrow: bool = False

    @classmethod
    def charts(cls) -> Any:
        """A context in which charts are drawn for this screen (a phone's: :func:`charts.axes.narrow`)."""
        from contextlib import nullcontext

        from ..charts.axes import narrow

        return narrow() if cls.narrow else nullcontext()


def data_link(data: bytes, filename: str, mime: str, label: str) -> str:
    """A download link carrying its data (Voila serves no CSV files, so no file links)."""
    payload = base64.b64encode(data).decode("ascii")
    return (f'<a download="{html.escape(filename, quote=True)}" href="data:{mime};base64,{payload}" '
            f'class="rk-download">{html.escape(label)}</a>')


def labelled(control: Any, width: str = "140px") -> Any:
    """Give a control's description room to be read in full."""
    control.style = {"description_width": width}
    return control
