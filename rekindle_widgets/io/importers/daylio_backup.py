"""Daylio's full backup (``.daylio``): a zip archive holding ``backup.daylio``.

That member is base64 text of one JSON object. What the importer reads from it:

* ``customMoods``: ``{id, custom_name, mood_group_id, predefined_name_id}``;
  ``mood_group_id`` 1 (rad) to 5 (awful) gives the level (5 to 1), whatever
  the mood is called. ``predefined_name_id`` 1-5 means one of Daylio's own
  labels (rad ... awful); -1 means ``custom_name``. A ``--map`` for a label
  overrides its group.
* ``tags``: ``{id, name}``: the activities, which become tags.
* ``dayEntries``: ``{datetime, timeZoneOffset, year, month, day, hour, minute,
  mood, tags, note_title, note}``. ``datetime`` is milliseconds since 1970
  (UTC) and ``timeZoneOffset`` the zone's offset in milliseconds; without
  them, the wall-clock fields are used, where ``month`` counts from 0.

Times are kept to the minute, as Daylio shows them, so the same diary
imported from the CSV export (in the same time zone) and from a backup gives
the same entries and re-importing either adds nothing. Photos and other
assets in the archive are not read.

The member on its own (base64 text) and its decoded JSON are read too.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import zipfile
import zlib
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, Literal, overload

from ...errors import RekindleError
from ...journal import MOOD_LABELS, Entry
from .base import Format, Parsed, join_note, load_json, localise, note_text
from .daylio import mood_tag
from .options import Options, label_key
from .text import MAX_BYTES, decode, read_at_most

__all__ = ["MEMBER", "looks_like_backup", "looks_like_backup_text", "parse_backup"]

SOURCE = "import:daylio-backup"
MEMBER = "backup.daylio"
ZIP_MAGIC = b"PK\x03\x04"
#: predefined_name_id -> label; the level of mood_group_id g is 6 - g
PREDEFINED = {6 - level: label for level, label in MOOD_LABELS.items()}
_BASE64 = re.compile(rb"^[A-Za-z0-9+/=\s]+$")


def looks_like_backup(raw: bytes) -> bool:
    return raw.startswith(ZIP_MAGIC)


def looks_like_backup_text(text: str) -> bool:
    """The decoded JSON, or the base64 member taken out of the archive."""
    head = text.lstrip()[:4096]
    if head.startswith("{"):
        return '"dayEntries"' in text and '"customMoods"' in text
    compact = "".join(head.split())[:64]
    if len(compact) < 16 or not re.fullmatch(r"[A-Za-z0-9+/=]+", compact):
        return False
    try:
        return base64.b64decode(compact[: len(compact) // 4 * 4]).lstrip().startswith(b"{")
    except (binascii.Error, ValueError):
        return False


def _member(raw: bytes, name: str) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = [n for n in archive.namelist() if n.rsplit("/", 1)[-1] == MEMBER]
            if not names:
                raise RekindleError(
                    f"{name}: this zip archive holds no {MEMBER}; is it a Daylio backup? "
                    f"In Daylio: More, Backup & Restore, Advanced options, Export"
                )
            info = archive.getinfo(min(names, key=len))
            if info.file_size > MAX_BYTES:
                raise RekindleError(f"{name}: {MEMBER} inside is {info.file_size / 1e6:.0f} MB; too large to import")
            with archive.open(info) as member:  # inflated and counted: the header's size may lie
                return read_at_most(member, MAX_BYTES, f"{name}: {MEMBER} inside")
    except RekindleError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError,
            NotImplementedError, RuntimeError) as exc:
        raise RekindleError(
            f"{name}: not a complete zip archive ({exc}); the backup may be cut short or damaged, "
            f"copy or export it again"
        ) from None


def _document(raw: bytes, name: str) -> tuple[dict[str, Any], str]:
    """The backup's JSON object, from the archive, the base64 member or the JSON itself."""
    if looks_like_backup(raw):
        payload, where = _member(raw, name), f"{name} ({MEMBER} inside)"
    else:
        payload, where = raw, name
    stripped = payload.strip()
    if not stripped:
        raise RekindleError(f"{where}: the backup data is empty; export the backup again")
    if stripped.startswith((b"{", b"\xef\xbb\xbf{")) or not _BASE64.match(stripped[:4096]):
        text = decode(payload, where)
    else:
        compact = b"".join(stripped.split())
        try:
            data = base64.b64decode(compact, validate=True)
        except (binascii.Error, ValueError):
            raise RekindleError(
                f"{where}: the backup data is not complete base64 text; the file may be cut short, "
                f"export the backup again"
            ) from None
        text = decode(data, f"{where} (decoded)")
        where = f"{where} (decoded)"
    document = load_json(text, where, "a Daylio backup")
    if not isinstance(document, dict) or not isinstance(document.get("dayEntries"), list):
        raise RekindleError(f"{where}: not a Daylio backup (no \"dayEntries\" list)")
    return document, where


@overload
def _int(record: dict[str, Any], key: str, where: str, *, required: Literal[True] = ...) -> int: ...
@overload
def _int(record: dict[str, Any], key: str, where: str, *, required: Literal[False]) -> int | None: ...
def _int(record: dict[str, Any], key: str, where: str, *, required: bool = True) -> int | None:
    value = record.get(key)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or (isinstance(value, float) and not value.is_integer()):  # NaN and infinities are not integers
        raise RekindleError(f"{where}: {key!r} must be a whole number, not {value!r}")
    return int(value)


