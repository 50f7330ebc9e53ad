"""Any CSV with a date and a mood column, mapped by name.

``--date-col`` and ``--mood-col`` name the columns (as in the header row,
case does not matter); ``--note-col``, ``--tags-col`` and ``--readiness-col``
are optional. Cells may be separated by commas, semicolons or tabs (found from
the header). Moods are numbers on ``--mood-scale MIN..MAX`` (default 1..5)
and are rescaled to the journal's 1-5, rounding halves up: on 1..10, 1 is 1,
5 is 3 and 10 is 5. Dates are ISO 8601 (``2024-03-01`` or
``2024-03-01 20:30``) unless ``--date-format`` gives a strptime pattern such
as ``%d/%m/%Y %H:%M``; a date without a time is taken as 12:00, and times
without a zone are read in ``--tz`` or this computer's zone. Tags in one cell
are separated by ``|``, ``,`` or ``;``.
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from fractions import Fraction

from ..errors import RekindleError
from ..journal import Entry
from .base import Parsed, check_columns, csv_rows, first_line, localise, split_tags
from .options import Options

__all__ = ["parse_generic", "rescale"]

SOURCE = "import:csv"
_TIME_DIRECTIVES = ("%H", "%I", "%X", "%c", "%T", "%R", "%s")


def rescale(value: Fraction, low: Fraction, high: Fraction) -> int:
    """``value`` on ``low..high`` to 1-5, halves rounded up (exact: no float error)."""
    return math.floor(1 + (value - low) * 4 / (high - low) + Fraction(1, 2))


def _number(cell: str) -> Fraction | None:
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


def _when(cell: str, options: Options) -> datetime:
    text = cell.strip()
    fmt = options.date_format
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
             "tags": options.tags_col, "readiness": options.readiness_col}
    wanted = [v for v in named.values() if v]
    delimiter = _delimiter(text, wanted)
    rows = csv_rows(text, name, delimiter)
    first = next(rows, None)
    header = [cell.strip().casefold() for cell in first[1]] if first else []
    col: dict[str, int] = {}
    for role, column in named.items():
        if not column:
            continue
        key = column.strip().casefold()
        if key not in header:
            found = ", ".join(repr(c) for c in (first[1] if first else []))
            raise RekindleError(f"{name} line 1: no column {column!r} for --{role}-col; the columns are {found}")
        col[role] = header.index(key)
    low, high = options.mood_scale or (Fraction(1), Fraction(5))
    entries: list[Entry] = []
    for line, row in rows:
        check_columns(row, len(header), name, line)
        try:
            value = _number(row[col["mood"]])
            if value is None:
                raise RekindleError(f"mood {row[col['mood']]!r} is not a number")
            if not low <= value <= high:
                raise RekindleError(
                    f"mood {row[col['mood']].strip()} is outside the scale {low}..{high}; "
                    f"give the right --mood-scale, e.g. --mood-scale 1..10"
                )
            entries.append(Entry.make(
                at=_when(row[col["date"]], options), mood=rescale(value, low, high),
                readiness=row[col["readiness"]].strip() if "readiness" in col else None,
                tags=split_tags(row[col["tags"]], "|,;") if "tags" in col else (),
                note=row[col["note"]].strip() if "note" in col else "", source=SOURCE,
            ))
        except RekindleError as exc:
            raise RekindleError(f"{name} line {line}: {exc}") from None
    return Parsed(entries=entries)


def columns(text: str) -> list[str]:
    """The header row's column names, as written (for a column-mapping form)."""
    line = first_line(text)
    sep = max((",", ";", "\t"), key=lambda s: len(line.split(s)))
    rows = csv_rows(line, "header", sep)
    first = next(rows, None)
    return [cell.strip() for cell in first[1]] if first else []
