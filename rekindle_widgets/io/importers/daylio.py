"""Daylio's CSV export ("Export entries"), every layout seen in the wild.

=============  ===============================================================
layout         header
=============  ===============================================================
daylio-9       ``full_date,date,weekday,time,mood,activities,scales,note_title,note`` (today's)
daylio-8       ``full_date,date,weekday,time,mood,activities,note_title,note``
daylio-7       ``full_date,date,weekday,time,mood,activities,note`` (2019-2021)
daylio-7-old   ``year,date,weekday,time,mood,activities,note`` (``date`` is the day and
               month in words, in the phone's language: "18 May", "7 września", "10. März")
=============  ===============================================================

``time`` is "20:30", "8:30 pm" or "8:30 PM", 12- and 24-hour times mixed
freely. ``mood`` is the mood's *name* in the phone's language: Daylio's
default names in every language listed in ``daylio_moods.toml`` map without
help (English rad ... awful, German Super ... Lausig, Polish wspaniale ...
okropnie, ...); a person's own label needs a mapping (``--map so-so=3``) and is
kept on the entry as the tag ``mood:so-so``. Activities (joined with " | ")
become tags. The note title and note become the note, Daylio's formatting
(``<br>``, ``<b>``, ``&amp;``) turned into plain text; the scales
(``Sleep Quality: 8/10 points | Sleep Time: 8:00``) are kept as the note's last
line. A row that lacks only trailing empty cells is read with those cells
empty. Times carry no zone: they are read in ``--tz`` or this computer's zone.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from datetime import time as dt_time
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

from ...errors import RekindleError
from ...journal import Entry, Tracked, make_entries
from .base import (
    Format,
    Parsed,
    RowProblems,
    UnknownLabelsError,
    allow_long_cells,
    csv_rows,
    header_cells,
    join_note,
    localise,
    note_text,
    overlong,
    split_tags,
)
from .languages import MonthReader
from .options import DEFAULT_LABELS, Options, label_key
from .text import TextFile, open_text

__all__ = ["LAYOUTS", "looks_like_daylio", "mood_tag", "parse_day_month", "parse_daylio", "parse_time"]

SOURCE = "import:daylio"

#: layout name -> its columns (later extra columns are ignored)
LAYOUTS: dict[str, list[str]] = {
    "daylio-9": ["full_date", "date", "weekday", "time", "mood", "activities", "scales", "note_title", "note"],
    "daylio-8": ["full_date", "date", "weekday", "time", "mood", "activities", "note_title", "note"],
    "daylio-7": ["full_date", "date", "weekday", "time", "mood", "activities", "note"],
    "daylio-7-old": ["year", "date", "weekday", "time", "mood", "activities", "note"],
}
#: layout name -> how the Import page and the CLI describe it
LAYOUT_NAMES = {
    "daylio-9": "9 columns, with scales (today's export)",
    "daylio-8": "8 columns, with note titles",
    "daylio-7": "7 columns with full_date (2019-2021)",
    "daylio-7-old": "old 7 columns with year",
}


def layout_of(header: list[str]) -> str | None:
    for layout, columns in LAYOUTS.items():
        if header[: len(columns)] == columns:
            return layout
    return None


def looks_like_daylio(text: str) -> bool:
    return layout_of(header_cells(text)) is not None


_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?\s*(?:([ap])\.?\s*m\.?)?$", re.IGNORECASE)


def parse_day_month(text: str, year: str, reader: MonthReader | None = None) -> date:
    """``"18 May"``, ``"May 18"``, ``"7 września"``, ``"10. März"`` with ``"2018"`` -> a date."""
    day, month = (reader or MonthReader()).day_month(text)
    if not year.strip().isdigit():
        raise RekindleError(f"year {year!r} is not a year such as 2024")
    try:
        return date(int(year), month, day)
    except (ValueError, OverflowError):
        raise RekindleError(f"date {text!r} {year.strip()} does not exist") from None


@lru_cache(maxsize=4096)  # a diary has at most 1,440 distinct times of day per spelling
def parse_time(text: str) -> tuple[int, int, int]:
    """``"20:30"``, ``"8:30 pm"``, ``"8:30 PM"``, ``"12:05 a.m."`` -> (hour, minute, second)."""
    match = _TIME.match(text.strip())
    hour = minute = second = -1
    if match:
        hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
        if match[4]:
            if not 1 <= hour <= 12:
                hour = -1
            else:
                hour = hour % 12 + (12 if match[4].lower() == "p" else 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59 and 0 <= second <= 59):
        raise RekindleError(f"time {text!r} is not a time of day such as 20:30 or 8:30 pm")
    return hour, minute, second


def mood_tag(label: str, options: Options) -> str | None:
    """The tag that keeps a person's own mood label (``mood:anxious``); None for a default name."""
    from .languages import DAYLIO_MOODS

    key = label_key(label)
    if key in DEFAULT_LABELS or (key in DAYLIO_MOODS and key not in options.mood_map):
        return None
    return "mood:" + " ".join(label.replace("|", "/").split()).lower()[:59]


