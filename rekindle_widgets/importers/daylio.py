"""Daylio's CSV export ("Export entries"), both layouts.

* current: ``full_date,date,weekday,time,mood,activities,note_title,note``
  (``full_date`` is YYYY-MM-DD);
* older: ``year,date,weekday,time,mood,activities,note`` (``date`` is the day
  and month in words, "18 May" or "May 18", with the year in its own column).

``time`` is "20:30" or "8:30 pm". ``mood`` is the person's own label for the
level: Daylio's defaults rad, good, meh, bad, awful are 5 to 1; any other label
needs a mapping (``--map so-so=3`` or a map file), and the error lists every
unknown label at once. Activities (joined with " | ") become tags; the note
title and note become the note (Daylio's formatting tags turned into plain
text). Times carry no zone: they are read in ``--tz`` or this computer's zone.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from ..errors import RekindleError
from ..journal import Entry
from .base import (
    Parsed,
    UnknownLabelsError,
    check_columns,
    csv_rows,
    header_cells,
    join_note,
    level_of,
    localise,
    note_text,
    split_tags,
)
from .options import Options

__all__ = ["LAYOUTS", "looks_like_daylio", "parse_day_month", "parse_daylio", "parse_time"]

SOURCE = "import:daylio"

#: layout name -> the columns it starts with (later extra columns are ignored)
LAYOUTS: dict[str, list[str]] = {
    "daylio-8": ["full_date", "date", "weekday", "time", "mood", "activities", "note_title", "note"],
    "daylio-7": ["year", "date", "weekday", "time", "mood", "activities", "note"],
}


def layout_of(header: list[str]) -> str | None:
    for layout, columns in LAYOUTS.items():
        if header[: len(columns)] == columns:
            return layout
    return None


def looks_like_daylio(text: str) -> bool:
    return layout_of(header_cells(text)) is not None


MONTHS = {name: number for number, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
     ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
     ("october", "oct"), ("november", "nov"), ("december", "dec")], start=1) for name in names}

_DAY_MONTH = re.compile(r"^(\d{1,2})\.?\s+([^\W\d_]+)\.?$")
_MONTH_DAY = re.compile(r"^([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?:([ap])\.?\s*m\.?)?$", re.IGNORECASE)


def parse_day_month(text: str, year: str) -> date:
    """``"18 May"`` or ``"May 18"`` with ``"2018"`` -> 2018-05-18."""
    cell = " ".join(text.split())
    match = _DAY_MONTH.match(cell)
    day_text, month_text = (match[1], match[2]) if match else (None, None)
    if not match and (match := _MONTH_DAY.match(cell)):
        month_text, day_text = match[1], match[2]
    month = MONTHS.get((month_text or "").casefold())
    if month is None or day_text is None:
        raise RekindleError(
            f"date {text!r} is not a day and month in English such as \"18 May\" or \"May 18\"; "
            f"switch Daylio to English before exporting, or import with --format csv and --date-col"
        )
    if not year.strip().isdigit():
        raise RekindleError(f"year {year!r} is not a year such as 2024")
    try:
        return date(int(year), month, int(day_text))
    except (ValueError, OverflowError):
        raise RekindleError(f"date {text!r} {year.strip()} does not exist") from None


def parse_time(text: str) -> tuple[int, int, int]:
    """``"20:30"``, ``"8:30 pm"``, ``"12:05 a.m."`` -> (hour, minute, second)."""
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


def parse_daylio(text: str, name: str, options: Options) -> Parsed:
    rows = csv_rows(text, name)
    first = next(rows, None)
    header = [cell.strip().lower() for cell in first[1]] if first else []
    layout = layout_of(header)
    if layout is None:
        raise RekindleError(
            f"{name} line 1: not a Daylio CSV export; expected the columns "
            f"{','.join(LAYOUTS['daylio-8'])} (or the older {','.join(LAYOUTS['daylio-7'])})"
        )
    col = {column: header.index(column) for column in LAYOUTS[layout]}
    labels = options.labels()
    seen: dict[str, int] = {}
    unknown: dict[str, int] = {}
    unknown_at: dict[str, str] = {}
    entries: list[Entry] = []
    for line, row in rows:
        check_columns(row, len(header), name, line)
        try:
            if layout == "daylio-8":
                try:
                    day = date.fromisoformat(row[col["full_date"]].strip())
                except ValueError:
                    raise RekindleError(f"full_date {row[col['full_date']]!r} is not a date such as 2024-03-01") \
                        from None
                title = row[col["note_title"]]
            else:
                day = parse_day_month(row[col["date"]], row[col["year"]])
                title = ""
            at = localise(datetime(day.year, day.month, day.day, *parse_time(row[col["time"]])), options.tz)
            label = " ".join(row[col["mood"]].split())
            if not label:
                raise RekindleError("the mood cell is empty")
            seen[label] = seen.get(label, 0) + 1
            level = level_of(label, labels)
            if level is None:
                unknown[label] = unknown.get(label, 0) + 1
                unknown_at.setdefault(label, f"line {line}")
                continue
            if unknown:
                continue  # the error will list every unknown label; no need to build entries
            entries.append(Entry.make(
                at=at, mood=level, tags=split_tags(row[col["activities"]]),
                note=join_note(note_text(title), note_text(row[col["note"]])), source=SOURCE,
            ))
        except UnknownLabelsError:
            raise
        except RekindleError as exc:
            raise RekindleError(f"{name} line {line}: {exc}") from None
    if unknown:
        known = {label: level_of(label, labels) for label in seen if label not in unknown}
        raise UnknownLabelsError(name, unknown, unknown_at, known)
    return Parsed(entries=entries, labels=seen)
