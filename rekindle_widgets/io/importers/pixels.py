"""Pixels' JSON backup ("Export pixels (JSON)"), in the three shapes it has had.

An array with one object per day:

* today's: ``[{"date": "2024-3-1", "type": "Mood", "scores": [4, 2], "notes": "...",
  "tags": [{"type": "Emotions", "entries": ["calm", "tired"]}]}]``;
* 2019-2021: ``[{"date": ..., "entries": [{"type": "Mood", "value": 4, "notes": "...",
  "isHighlighted": false, "tags": [...]}]}]``;
* 2019: ``[{"date": ..., "mood": 4, "emotions": ["calm"], "notes": "..."}]``.

Scores are 1-5, the journal's own scale. A day with several scores becomes
several entries: Pixels keeps no time of day, so the first is set at 12:00 and
each further one a minute later, in ``--tz`` or this computer's zone (the same
file always gives the same times, so re-importing adds nothing). Every entry
of a day carries the day's tags (the ``entries`` of every tag group, or the
2019 ``emotions``); the day's note goes with its first entry. The account
counts each score as a record, and each day without one (or a record of
another type than Mood) as a record that is not an entry.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from ...errors import RekindleError
from ...journal import Entry
from .base import Format, Parsed, load_json, localise, note_text
from .options import Options

__all__ = ["looks_like_pixels", "parse_pixels"]

SOURCE = "import:pixels"
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def looks_like_pixels(text: str) -> bool:
    head = text.lstrip("\ufeff \t\n")[:2000]
    return head.startswith("[") and '"date"' in head and any(
        key in head for key in ('"scores"', '"entries"', '"mood"'))


def _day(value: Any, where: str) -> date:
    match = _DATE.match(value.strip()) if isinstance(value, str) else None
    if not match:
        raise RekindleError(f"{where}: 'date' must be a date such as 2024-03-01, not {value!r}")
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise RekindleError(f"{where}: date {value!r} does not exist") from None


def _tags(value: Any, where: str, *, text: bool = False) -> list[str]:
    """Tag groups ``[{type, entries: [..]}]``, or a plain list of names (2019's ``emotions``, maybe one text)."""
    if value is None:
        return []
    if text and isinstance(value, str):
        return [t.strip() for t in value.split(",") if t.strip()]
    if not isinstance(value, list):
        raise RekindleError(f"{where}: 'tags' must be a list")
    names: list[str] = []
    for group in value:
        if isinstance(group, str):
            names.append(group)
            continue
        if not isinstance(group, dict) or not isinstance(group.get("entries", []), list):
            raise RekindleError(f"{where}: each tag group must be an object with an 'entries' list")
        for entry in group.get("entries", []):
            if not isinstance(entry, str):
                raise RekindleError(f"{where}: tag {entry!r} must be text")
            names.append(entry)
    return names


def _text(record: dict, key: str, where: str) -> str:
    value = record.get(key) or ""
    if not isinstance(value, str):
        raise RekindleError(f"{where}: '{key}' must be text")
    return value


def _score(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise RekindleError(f"{where}: score {value!r} is not a whole number from 1 to 5")
    return value


#: layout name -> how the Import page and the CLI describe it
LAYOUT_NAMES = {"scores": "current, with scores", "entries": "2019-2021, with entries",
                "mood": "2019, with one mood a day"}


def parse_pixels(text: str, name: str, options: Options) -> Parsed:
    document = load_json(text, name, "a Pixels export")
    if not isinstance(document, list):
        raise RekindleError(f"{name}: not a Pixels export (expected a list of days)")
    entries: list[Entry] = []
    skipped_empty = 0
    skipped_types: dict[str, int] = {}
    layouts: dict[str, int] = {}
    skipped: list[str] = []
    for i, record in enumerate(document):
        before = len(entries)
        try:
            where = f"{name}: day [{i}]"
            if not isinstance(record, dict):
                raise RekindleError(f"{where}: expected an object with date and scores")
            kind = record.get("type", "Mood")
            if not isinstance(kind, str):
                raise RekindleError(f"{where}: 'type' must be text")
            if kind.casefold() != "mood":
                skipped_types[kind] = skipped_types.get(kind, 0) + 1
                continue
            day = _day(record.get("date"), where)
            where = f"{name}: day {record.get('date')} ([{i}])"
            # (score, tags, note) for each score of the day, in the layout this record has
            found: list[tuple[int, list[str], str]] = []
            if isinstance(record.get("entries"), list) and "scores" not in record:
                layouts["entries"] = layouts.get("entries", 0) + 1
                for k, item in enumerate(record["entries"]):
                    at = f"{where} entries[{k}]"
                    if not isinstance(item, dict):
                        raise RekindleError(f"{at}: expected an object with type and value")
                    item_kind = item.get("type", "Mood")
                    if not isinstance(item_kind, str):
                        raise RekindleError(f"{at}: 'type' must be text")
                    if item_kind.casefold() != "mood":
                        skipped_types[item_kind] = skipped_types.get(item_kind, 0) + 1
                        continue
                    found.append((_score(item.get("value"), at), _tags(item.get("tags"), at), _text(item, "notes", at)))
            elif "mood" in record and "scores" not in record:
                layouts["mood"] = layouts.get("mood", 0) + 1
                mood = record.get("mood")
                if mood not in (None, 0):  # 0: a day left without a mood
                    found.append((_score(mood, where), _tags(record.get("emotions"), where, text=True),
                                  _text(record, "notes", where)))
            else:
                layouts["scores"] = layouts.get("scores", 0) + 1
                scores = record.get("scores") or []
                if not isinstance(scores, list):
                    raise RekindleError(f"{where}: 'scores' must be a list of 1-5")
                notes = _text(record, "notes", where)
                tags = _tags(record.get("tags"), where)
                found = [(_score(score, where), tags, notes if k == 0 else "") for k, score in enumerate(scores)]
            if not found:
                skipped_empty += 1
                continue
            try:
                noon = localise(datetime(day.year, day.month, day.day, 12), options.tz)
            except RekindleError as exc:  # e.g. a year before 1900: say which file and day
                raise RekindleError(f"{where}: {exc}") from None
            for k, (score, tags, notes) in enumerate(found):
                try:
                    entries.append(Entry.make(at=noon + timedelta(minutes=k), mood=score, tags=tags,
                                              note=note_text(notes), source=SOURCE))
                except RekindleError as exc:
                    raise RekindleError(f"{where}: {exc}") from None
        except RekindleError as exc:
            if not options.skip_invalid:
                raise
            del entries[before:]  # a day is taken whole or skipped whole
            skipped.append(str(exc).removeprefix(f"{name}: "))

    parsed = Parsed(entries=entries, unit="records",
                    layout=", ".join(LAYOUT_NAMES[k] for k in layouts) if layouts else "")
    if skipped_empty:
        parsed.not_entry("day without a score", skipped_empty)
    if skipped:
        parsed.skipped.extend(skipped)
        parsed.not_entry("day that cannot be read, skipped (--skip-invalid)", len(skipped))
    for kind, n in skipped_types.items():
        parsed.not_entry(f"record of type {kind!r} (only Mood is imported)", n)
    return parsed


#: The format this module reads, for importers/__init__.py (detection order is the modules' order there).
FORMATS = (Format("pixels", "Pixels JSON backup", lambda s: looks_like_pixels(s.text),
                  lambda s, o: parse_pixels(s.text, s.name, o), frozenset({"tz", "skip_invalid"})),)