def _list(document: dict[str, Any], key: str, where: str) -> list[Any]:
    value = document.get(key, [])
    if value is None:
        return []
    if not isinstance(value, list):
        raise RekindleError(f"{where}: {key!r} must be a list")
    return value


def _moods(document: dict[str, Any], where: str, options: Options) -> dict[int, tuple[str, int]]:
    """mood id -> (label, level)."""
    records = _list(document, "customMoods", where)
    if not records:  # a backup from before custom moods: ids 1-5 are rad ... awful
        return {mid: (label, 6 - mid) for mid, label in PREDEFINED.items()}
    moods: dict[int, tuple[str, int]] = {}
    for i, mood in enumerate(records):
        at = f"{where}: customMoods[{i}]"
        if not isinstance(mood, dict):
            raise RekindleError(f"{at}: expected an object")
        mood_id = _int(mood, "id", at)
        group = _int(mood, "mood_group_id", at)
        if group not in PREDEFINED:
            raise RekindleError(f"{at}: mood_group_id must be 1 (rad) to 5 (awful), not {group}")
        predefined = _int(mood, "predefined_name_id", at, required=False)
        custom = mood.get("custom_name") or ""
        if not isinstance(custom, str):
            raise RekindleError(f"{at}: custom_name must be text")
        label = PREDEFINED.get(predefined or -1) or " ".join(custom.split()) or PREDEFINED[group]
        override = options.mood_map.get(label_key(label))
        moods[mood_id] = (label, override if override is not None else 6 - group)
    return moods


def _tags(document: dict[str, Any], where: str) -> dict[int, str]:
    tags: dict[int, str] = {}
    for i, tag in enumerate(_list(document, "tags", where)):
        at = f"{where}: tags[{i}]"
        if not isinstance(tag, dict):
            raise RekindleError(f"{at}: expected an object")
        name = tag.get("name")
        if not isinstance(name, str):
            raise RekindleError(f"{at}: 'name' must be text")
        tags[_int(tag, "id", at)] = name
    return tags


def _when(record: dict[str, Any], at: str, options: Options) -> datetime:
    offset = _int(record, "timeZoneOffset", at, required=False)
    millis = _int(record, "datetime", at, required=False)
    try:
        zone = None
        if offset is not None:
            if abs(offset) >= 24 * 3600 * 1000:
                raise RekindleError(f"{at}: timeZoneOffset {offset} is more than a day")
            zone = timezone(timedelta(milliseconds=offset))
        if millis is not None:
            moment = datetime.fromtimestamp(millis / 1000, zone or UTC)
            if zone is None:
                moment = moment.astimezone(options.tz) if options.tz else moment.astimezone()
        else:
            fields = [_int(record, key, at) for key in ("year", "month", "day", "hour", "minute")]
            year, month, day, hour, minute = fields
            naive = datetime(year, month + 1, day, hour, minute)  # Daylio counts months from 0
            moment = naive.replace(tzinfo=zone) if zone else localise(naive, options.tz)
    except (ValueError, OverflowError, OSError) as exc:
        raise RekindleError(f"{at}: not a real date and time ({exc})") from None
    return moment.replace(second=0, microsecond=0)


def parse_backup(raw: bytes, name: str, options: Options) -> Parsed:
    document, where = _document(raw, name)
    moods = _moods(document, where, options)
    tags = _tags(document, where)
    entries: list[Entry] = []
    seen: dict[str, int] = {}
    tag_of: dict[str, str | None] = {}
    for i, record in enumerate(document["dayEntries"]):
        at = f"{where}: dayEntries[{i}]"
        if not isinstance(record, dict):
            raise RekindleError(f"{at}: expected an object")
        mood_id = _int(record, "mood", at)
        if mood_id not in moods:
            raise RekindleError(f"{at}: mood id {mood_id} is not one of the backup's moods "
                                f"({', '.join(str(m) for m in sorted(moods))})")
        label, level = moods[mood_id]
        seen[label] = seen.get(label, 0) + 1
        if label not in tag_of:
            tag_of[label] = mood_tag(label, options)
        tag_ids = record.get("tags") or []
        if not isinstance(tag_ids, list):
            raise RekindleError(f"{at}: 'tags' must be a list of activity ids")
        names = []
        for tag_id in tag_ids:
            if isinstance(tag_id, bool) or not isinstance(tag_id, int) or tag_id not in tags:
                raise RekindleError(f"{at}: activity id {tag_id!r} is not in the backup's activities")
            names.append(tags[tag_id])
        tag = tag_of[label]
        if tag:
            names.append(tag)
        title, note = record.get("note_title") or "", record.get("note") or ""
        if not isinstance(title, str) or not isinstance(note, str):
            raise RekindleError(f"{at}: 'note' and 'note_title' must be text")
        try:
            entries.append(Entry.make(at=_when(record, at, options), mood=level, tags=names,
                                      note=join_note(note_text(title), note_text(note)), source=SOURCE))
        except RekindleError as exc:
            raise exc if str(exc).startswith(where) else RekindleError(f"{at}: {exc}") from None
    return Parsed(entries=entries, labels=seen)


#: The format this module reads, for importers/__init__.py (detection order is the modules' order there).
FORMATS = (Format("daylio-backup", "Daylio backup (.daylio)",
                  lambda s: looks_like_backup(s.raw) or looks_like_backup_text(s.text),
                  lambda s, o: parse_backup(s.raw, s.name, o), frozenset({"mood_map", "tz"})),)
