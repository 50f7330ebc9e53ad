"""Pixy's JSON export.

``{"version": ..., "items": [{"date": "2022-01-23", "dateTime": "2022-01-23T20:15:00.000Z",
"rating": "very_good", "emotions": ["calm"], "tags": [{"id": ...}], "message": "..."}], "settings":
{"tags": [{"id": ..., "title": "work"}]}}``; older exports keep ``items`` as an object keyed by date.

Pixy rates a day on seven steps, ``extremely_bad`` ... ``extremely_good``,
rescaled to the journal's five as ``--mood-scale 0..6`` does: extremely bad 1,
very bad and bad 2, neutral 3, good and very good 4, extremely good 5.
``dateTime`` carries the moment (UTC); an item without one is set at 12:00 of
its ``date`` in ``--tz`` or this computer's zone. Emotions and tags become tags: a
tag given by id (``{"id": "16"}``) takes its title from the file's tag list, under
``settings`` or at the top level (``"tags": [{"id": 16, "title": "work"}]``); one
whose id is in neither is counted in a warning. ``message`` becomes the note.
"""

from __future__ import annotations

from datetime import date, datetime
from fractions import Fraction
from typing import Any

from ...errors import RekindleError
from ...journal import Entry, parse_datetime
from .base import Format, Parsed, RowProblems, load_json, localise, note_text
from .generic import rescale
from .options import Options

__all__ = ["RATINGS", "looks_like_pixy", "parse_pixy"]

SOURCE = "import:pixy"
RATINGS = ["extremely_bad", "very_bad", "bad", "neutral", "good", "very_good", "extremely_good"]


def looks_like_pixy(text: str) -> bool:
    head = text.lstrip("\ufeff \t\n")[:4000]
    return head.startswith("{") and '"items"' in head and ('"rating"' in head or '"version"' in head)


def _list(value: Any) -> list[Any]:
    """A JSON array, or nothing for anything else (a damaged file's number or text is no list of tags)."""
    return value if isinstance(value, list) else []


def _names(value: Any) -> list[str]:
    return [v for v in _list(value) if isinstance(v, str)]


def _is_key(value: Any) -> bool:
    """Can a JSON value be a tag id? Arrays and objects cannot (nor be looked up): such a tag is skipped."""
    return not isinstance(value, (list, dict))


def parse_pixy(text: str, name: str, options: Options) -> Parsed:
    document = load_json(text, name, "a Pixy export")
    if not isinstance(document, dict) or not isinstance(document.get("items"), (list, dict)):
        raise RekindleError(f"{name}: not a Pixy export (no \"items\" list)")
    items = document["items"]
    items = list(items.values()) if isinstance(items, dict) else items
    settings = document.get("settings")
    if not isinstance(settings, dict):
        settings = {}
    # a tag's id -> its title: from "settings" (older exports) or the file's top-level "tags" list (issue 25),
    # its name under "title" or "name", its id compared as text ("16" and 16 are one tag)
    titles: dict[str, str] = {}
    for t in [*_list(settings.get("tags")), *_list(document.get("tags"))]:
        title = t.get("title", t.get("name")) if isinstance(t, dict) else None
        if isinstance(t, dict) and _is_key(t.get("id")) and isinstance(title, str) and title.strip():
            titles.setdefault(str(t.get("id")), title)
    unknown_tags = 0
    problems = RowProblems(name, options.skip_invalid)
    parsed = Parsed(unit="items", layout="items list" if isinstance(document["items"], list) else "items by date")
    for i, item in enumerate(items):
        where = f"item [{i}]"
        try:
            if not isinstance(item, dict):
                raise RekindleError("expected an object with date and rating")
            rating = item.get("rating")
            if rating is None:
                parsed.not_entry("item without a rating")
                continue
            if rating not in RATINGS:
                raise RekindleError(f"rating {rating!r} is not one of {', '.join(RATINGS)}")
            stamp, day = item.get("dateTime"), item.get("date")
            if isinstance(stamp, str) and stamp.strip():
                at = parse_datetime(stamp.strip())
                if at.tzinfo is None:
                    at = localise(at, options.tz)
            elif isinstance(day, str):
                try:
                    d = date.fromisoformat(day.strip())
                except ValueError:
                    raise RekindleError(f"date {day!r} is not a date such as 2022-01-23") from None
                at = localise(datetime(d.year, d.month, d.day, 12), options.tz)
            else:
                raise RekindleError("it has neither a dateTime nor a date")
            tags = _names(item.get("emotions"))
            for tag in _list(item.get("tags")):
                if isinstance(tag, str):
                    tags.append(tag)
                elif isinstance(tag, dict) and _is_key(tag.get("id")) and \
                        isinstance(title := titles.get(str(tag.get("id"))), str):
                    tags.append(title)
                elif isinstance(tag, dict) and isinstance(own := tag.get("title", tag.get("name")), str):
                    tags.append(own)  # a tag that carries its own name
                else:
                    unknown_tags += 1
            message = item.get("message") or ""
            if not isinstance(message, str):
                raise RekindleError("'message' must be text")
            parsed.entries.append(Entry.make(at=at, mood=rescale(Fraction(RATINGS.index(rating)), Fraction(0),
                                                                 Fraction(6)),
                                             tags=[t.replace("|", "/") for t in tags], note=note_text(message),
                                             source=SOURCE))
        except RekindleError as exc:
            problems.add(where, str(exc))
    if unknown_tags:  # said, never dropped silently
        parsed.warnings.append(f"{unknown_tags} tag{'s' if unknown_tags != 1 else ''} named by an id that the file's "
                               "tag list does not hold, or of no known shape, were left out")
    return problems.finish(parsed)


#: The format this module reads, for importers/__init__.py (detection order is the modules' order there).
FORMATS = (Format("pixy", "Pixy JSON export", lambda s: looks_like_pixy(s.text),
                  lambda s, o: parse_pixy(s.text, s.name, o), frozenset({"tz", "skip_invalid"})),)
