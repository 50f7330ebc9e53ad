"""Bearable's CSV export, the long format: one row per reading, not per entry.

Header ``date,weekday,time of day,category,rating/amount,detail,notes`` (newer
exports add a ``date formatted`` column, which is ignored). Dates are written
like ``22nd Sep 2020``; ``time of day`` is a clock time (``03:00``) or a part
of the day: ``am`` is read as 09:00, ``mid`` as 13:00, ``pm`` as 18:00 and
``all day`` as 12:00, in ``--tz`` or this computer's zone.

Only rows whose ``category`` is ``Mood`` become entries; every other row
(symptoms, sleep, medication, factors, ...) is counted, by category, as a row
that is not an entry. Bearable's file does not say the scale of its mood
ratings: they are read on 1..10 when any rating in the file is above 5 and on
1..5 otherwise (the import says which), and rescaled to the journal's 1-5 as
``--mood-scale`` does; ``--mood-scale`` overrides the guess. The ``detail``
words of a mood row (split on ``|`` and ``,``) become tags and ``notes`` the
note. The ratings of the other categories become trackers (:func:`_rating`).
"""

from __future__ import annotations

import re
from datetime import datetime
from fractions import Fraction

from ...errors import RekindleError
from ...journal import Entry, Tracked
from .base import Format, Parsed, RowProblems, csv_rows, header_cells, localise, note_text, split_tags
from .generic import number, rescale
from .languages import MonthReader
from .options import Options

__all__ = ["COLUMNS", "looks_like_bearable", "parse_bearable"]

SOURCE = "import:bearable"
COLUMNS = ["date", "weekday", "time of day", "category", "rating/amount", "detail", "notes"]
PARTS_OF_DAY = {"am": (9, 0), "mid": (13, 0), "pm": (18, 0), "all day": (12, 0), "": (12, 0)}
_DATE = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([^\W\d_]+)\.?,?\s+(\d{4})$")
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})\s*([ap]\.?m\.?)?$", re.IGNORECASE)


_HOURS = re.compile(r"(\d{1,2}):([0-5]\d)")  # a sleep amount: "7:30"
#: categories whose rows each name an item in ``detail`` (one tracker per item); in the others (energy,
#: sleep) the detail is a comment, and the category is the tracker
_ITEMS = {"symptom", "symptoms", "medication", "medications", "factor", "factors", "health measurement",
          "health measurements"}


def _rating(row: list[str], col: dict[str, int], category: str, reader: MonthReader,
            options: Options) -> Tracked | None:
    """A rating of another category (sleep, energy, a symptom, a medication) as a tracker value (issue 27),
    named by its category and item for a list of items ("Symptom: Headache", the words before any
    parentheses) and by its category alone otherwise ("Sleep", "Energy"); a sleep amount like ``7:30`` is
    7.5 hours. None for a row that does not read: it stays counted, no more."""
    amount = " ".join(row[col["rating/amount"]].split())
    try:
        year, month, day = _day(row[col["date"]], reader)
        hour, minute = _clock(row[col["time of day"]])
        at = localise(datetime(year, month, day, hour, minute), options.tz)
        if (hours := _HOURS.fullmatch(amount)) is not None:
            value: float = int(hours[1]) + int(hours[2]) / 60
        else:
            found = number(amount.split("/")[0]) if amount else None
            if found is None:
                return None
            value = float(found)
        detail = " ".join(row[col["detail"]].split("(")[0].split())
        name = f"{category}: {detail}" if detail and category.casefold() in _ITEMS else category
        return Tracked.make(name if len(name) <= 40 else category, value, at, source=SOURCE)
    except (RekindleError, ValueError):
        return None


def looks_like_bearable(text: str) -> bool:
    header = header_cells(text)
    return all(column in header for column in ("category", "rating/amount", "time of day", "date"))


def _day(cell: str, reader: MonthReader) -> tuple[int, int, int]:
    match = _DATE.match(" ".join(cell.split()))
    if not match:
        raise RekindleError(f"date {cell!r} is not a date such as 22nd Sep 2020")
    _, month = reader.day_month(f"{match[1]} {match[2]}")
    return int(match[3]), month, int(match[1])


