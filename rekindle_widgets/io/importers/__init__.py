"""Importers: other files into the journal, all or nothing.

Every importer turns a file into a :class:`~.base.Parsed` (validated entries,
stage changes, responses) without touching the journal; :func:`import_parsed`
then writes it in one transaction, so a file goes in whole or not at all, and
entries already in the journal are skipped, so re-importing adds nothing.

Formats (``--format``), detected from the content, never the file name:

=============  ==============================================================
daylio         Daylio's CSV export, every layout (9, 8, 7 columns; old 7 with year)
daylio-backup  Daylio's ``.daylio`` backup (zip of base64 JSON)
bearable       Bearable's CSV export (long format; Mood rows are entries)
imoodjournal   iMoodJournal's CSV export (Level 1-10, hashtag columns)
howwefeel      How We Feel's CSV export (emotion words, mapped with ``--map``)
dailyyou       Daily You's JSON export (moods -2 to 2)
moodsnap       MoodSnap's JSON backup (elevation minus depression is the mood; all four levels trackers)
moodtracker    MoodTracker's (moodtracker.link) JSON or CSV export of moods (0-10)
pixels         Pixels' JSON backup (2019, 2019-2021 and current shapes)
pixy           Pixy's JSON export
csv            Rekindle's CSV export, or any CSV with ``--date-col``/``--mood-col``
json           Rekindle's JSON export
=============  ==============================================================

Every import ends with an account (:mod:`.account`): the records read are the
entries added, plus those already in the journal, plus the records that are
not entries, each with its reason. A file that yields no entries is refused.

Files are read from bytes (:func:`parse_bytes`), so the widget parses an
upload without writing it to disk. Text may be UTF-8 with or without a BOM or
UTF-16 (with a BOM, or without one as some spreadsheets write it), with any
line ends. Other encodings such as Windows-1252 are refused with the line and
column of the first byte that is not UTF-8, rather than guessed: a wrong guess
would silently change a person's notes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...errors import RekindleError
from ...journal import MOOD_LABELS, ImportResult, Journal
from ...journal import safety_copy as keep_safety_copy
from ...journal.tables import KINDS
from . import (
    bearable,
    dailyyou,
    daylio,
    daylio_backup,
    generic,
    howwefeel,
    imoodjournal,
    moodsnap,
    moodtracker,
    native,
    pixels,
    pixy,
)
from .account import Account, Imported, Known, describe, split_known
from .base import Format, Parsed, Source, UnknownLabelsError, collector_paused, first_line, header_cells
from .options import Options, Progress
from .text import read_bytes

Sniffer = Callable[[Source], bool]
Parser = Callable[[Source, Options], Parsed]

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
    "import_parts",
    "parse_bytes",
    "parse_file",
    "preview",
    "reads",
    "stream_file",
]


#: The importers, in the order ``auto`` tries their formats: each module declares its own ``FORMATS``
#: (name, label, sniffer, parser, the options it reads). A new importer is its module and one name here.
IMPORTERS = (daylio_backup, daylio, bearable, imoodjournal, howwefeel, dailyyou, moodsnap, moodtracker, pixels, pixy,
             native)
_DECLARED: tuple[Format, ...] = tuple(f for module in IMPORTERS for f in module.FORMATS)

#: format name -> (sniffer, parser), in the order ``auto`` tries them.
FORMATS: dict[str, tuple[Sniffer, Parser]] = {f.name: (f.sniff, f.parse) for f in _DECLARED}
#: format name -> what a person calls it
LABELS: dict[str, str] = {f.name: f.label for f in _DECLARED}


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
    raise RekindleError(f"{source.name}: cannot tell what kind of file this is: {looks_like(source)}; "
                        f"{WE_READ}")


#: what the importers read, for messages about a file they cannot place
WE_READ = ("we read Daylio's CSV export and .daylio backup, Bearable, iMoodJournal and How We Feel CSV exports, "
           "Pixels, Pixy, Daily You and MoodSnap JSON, MoodTracker's JSON or CSV, Rekindle's own CSV and JSON "
           "exports, and any other CSV whose columns you name with --date-col and --mood-col")


def _listed(names: list[str], most: int = 8) -> str:
    shown = ", ".join(repr(n)[1:-1] if isinstance(n, str) else str(n) for n in names[:most])
    return shown + (", ..." if len(names) > most else "")


def looks_like(source: Source) -> str:
    """What a file looks like, in words (for a file no importer claims); JSON is never shown as CSV columns."""
    import json

    text = source.text
    stripped = text.lstrip("\ufeff \t\n")
    if stripped[:1] in ("{", "["):
        try:
            document = json.loads(stripped)
        except (ValueError, RecursionError):
            return "it starts like JSON but cannot be read as JSON (it may be cut short or damaged)"
        if isinstance(document, dict):
            return f"a JSON object with the keys {_listed([str(k) for k in document])}" if document \
                else "an empty JSON object"
        if isinstance(document, list):
            first = next((d for d in document if isinstance(d, dict)), None)
            keys = f", the first with the keys {_listed([str(k) for k in first])}" if first else ""
            return f"a JSON list of {len(document)} {'item' if len(document) == 1 else 'items'}{keys}"
        return "a single JSON value, not a list of records"
    for sep, what in ((",", "commas"), (";", "semicolons"), ("\t", "tabs")):
        cells = [c for c in header_cells(text, sep) if c]
        if len(cells) >= 2:
            return (f"a table separated by {what} whose first line has the columns {_listed(cells)}; if it is a "
                    f"CSV from another app, name its columns with --date-col and --mood-col")
    line = first_line(text)
    shown = line if len(line) <= 60 else line[:59] + "…"
    return f"text whose first line is {shown!r}, not a table or JSON"


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
    guessed = fmt == "auto"
    fmt = detect(source, name, options) if guessed else fmt
    if fmt != "daylio-backup":
        _ = source.text  # decode (and check it is not empty) before parsing
    try:
        with collector_paused():
            parsed = FORMATS[fmt][1](source, options)
    except UnknownLabelsError:
        raise
    except RekindleError as exc:
        if guessed and fmt in ("pixels", "pixy") and "not valid JSON" not in str(exc):
            # a list of days with a date and a mood, or an object with items, may be another app's JSON
            raise RekindleError(f"{exc} (the file was read as a {LABELS[fmt]}; if it is not one, {WE_READ})") \
                from None
        raise
    _check_options(fmt, options, source)  # after parsing: a damaged file is reported as damaged first
    if parsed.read is not None and parsed.read != len(parsed.entries) + sum(parsed.not_entries.values()):
        raise RekindleError(f"{name}: internal error: {parsed.read} {parsed.unit} read but "
                            f"{len(parsed.entries) + sum(parsed.not_entries.values())} accounted for; "
                            "please report this")
    if not parsed.entries and not parsed.extras:
        why = describe(parsed.not_entries)
        raise RekindleError(f"{name}: no entries found in this {LABELS.get(fmt, fmt)}"
                            + (f" (read {parsed.records_read} {parsed.unit}: {why})" if why else "")
                            + "; nothing was imported")
    return fmt, parsed


#: format -> the options it reads (each importer's declaration); any other option given is an error
USES: dict[str, frozenset[str]] = {f.name: f.uses for f in _DECLARED}
#: the generic CSV route (--date-col ...) reads all of these
GENERIC_USES = frozenset({"mood_map", "tz", "date_col", "mood_col", "note_col", "tags_col", "readiness_col",
                          "mood_scale", "date_format", "time_col", "where", "skip_invalid"})


def reads(fmt: str, option: str, options: Options | None = None) -> bool:
    """Whether format ``fmt`` reads ``option`` (an :class:`Options` field name)."""
    generic = fmt == "csv" and options is not None and options.has_columns
    return option in (GENERIC_USES if generic else USES.get(fmt, frozenset()))


def _check_options(fmt: str, options: Options, source: Source) -> None:
    uses = GENERIC_USES if fmt == "csv" and options.has_columns else USES.get(fmt, frozenset())
    unused = [flag for key, flag in options.given().items() if key not in uses]
    if unused:
        label = LABELS.get(fmt, fmt)
        if fmt == "csv" and not options.has_columns:
            label = "Rekindle's own CSV export"
        raise RekindleError(
            f"{source.name}: {' and '.join(unused)} {'is' if len(unused) == 1 else 'are'} not used when reading "
            f"a {label}; leave {'it' if len(unused) == 1 else 'them'} out"
            + (" (this format reads " + ", ".join(sorted(_flag(k) for k in uses)) + ")" if uses else "")
        )


def _flag(key: str) -> str:
    return "--" + key.replace("_", "-").replace("mood-map", "map")


def _max_bytes() -> int:
    from .text import MAX_BYTES

    return MAX_BYTES


def parse_file(path: str | Path, fmt: str = "auto", options: Options | None = None) -> tuple[str, Parsed]:
    path = Path(path)
    _check_format(fmt)
    return parse_bytes(read_bytes(path), path.name, fmt, options)


def import_parsed(journal: Journal, fmt: str, parsed: Parsed, *, progress: Progress | None = None,
                  safety_copy: bool = True) -> Imported:
    """Write a parsed file to ``journal`` in one transaction; entries already there are counted, not added.

    A safety copy of the journal is kept first (:func:`~rekindle_widgets.journal.safety_copy`),
    unless ``safety_copy=False`` (a restore, which has kept its own).

    ``progress(done, total)`` is called as entries are written (about 200
    times at most, and always with ``done == total`` at the end). The result's
    ``account`` says what became of every record of the file.
    """
    total = len(parsed.entries)
    step = max(1, total // 200)
    parts = [replace(parsed, entries=parsed.entries[at:at + step], records={}, stages=[], warnings=[], read=0,
                     not_entries={}, skipped=[]) for at in range(0, total, step)]
    if parts:
        parts[0] = replace(parts[0], records=parsed.records, stages=parsed.stages)
    else:
        parts = [replace(parsed, read=0, not_entries={}, skipped=[], warnings=[])]
    for done, part in enumerate(parts, start=1):
        part.done, part.total = min(done * step, total), total
    whole = replace(parsed, entries=[], records={}, stages=[], read=parsed.records_read)  # the file's account, once
    if progress is not None:
        progress(0, total)
    return import_parts(journal, fmt, [*parts, whole], progress=progress, safety_copy=safety_copy)


def import_parts(journal: Journal, fmt: str, parts: Iterable[Parsed], *, progress: Progress | None = None,
                 safety_copy: bool = True, name: str = "the file") -> Imported:
    """Write a file that arrives in parts (an import that streams, issue 25) to ``journal`` in one
    transaction: every part is split into new entries, entries already in the journal and rows repeated in
    the file (:class:`~.account.Known`) and written as it comes, and the whole is committed at the end, or
    nothing is: a part that raises (a damaged row far down the file, unknown mood labels) rolls back the
    parts before it. Each part carries its own account (records read, not entries, skipped, warnings);
    ``part.done``/``part.total`` feed ``progress``."""
    from ...journal.copies import KEEP, prune_safety_copies

    # one copy more than are kept, until the import is known to change the journal: a refused file, or one
    # imported again that adds nothing, takes its own copy back and leaves the older copies as they were
    copy = keep_safety_copy(journal, "import", keep=KEEP + 1) if safety_copy else None
    try:
        result = _write_parts(journal, fmt, parts, progress, name)
    except BaseException:
        if copy is not None:
            copy.unlink(missing_ok=True)
        raise
    if copy is not None and not result.added and not any(result.counts.values()):
        copy.unlink(missing_ok=True)  # nothing was added: nothing to go back to
    elif copy is not None:
        prune_safety_copies(journal)
    return result


def _write_parts(journal: Journal, fmt: str, parts: Iterable[Parsed], progress: Progress | None,
                 name: str) -> Imported:
    had_stages = bool(journal.stage_changes())
    account = Account(read=0, unit="rows", added=0, already=0)
    warnings: list[str] = []
    stages_left_out = entries = extras = 0
    concerns: set[date] = set()
    with journal.importing(source=f"import:{fmt}", label=LABELS.get(fmt, "")) as batch, collector_paused():
        known = Known(journal, upto=batch.before, row=batch.row)
        for part in parts:
            stages = part.stages
            if part.stages_derived and had_stages and stages:
                stages, stages_left_out = [], 1  # never let a per-entry stage column rewrite an existing timeline
            new, already, repeats = known.split(part.entries)
            batch.add_rows(new)
            if stages or any(part.records.values()):
                batch.add((), stages=stages, records=part.records)
            entries += len(part.entries)
            extras += len(stages) + sum(map(len, part.records.values()))
            account.already += already
            account.repeated += repeats
            account.read += part.records_read if part.read is None else part.read
            account.unit = part.unit
            for reason, n in part.not_entries.items():
                account.not_entries[reason] = account.not_entries.get(reason, 0) + n
            account.skipped += part.skipped
            warnings += part.warnings
            concerns.update(part.concerns)
            if progress is not None and part.total:
                progress(part.done, part.total)
        if not entries and not extras:
            raise RekindleError(f"{name}: no entries found in this {LABELS.get(fmt, fmt)}"
                                + (f" (read {account.read} {account.unit}: {account.reasons()})"
                                   if account.not_entries else "") + "; nothing was imported")
    written = batch.result
    result = Imported(**{f.name: getattr(written, f.name) for f in fields(ImportResult)})
    account.already += written.duplicates  # offered, but its fingerprint was in the journal: already there
    account.added = result.added
    result.duplicates = account.already + account.repeated  # a repeat is already in the journal once its first is
    result.account = account
    if not account.balanced:  # a parser lost track of a record: say so, never report success
        raise RekindleError(f"internal error: {account} does not add up; please report this")
    result.warnings.extend(warnings)
    result.concerns = sorted(concerns)
    if stages_left_out:
        result.warnings.append("the file's stage column was not used: this journal already has a stage timeline")
    return result


def import_bytes(journal: Journal, raw: bytes | bytearray | memoryview, name: str, fmt: str = "auto",
                 options: Options | None = None, *, progress: Progress | None = None) -> ImportResult:
    """Parse ``raw`` completely, then add it to ``journal`` in one transaction."""
    fmt, parsed = parse_bytes(raw, name, fmt, options)
    return import_parsed(journal, fmt, parsed, progress=progress)


def import_file(journal: Journal, path: str | Path, fmt: str = "auto", options: Options | None = None, *,
                progress: Progress | None = None) -> Imported:
    """Add the file at ``path`` to ``journal`` in one transaction: a format that can be read a part at a time
    (:attr:`.base.Format.stream`) streams, each part parsed, checked and written as it comes, so memory stays
    bounded by a part, not by the file (issue 25); any other is parsed whole first. Either way the whole
    file goes in or nothing does, and ``progress`` hears how far it is."""
    streamed = stream_file(path, fmt, options)
    if streamed is None:
        fmt, parsed = parse_file(path, fmt, options)
        return import_parsed(journal, fmt, parsed, progress=progress)
    fmt, parts = streamed
    return import_parts(journal, fmt, parts, progress=progress, name=Path(path).name)


#: how much of a file detection reads when the file may stream (a header, a first object)
SNIFF_BYTES = 64 * 1024


def stream_file(path: str | Path, fmt: str = "auto", options: Options | None = None) -> \
        tuple[str, Iterable[Parsed]] | None:
    """``(format, its parts)`` for a file whose format reads a part at a time, detected from the file's first
    :data:`SNIFF_BYTES` and checked as :func:`parse_bytes` checks (the options it reads); None for any other
    file, which is then read whole."""
    from .text import open_text

    _check_format(fmt)
    options = options or Options()
    path = Path(path).expanduser()
    opened = open_text(path)  # a missing, unreadable or oversized file is one line here
    if opened is None:
        return None
    with opened.lines.buffer as raw:
        head = raw.read(SNIFF_BYTES)
    cut = head.rfind(b"\n") + 1 if len(head) == SNIFF_BYTES else len(head)
    try:
        source = Source(head[:cut] or head, path.name)
        guessed = fmt == "auto"
        if guessed:
            if not head.strip() or daylio_backup.looks_like_backup(head):
                return None
            fmt = next((name for name, (sniff, _) in FORMATS.items() if sniff(source)), "")
        stream = STREAMS.get(fmt)
        if stream is None:
            return None
        _check_options(fmt, options, source)
    except RekindleError:
        return None  # whatever is wrong, reading the file whole says it in full
    parts = stream(path, options)
    return None if parts is None else (fmt, parts)


#: format name -> how it streams, for the formats that do
STREAMS = {f.name: f.stream for f in _DECLARED if f.stream is not None}


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
    #: records of the other kinds in the file, by kind name in journal/tables.py (stage changes, responses, ...)
    counts: dict[str, int] = field(default_factory=dict)
    repeats: int = 0  # entries that repeat an earlier record of the file
    #: the file's account, as the import would give it: records read, new, already there, not entries, skipped
    account: Account = field(default_factory=lambda: Account(0, "rows", 0, 0))
    layout: str = ""
    #: the days the file records thoughts of self-harm or suicide (:attr:`.base.Parsed.concerns`), oldest first
    concerns: list[date] = field(default_factory=list)

    @property
    def label(self) -> str:
        return LABELS.get(self.fmt, self.fmt)

    def summary(self) -> str:
        span = f" from {self.first} to {self.last}" if self.first else ""
        layout = f" ({self.layout})" if self.layout else ""
        text = f"{self.name}: {self.label}{layout}, {self.total} {'entry' if self.total == 1 else 'entries'}{span}; "
        if self.duplicates is None:
            text += f"would add {self.new} (no journal yet)"
        else:
            already = self.duplicates - self.repeats
            text += f"would add {self.new}, skip {already} already in the journal"
        if self.repeats:
            text += f" and {self.repeats} repeated in this file"
        if self.account.not_entries:
            text += f"; {self.account.read} {self.account.unit} read, not entries: {self.account.reasons()}"
        text += "".join(f", {k.counted_words(self.counts[k.name])}" for k in KINDS[1:] if self.counts.get(k.name))
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
    duplicates: int | None = None
    if isinstance(journal, Journal):
        new, duplicates, in_file_repeats = split_known(parsed.entries, journal)
    elif journal is not None and Path(journal).expanduser().exists():
        with Journal(journal, create=False) as opened:
            new, duplicates, in_file_repeats = split_known(parsed.entries, opened)
    else:
        new, _, in_file_repeats = split_known(parsed.entries, None)
    days = sorted(e.at.date() for e in parsed.entries)
    shown = sorted(parsed.entries, key=lambda e: e.at)[:rows]
    return Preview(
        name=name, fmt=fmt, total=len(parsed.entries),
        new=len(new), duplicates=None if duplicates is None else duplicates + in_file_repeats,
        repeats=in_file_repeats,
        account=Account(read=parsed.records_read, unit=parsed.unit, added=len(new), already=duplicates or 0,
                        repeated=in_file_repeats, not_entries=dict(parsed.not_entries),
                        skipped=list(parsed.skipped)),
        layout=parsed.layout,
        first=days[0] if days else None, last=days[-1] if days else None,
        rows=[{"time": e.at.isoformat(timespec="minutes"), "mood": e.mood, "mood_label": MOOD_LABELS[e.mood],
               "readiness": e.readiness, "tags": list(e.tags), "note": e.note} for e in shown],
        warnings=list(parsed.warnings), counts={k.name: len(parsed.of(k.name)) for k in KINDS[1:]},
        concerns=sorted(set(parsed.concerns)),
    )
