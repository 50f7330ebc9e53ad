"""iMoodJournal's CSV export.

Header ``Date,Day of week,Hour,Minute,Level,LevelText,Comment,`` followed by
one column per hashtag, holding 1 on the rows that used it (0 or empty
otherwise). ``Level`` is 1-10 and is rescaled to the journal's 1-5 as
``--mood-scale 1..10`` does (1 is 1, 5 is 3, 10 is 5). The hour and minute
columns give the time of day, in ``--tz`` or this computer's zone; the date
may be ISO (``2021-03-04``), ``03/04/2021`` (month first, as the app writes it
in English), ``Mar 4, 2021`` or, in the older exports (2014), ``25 Feb 2014``,
the month's name in any language Babel knows (as for Daylio). Those older
exports start with a blank line, which is passed over. ``Comment`` becomes the
note and every hashtag column marked 1 a tag. A second export pasted below the
first, header and all, is refused naming the line where it starts.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from fractions import Fraction

from ...errors import RekindleError
from ...journal import Entry
from .base import Format, Parsed, RowProblems, csv_rows, header_cells, localise, note_text
from .generic import number, rescale
from .languages import MonthReader
from .options import Options

__all__ = ["COLUMNS", "looks_like_imoodjournal", "parse_imoodjournal"]

SOURCE = "import:imoodjournal"
COLUMNS = ["date", "day of week", "hour", "minute", "level", "leveltext", "comment"]
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%b %d, %Y", "%B %d, %Y", "%d.%m.%Y")


def looks_like_imoodjournal(text: str) -> bool:
    return header_cells(text.lstrip("\ufeff\r\n\t "))[: len(COLUMNS)] == COLUMNS  # 2014: a blank first line


def _date(cell: str, months: MonthReader | None = None) -> date:
    text = " ".join(cell.split())
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    named = re.fullmatch(r"(\d{1,2})\.? ([^\W\d_]+\.?) (\d{4})", text)  # "25 Feb 2014", in any language
    if named and months is not None:
        day, month = months.day_month(f"{named.group(1)} {named.group(2)}")
        try:
            return date(int(named.group(3)), month, day)
        except ValueError:
            pass
    raise RekindleError(f"date {cell!r} is not a date such as 2021-03-04, 03/04/2021 or 25 Feb 2014")


def _whole(cell: str, what: str, top: int) -> int:
    text = cell.strip()
    if not (text.isdecimal() and len(text) <= 2 and int(text) <= top):
        raise RekindleError(f"{what} {cell!r} is not a whole number from 0 to {top}")
    return int(text)


def parse_imoodjournal(text: str, name: str, options: Options) -> Parsed:
    rows = csv_rows(text, name)
    first = next(rows, None)
    names = [cell.strip() for cell in first[1]] if first else []
    header = [n.casefold() for n in names]
    if header[: len(COLUMNS)] != COLUMNS:
        raise RekindleError(f"{name} line {first[0] if first else 1}: not an iMoodJournal export; expected the "
                            f"columns Date,Day of week,Hour,Minute,Level,LevelText,Comment")
    col = {c: header.index(c) for c in COLUMNS}
    hashtags = [(i, names[i].lstrip("#").strip()) for i in range(len(COLUMNS), len(names)) if names[i].strip()]
    problems = RowProblems(name, options.skip_invalid)
    parsed = Parsed()
    read = 0
    low, high = Fraction(1), Fraction(10)
    months = MonthReader()
    for line, row in rows:
        if [cell.strip().casefold() for cell in row][: len(COLUMNS)] == COLUMNS:
            raise RekindleError(f"{name} line {line}: a second iMoodJournal export starts here (its header "
                                "again); save each export as a file of its own and import them one by one")
        read += 1
        row = row + [""] * (len(names) - len(row))
        try:
            day = _date(row[col["date"]], months)
            at = localise(datetime(day.year, day.month, day.day, _whole(row[col["hour"]], "hour", 23),
                                   _whole(row[col["minute"]], "minute", 59)), options.tz)
            level = number(row[col["level"]])
            if level is None or not low <= level <= high:
                raise RekindleError(f"level {row[col['level']]!r} is not a number from 1 to 10")
            tags = [tag for i, tag in hashtags if row[i].strip() not in ("", "0")]
            parsed.entries.append(Entry.make(at=at, mood=rescale(level, low, high), tags=tags,
                                             note=note_text(row[col["comment"]]), source=SOURCE))
        except RekindleError as exc:
            problems.add(f"line {line}", str(exc))
    parsed.read = read
    return problems.finish(parsed)


#: The format this module reads, for importers/__init__.py (detection order is the modules' order there).
FORMATS = (Format("imoodjournal", "iMoodJournal CSV export", lambda s: looks_like_imoodjournal(s.text),
                  lambda s, o: parse_imoodjournal(s.text, s.name, o), frozenset({"tz", "skip_invalid"})),)
