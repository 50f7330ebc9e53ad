"""Importers: other files into the journal, all or nothing.

Every importer turns a file into a :class:`~.base.Parsed` (validated entries,
stage changes, responses) without touching the journal; :func:`import_parsed`
then writes it in one transaction, so a file goes in whole or not at all, and
entries already in the journal are skipped, so re-importing adds nothing.

Formats (``--format``), detected from the content, never the file name:

=============  ==============================================================
daylio         Daylio's CSV export, 8-column and older 7-column layouts
daylio-backup  Daylio's ``.daylio`` backup (zip of base64 JSON)
pixels         Pixels' JSON backup
csv            Rekindle's CSV export, or any CSV with ``--date-col``/``--mood-col``
json           Rekindle's JSON export
=============  ==============================================================

Files are read from bytes (:func:`parse_bytes`), so the widget parses an
upload without writing it to disk. Text may be UTF-8 with or without a BOM or
UTF-16 (with a BOM, or without one as some spreadsheets write it), with any
line ends. Other encodings such as Windows-1252 are refused with the line and
column of the first byte that is not UTF-8, rather than guessed: a wrong guess
would silently change a person's notes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import RekindleError
from ..journal import MOOD_LABELS, Entry, ImportResult, Journal
from . import daylio, daylio_backup, generic, native, pixels
from .base import Parsed, UnknownLabelsError, header_cells
from .options import Options, Progress
from .text import decode, read_bytes

if TYPE_CHECKING:
    import os

__all__ = [
    "FORMATS",
    "LABELS",
    "Options",
    "Parsed",
    "Preview",
    "Source",
    "UnknownLabelsError",
    "csv_columns",
    "detect",
    "import_bytes",
    "import_file",
    "import_parsed",
    "parse_bytes",
    "parse_file",
    "preview",
]


class Source:
    """A file's name and bytes; its text is decoded once, when a text format needs it."""

    def __init__(self, raw: bytes, name: str):
        self.raw = bytes(raw)
        self.name = name

    @cached_property
    def text(self) -> str:
        text = decode(self.raw, self.name)
        if not text.strip():
            raise RekindleError(f"{self.name} is empty; nothing to import")
        return text


Sniffer = Callable[[Source], bool]
Parser = Callable[[Source, Options], Parsed]


def _parse_csv(source: Source, options: Options) -> Parsed:
    if options.has_columns:
        return generic.parse_generic(source.text, source.name, options)
    return native.parse_csv(source.text, source.name)


#: format name -> (sniffer, parser), in the order ``auto`` tries them.
FORMATS: dict[str, tuple[Sniffer, Parser]] = {
    "daylio-backup": (
        lambda s: daylio_backup.looks_like_backup(s.raw) or daylio_backup.looks_like_backup_text(s.text),
        lambda s, o: daylio_backup.parse_backup(s.raw, s.name, o),
    ),
    "daylio": (lambda s: daylio.looks_like_daylio(s.text), lambda s, o: daylio.parse_daylio(s.text, s.name, o)),
    "pixels": (lambda s: pixels.looks_like_pixels(s.text), lambda s, o: pixels.parse_pixels(s.text, s.name, o)),
    "json": (lambda s: native.looks_like_json(s.text), lambda s, o: native.parse_json(s.text, s.name)),
    "csv": (lambda s: native.looks_like_csv(s.text), _parse_csv),
}

#: format name -> what a person calls it
LABELS: dict[str, str] = {
    "daylio": "Daylio CSV export",
    "daylio-backup": "Daylio backup (.daylio)",
    "pixels": "Pixels JSON backup",
    "csv": "CSV (Rekindle export, or columns you name)",
    "json": "Rekindle JSON export",
}


def _source(data: Source | bytes | bytearray | memoryview | str, name: str) -> Source:
    if isinstance(data, Source):
        return data
    if isinstance(data, str):
        return Source(data.encode("utf-8"), name)
    return Source(bytes(data), name)


