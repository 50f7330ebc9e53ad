"""What every importer produces, and the pieces importers share."""

from __future__ import annotations

import html
import re
import shlex
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from functools import cached_property
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from ...errors import RekindleError
from ...journal import MAX_NOTE, MAX_TAG, Entry, StageChange
from ...journal.tables import kind
from .options import Options, label_key


class Source:
    """A file's name and bytes; its text is decoded once, when a text format needs it."""

    def __init__(self, raw: bytes, name: str):
        self.raw = bytes(raw)
        self.name = name

    @cached_property
    def text(self) -> str:
        from .text import decode

        text = decode(self.raw, self.name)
        if not text.strip():
            raise RekindleError(f"{self.name} is empty; nothing to import")
        return text


@dataclass(frozen=True)
class Format:
    """One format an importer reads, declared in the importer's own module (its ``FORMATS``)."""

    #: what ``--format`` calls it
    name: str
    #: what a person calls it ("Daylio CSV export")
    label: str
    #: whether a file is of this format, from its content (never its name)
    sniff: Callable[[Source], bool]
    #: the whole file, parsed and checked; nothing written
    parse: Callable[[Source, Options], Parsed]
    #: the options (:class:`.options.Options` fields) it reads; any other given is an error, never ignored
    uses: frozenset[str] = frozenset()
    #: a file read a part at a time (issue 25), for a format that can be: its parts as :class:`Parsed`, the
    #: last one the file's account; None for a file of it that must be read whole after all
    stream: Callable[[Path, Options], Iterator[Parsed] | None] | None = None


@dataclass
class Parsed:
    """A whole file, parsed and validated, before anything is written."""

    entries: list[Entry] = field(default_factory=list)
    stages: list[StageChange] = field(default_factory=list)
    #: records of every other kind the file holds, by the kind's name in journal/tables.py ("responses",
    #: "sessions", "agreements", "plans", ...); a check-in's marks use the file's agreement numbers
    records: dict[str, list[Any]] = field(default_factory=dict)
    #: True when the stage timeline was rebuilt from per-entry stages (lossy).
    stages_derived: bool = False
    #: things a person should know that did not stop the import (records skipped, ...)
    warnings: list[str] = field(default_factory=list)
    #: mood labels seen in the file -> how many rows used each (label formats only)
    labels: dict[str, int] = field(default_factory=dict)
    #: the account of the file: how many records it holds (``unit``: rows, days, records) ...
    read: int | None = None
    unit: str = "rows"
    #: ... and, for each reason, how many of them are not entries (symptom rows, days without a score)
    not_entries: dict[str, int] = field(default_factory=dict)
    #: lines that could not be read and were skipped (``--skip-invalid``), each with its reason
    skipped: list[str] = field(default_factory=list)
    #: which layout of the format the file has, in words ("9 columns, with scales")
    layout: str = ""
    #: for a part of a file that streams: how far into the file it ends, of how much (bytes, or entries)
    done: int = 0
    total: int = 0
    #: the days on which the file records thoughts of self-harm or suicide (the app's own box for them ticked):
    #: the import shows help before anything else (never a score of danger)
    concerns: list[date] = field(default_factory=list)

    @property
    def extras(self) -> bool:
        """Whether the file holds records besides entries (stage changes, responses, sessions, ...)."""
        return bool(self.stages) or any(self.records.values())

    def of(self, name: str) -> list[Any]:
        """The file's records of the kind ``name`` ("entries", "stages", "responses", ...); [] when none."""
        if name in ("entries", "stages"):
            return list(getattr(self, name))
        kind(name)  # a name the registry does not know is a mistake, not "none"
        return self.records.get(name, [])

    def not_entry(self, reason: str, n: int = 1) -> None:
        self.not_entries[reason] = self.not_entries.get(reason, 0) + n

    @property
    def records_read(self) -> int:
        """Records read: entries found plus records that are not entries (``read`` when the parser counted)."""
        return self.read if self.read is not None else len(self.entries) + sum(self.not_entries.values())