def scales_text(cell: str) -> str:
    """Daylio's scales cell as one readable line (its non-breaking spaces made plain)."""
    return " ".join(cell.replace("\xa0", " ").split())


_SCALE = re.compile(r"\s*(?P<name>[^:|]{1,40}?)\s*:\s*(?P<value>.+?)\s*")
_OUT_OF = re.compile(r"(-?\d+(?:[.,]\d+)?)\s*/\s*\d+(?:\s+\w+)?")  # "8/10 points"
_HOURS = re.compile(r"(\d{1,2}):([0-5]\d)")  # "7:30": hours and minutes


def scale_trackers(cell: str, at: datetime) -> list[Tracked]:
    """Daylio's scales cell (``Sleep Quality: 8/10 points | Sleep Time: 7:30``) as tracker values at the
    entry's moment (issue 27): "8/10 points" is 8, "7:30" is 7.5 hours, a plain number is itself. A part of
    another shape stays in the note only (the whole cell stays there too, as before, so a journal that imported
    the file earlier still recognises its entries)."""
    found = []
    for part in scales_text(cell).split("|"):
        match = _SCALE.fullmatch(part)
        if match is None:
            continue
        value = match["value"]
        if (out_of := _OUT_OF.fullmatch(value)) is not None:
            number = float(out_of[1].replace(",", "."))
        elif (hours := _HOURS.fullmatch(value)) is not None:
            number = int(hours[1]) + int(hours[2]) / 60
        else:
            try:
                number = float(value.replace(",", "."))
            except ValueError:
                continue
        try:
            found.append(Tracked.make(match["name"], number, at, source=SOURCE))
        except RekindleError:
            continue
    return found


def _say_trackers(parsed: Parsed, count: int, names: set[str]) -> None:
    if count:
        parsed.warnings.append(f"{count} scale value{'s' if count != 1 else ''} "
                               f"({', '.join(sorted(names))}) became trackers; the scales stay in the notes too")


