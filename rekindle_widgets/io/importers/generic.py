"""Any CSV with a date and a mood column, mapped by name.

``--date-col`` and ``--mood-col`` name the columns (as in the header row,
case does not matter); ``--note-col``, ``--tags-col``, ``--readiness-col`` and
``--time-col`` (a separate time of day, ``20:30`` or ``8:30 pm``) are
optional. ``--where COLUMN=VALUE`` keeps only the rows whose COLUMN holds
VALUE (case does not matter; repeat it to require several); the other rows are
counted as rows that are not entries. Cells may be separated by commas,
semicolons or tabs (found from the header). Moods are numbers on
``--mood-scale MIN..MAX`` (default 1..5), rescaled to the journal's 1-5,
rounding halves up: on 1..10, 1 is 1, 5 is 3 and 10 is 5; or words, placed
with ``--map word=N`` (Daylio's default names need none), each custom word
kept as the tag ``mood:word``. Dates are ISO 8601 (``2024-03-01`` or
``2024-03-01 20:30``) unless ``--date-format`` gives a strptime pattern such
as ``%d/%m/%Y %H:%M``; a date without a time is taken as 12:00, and times
without a zone are read in ``--tz`` or this computer's zone. Tags in one cell
are separated by ``|``, ``,`` or ``;``.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from datetime import UTC, datetime
from fractions import Fraction

from ...errors import RekindleError
from ...journal import Entry
from .base import Parsed, RowProblems, UnknownLabelsError, csv_rows, first_line, localise, split_tags
from .daylio import mood_tag
from .options import Options, label_key

__all__ = ["number", "parse_generic", "rescale"]

SOURCE = "import:csv"
_TIME_DIRECTIVES = ("%H", "%I", "%X", "%c", "%T", "%R", "%s")


def rescale(value: Fraction, low: Fraction, high: Fraction) -> int:
    """``value`` on ``low..high`` to 1-5, halves rounded up (exact: no float error)."""
    return math.floor(1 + (value - low) * 4 / (high - low) + Fraction(1, 2))


def number(cell: str) -> Fraction | None:
    text = cell.strip().replace("\u2212", "-")
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # decimal comma
    exponent = re.search(r"[eE][-+]?([\d_]+)$", text)
    if exponent and len(exponent[1].replace("_", "").lstrip("0")) > 3:
        return None  # 1e999999999 is no mood, and Fraction would spend minutes computing it
    try:
        value = Fraction(text)
    except (ValueError, ZeroDivisionError):
        return None
    return value if "/" not in text else None


def _delimiter(text: str, wanted: list[str]) -> str:
    line = first_line(text)
    best, best_score = ",", (-1, -1)
    for sep in (",", ";", "\t"):
        cells = [c.strip().strip('"').casefold() for c in line.split(sep)]
        score = (sum(w.casefold() in cells for w in wanted), len(cells))
        if score > best_score:
            best, best_score = sep, score
    return best


def _when(cell: str, options: Options, time_cell: str | None = None) -> datetime:
    text = cell.strip()
    fmt = options.date_format
    if time_cell is not None:  # --time-col: the date column holds the day, this one the time of day
        from .daylio import parse_time

        day = _when(cell, replace(options, tz=UTC))
        hour, minute, second = parse_time(time_cell)
        return localise(datetime(day.year, day.month, day.day, hour, minute, second), options.tz)
    try:
        if fmt:
            moment = datetime.strptime(text, fmt)
            if not any(d in fmt for d in _TIME_DIRECTIVES):
                moment = moment.replace(hour=12)
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
            if len(text) <= 10:  # a date alone
                moment = moment.replace(hour=12)
    except ValueError:
        how = f"the format {fmt!r}" if fmt else "ISO 8601 (2024-03-01 or 2024-03-01 20:30)"
        raise RekindleError(
            f"date {text!r} does not match {how}; give the right --date-format, e.g. --date-format \"%d/%m/%Y\""
        ) from None
    return localise(moment, options.tz)


def parse_generic(text: str, name: str, options: Options) -> Parsed:
    missing = [flag for flag, value in (("--date-col", options.date_col), ("--mood-col", options.mood_col))
               if not value]
    if missing:
        raise RekindleError(f"{name}: to import a CSV from another app, give {' and '.join(missing)} "
                            f"(the names of its date and mood columns)")
    named = {"date": options.date_col, "mood": options.mood_col, "note": options.note_col,
             "tags": options.tags_col, "readiness": options.readiness_col, "time": options.time_col}
    wanted = [v for v in named.values() if v] + [column for column, _ in options.where]
    delimiter = _delimiter(text, wanted)
    rows = csv_rows(text, name, delimiter)
    first = next(rows, None)
    header = [cell.strip().casefold() for cell in first[1]] if first else []
    found = ", ".join(repr(c) for c in (first[1] if first else []))
    col: dict[str, int] = {}
    for role, column in named.items():
        if not column:
            continue
        key = column.strip().casefold()
        if key not in header:
            raise RekindleError(f"{name} line 1: no column {column!r} for --{role}-col; the columns are {found}")
        col[role] = header.index(key)
    where: list[tuple[int, str, str]] = []
    for column, expected in options.where:
        if column.casefold() not in header:
            raise RekindleError(f"{name} line 1: no column {column!r} for --where; the columns are {found}")
        where.append((header.index(column.casefold()), column, expected))
    low, high = options.mood_scale or (Fraction(1), Fraction(5))
    labels = options.labels()
    problems = RowProblems(name, options.skip_invalid)
    parsed = Parsed()
    unknown: dict[str, int] = {}
    unknown_at: dict[str, str] = {}
    seen: dict[str, int] = {}
    read = 0
    for line, row in rows:
        read += 1
        if len(row) < len(header):
            row = row + [""] * (len(header) - len(row))
        elif len(row) > len(header):
            problems.add(f"line {line}", f"expected {len(header)} columns, found {len(row)}")
            continue
        other = next(((column, value) for i, column, value in where
                      if row[i].strip().casefold() != value.casefold()), None)
        if other is not None:
            parsed.not_entry(f"row whose {other[0]} is not {other[1]!r} (--where)")
            continue
        try:
            cell = row[col["mood"]]
            value = number(cell)
            tags = split_tags(row[col["tags"]], "|,;") if "tags" in col else []
            if value is None:
                label = " ".join(cell.split())
                if not label:
                    raise RekindleError("the mood cell is empty")
                seen[label] = seen.get(label, 0) + 1
                level = labels.get(label_key(label))
                if level is None:
                    unknown[label] = unknown.get(label, 0) + 1
                    unknown_at.setdefault(label, f"line {line}")
                    continue
                tag = mood_tag(label, options)
                if tag:
                    tags.append(tag)
            else:
                if not low <= value <= high:
                    raise RekindleError(
                        f"mood {cell.strip()} is outside the scale {low}..{high}; "
                        f"give the right --mood-scale, e.g. --mood-scale 1..10"
                    )
                level = rescale(value, low, high)
            if unknown:
                continue
            parsed.entries.append(Entry.make(
                at=_when(row[col["date"]], options, row[col["time"]] if "time" in col else None), mood=level,
                readiness=row[col["readiness"]].strip() if "readiness" in col else None,
                tags=tags, note=row[col["note"]].strip() if "note" in col else "", source=SOURCE,
            ))
        except RekindleError as exc:
            problems.add(f"line {line}", str(exc))
    if unknown:
        known = {label: labels.get(label_key(label)) for label in seen if label not in unknown}
        raise UnknownLabelsError(name, unknown, unknown_at, {k: v for k, v in known.items() if v is not None})
    parsed.read = read
    parsed.labels = seen
    return problems.finish(parsed)


def columns(text: str) -> list[str]:
    """The header row's column names, as written (for a column-mapping form)."""
    line = first_line(text)
    sep = max((",", ";", "\t"), key=lambda s: len(line.split(s)))
    rows = csv_rows(line, "header", sep)
    first = next(rows, None)
    return [cell.strip() for cell in first[1]] if first else []