#: how many unreadable lines an error names before "and N more"
SHOWN_PROBLEMS = 3


class RowProblems:
    """Unreadable rows of one file: refused together (naming the first few), or skipped with ``--skip-invalid``."""

    def __init__(self, name: str, skip: bool):
        self.name = name
        self.skip = skip
        self.found: list[tuple[str, str]] = []

    def add(self, where: str, message: str) -> None:
        self.found.append((where, message))

    def __bool__(self) -> bool:
        return bool(self.found)

    def finish(self, parsed: Parsed) -> Parsed:
        if not self.found:
            return parsed
        if not self.skip:
            if len(self.found) == 1:
                where, message = self.found[0]
                raise RekindleError(f"{self.name} {where}: {message}; fix that line, or import the rest with "
                                    f"--skip-invalid")
            shown = "; ".join(f"{where}: {message}" for where, message in self.found[:SHOWN_PROBLEMS])
            more = len(self.found) - SHOWN_PROBLEMS
            raise RekindleError(
                f"{self.name}: {len(self.found)} rows cannot be read ({shown}"
                + (f"; and {more} more" if more > 0 else "")
                + "); fix them, or import the rest with --skip-invalid"
            )
        parsed.skipped.extend(f"{where}: {message}" for where, message in self.found)
        parsed.not_entry("row that cannot be read, skipped (--skip-invalid)", len(self.found))
        return parsed


class UnknownLabelsError(RekindleError):
    """Mood labels the importer cannot place on the 1-5 scale; carries them for a mapping form."""

    def __init__(self, name: str, unknown: Mapping[str, int], first_line: Mapping[str, str] | None = None,
                 known: Mapping[str, int] | None = None):
        self.labels = list(unknown)  # as spelled in the file, first seen first
        self.counts = dict(unknown)
        self.known = dict(known or {})  # labels found that already have a level
        first_line = first_line or {}
        listed = ", ".join(
            f'"{label}" ({n} {"entry" if n == 1 else "entries"}'
            + (f", first at {first_line[label]})" if label in first_line else ")")
            for label, n in unknown.items()
        )
        how = " ".join(f"--map {_quoted(label + '=N')}" for label in unknown)
        found = ", ".join(f'"{label}"={level}' for label, level in self.known.items())
        super().__init__(
            f"{name}: unknown mood labels: {listed}; map each to a level N from 1 (awful) to 5 (rad), "
            f"e.g. {how} (or list them in a --map-file)" + (f"; labels already known: {found}" if found else "")
        )


def _quoted(text: str) -> str:
    if any(c in text for c in '"$`\\!') or any(ord(c) < 32 for c in text):
        return shlex.quote(text)
    return f'"{text}"'


def level_of(label: str, labels: Mapping[str, int]) -> int | None:
    return labels.get(label_key(label))


def localise(naive: datetime, tz: tzinfo | None) -> datetime:
    """A wall-clock time from a file, in ``tz`` (or this computer's zone, DST included)."""
    if naive.tzinfo is not None:
        return naive
    if naive.year < 1900:
        raise RekindleError(f"{naive.date().isoformat()} is before 1900; check the year")
    try:
        return naive.replace(tzinfo=tz) if tz is not None else naive.astimezone()
    except (OverflowError, ValueError, OSError):
        raise RekindleError(f"{naive.isoformat()} is not a time this computer can place") from None


def moment(value: Any, options: Options, key: str) -> datetime:
    """An ISO 8601 time of an export (``key`` names it in errors); one without a zone is the phone's wall clock,
    read in ``--tz`` (Daily You, MoodSnap, MoodTracker)."""
    if not isinstance(value, str) or not value.strip():
        raise RekindleError(f"'{key}' must be a time such as 2024-03-01T20:15:00, not {value!r}")
    text = value.strip()
    try:
        at = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError:
        raise RekindleError(f"'{key}' {value!r} is not a time such as 2024-03-01T20:15:00") from None
    return localise(at, options.tz)