def _parse_columns(rows: list[list[str]], col: dict[str, int], width: int, options: Options,
                   labels: dict[str, int]) -> tuple[list[Entry], dict[str, int], int] | None:
    """A file whose every row reads cleanly, column by column: ``(entries, mood labels seen, rows with an
    activity too long for a tag)``, the same as
    the row-by-row reading below gives; None at the first cell that does not read (a short row, a date,
    a time or a value that would be refused, an unknown label), and the row-by-row reading then names it.

    Each distinct date, time, mood name and activities cell is read once; the entries are checked as a
    whole by :func:`~rekindle_widgets.journal.make_entries`, with the checks :meth:`Entry.make` makes.
    """
    if not rows or set(map(len, rows)) != {width}:
        return None
    columns = {i: list(map(itemgetter(i), rows)) for i in col.values()}  # the columns read, each once
    try:
        day_of = {cell: date.fromisoformat(cell.strip()) for cell in set(columns[col["full_date"]])}
        clock_of = {cell: dt_time(*parse_time(cell)) for cell in set(columns[col["time"]])}
    except (ValueError, RekindleError):
        return None
    tz = options.tz
    if min(day_of.values()).year < 1900:
        return None  # localise's message, row by row
    if tz is not None:
        ats = [datetime.combine(day_of[d], clock_of[t], tz) for d, t in zip(columns[col["full_date"]],
                                                                            columns[col["time"]], strict=True)]
    else:
        try:
            ats = [localise(datetime.combine(day_of[d], clock_of[t]), None)
                   for d, t in zip(columns[col["full_date"]], columns[col["time"]], strict=True)]
        except RekindleError:
            return None
    moods = columns[col["mood"]]
    seen: dict[str, int] = {}
    level_of: dict[str, int] = {}
    tag_of: dict[str, str | None] = {}
    for cell, n in Counter(moods).items():  # first seen first, as the rows give them
        label = " ".join(cell.split())
        level = labels.get(label_key(label)) if label else None
        if level is None:
            return None
        seen[label] = seen.get(label, 0) + n
        level_of[cell] = level
        tag_of[cell] = mood_tag(label, options)
    tags_of: dict[tuple[str, str], tuple[str, ...]] = {}
    for key in set(zip(columns[col["activities"]], moods, strict=True)):
        tag = tag_of[key[1]]
        tags_of[key] = tuple(split_tags(key[0])) + ((tag,) if tag else ())
    tags = [tags_of[key] for key in zip(columns[col["activities"]], moods, strict=True)]
    notes = [note_text(cell) for cell in columns[col["note"]]]
    blank = [""] * len(rows)
    titles = [note_text(cell) for cell in columns[col["note_title"]]] if "note_title" in col else blank
    scales = [scales_text(cell) if cell.strip() else "" for cell in columns[col["scales"]]] if "scales" in col \
        else blank
    # join_note(title, note, scales): each part is stripped already, so only the empty ones are left out
    notes = [note if not (title or scale) else "\n".join(p for p in (title, note, scale) if p)
             for title, note, scale in zip(titles, notes, scales, strict=True)]
    long_cells = {cell for cell in set(columns[col["activities"]]) if overlong(cell)}
    long_rows = sum(cell in long_cells for cell in columns[col["activities"]]) if long_cells else 0
    if long_cells:  # an activity too long for a tag was split or shortened: its whole text goes into the note
        notes = [join_note(note, f"Activities: {' '.join(cell.split())}") if cell in long_cells else note
                 for note, cell in zip(notes, columns[col["activities"]], strict=True)]
    entries = make_entries(ats, [level_of[cell] for cell in moods], tags, notes, SOURCE)
    return None if entries is None else (entries, seen, long_rows)


def _parse_clean(text: str, options: Options) -> Parsed | None:
    """A file of today's (or the 7/8-column) layout whose every record reads cleanly, read column by column
    (:func:`_parse_columns`); None for anything else (a blank or short row, malformed CSV, a cell that does
    not read), which :func:`parse_daylio` then reads row by row, naming the line at fault."""
    import csv
    import io

    allow_long_cells()
    try:
        table = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error:
        return None
    if not table or not any(map(str.strip, table[0])):
        return None
    header = [cell.strip().lower() for cell in table[0]]
    layout = layout_of(header)
    if layout is None or "full_date" not in LAYOUTS[layout]:
        return None
    col = {column: header.index(column) for column in LAYOUTS[layout]}
    fast = _parse_columns(table[1:], col, len(header), options, options.labels())
    if fast is None:
        return None
    entries, seen, long_rows = fast
    parsed = Parsed(entries=entries, labels=seen, read=len(table) - 1, layout=LAYOUT_NAMES[layout])
    _say_long(parsed, long_rows)
    if "scales" in col:
        scales = [row[col["scales"]] if len(row) > col["scales"] else "" for row in table[1:]]
        tracked = [t for entry, cell in zip(entries, scales, strict=True) if cell.strip()
                   for t in scale_trackers(cell, entry.at)]
        if tracked:
            parsed.records["trackers"] = tracked
        _say_trackers(parsed, len(tracked), {t.name for t in tracked})
    return parsed


_NUMERIC_DAY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})")


