"""Charts show where they are drawn: a chart's Axes displays as a picture, with its description as alt text.

A chart returns a plain :class:`matplotlib.axes.Axes` (seaborn's contract:
callers compose with ``ax=``), drawn on a detached Figure that pyplot never
sees, so nothing would show it in a notebook. The design, and why:

- **Formatters for Axes, registered with IPython**, rather than returning a
  wrapper object with ``_repr_png_``: a wrapper would break ``ax.set_title``,
  ``ax.figure`` and every other use of the Axes. IPython lets a library add a
  printer for a type it does not own
  (``get_ipython().display_formatter.formatters[mime].for_type_by_name``);
  naming the type by module and name registers it without importing
  matplotlib, so importing :mod:`rekindle_widgets.charts` stays cheap. The
  printers are added when the charts package is imported inside IPython
  (:func:`register`), for ``image/png`` (what nbclient, nbval and nbconvert
  keep) and ``text/html`` (an ``<img>`` with ``alt``, which JupyterLab and
  Voila prefer, so a screen reader hears what the chart shows).
- **Only our charts**: each chart function marks the Axes it returns
  (:func:`chart`); the printers return None for any other Axes, which IPython
  treats as "no picture from me", so other libraries' Axes show as before.
  A figure pyplot manages is left to pyplot's own inline display (no double
  picture).
- **The words are computed only when shown**: the mark holds what
  :func:`rekindle_widgets.charts.describe` needs, and the picture is rendered
  once per display (the HTML and PNG printers share it).

:func:`chart` also lets every chart take a :class:`Journal` in place of its
DataFrame: ``charts.timeline(journal)`` reads the entries and the stage
timeline itself.
"""

from __future__ import annotations

import base64
import functools
import html
import sys
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from ..errors import RekindleError
from ..journal import Journal
from .theme import PICTURE_BORDER

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["alt_text", "chart", "html_img", "is_chart", "register"]

#: Axes drawn by a chart -> a function giving its description (the Axes are held weakly: no leaks)
_MARKS: weakref.WeakKeyDictionary[Any, Callable[[], str]] = weakref.WeakKeyDictionary()
#: The last picture rendered for display: (figure, PNG bytes, alt text); the HTML and PNG printers share it.
_LAST: list[tuple[weakref.ref[Any], bytes, str]] = []
DPI = 100  # a notebook picture: the same size as the app's

F = TypeVar("F", bound=Callable[..., Any])


def _from_journal(kind: str, data: Any, kws: dict[str, Any]) -> Any:
    """The data a chart of ``kind`` draws, read from a Journal (with its stages) when given one."""
    if not isinstance(data, Journal):
        return data
    from .kinds import REGISTRY

    entry = REGISTRY[kind]
    if entry.data == "responses":
        return data.responses()
    if entry.data == "progress":
        return data.goal_progress()
    if entry.data == "trackers":
        if entry.stages and kws.get("stages") is None:
            kws["stages"] = data.stage_changes()
        return data.trackers()
    if entry.stages and kws.get("stages") is None:
        kws["stages"] = data.stage_changes()
    if kind == "timeline" and kws.get("moments") is None:  # days that are events but not tags (micro-dates)
        kws["moments"] = data.timeline_moments()
    if kind == "timeline" and kws.get("flags") is None:  # the weeks behind the red-flag watch's flags
        from ..model.watch import journal_flags

        kws["flags"] = journal_flags(data, history=True)
    return data.entries()


def _words(kind: str, data: Any, kws: dict[str, Any]) -> str:
    from . import alt_text

    if kind == "goals":
        return alt_text.describe_goals(data)
    if kind == "trackers":
        return alt_text.describe_trackers(data)
    if kind == "scores":
        chosen = kws.get("instrument")
        if chosen is not None and data is not None and len(data) and "instrument" in data:
            data = data[data["instrument"].astype(str).str.lower() == str(chosen).lower()]
        return alt_text.describe_scores(data)
    words = alt_text.describe(data, kws.get("stages"), kind=kind, moments=kws.get("moments"))
    if kind == "timeline" and kws.get("flags"):
        words += " " + alt_text.describe_flags(kws["flags"])
    return words


def chart(kind: str) -> Callable[[F], F]:
    """Decorate the chart function of ``kind``: it takes a Journal too, and marks the Axes it returns."""

    def decorate(draw: F) -> F:
        @functools.wraps(draw)
        def drawn(data: Any, *args: Any, **kws: Any) -> Axes:
            data = _from_journal(kind, data, kws)
            ax = draw(data, *args, **kws)
            _MARKS[ax] = functools.partial(_words, kind, data, dict(kws))
            return ax

        return drawn  # type: ignore[return-value]

    return decorate


def is_chart(ax: Any) -> bool:
    """Whether ``ax`` was drawn by one of our charts."""
    try:
        return ax in _MARKS
    except TypeError:  # not hashable: not ours
        return False


def alt_text(fig: Figure) -> str:
    """What the charts on ``fig`` show, in words (each of our Axes on it, in order)."""
    parts = []
    for ax in fig.axes:
        words = _MARKS.get(ax)
        if words is None:
            continue
        try:
            parts.append(words())
        except RekindleError:  # e.g. data changed under the chart: fall back to its title
            parts.append(ax.get_title(loc="left") or ax.get_title())
    return " ".join(p for p in parts if p) or "A Rekindle chart."


def html_img(png: bytes, alt: str) -> str:
    """An ``<img>`` carrying ``png`` and its ``alt`` text (escaped), scaled to its container.

    The chart keeps its white background, framed, on a dark theme too (never dark text on a dark page).
    """
    data = base64.b64encode(png).decode("ascii")
    return (f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt, quote=True)}" '
            f'style="max-width:100%;height:auto;background:#fff;border:1px solid {PICTURE_BORDER}">')


def _picture(ax: Any) -> tuple[bytes, str] | None:
    """PNG bytes and alt text for one of our Axes, or None for anything else."""
    if not is_chart(ax):
        return None
    fig = ax.figure
    if fig is None:
        return None
    if getattr(getattr(fig, "canvas", None), "manager", None) is not None:
        return None  # a pyplot figure: pyplot's inline display shows it
    shown = _LAST[0][0]() if _LAST else None  # the figure last rendered, while it is alive
    if shown is not None and shown is fig and not fig.stale:
        return _LAST[0][1], _LAST[0][2]
    from .output import render

    alt = alt_text(fig)
    png = render(fig, "png", dpi=DPI, description=alt)
    _LAST[:] = [(weakref.ref(fig), png, alt)]
    return png, alt


def _png(ax: Any) -> bytes | None:
    picture = _picture(ax)
    return picture[0] if picture else None


def _html(ax: Any) -> str | None:
    picture = _picture(ax)
    return html_img(*picture) if picture else None


def register(shell: Any = None) -> bool:
    """Add the Axes printers to the running IPython (or ``shell``); False outside IPython. Idempotent."""
    if shell is None:
        if "IPython" not in sys.modules:  # not inside IPython: nothing to register with
            return False
        from IPython import get_ipython

        shell = get_ipython()
    formatter = getattr(shell, "display_formatter", None)
    if formatter is None:
        return False
    for mime, printer in (("image/png", _png), ("text/html", _html)):
        formatter.formatters[mime].for_type_by_name("matplotlib.axes._axes", "Axes", printer)
    return True