def detect(data: Source | bytes | str, name: str = "file", options: Options | None = None) -> str:
    """The format of a file, from its content (never its name)."""
    source = _source(data, name)
    if options is not None and options.has_columns and not daylio_backup.looks_like_backup(source.raw):
        _ = source.text  # an unreadable file is reported as such, not as a CSV problem
        return "csv"
    if not daylio_backup.looks_like_backup(source.raw) and not source.raw.strip():
        raise RekindleError(f"{source.name} is empty; nothing to import")
    for fmt, (sniff, _) in FORMATS.items():
        if sniff(source):
            return fmt
    hint = ""
    cells = [c for c in header_cells(source.text) if c]
    for sep in (";", "\t"):
        if len(cells) < 2:
            cells = [c for c in header_cells(source.text, sep) if c]
    if len(cells) >= 2:
        shown = ", ".join(cells[:8]) + (", ..." if len(cells) > 8 else "")
        hint = (f"; if it is a CSV from another app, name its columns with --date-col and --mood-col "
                f"(its first line has: {shown})")
    raise RekindleError(
        f"{source.name}: cannot tell what kind of file this is; give --format "
        f"({', '.join(FORMATS)}){hint}"
    )


def csv_columns(data: Source | bytes | str, name: str = "file") -> list[str]:
    """The column names in a CSV's first line (for a form that maps them); [] if it has fewer than 2."""
    names = generic.columns(_source(data, name).text)
    return names if len(names) >= 2 else []


def _check_format(fmt: str) -> None:
    if fmt != "auto" and fmt not in FORMATS:
        raise RekindleError(f"unknown format {fmt!r}; choose one of auto, {', '.join(FORMATS)}")


def parse_bytes(raw: bytes | bytearray | memoryview, name: str, fmt: str = "auto",
                options: Options | None = None) -> tuple[str, Parsed]:
    """Parse a whole file held in memory; nothing is written anywhere.

    Returns ``(format, parsed)``. Any problem a person can fix is a
    :class:`RekindleError` naming the file (and line, where there is one);
    unknown mood labels are an :class:`UnknownLabelsError` listing them all.
    """
    _check_format(fmt)
    options = options or Options()
    source = _source(raw, name)
    if len(source.raw) > _max_bytes():
        raise RekindleError(f"{name} is {len(source.raw) / 1e6:.0f} MB; files over "
                            f"{_max_bytes() // 1_000_000} MB are refused")
    fmt = detect(source, name, options) if fmt == "auto" else fmt
    if fmt != "daylio-backup":
        _ = source.text  # decode (and check it is not empty) before parsing
    return fmt, FORMATS[fmt][1](source, options)


def _max_bytes() -> int:
    from .text import MAX_BYTES

    return MAX_BYTES


def parse_file(path: str | Path, fmt: str = "auto", options: Options | None = None) -> tuple[str, Parsed]:
    path = Path(path)
    _check_format(fmt)
    return parse_bytes(read_bytes(path), path.name, fmt, options)


