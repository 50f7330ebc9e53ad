"""MoodTracker's exports (moodtracker.link, benji6/moodtracker): moods as JSON or CSV.

Read as the app writes them (``client/src/components/pages/Settings/Export/ExportControls.tsx`` and the
``Mood`` type in ``client/src/types.ts``): the JSON is a list of moods, ``[{"mood": 7, "description": "calm",
"exploration": "...", "location": {...}, "updatedAt": ..., "createdAt": "2024-03-01T20:15:00.000Z"}]``; the CSV
has one column per key, nested ones flattened with a colon (``location:latitude``), in the order the app first
met them.

MoodTracker rates from 0 to 10, rescaled to the journal's 1-5 as ``--mood-scale 0..10`` does (0 is 1, 5 is
3, 10 is 5). ``createdAt`` is the moment (UTC). The description (a few words) and the exploration (free
text) become the note, one after the other. A mood's location is never imported: the journal keeps no places,
and the account says how many were left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any

from ...errors import RekindleError
from ...journal import Entry
from .base import Format, Parsed, RowProblems, csv_rows, header_cells, join_note, load_json, moment
from .generic import number, rescale
from .options import Options

__all__ = ["looks_like_moodtracker_csv", "looks_like_moodtracker_json", "parse_moodtracker"]

SOURCE = "import:moodtracker"


def looks_like_moodtracker_json(text: str) -> bool:
    head = text.lstrip("\ufeff \t\n")[:2000]
    return head.startswith("[") and '"createdAt"' in head and '"mood"' in head and '"timeCreated"' not in head


def looks_like_moodtracker_csv(text: str) -> bool:
    cells = header_cells(text)
    return "createdat" in cells and "mood" in cells and all(
        c in {"mood", "description", "exploration", "createdat", "updatedat"} or c.startswith("location:")
        for c in cells)


def _mood(value: Any) -> int:
    found = number(value) if isinstance(value, str) else \
        Fraction(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    if found is None or not 0 <= found <= 10:
        raise RekindleError(f"mood {value!r} is not a number from 0 to 10")
    return rescale(found, Fraction(0), Fraction(10))


def _read(moods: Iterable[tuple[str, Mapping[str, Any]]], name: str, options: Options, layout: str) -> Parsed:
    problems = RowProblems(name, options.skip_invalid)
    parsed = Parsed(unit="moods", layout=layout)
    places = 0
    for where, mood in moods:
        try:
            if mood.get("mood") in (None, ""):
                parsed.not_entry("record without a mood")
                continue
            texts = [mood.get("description") or "", mood.get("exploration") or ""]
            if not all(isinstance(t, str) for t in texts):
                raise RekindleError("'description' and 'exploration' must be text")
            places += any((key == "location" or key.startswith("location:")) and value not in ("", None)
                          for key, value in mood.items())
            parsed.entries.append(Entry.make(at=moment(mood.get("createdAt"), options, "createdAt"),
                                             mood=_mood(mood["mood"]), note=join_note(*texts), source=SOURCE))
        except RekindleError as exc:
            problems.add(where, str(exc))
    if places:
        parsed.warnings.append(f"the location of {places} mood{'s' if places != 1 else ''} was left out: the "
                               "journal keeps no places")
    return problems.finish(parsed)


def parse_moodtracker(text: str, name: str, options: Options) -> Parsed:
    if text.lstrip("\ufeff \t\n").startswith("["):
        document = load_json(text, name, "a MoodTracker export")
        if not isinstance(document, list):
            raise RekindleError(f"{name}: not a MoodTracker export (expected a list of moods)")
        items = ((f"mood [{i}]", m if isinstance(m, dict) else {"mood": "not an object"})
                 for i, m in enumerate(document))
        return _read(items, name, options, "JSON")
    rows = csv_rows(text, name)
    _, header = next(rows, (1, []))
    keys = [cell.strip().lstrip("\ufeff") for cell in header]

    def records() -> Iterable[tuple[str, Mapping[str, Any]]]:
        for line, row in rows:
            if len(row) != len(keys):
                raise RekindleError(f"{name} line {line}: expected {len(keys)} columns, found {len(row)}")
            yield f"line {line}", dict(zip(keys, row, strict=True))

    return _read(records(), name, options, "CSV")


#: The formats this module reads, for importers/__init__.py (detection order is the modules' order there).
FORMATS = (Format("moodtracker", "MoodTracker export",
                  lambda s: looks_like_moodtracker_json(s.text) or looks_like_moodtracker_csv(s.text),
                  lambda s, o: parse_moodtracker(s.text, s.name, o), frozenset({"tz", "skip_invalid"})),)