def _spreadsheet_dates(text: str, name: str, options: Options) -> str:
    """A Daylio export re-saved by a spreadsheet (issue 25): ``full_date`` as ``6/30/2021`` or ``30.06.21``
    instead of ISO. The file settles the order (a day above 12 anywhere in the column, or the weekday
    column agreeing with one reading only), else ``--date-format`` does, else one line asks for it. The
    text comes back with ISO dates; a file whose dates are already ISO, or not all numeric, as it was."""
    import csv
    import io

    allow_long_cells()
    try:
        head = list(itertools.islice(csv.reader(io.StringIO(text, newline=""), strict=True), 2))
    except csv.Error:
        return text
    header = [cell.strip().lower() for cell in head[0]] if head else []
    if "full_date" not in header or len(head) < 2 or len(head[1]) <= header.index("full_date") or \
            not _NUMERIC_DAY.fullmatch(head[1][header.index("full_date")].strip()):
        return text  # an export as Daylio writes it (the first row's date is ISO): nothing to settle
    try:
        table = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error:
        return text
    at, weekday = header.index("full_date"), header.index("weekday") if "weekday" in header else None
    rows = [row for row in table[1:] if any(cell.strip() for cell in row)]
    found = [_NUMERIC_DAY.fullmatch(row[at].strip()) if len(row) > at else None for row in rows]
    if not rows or not all(found):
        return text

    def read(m: re.Match[str], day_first: bool) -> date | None:
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        y += 2000 if y < 100 else 0
        try:
            return date(y, b, a) if day_first else date(y, a, b)
        except ValueError:
            return None

    fmt = (options.date_format or "").replace("-", "/").replace(".", "/")
    if fmt.startswith("%d/%m"):
        orders = [True]
    elif fmt.startswith("%m/%d"):
        orders = [False]
    else:
        orders = [order for order in (True, False) if all(read(m, order) for m in found if m)]
        if len(orders) == 2 and weekday is not None:  # the weekday column may tell them apart
            orders = [order for order in orders if all(
                len(row) > weekday and row[weekday].strip().casefold()[:3]
                == read(m, order).strftime("%a").casefold()  # type: ignore[union-attr]
                for row, m in zip(rows, found, strict=True) if m)] or orders
        if len(orders) != 1:
            example = rows[0][at].strip()
            raise RekindleError(f"{name}: the dates in full_date, such as {example!r}, read as day/month and as "
                                "month/day; say which with --date-format %d/%m/%Y or --date-format %m/%d/%Y")
    day_first = orders[0]
    for row, m in zip(rows, found, strict=True):
        day = read(m, day_first) if m else None
        if day is None:
            return text  # not a date either way: the usual reading names the line
        row[at] = day.isoformat()
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([table[0], *rows])
    return out.getvalue()