def _clock(cell: str) -> tuple[int, int]:
    text = " ".join(cell.split()).casefold()
    if text in PARTS_OF_DAY:
        return PARTS_OF_DAY[text]
    match = _CLOCK.match(text)
    if match:
        hour, minute = int(match[1]), int(match[2])
        if match[3]:
            hour = hour % 12 + (12 if match[3].startswith("p") else 0) if 1 <= hour <= 12 else -1
        if 0 <= hour <= 23 and 0 <= minute <= 59:
            return hour, minute
    raise RekindleError(f"time of day {cell!r} is not a time such as 03:00, or am, mid, pm or all day")


def parse_bearable(text: str, name: str, options: Options) -> Parsed:
    rows = csv_rows(text, name)
    first = next(rows, None)
    header = [cell.strip().casefold() for cell in first[1]] if first else []
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise RekindleError(f"{name} line 1: not a Bearable export; the columns {', '.join(missing)} are missing")
    col = {c: header.index(c) for c in COLUMNS}
    reader = MonthReader()
    problems = RowProblems(name, options.skip_invalid)
    parsed = Parsed(layout="long format")
    moods: list[tuple[int, datetime, Fraction, str, str]] = []
    tracked: list[Tracked] = []
    read = 0
    for line, row in rows:
        read += 1
        row = row + [""] * (len(header) - len(row))
        category = " ".join(row[col["category"]].split())
        if category.casefold() != "mood":
            parsed.not_entry(f"row of category {category or '(none)'!r}")  # only Mood rows are entries
            if (item := _rating(row, col, category, reader, options)) is not None:
                tracked.append(item)
            continue
        try:
            year, month, day = _day(row[col["date"]], reader)
            hour, minute = _clock(row[col["time of day"]])
            try:
                at = localise(datetime(year, month, day, hour, minute), options.tz)
            except ValueError:
                raise RekindleError(f"date {row[col['date']]!r} does not exist") from None
            value = number(row[col["rating/amount"]].split("/")[0])
            if value is None:
                raise RekindleError(f"mood rating {row[col['rating/amount']]!r} is not a number")
            moods.append((line, at, value, row[col["detail"]], row[col["notes"]]))
        except (RekindleError, ValueError) as exc:
            problems.add(f"line {line}", str(exc))
    if options.mood_scale:
        low, high = options.mood_scale
        how = f"--mood-scale {low}..{high}"
    else:
        high_seen = max((v for _, _, v, _, _ in moods), default=Fraction(0))
        low, high = (Fraction(1), Fraction(10)) if high_seen > 5 else (Fraction(1), Fraction(5))
        how = ("a rating above 5 was seen" if high > 5
               else "no rating above 5 was seen; give --mood-scale 1..10 if yours is")
    for line, at, value, detail, notes in moods:
        if not low <= value <= high:
            problems.add(f"line {line}", f"mood rating {value} is outside the scale {low}..{high}")
            continue
        try:
            parsed.entries.append(Entry.make(at=at, mood=rescale(value, low, high), tags=split_tags(detail, "|,"),
                                             note=note_text(notes), source=SOURCE))
        except RekindleError as exc:
            problems.add(f"line {line}", str(exc))
    if parsed.not_entries:
        parsed.warnings.append("only rows of category Mood become entries; the other categories are counted")
    if moods:
        parsed.warnings.append(f"Bearable's mood ratings were read on {low}..{high} ({how}) and rescaled to 1-5")
    if tracked:
        parsed.records["trackers"] = tracked
        names = sorted({t.name for t in tracked})
        parsed.warnings.append(f"{len(tracked)} rating{'s' if len(tracked) != 1 else ''} of other categories "
                               f"became trackers ({', '.join(names[:6])}{', ...' if len(names) > 6 else ''})")
    parsed.read = read
    return problems.finish(parsed)


#: The format this module reads, for importers/__init__.py (detection order is the modules' order there).
FORMATS = (Format("bearable", "Bearable CSV export", lambda s: looks_like_bearable(s.text),
                  lambda s, o: parse_bearable(s.text, s.name, o), frozenset({"tz", "mood_scale", "skip_invalid"})),)
