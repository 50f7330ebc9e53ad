"""Rekindle's own CSV and JSON exports, read back exactly.

The CSV carries each entry's derived stage; when the journal has no stage
timeline yet, the timeline is rebuilt from it (a stage starts on the day of
its first entry). The JSON carries the timeline itself, with notes, the
questionnaire responses and therapy sessions.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

from ...errors import RekindleError
from ...journal import (
    Agreement,
    CheckIn,
    Decision,
    Entry,
    ForwardRecords,
    MicroDate,
    Plan,
    Response,
    Session,
    StageChange,
    Statement,
)
from ..export import CSV_COLUMNS, JSON_FORMAT, restore
from .base import Parsed, allow_long_cells, json_error

__all__ = ["looks_like_csv", "looks_like_json", "parse_csv", "parse_json"]


def looks_like_csv(text: str) -> bool:
    return text.split("\n", 1)[0].strip() == ",".join(CSV_COLUMNS)


def looks_like_json(text: str) -> bool:
    return text.lstrip().startswith("{")


def parse_csv(text: str, name: str) -> Parsed:
    allow_long_cells()  # a note may be longer than csv's default cell limit
    rows = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(rows, None)
        if header != CSV_COLUMNS:
            raise RekindleError(
                f"{name} line 1: expected the columns {','.join(CSV_COLUMNS)}, found {','.join(header or [])!r}; "
                f"is this a Rekindle export? For another app's CSV, name its columns with --date-col and "
                f"--mood-col (see 'rekindle import --help')"
            )
        entries, stages_seen = [], []
        for row in rows:
            line = rows.line_num
            if not row or row == [""]:
                continue
            if len(row) != len(CSV_COLUMNS):
                raise RekindleError(f"{name} line {line}: expected {len(CSV_COLUMNS)} columns, found {len(row)}")
            stamp, mood, readiness, stage, tags, note, source = row
            try:
                entry = Entry.make(at=stamp, mood=mood, readiness=readiness, tags=restore(tags),
                                   note=restore(note), source=restore(source) or "import:csv")
                if stage.strip():
                    stages_seen.append((entry.at.date(), StageChange.make(stage, entry.at.date()).stage))
            except RekindleError as exc:
                raise RekindleError(f"{name} line {line}: {exc}") from None
            entries.append(entry)
    except csv.Error as exc:
        raise RekindleError(f"{name} line {rows.line_num}: malformed CSV ({exc})") from None
    return Parsed(entries=entries, stages=_timeline(stages_seen), stages_derived=True)


def _timeline(seen: list[tuple[date, int]]) -> list[StageChange]:
    """Stage changes rebuilt from per-entry stages: a change where the stage differs."""
    changes: list[StageChange] = []
    for day, stage in sorted(seen, key=lambda pair: pair[0]):
        if not changes or changes[-1].stage != stage:
            changes.append(StageChange(stage, day))
    return changes


def _field(record: Any, key: str, where: str) -> Any:
    if not isinstance(record, dict):
        raise RekindleError(f"{where}: expected an object")
    if key not in record:
        raise RekindleError(f"{where}: missing {key!r}")
    return record[key]


def parse_json(text: str, name: str) -> Parsed:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise json_error(exc, text, name) from None
    except RecursionError:
        raise RekindleError(f"{name}: the JSON is nested too deeply to be a Rekindle export") from None
    except ValueError:  # a number too long for int() (over 4,300 digits)
        raise RekindleError(f"{name}: the JSON holds a number too long to be real; the file is damaged") from None
    if not isinstance(document, dict) or document.get("format") != JSON_FORMAT:
        what = (f"a JSON object with the keys {', '.join(list(map(str, document))[:8])}"
                if isinstance(document, dict) and document else "JSON")
        raise RekindleError(
            f"{name}: {what} is not a Rekindle JSON export (no \"format\": \"{JSON_FORMAT}\"); the JSON we import "
            f"comes from Rekindle, Pixels (a list of days), Pixy (an object with \"items\") and Daylio backups "
            f"(an object with \"dayEntries\")"
        )
    lists = {}
    for key in ("entries", "stages", "responses", "sessions", "agreements", "checkins", "plans"):
        value = document.get(key, [])
        if not isinstance(value, list):
            raise RekindleError(f"{name}: {key!r} must be a list")
        lists[key] = value
    entries, stages, responses, sessions = [], [], [], []
    try:
        for i, r in enumerate(lists["entries"]):
            where = f"{name}: entries[{i}]"
            try:
                tags = _field(r, "tags", where)
                if not isinstance(tags, list):
                    raise RekindleError("tags must be a list")
                entries.append(Entry.make(at=_field(r, "timestamp", where), mood=_field(r, "mood", where),
                                          readiness=r.get("readiness"), tags=tags, note=r.get("note") or "",
                                          source=r.get("source") or "import:json"))
            except RekindleError as exc:
                raise RekindleError(f"{where}: {exc}") from None
        for i, r in enumerate(lists["stages"]):
            where = f"{name}: stages[{i}]"
            try:
                stages.append(StageChange.make(_field(r, "stage", where), _field(r, "since", where),
                                               r.get("note") or ""))
            except RekindleError as exc:
                raise RekindleError(f"{where}: {exc}") from None
        for i, r in enumerate(lists["responses"]):
            where = f"{name}: responses[{i}]"
            try:
                responses.append(Response.make(_field(r, "instrument", where), _field(r, "answers", where),
                                                total=r.get("total"), band=r.get("band"),
                                                flags=r.get("flags") or (), at=_field(r, "timestamp", where),
                                                context=r.get("context") or "self"))
            except RekindleError as exc:
                raise RekindleError(f"{where}: {exc}") from None
        for i, r in enumerate(lists["sessions"]):
            where = f"{name}: sessions[{i}]"
            try:
                goals = r.get("goals") or [] if isinstance(r, dict) else []
                if not isinstance(goals, list):
                    raise RekindleError("goals must be a list")
                sessions.append(Session.make(
                    day=_field(r, "date", where), minutes=r.get("minutes"), stage=r.get("stage"),
                    instruments=r.get("instruments") or (), template=r.get("template") or "soap",
                    notes=r.get("notes"), homework=r.get("homework") or "",
                    goals=[(_field(g, "goal", f"goals[{j}]"), _field(g, "rating", f"goals[{j}]"))
                           for j, g in enumerate(goals)]))
            except RekindleError as exc:
                raise RekindleError(f"{where}: {exc}") from None
    except RekindleError as exc:
        if str(exc).startswith(name):
            raise
        raise RekindleError(f"{name}: {exc}") from None
    agreements, checkins = _together(lists["agreements"], lists["checkins"], name)
    return Parsed(entries=entries, stages=stages, responses=responses, sessions=sessions, agreements=agreements,
                  checkins=checkins, forward=_forward(document, name),
                  plans=_plans(lists["plans"], name))


def _list(document: dict[str, Any], key: str, name: str) -> list[Any]:
    value = document.get(key, [])
    if not isinstance(value, list):
        raise RekindleError(f"{name}: {key!r} must be a list")
    return value


def _forward(document: dict[str, Any], name: str) -> ForwardRecords:
    """The moving-forward lists of a Rekindle JSON export (export.forward_records), checked."""
    records = ForwardRecords()
    readers = {
        "decisions": lambda r, w: records.decisions.append(Decision.make(
            day=_field(r, "date", w), option=_field(r, "option", w),
            reasons=[(_field(x, "option", f"reasons[{j}]"), _field(x, "text", f"reasons[{j}]"),
                      _field(x, "weight", f"reasons[{j}]"))
                     for j, x in enumerate(_checked_list(r.get("reasons"), "reasons"))],
            answers=_field(r, "answers", w) if isinstance(_field(r, "answers", w), dict) else _not_object("answers"),
            involved=_checked_list(r.get("involved"), "involved"), review=r.get("review"), note=r.get("note") or "")),
        "statements": lambda r, w: records.statements.append(Statement.make(
            _field(r, "feeling", w), _field(r, "situation", w), r.get("wish") or "", _field(r, "date", w))),
        "dates": lambda r, w: records.dates.append(MicroDate.make(
            _field(r, "idea", w), _field(r, "planned", w), r.get("happened"))),
        "ideas": lambda r, w: records.ideas.append(_idea(_field(r, "kind", w), _field(r, "text", w))),
        "tried": lambda r, w: records.tried.append(_tried(_field(r, "idea", w), _field(r, "date", w))),
    }
    for key, read in readers.items():
        for i, r in enumerate(_list(document, key, name)):
            where = f"{name}: {key}[{i}]"
            try:
                read(r, where)
            except RekindleError as exc:
                if str(exc).startswith(where):
                    raise
                raise RekindleError(f"{where}: {exc}") from None
    return records


def _checked_list(value: Any, key: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise RekindleError(f"{key} must be a list")
    return value


def _not_object(key: str) -> Any:
    raise RekindleError(f"{key} must be an object")


def _idea(kind: Any, text: Any) -> tuple[str, str]:
    from ...journal import IDEA_KINDS
    from ...journal.forward import _text

    if kind not in IDEA_KINDS:
        raise RekindleError(f"kind must be one of {', '.join(IDEA_KINDS)}, not {str(kind)[:40]!r}")
    return kind, _text(text, "the idea")


def _tried(idea: Any, day: Any) -> tuple[str, date]:
    from ...journal.forward import _day, _text

    return _text(idea, "the idea"), _day(day, "date")


def _plans(records: list[Any], name: str) -> list[Plan]:
    """Measurement plans (issue 18), checked as a plan file's are (:meth:`Plan.make`)."""
    out = []
    for i, r in enumerate(records):
        where = f"{name}: plans[{i}]"
        try:
            out.append(Plan.make(plan=_field(r, "plan", where), client=_field(r, "client", where),
                                 instruments=_field(r, "instruments", where), every_days=r.get("every_days"),
                                 start=_field(r, "start", where), role=r.get("role") or "set", ended=r.get("ended")))
        except RekindleError as exc:
            raise RekindleError(f"{where}: {exc}" if not str(exc).startswith(where) else str(exc)) from None
    return out