class _Rows:
    """Daylio rows read one by one, naming the line of each that does not read; what it learns (mood levels,
    activities, labels seen and unknown, the rows refused) carries over from one part of a file to the next.
    """

    def __init__(self, name: str, header: list[str], options: Options):
        layout = layout_of(header)
        if layout is None:
            raise RekindleError(
                f"{name} line 1: not a Daylio CSV export; expected one of the headers "
                + "; ".join(",".join(columns) for columns in LAYOUTS.values())
            )
        self.name = name
        self.layout = layout
        self.col = {column: header.index(column) for column in LAYOUTS[layout]}
        self.width = len(header)
        self.options = options
        self.labels = options.labels()
        self.reader = MonthReader()
        self.seen: dict[str, int] = {}
        self.unknown: dict[str, int] = {}
        self.unknown_at: dict[str, str] = {}
        self.problems = RowProblems(name, options.skip_invalid)
        self.tags_of: dict[str, str | None] = {}
        self.activities: dict[str, tuple[str, ...]] = {}
        self.level_of: dict[str, int | None] = {}
        self.long_rows = 0
        self.trackers: set[str] = set()
        self.tracked = 0

    def read(self, records: list[tuple[int, list[str]]], cut_short: bool = False) -> Parsed:
        """A part of the file, row by row; ``cut_short``: the file ends without a line end after the last of
        ``records``, so a short last row is a file cut short."""
        col, width, options = self.col, self.width, self.options
        entries: list[Entry] = []
        tracked: list[Tracked] = []
        has_iso = "full_date" in col
        for index, (line, row) in enumerate(records):
            if len(row) < width and cut_short and index == len(records) - 1:
                self.problems.add(f"line {line}", f"expected {width} columns, found {len(row)}; the file may be "
                                                  "cut short")
                continue
            if len(row) > width or len(row) <= col["mood"]:
                hint = "; the file may be cut short" if len(row) < width else ""
                self.problems.add(f"line {line}", f"expected {width} columns, found {len(row)}{hint}")
                continue
            if len(row) < width:
                row = row + [""] * (width - len(row))  # only trailing empty cells are missing
            try:
                if has_iso:
                    cell = row[col["full_date"]].strip()
                    try:
                        day = date.fromisoformat(cell)
                    except ValueError:
                        raise RekindleError(f"full_date {cell!r} is not a date such as 2024-03-01") from None
                else:
                    day = parse_day_month(row[col["date"]], row[col["year"]], self.reader)
                at = localise(datetime(day.year, day.month, day.day, *parse_time(row[col["time"]])), options.tz)
                label = " ".join(row[col["mood"]].split())
                if not label:
                    raise RekindleError("the mood cell is empty")
                self.seen[label] = self.seen.get(label, 0) + 1
                if label not in self.level_of:
                    self.level_of[label] = self.labels.get(label_key(label))
                level = self.level_of[label]
                if level is None:
                    self.unknown[label] = self.unknown.get(label, 0) + 1
                    self.unknown_at.setdefault(label, f"line {line}")
                    continue
                if self.unknown:
                    continue  # the error will list every unknown label; no need to build entries
                if label not in self.tags_of:
                    self.tags_of[label] = mood_tag(label, options)
                cell = row[col["activities"]]
                if cell not in self.activities:  # the same few combinations come back row after row
                    self.activities[cell] = tuple(split_tags(cell))
                tags = list(self.activities[cell])
                tag = self.tags_of[label]
                if tag:
                    tags.append(tag)
                parts = [note_text(row[col["note_title"]]) if "note_title" in col else "",
                         note_text(row[col["note"]])]
                if "scales" in col and row[col["scales"]].strip():
                    parts.append(scales_text(row[col["scales"]]))
                    tracked.extend(scale_trackers(row[col["scales"]], at))
                if overlong(cell):  # split or shortened to fit tags: the whole text is kept in the note
                    parts.append(f"Activities: {' '.join(cell.split())}")
                    self.long_rows += 1
                entries.append(Entry.make(at=at, mood=level, tags=tags, note=join_note(*parts), source=SOURCE))
            except RekindleError as exc:
                self.problems.add(f"line {line}", str(exc))
        return self.part(entries, tracked, len(records))

    def part(self, entries: list[Entry], tracked: list[Tracked], read: int) -> Parsed:
        parsed = Parsed(entries=entries, read=read, layout=LAYOUT_NAMES[self.layout])
        if tracked:
            parsed.records["trackers"] = tracked
            self.tracked += len(tracked)
            self.trackers.update(t.name for t in tracked)
        return parsed

    def finish(self) -> Parsed:
        """The file's account, once every part is read: unknown labels and unreadable rows refuse the file
        (or the rows are skipped, with ``--skip-invalid``); what was split, shortened or became a tracker is
        said."""
        if self.unknown:
            known = {label: level for label, level in self.level_of.items() if level is not None}
            raise UnknownLabelsError(self.name, self.unknown, self.unknown_at, known)
        parsed = Parsed(read=0, labels=self.seen, layout=LAYOUT_NAMES[self.layout])
        _say_long(parsed, self.long_rows)
        _say_trackers(parsed, self.tracked, self.trackers)
        return self.problems.finish(parsed)


def parse_daylio(text: str, name: str, options: Options) -> Parsed:
    text = _spreadsheet_dates(text, name, options)
    clean = _parse_clean(text, options)
    if clean is not None:
        return clean
    rows = csv_rows(text, name)
    first = next(rows, None)
    reader = _Rows(name, [cell.strip().lower() for cell in first[1]] if first else [], options)
    whole = reader.read(list(rows), cut_short=not text.endswith("\n"))
    end = reader.finish()
    whole.warnings, whole.labels, whole.skipped = end.warnings, end.labels, end.skipped
    whole.not_entries = end.not_entries
    return whole