def _reporting(entries: list[Entry], progress: Progress | None) -> Iterable[Entry]:
    if progress is None:
        return entries

    def walk() -> Iterator[Entry]:
        total = len(entries)
        step = max(1, total // 200)
        progress(0, total)
        for done, entry in enumerate(entries, start=1):
            yield entry
            if done % step == 0 or done == total:
                progress(done, total)

    return walk()


def import_parsed(journal: Journal, fmt: str, parsed: Parsed, *, progress: Progress | None = None) -> ImportResult:
    """Write a parsed file to ``journal`` in one transaction (duplicates skipped).

    ``progress(done, total)`` is called as entries are written (about 200
    times at most, and always with ``done == total`` at the end).
    """
    stages = parsed.stages
    if parsed.stages_derived and journal.stage_changes():
        stages = []  # never let a per-entry stage column rewrite an existing timeline
    result = journal.add_entries(_reporting(parsed.entries, progress), stages=stages,
                                 responses=parsed.responses, source=f"import:{fmt}",
                                 sessions=parsed.sessions)
    result.warnings.extend(parsed.warnings)
    if parsed.stages_derived and parsed.stages and not stages:
        result.warnings.append("the file's stage column was not used: this journal already has a stage timeline")
    return result


def import_bytes(journal: Journal, raw: bytes | bytearray | memoryview, name: str, fmt: str = "auto",
                 options: Options | None = None, *, progress: Progress | None = None) -> ImportResult:
    """Parse ``raw`` completely, then add it to ``journal`` in one transaction."""
    fmt, parsed = parse_bytes(raw, name, fmt, options)
    return import_parsed(journal, fmt, parsed, progress=progress)


def import_file(journal: Journal, path: str | Path, fmt: str = "auto", options: Options | None = None, *,
                progress: Progress | None = None) -> ImportResult:
    """Parse ``path`` completely, then add it to ``journal`` in one transaction."""
    fmt, parsed = parse_file(path, fmt, options)
    return import_parsed(journal, fmt, parsed, progress=progress)


# --------------------------------------------------------------------------
# Preview (dry run): what an import would do, without writing anything
# --------------------------------------------------------------------------


@dataclass
class Preview:
    """What importing a parsed file would add; built by :func:`preview`."""

    name: str
    fmt: str
    total: int
    new: int
    duplicates: int | None  # None: no journal to compare with yet
    first: date | None
    last: date | None
    rows: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    stages: int = 0
    responses: int = 0
    sessions: int = 0

    @property
    def label(self) -> str:
        return LABELS.get(self.fmt, self.fmt)

    def summary(self) -> str:
        span = f" from {self.first} to {self.last}" if self.first else ""
        text = f"{self.name}: {self.label}, {self.total} entries{span}; "
        if self.duplicates is None:
            text += f"would add {self.new} (no journal yet)"
        else:
            text += f"would add {self.new}, skip {self.duplicates} already in the journal"
        if self.stages:
            text += f", {self.stages} stage changes"
        if self.responses:
            text += f", {self.responses} questionnaire responses"
        if self.sessions:
            text += f", {self.sessions} sessions"
        return text

    def table(self, width: int = 48) -> str:
        """The first rows as a plain-text table (the CLI's dry run prints it)."""
        lines = [f"{'time':<25} {'mood':<9} {'ready':>5}  {'tags':<24} note"]
        for r in self.rows:
            note = r["note"].replace("\n", " / ")
            note = note if len(note) <= width else note[: width - 1] + "…"
            tags = ", ".join(r["tags"])
            tags = tags if len(tags) <= 24 else tags[:23] + "…"
            ready = "" if r["readiness"] is None else str(r["readiness"])
            lines.append(f"{r['time']:<25} {r['mood']} {r['mood_label']:<7} {ready:>5}  {tags:<24} {note}")
        return "\n".join(lines)


def preview(parsed: Parsed, fmt: str, name: str, journal: Journal | str | os.PathLike[str] | None = None,
            rows: int = 5) -> Preview:
    """Count what an import would add and show its first ``rows`` entries; writes nothing.

    ``journal`` may be an open :class:`Journal`, the path of one (opened
    read-only; a path that does not exist means "no journal yet" and is not
    created), or None.
    """
    fingerprints = list(dict.fromkeys(e.fingerprint for e in parsed.entries))
    duplicates: int | None = None
    if isinstance(journal, Journal):
        duplicates = len(journal.known_fingerprints(fingerprints))
    elif journal is not None and Path(journal).expanduser().exists():
        with Journal(journal, create=False) as opened:
            duplicates = len(opened.known_fingerprints(fingerprints))
    in_file_repeats = len(parsed.entries) - len(fingerprints)
    days = sorted(e.at.date() for e in parsed.entries)
    shown = sorted(parsed.entries, key=lambda e: e.at)[:rows]
    return Preview(
        name=name, fmt=fmt, total=len(parsed.entries),
        new=len(fingerprints) - (duplicates or 0),
        duplicates=None if duplicates is None else duplicates + in_file_repeats,
        first=days[0] if days else None, last=days[-1] if days else None,
        rows=[{"time": e.at.isoformat(timespec="minutes"), "mood": e.mood, "mood_label": MOOD_LABELS[e.mood],
               "readiness": e.readiness, "tags": list(e.tags), "note": e.note} for e in shown],
        warnings=list(parsed.warnings), stages=len(parsed.stages), responses=len(parsed.responses),
        sessions=len(parsed.sessions),
    )