def _together(agreement_list: list[Any], checkin_list: list[Any], name: str
              ) -> tuple[list[Agreement], list[CheckIn]]:
    """The red-flag watch's agreements and check-ins; a check-in's marks name the file's agreement numbers."""
    from dataclasses import replace

    agreements: list[Agreement] = []
    numbers: set[int] = set()
    for i, r in enumerate(agreement_list):
        where = f"{name}: agreements[{i}]"
        try:
            number = _field(r, "number", where)
            if isinstance(number, bool) or not isinstance(number, int) or number < 1 or number in numbers:
                raise RekindleError(f"number must be a whole number from 1, once per agreement, not {number!r}")
            numbers.add(number)
            made = Agreement.make(_field(r, "text", where), _field(r, "since", where), r.get("ended"))
            agreements.append(replace(made, id=number))
        except RekindleError as exc:
            raise RekindleError(str(exc) if str(exc).startswith(where) else f"{where}: {exc}") from None
    checkins: list[CheckIn] = []
    for i, r in enumerate(checkin_list):
        where = f"{name}: checkins[{i}]"
        try:
            marks = _field(r, "marks", where)
            if not isinstance(marks, list):
                raise RekindleError("marks must be a list")
            pairs = [(_field(m, "agreement", f"marks[{j}]"), _field(m, "kept", f"marks[{j}]"))
                     for j, m in enumerate(marks)]
            checkin = CheckIn.make(_field(r, "date", where), pairs, past_raised=r.get("past_raised"),
                                   promises_visible=r.get("promises_visible"), feels=r.get("feels"))
            unknown = [n for n, _ in checkin.marks if n not in numbers]
            if unknown:
                raise RekindleError(f"rates agreement {unknown[0]}, which is not among the file's agreements")
            checkins.append(checkin)
        except RekindleError as exc:
            raise RekindleError(str(exc) if str(exc).startswith(where) else f"{where}: {exc}") from None
    return agreements, checkins
