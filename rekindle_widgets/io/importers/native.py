"""Rekindle's own CSV and JSON exports, read back exactly.

The CSV carries each entry's derived stage; when the journal has no stage
timeline yet, the timeline is rebuilt from it (a stage starts on the day of
its first entry). The JSON carries the timeline itself, with notes, the
questionnaire responses and therapy sessions.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from typing import Any

from ...errors import RekindleError
from ...journal import (
    Agreement,
    CheckIn,
    Decision,
    Entry,
    MicroDate,
    Plan,
    Response,
    Session,
    StageChange,
    Statement,
    Tracked,
)
from ...journal.tables import KINDS
from ..export import CSV_COLUMNS, JSON_FORMAT, restore
from .base import Format, Parsed, Source, allow_long_cells, load_json
from .options import Options

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
    document = load_json(text, name, "a Rekindle export")
    if not isinstance(document, dict) or document.get("format") != JSON_FORMAT:
        what = (f"a JSON object with the keys {', '.join(list(map(str, document))[:8])}"
                if isinstance(document, dict) and document else "JSON")
        raise RekindleError(
            f"{name}: {what} is not a Rekindle JSON export (no \"format\": \"{JSON_FORMAT}\"); the JSON we import "
            f"comes from Rekindle, Pixels (a list of days), Pixy (an object with \"items\") and Daylio backups "
            f"(an object with \"dayEntries\")"
        )
    lists = {}
    for kind in KINDS:
        value = document.get(kind.name, [])
        if not isinstance(value, list):
            raise RekindleError(f"{name}: {kind.name!r} must be a list")
        lists[kind.name] = value
    context: dict[str, Any] = {}  # what one kind's reader leaves for a later one's (the file's agreement numbers)
    read = {kind.name: _each(lists[kind.name], kind.name, name, READERS[kind.name], context) for kind in KINDS}
    return Parsed(entries=read.pop("entries"), stages=read.pop("stages"), records=read)


def _each(records: list[Any], key: str, name: str, reader: Reader, context: dict[str, Any]) -> list[Any]:
    """Each record of the export's list ``key`` through ``reader``; an error names the file, list and index."""
    out = []
    for i, r in enumerate(records):
        where = f"{name}: {key}[{i}]"
        try:
            out.append(reader(r, where, context))
        except RekindleError as exc:
            raise RekindleError(str(exc) if str(exc).startswith(where) else f"{where}: {exc}") from None
    return out


def _entry(r: Any, where: str, context: dict[str, Any]) -> Entry:
    tags = _field(r, "tags", where)
    if not isinstance(tags, list):
        raise RekindleError("tags must be a list")
    return Entry.make(at=_field(r, "timestamp", where), mood=_field(r, "mood", where), readiness=r.get("readiness"),
                      tags=tags, note=r.get("note") or "", source=r.get("source") or "import:json")


def _stage(r: Any, where: str, context: dict[str, Any]) -> StageChange:
    return StageChange.make(_field(r, "stage", where), _field(r, "since", where), r.get("note") or "")


def _response(r: Any, where: str, context: dict[str, Any]) -> Response:
    return Response.make(_field(r, "instrument", where), _field(r, "answers", where), total=r.get("total"),
                         band=r.get("band"), flags=r.get("flags") or (), at=_field(r, "timestamp", where),
                         context=r.get("context") or "self")


def _session(r: Any, where: str, context: dict[str, Any]) -> Session:
    goals = r.get("goals") or [] if isinstance(r, dict) else []
    if not isinstance(goals, list):
        raise RekindleError("goals must be a list")
    return Session.make(
        day=_field(r, "date", where), minutes=r.get("minutes"), stage=r.get("stage"),
        instruments=r.get("instruments") or (), template=r.get("template") or "soap",
        notes=r.get("notes"), homework=r.get("homework") or "",
        goals=[(_field(g, "goal", f"goals[{j}]"), _field(g, "rating", f"goals[{j}]")) for j, g in enumerate(goals)])