#: tags that mark a note as Daylio's formatted text (detection only; entities are left to html.unescape)
_TAG = re.compile(r"</?(?:br|p|div|span|b|i|u|s|em|strong|ul|ol|li|h[1-6]|blockquote|strike|del|font)\b[^>]*>",
                  re.IGNORECASE)
_BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol"}


class _PlainText(HTMLParser):
    """Formatted note -> plain text: ``<br>`` and block ends are line breaks, ``<li>`` is "- "."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag in ("ul", "ol"):
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("- ")

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


_PARSER = _PlainText()  # reused (reset for each note): building one costs more than parsing a short note

_NAMES = "br|p|div|span|b|i|u|s|em|strong|ul|ol|li|h[1-6]|blockquote|strike|del|font"
#: the bare tags Daylio writes (``<b>``, ``</b>``, ``<br>``, ``<br/>``): no attributes, no spaces
_BARE_TAG = re.compile(f"</({_NAMES})>|<({_NAMES})(/?)>", re.IGNORECASE)


def _bare_html_text(note: str) -> str | None:
    """What :class:`_PlainText` makes of a note whose only markup is bare tags; None for any other ``<``.

    The parser hands each stretch of text between two tags to ``handle_data``
    with its character references resolved (``html.unescape``), and each tag to
    ``handle_starttag``/``handle_endtag``; this does the same, without the
    parser's per-character bookkeeping, for the notes Daylio writes.
    """
    pieces = _BARE_TAG.split(note)  # text, (end name, start name, slash), text, ...
    parts: list[str] = []
    for at in range(0, len(pieces), 4):
        text = pieces[at]
        if "<" in text:
            return None  # markup of another shape: the parser reads it
        if text:
            parts.append(html.unescape(text))
        if at + 1 < len(pieces):
            end, start = pieces[at + 1], pieces[at + 2]
            if end is not None:
                if end.lower() in _BLOCKS:
                    parts.append("\n")
            else:
                tag = start.lower()
                if tag == "br" or tag in ("ul", "ol"):
                    parts.append("\n")
                elif tag == "li":
                    parts.append("- ")
    return "".join(parts)


def _parsed_html_text(note: str) -> str:
    parser = _PARSER
    parser.reset()
    parser.parts = []
    parser.feed(note)
    parser.close()
    return "".join(parser.parts)


def note_text(note: str) -> str:
    """Daylio's formatted notes (``<b>``, ``<br>``, ``<li>``, ``&amp;``) as plain text.

    A note holding formatting tags is read with the standard library's HTML
    parser; any other note only has its character references (``&amp;``,
    ``&#39;``) resolved by :func:`html.unescape`, so ``a < b & c`` is kept as
    written.
    """
    if not note:
        return ""
    if "<" in note and _TAG.search(note):
        text = _bare_html_text(note)
        if text is None:
            text = _parsed_html_text(note)
    elif "&" in note:
        text = html.unescape(note)
    else:
        return note.strip()
    lines = [line.rstrip() for line in text.replace("\xa0", " ").split("\n")]
    text = "\n".join(lines)
    return (_BLANK_LINES.sub("\n\n", text) if "\n\n\n" in text else text).strip()


_BLANK_LINES = re.compile(r"\n{3,}")


def join_note(*parts: str) -> str:
    """Note title and note body as one note: the non-empty parts, one per line."""
    return "\n".join(p for p in (part.strip() for part in parts) if p)


def split_tags(text: str, separators: str = "|") -> list[str]:
    """``"work | friends"`` -> ``["work", "friends"]`` (blanks dropped, spaces normalised).

    A piece longer than a tag may be (:data:`MAX_TAG`) never costs the row its mood (issue 25): it is split
    on the commas in it (activities some files join by commas), and what is still too long is shortened
    with "…"; :func:`overlong` tells the importer to keep the cell whole in the note.
    """
    tags: list[str] = []
    for piece in _pieces(text, separators):
        if len(piece) > MAX_TAG and "," in piece:
            tags += [" ".join(p.split()) for p in piece.split(",") if p.strip()]
        elif piece:
            tags.append(piece)
    return [t if len(t) <= MAX_TAG else t[: MAX_TAG - 1].rstrip() + "…" for t in tags]


def overlong(text: str, separators: str = "|") -> bool:
    """Whether a piece of ``text`` is longer than a tag may be: :func:`split_tags` split it on its commas or
    shortened it, and the importer keeps the whole cell in the note."""
    return any(len(piece) > MAX_TAG for piece in _pieces(text, separators))


def _pieces(text: str, separators: str) -> list[str]:
    """``text`` cut at each of ``separators``, each piece's spaces normalised (empty pieces kept)."""
    pieces = [text]
    for sep in separators:
        pieces = [p for piece in pieces for p in piece.split(sep)]
    return [" ".join(p.split()) for p in pieces]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused for the block (as it was, after).

    Reading a large file makes about ten objects per row (cells, entries, tags,
    keys), none of them in a reference cycle; the collector would walk all of
    them again and again as they pile up (about a quarter of a 100,000-row
    Daylio import, benchmark P10). Memory is still freed as usual: reference
    counting does not pause.
    """
    import gc

    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


#: the longest CSV cell read: twice the journal's note limit (csv's own default, 131,072, is shorter than a note)
CSV_CELL_LIMIT = 2 * MAX_NOTE


def allow_long_cells() -> None:
    """Let the csv module read cells as long as a note may be (its limit is process-wide; only ever raised)."""
    import csv

    if csv.field_size_limit() < CSV_CELL_LIMIT:
        csv.field_size_limit(CSV_CELL_LIMIT)


def csv_rows(text: str | Iterable[str], name: str, delimiter: str = ","):
    """``(line, row)`` for each non-blank CSV record; ``line`` is where the record starts. ``text`` is the
    whole file, or its lines as they are read (a file that streams).

    Malformed CSV, including a file cut off inside a quoted cell, is a
    :class:`RekindleError` naming the file and line.
    """
    import csv
    import io

    allow_long_cells()
    lines = io.StringIO(text, newline="") if isinstance(text, str) else text
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    start = 1
    try:
        for row in reader:
            if row and any(map(str.strip, row)):
                yield start, row
            start = reader.line_num + 1
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise RekindleError(
                f"{name} line {start}: a quoted cell is never closed; the file may be cut short, "
                f"export it again"
            ) from None
        raise RekindleError(f"{name} line {reader.line_num}: malformed CSV ({exc})") from None


def first_line(text: str) -> str:
    return text.lstrip("\ufeff").split("\n", 1)[0].strip()


def header_cells(text: str, delimiter: str = ",") -> list[str]:
    """The first CSV record's cells, lower-cased and stripped (for sniffing)."""
    import csv
    import io

    try:
        row = next(csv.reader(io.StringIO(first_line(text), newline=""), delimiter=delimiter), [])
    except csv.Error:
        return []
    return [cell.strip().strip('"').lower() for cell in row]


def check_columns(row: list[str], width: int, name: str, line: int) -> None:
    if len(row) != width:
        hint = "; the file may be cut short" if len(row) < width else ""
        raise RekindleError(f"{name} line {line}: expected {width} columns, found {len(row)}{hint}")


def load_json(text: str, name: str, what: str) -> Any:
    """A JSON file's document; any way it fails to read is one line naming the file (``what``: "a Pixy export")."""
    import json

    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise json_error(exc, text, name) from None
    except RecursionError:
        raise RekindleError(f"{name}: the JSON is nested too deeply to be {what}") from None
    except ValueError:  # a number too long for int() (over 4,300 digits)
        raise RekindleError(f"{name}: the JSON holds a number too long to be real; the file is damaged") from None


def json_error(exc, text: str, where: str) -> RekindleError:
    """A JSON syntax error as one line with line and column, saying so when the file looks cut short."""
    cut = exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string")
    return RekindleError(f"{where} line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})"
                         + (" (the data ends too early: the file may be cut short)" if cut else ""))
