"""How We Feel's CSV export.

Header ``Date,Mood,...,Tags (People),Tags (Places),Tags (Events),...,Notes,Reflections,Takeaways``
(some exports add ``Locale`` and ``Mood Key(s)`` columns). ``Date`` is written
like ``2026 Sun May 17 3:39 PM`` (or ISO), in ``--tz`` or this computer's zone.

The mood is an emotion word (``calm``, ``determined``, ``down``): How We Feel
places it on two axes, not one scale, so no word is given a level here. Map
the words with ``--map calm=4`` or a ``--map-file``; the error lists every word
found. Each word is kept on the entry as the tag ``mood:<word>``. The people,
places and events tags become tags; notes, reflections and takeaways become
the note.
"""

from __future__ import annotations

import json
import re
from datetime import datetime

from ...errors import RekindleError
from ...journal import Entry, parse_datetime
from .base import (
    Format,
    Parsed,
    RowProblems,
    UnknownLabelsError,
    csv_rows,
    header_cells,
    join_note,
    localise,
    split_tags,
)
from .options import Options, label_key

__all__ = ["looks_like_howwefeel", "parse_howwefeel"]

SOURCE = "import:howwefeel"
TAG_COLUMNS = ("tags (people)", "tags (places)", "tags (events)")
NOTE_COLUMNS = ("notes", "reflections", "takeaways")
_DATE = re.compile(r"^(\d{4})\s+[^\W\d_]+\s+([^\W\d_]+)\s+(\d{1,2})\s+(\d{1,2}):(\d{2})\s*([ap]m)?$", re.IGNORECASE)


def looks_like_howwefeel(text: str) -> bool:
    header = header_cells(text)
    return header[:1] == ["date"] and "mood" in header and "tags (people)" in header


def _when(cell: str, options: Options) -> datetime:
    text = " ".join(cell.split())
    match = _DATE.match(text)
    if match:
        try:
            month = "%b" if len(match[2]) <= 3 else "%B"
            text = f"{match[1]} {match[2]} {match[3]} {match[4]}:{match[5]} {match[6] or ''}".strip()
            moment = datetime.strptime(text, f"%Y {month} %d %I:%M %p" if match[6] else f"%Y {month} %d %H:%M")
        except ValueError:
            raise RekindleError(f"date {cell!r} does not exist") from None
        return localise(moment, options.tz)
    try:
        moment = parse_datetime(text)
    except RekindleError:
        raise RekindleError(f"date {cell!r} is not a date such as 2026 Sun May 17 3:39 PM") from None
    return moment if moment.tzinfo else localise(moment, options.tz)


def _text(cell: str) -> str:
    """A notes cell; reflections and takeaways are written as JSON lists of text."""
    text = cell.strip()
    if text.startswith("["):
        try:
            items = json.loads(text)
        except ValueError:
            return text
        if isinstance(items, list):
            return "\n".join(str(i).strip() for i in items if str(i).strip())
    return text


def parse_howwefeel(text: str, name: str, options: Options) -> Parsed:
    rows = csv_rows(text, name)
    first = next(rows, None)
    header = [cell.strip().casefold() for cell in first[1]] if first else []
    if "date" not in header or "mood" not in header:
        raise RekindleError(f"{name} line 1: not a How We Feel export; expected Date and Mood columns")
    col = {c: header.index(c) for c in ("date", "mood", *TAG_COLUMNS, *NOTE_COLUMNS) if c in header}
    problems = RowProblems(name, options.skip_invalid)
    parsed = Parsed()
    seen: dict[str, int] = {}
    unknown: dict[str, int] = {}
    unknown_at: dict[str, str] = {}
    read = 0
    for line, row in rows:
        read += 1
        row = row + [""] * (len(header) - len(row))
        try:
            at = _when(row[col["date"]], options)
            words = split_tags(row[col["mood"]], ",;|")
            if not words:
                raise RekindleError("the mood cell is empty")
            levels: list[int] = []
            for word in words:
                seen[word] = seen.get(word, 0) + 1
                level = options.mood_map.get(label_key(word))
                if level is None:
                    unknown[word] = unknown.get(word, 0) + 1
                    unknown_at.setdefault(word, f"line {line}")
                else:
                    levels.append(level)
            if unknown:  # (also whenever a word of this row had no level)
                continue
            level = int(sum(levels) / len(levels) + 0.5)  # several words: their mean, halves up
            tags = [t for c in TAG_COLUMNS if c in col for t in split_tags(row[col[c]], ",;|")]
            tags += ["mood:" + " ".join(w.split()).lower()[:59] for w in words]
            note = join_note(*(_text(row[col[c]]) for c in NOTE_COLUMNS if c in col))
            parsed.entries.append(Entry.make(at=at, mood=level, tags=tags, note=note, source=SOURCE))
        except RekindleError as exc:
            problems.add(f"line {line}", str(exc))
    if unknown:
        known = {w: options.mood_map.get(label_key(w)) for w in seen if w not in unknown}
        raise UnknownLabelsError(name, unknown, unknown_at, {k: v for k, v in known.items() if v is not None})
    parsed.read = read
    parsed.labels = seen
    return problems.finish(parsed)


#: The format this module reads, for importers/__init__.py (detection order is the modules' order there).
FORMATS = (Format("howwefeel", "How We Feel CSV export", lambda s: looks_like_howwefeel(s.text),
                  lambda s, o: parse_howwefeel(s.text, s.name, o), frozenset({"mood_map", "tz", "skip_invalid"})),)