def _agreement(r: Any, where: str, context: dict[str, Any]) -> Agreement:
    """An agreement with the file's ``number``, which the file's check-ins name (kept in ``context``)."""
    from dataclasses import replace

    numbers: set[int] = context.setdefault("agreement_numbers", set())
    number = _field(r, "number", where)
    if isinstance(number, bool) or not isinstance(number, int) or number < 1 or number in numbers:
        raise RekindleError(f"number must be a whole number from 1, once per agreement, not {number!r}")
    numbers.add(number)
    return replace(Agreement.make(_field(r, "text", where), _field(r, "since", where), r.get("ended")), id=number)


def _checkin(r: Any, where: str, context: dict[str, Any]) -> CheckIn:
    marks = _field(r, "marks", where)
    if not isinstance(marks, list):
        raise RekindleError("marks must be a list")
    pairs = [(_field(m, "agreement", f"marks[{j}]"), _field(m, "kept", f"marks[{j}]")) for j, m in enumerate(marks)]
    checkin = CheckIn.make(_field(r, "date", where), pairs, past_raised=r.get("past_raised"),
                           promises_visible=r.get("promises_visible"), feels=r.get("feels"))
    unknown = [n for n, _ in checkin.marks if n not in context.get("agreement_numbers", set())]
    if unknown:
        raise RekindleError(f"rates agreement {unknown[0]}, which is not among the file's agreements")
    return checkin


def _decision(r: Any, w: str, context: dict[str, Any]) -> Decision:
    answers = _field(r, "answers", w)
    return Decision.make(
        day=_field(r, "date", w), option=_field(r, "option", w),
        reasons=[(_field(x, "option", f"reasons[{j}]"), _field(x, "text", f"reasons[{j}]"),
                  _field(x, "weight", f"reasons[{j}]"))
                 for j, x in enumerate(_checked_list(r.get("reasons"), "reasons"))],
        answers=answers if isinstance(answers, dict) else _not_object("answers"),
        involved=_checked_list(r.get("involved"), "involved"), review=r.get("review"), note=r.get("note") or "")


def _statement(r: Any, w: str, context: dict[str, Any]) -> Statement:
    return Statement.make(_field(r, "feeling", w), _field(r, "situation", w), r.get("wish") or "", _field(r, "date", w))


def _date(r: Any, w: str, context: dict[str, Any]) -> MicroDate:
    return MicroDate.make(_field(r, "idea", w), _field(r, "planned", w), r.get("happened"))


def _plan(r: Any, where: str, context: dict[str, Any]) -> Plan:
    """A measurement plan, checked as a plan file's is (:meth:`Plan.make`)."""
    return Plan.make(plan=_field(r, "plan", where), client=_field(r, "client", where),
                     instruments=_field(r, "instruments", where), every_days=r.get("every_days"),
                     start=_field(r, "start", where), role=r.get("role") or "set", ended=r.get("ended"))


Reader = Callable[[Any, str, dict[str, Any]], Any]

#: One reader per kind of record in journal/tables.py, by its name (the export's list): a test checks that
#: every kind has one, so a new kind cannot be left out of the import of Rekindle's own JSON.
READERS: dict[str, Reader] = {
    "entries": _entry, "stages": _stage, "responses": _response, "sessions": _session,
    "agreements": _agreement, "checkins": _checkin, "decisions": _decision, "statements": _statement,
    "dates": _date, "ideas": lambda r, w, c: _idea(_field(r, "kind", w), _field(r, "text", w)),
    "tried": lambda r, w, c: _tried(_field(r, "idea", w), _field(r, "date", w)), "plans": _plan,
    "trackers": lambda r, w, c: Tracked.make(_field(r, "name", w), _field(r, "value", w), _field(r, "timestamp", w),
                                             source=r.get("source") or "import"),
}


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


def _parse_csv(source: Source, options: Options) -> Parsed:
    """Rekindle's own CSV, or, with ``--date-col`` and its kin, any CSV (:mod:`.generic`)."""
    from .generic import parse_generic

    if options.has_columns:
        return parse_generic(source.text, source.name, options)
    return parse_csv(source.text, source.name)


#: Rekindle's own exports. Options: none for our CSV (every time carries its offset); the generic route's
#: are in generic.USES.
FORMATS = (Format("json", "Rekindle JSON export", lambda s: looks_like_json(s.text),
                  lambda s, o: parse_json(s.text, s.name)),
           Format("csv", "CSV (Rekindle export, or columns you name)", lambda s: looks_like_csv(s.text), _parse_csv))
