"""Daily You's JSON export.

Read as Daily You's own importer (``lib/utils/imports/import_json.dart``, Demizo/Daily_You) reads it: a list
of logs, ``[{"timeCreated": "2024-03-01T20:15:00.000", "timeModified": ..., "text": "...", "mood": 1,
"images": [{"imgPath": ..., "imgRank": 0, "timeCreated": ...}]}]``.

Daily You rates a day from -2 to 2 (its five faces), so the journal's mood is that plus 3: -2 is 1 (awful),
0 is 3, 2 is 5 (rad). ``timeCreated`` is the moment; Dart writes a phone's local time without a zone
(``...T20:15:00.000``), read in ``--tz`` or this computer's zone, and a UTC time with its ``Z``. The text is
the note, its Markdown kept as written. A log without a mood is a diary page, not a mood entry: it is counted,
not imported. Pictures stay in the app (their paths name files on the phone) and are counted in a warning.
"""

from __future__ import annotations

from ...errors import RekindleError
from ...journal import Entry
from .base import Format, Parsed, RowProblems, load_json, moment
from .options import Options

__all__ = ["looks_like_daily_you", "parse_daily_you"]

SOURCE = "import:dailyyou"


def looks_like_daily_you(text: str) -> bool:
    head = text.lstrip("\ufeff \t\n")[:2000]
    return head.startswith("[") and '"timeCreated"' in head and '"timeModified"' in head and '"text"' in head


def parse_daily_you(text: str, name: str, options: Options) -> Parsed:
    document = load_json(text, name, "a Daily You export")
    if not isinstance(document, list):
        raise RekindleError(f"{name}: not a Daily You export (expected a list of logs)")
    problems = RowProblems(name, options.skip_invalid)
    parsed = Parsed(unit="logs")
    pictures = 0
    for i, log in enumerate(document):
        try:
            if not isinstance(log, dict):
                raise RekindleError("expected an object with timeCreated, text and mood")
            at = moment(log.get("timeCreated"), options, "timeCreated")
            mood = log.get("mood")
            note = log.get("text") or ""
            if not isinstance(note, str):
                raise RekindleError("'text' must be text")
            if mood is None:
                parsed.not_entry("log without a mood")
                continue
            if isinstance(mood, bool) or not isinstance(mood, int) or not -2 <= mood <= 2:
                raise RekindleError(f"mood {mood!r} is not a whole number from -2 to 2")
            images = log.get("images")
            pictures += (len(images) if isinstance(images, list) else 0) + bool(log.get("imgPath"))
            parsed.entries.append(Entry.make(at=at, mood=mood + 3, note=note.strip(), source=SOURCE))
        except RekindleError as exc:
            problems.add(f"log [{i}]", str(exc))
    if pictures:
        parsed.warnings.append(f"{pictures} picture{'s' if pictures != 1 else ''} stayed in Daily You: the file "
                               "names them but does not hold them")
    return problems.finish(parsed)


#: The format this module reads, for importers/__init__.py (detection order is the modules' order there).
FORMATS = (Format("dailyyou", "Daily You JSON export", lambda s: looks_like_daily_you(s.text),
                  lambda s, o: parse_daily_you(s.text, s.name, o), frozenset({"tz", "skip_invalid"})),)