#: rows read and written at a time by an import that streams: about 10 MB of entries in memory
STREAM_ROWS = 20_000


def stream_daylio(path: Path, options: Options, rows: int = STREAM_ROWS) -> Iterator[Parsed] | None:
    """A Daylio export read a part at a time (issue 25): the parts as :func:`parse_daylio` would read the whole,
    each of at most ``rows`` rows, clean parts column by column; then one last part with the file's account
    (which refuses it, if any row did not read). None for a file that must be read whole: UTF-16, or one
    re-saved by a spreadsheet (its dates' order is settled by the whole column)."""
    import csv

    opened = open_text(path)
    if opened is None:
        return None
    try:
        header_line = opened.lines.readline()
        body = opened.lines.readline()
    except UnicodeDecodeError:
        error = opened.refuse()
        opened.close()
        raise error from None
    header = [cell.strip().lower() for cell in next(csv.reader([header_line]), [])]
    layout = layout_of(header)
    full_date = header.index("full_date") if "full_date" in header else None
    first = next(csv.reader([body]), []) if body else []
    if layout is None or (full_date is not None and len(first) > full_date
                          and _NUMERIC_DAY.fullmatch(first[full_date].strip())):
        opened.close()
        return None
    return _parts(opened, path.name, header, itertools.chain([header_line, body], opened.lines), options, rows)


def _parts(opened: TextFile, name: str, header: list[str], lines: Iterator[str], options: Options,
           size: int) -> Iterator[Parsed]:
    reader = _Rows(name, header, options)
    try:
        records = csv_rows(lines, name)  # from the header on, so that every line is named by its number
        next(records, None)
        chunk: list[tuple[int, list[str]]] = []
        pending = next(records, None)
        while pending is not None:
            chunk.append(pending)
            pending = next(records, None)
            if len(chunk) == size or pending is None:
                yield _part(reader, chunk, last=pending is None, cut_short=not opened.ends_with_newline,
                            done=opened.position(), total=opened.size)
                chunk = []
    except UnicodeDecodeError:
        raise opened.refuse() from None
    finally:
        opened.close()
    end = reader.finish()
    end.done = end.total = opened.size
    yield end


def _part(reader: _Rows, chunk: list[tuple[int, list[str]]], *, last: bool, cut_short: bool, done: int,
          total: int) -> Parsed:
    """One part: column by column when every row of it reads cleanly (and no label is unknown yet), else
    row by row."""
    fast = None
    if "full_date" in reader.col and not reader.unknown and not (last and cut_short):
        fast = _parse_columns([row for _, row in chunk], reader.col, reader.width, reader.options, reader.labels)
    if fast is None:
        part = reader.read(chunk, cut_short=last and cut_short)
    else:
        entries, seen, long_rows = fast
        for label, n in seen.items():
            reader.seen[label] = reader.seen.get(label, 0) + n
        reader.long_rows += long_rows
        scales = reader.col.get("scales")
        tracked = [t for entry, (_, row) in zip(entries, chunk, strict=True)
                   if scales is not None and row[scales].strip() for t in scale_trackers(row[scales], entry.at)]
        part = reader.part(entries, tracked, len(chunk))
    part.done, part.total = done, total
    return part


def _say_long(parsed: Parsed, rows: int) -> None:
    """The account of activities too long for a tag (issue 25: they used to refuse the row, and the file)."""
    if rows:
        parsed.warnings.append(f"{rows} row{'s' if rows != 1 else ''} held an activity longer than a tag may be "
                               "(64 characters): split on its commas or shortened, the whole cell kept in the note")


#: The format this module reads, for importers/__init__.py (detection order is the modules' order there).
FORMATS = (Format("daylio", "Daylio CSV export", lambda s: looks_like_daylio(s.text),
                  lambda s, o: parse_daylio(s.text, s.name, o),
                  frozenset({"mood_map", "tz", "skip_invalid", "date_format"}), stream=stream_daylio),)
