"""The report as plain data: a :class:`Report` is a title, facts and :class:`Section` blocks.

Builders (:mod:`.build`) make one from a journal; renderers (:mod:`.html`,
:mod:`.pdf`) draw it, so both formats say the same thing. Every block is a
frozen dataclass of text (escaped by whoever renders it) or a PNG.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from .. import __version__

__all__ = ["DISCLAIMER", "FULL_WIDTH_IN", "Block", "Chart", "Paragraph", "Report", "Section", "Table",
           "map_text", "texts"]

DISCLAIMER = "Self-reported; not a diagnosis."
FULL_WIDTH_IN = 11.0  # a chart this wide (inches) fills the page width


@dataclass(frozen=True)
class Paragraph:
    """Plain text (escaped when rendered). ``style``: "normal", "muted", "note" or "alert"."""

    text: str
    style: str = "normal"
    heading: str = ""  # a short bold lead-in, e.g. a date


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    widths: tuple[float, ...] = ()  # relative column widths (PDF); empty: equal


@dataclass(frozen=True)
class Chart:
    title: str
    png: bytes
    description: str  # shown under the chart and used as its alt text
    aspect: float  # height / width
    width_in: float = 11.0  # the figure's width: charts keep one scale, so their text is one size


Block = Paragraph | Table | Chart


@dataclass(frozen=True)
class Section:
    """A heading and its blocks. Build your own for ``extra_sections``."""

    title: str
    blocks: tuple[Block, ...] = ()
    kind: str = "normal"  # "normal" or "safety" (drawn as a framed notice)


@dataclass
class Report:
    title: str
    subtitle: str
    facts: list[tuple[str, str]]
    sections: list[Section] = field(default_factory=list)
    generated: datetime = field(default_factory=lambda: datetime.now().astimezone())
    disclaimer: str = DISCLAIMER

    @property
    def footer(self) -> str:
        return f"{self.disclaimer} Made with Rekindle {__version__} on {self.generated:%d %b %Y}."


def map_text(report: Report, fn: Callable[[str], str]) -> Report:
    """The report with ``fn`` applied to every piece of text it prints (the footer is made from them)."""

    def block(b: Block) -> Block:
        if isinstance(b, Paragraph):
            return replace(b, text=fn(b.text), heading=fn(b.heading))
        if isinstance(b, Table):
            return replace(b, caption=fn(b.caption), columns=tuple(map(fn, b.columns)),
                           rows=tuple(tuple(map(fn, row)) for row in b.rows))
        return replace(b, title=fn(b.title), description=fn(b.description))

    return replace(report, title=fn(report.title), subtitle=fn(report.subtitle), disclaimer=fn(report.disclaimer),
                   facts=[(fn(k), fn(v)) for k, v in report.facts],
                   sections=[replace(s, title=fn(s.title), blocks=tuple(map(block, s.blocks)))
                             for s in report.sections])


def texts(report: Report) -> list[str]:
    """Every piece of text the report prints."""
    found: list[str] = [report.footer]

    def keep(text: str) -> str:
        found.append(text)
        return text

    map_text(report, keep)
    return found
