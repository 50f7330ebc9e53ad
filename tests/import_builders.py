"""Builders for import test files: Daylio CSV (both layouts), Daylio backups, Pixels JSON, generic CSV."""

from __future__ import annotations

import base64
import csv
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

DATA = Path(__file__).parent / "data"
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


@dataclass(frozen=True)
class Row:
    """One Daylio entry as a person made it."""

    when: datetime  # naive wall-clock time
    label: str
    activities: tuple[str, ...] = ()
    title: str = ""
    note: str = ""


def _time(when: datetime, twelve_hour: bool) -> str:
    if not twelve_hour:
        return when.strftime("%H:%M")
    hour = when.hour % 12 or 12
    return f"{hour}:{when.minute:02d} {'am' if when.hour < 12 else 'pm'}"


def daylio_csv(rows: list[Row], layout: int = 8, *, twelve_hour: bool = False, month_first: bool = False) -> str:
    """A Daylio CSV export of ``rows`` (newest first, as Daylio writes it)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    if layout == 9:
        writer.writerow(["full_date", "date", "weekday", "time", "mood", "activities", "scales", "note_title", "note"])
    elif layout == 8:
        writer.writerow(["full_date", "date", "weekday", "time", "mood", "activities", "note_title", "note"])
    elif layout == 70:  # 7 columns with full_date (2019-2021)
        writer.writerow(["full_date", "date", "weekday", "time", "mood", "activities", "note"])
    else:
        writer.writerow(["year", "date", "weekday", "time", "mood", "activities", "note"])
    for r in sorted(rows, key=lambda r: r.when, reverse=True):
        month = MONTHS[r.when.month - 1]
        day_month = f"{month} {r.when.day}" if month_first else f"{r.when.day} {month}"
        common = [day_month, r.when.strftime("%A"), _time(r.when, twelve_hour), r.label, " | ".join(r.activities)]
        if layout == 9:
            writer.writerow([r.when.date().isoformat(), *common, "", r.title, r.note])
        elif layout == 8:
            writer.writerow([r.when.date().isoformat(), *common, r.title, r.note])
        elif layout == 70:
            note = "\n".join(p for p in (r.title.strip(), r.note.strip()) if p)
            writer.writerow([r.when.date().isoformat(), *common, note])
        else:
            note = "\n".join(p for p in (r.title.strip(), r.note.strip()) if p)
            writer.writerow([str(r.when.year), *common, note])
    return out.getvalue()


def pack_backup(document: dict | bytes, member: str = "backup.daylio") -> bytes:
    """A .daylio archive: ``member`` holding the base64 of the JSON document."""
    raw = document if isinstance(document, bytes) else json.dumps(document, ensure_ascii=False).encode("utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, base64.b64encode(raw))
        archive.writestr("assets/photos/2024/3/abc", b"\xff\xd8not really a jpeg")
    return buf.getvalue()


def fixture_backup() -> dict:
    return json.loads((DATA / "daylio_backup.json").read_text(encoding="utf-8"))


def backup_document(rows: list[Row], labels: dict[str, int], offset_ms: int = 0) -> dict:
    """A Daylio backup JSON holding ``rows``; custom labels get the group of their level."""
    predefined = {"rad": 1, "good": 2, "meh": 3, "bad": 4, "awful": 5}
    moods = [{"id": i, "custom_name": "", "mood_group_id": i, "mood_group_order": 0, "predefined_name_id": i,
              "state": 0} for i in range(1, 6)]
    mood_ids = dict(predefined)
    for label, level in labels.items():
        if label.lower() in predefined:
            continue
        mood_ids[label] = len(moods) + 1
        moods.append({"id": len(moods) + 1, "custom_name": label, "mood_group_id": 6 - level,
                      "mood_group_order": 1, "predefined_name_id": -1, "state": 0})
    tag_ids: dict[str, int] = {}
    for r in rows:
        for a in r.activities:
            tag_ids.setdefault(a, 100 + len(tag_ids))
    entries = []
    for i, r in enumerate(rows):
        utc = (r.when.replace(tzinfo=UTC).timestamp() * 1000) - offset_ms
        entries.append({"id": i + 1, "minute": r.when.minute, "hour": r.when.hour, "day": r.when.day,
                        "month": r.when.month - 1, "year": r.when.year, "datetime": int(utc) + 17_123,
                        "timeZoneOffset": offset_ms, "mood": mood_ids[r.label.lower() if r.label.lower()
                                                                       in predefined else r.label],
                        "note_title": r.title, "note": r.note, "tags": [tag_ids[a] for a in r.activities],
                        "assets": []})
    return {"version": 15, "customMoods": moods,
            "tags": [{"id": i, "name": n, "state": 0} for n, i in tag_ids.items()], "dayEntries": entries}


def generic_csv(rows: list[tuple[str, str, str, str]], sep: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator="\n")
    writer.writerow(["Date", "Score", "Journal", "Labels"])
    writer.writerows(rows)
    return out.getvalue()


def bearable_csv(readings: list[tuple[datetime, str, str, str, str]]) -> str:
    """Bearable's long format: ``(when, category, rating, detail, notes)`` per row; clock times."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(["date", "weekday", "time of day", "category", "rating/amount", "detail", "notes"])
    for when, category, rating, detail, notes in readings:
        day = when.day
        suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
        writer.writerow([f"{day}{suffix} {MONTHS[when.month - 1][:3]} {when.year}", when.strftime("%A"),
                         when.strftime("%H:%M"), category, rating, detail, notes])
    return out.getvalue()


def imoodjournal_csv(rows: list[tuple[datetime, int, str, list[str]]], hashtags: list[str]) -> str:
    """iMoodJournal: ``(when, level 1-10, comment, hashtags used)`` per row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Date", "Day of week", "Hour", "Minute", "Level", "LevelText", "Comment",
                     *[f"#{h}" for h in hashtags]])
    for when, level, comment, used in rows:
        writer.writerow([when.date().isoformat(), when.strftime("%A"), when.hour, when.minute, level, "x", comment,
                         *["1" if h in used else "0" for h in hashtags]])
    return out.getvalue()
