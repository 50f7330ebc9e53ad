"""Is this file one Rekindle wrote? Its schema, object by object, and every row, as new input is checked.

A SQLite file can carry triggers, views, indexes and tables of its own, and
``PRAGMA ignore_check_constraints`` lets it hold rows that break our CHECK
constraints while ``integrity_check`` still says ``ok``. A backup someone hands
in is hostile until checked, so :func:`problems` compares the file's
``sqlite_master`` with the schema :mod:`.schema` builds for its version (no
extra table, trigger, view or index; none missing; the same SQL), and passes
every row of every kind in :data:`.tables.KINDS` through the same checks as a
new record (:meth:`Entry.make` and its kin). ``rekindle restore`` refuses a file
with any problem; ``rekindle check`` lists a journal's own.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from ..errors import RekindleError
from .forward import Decision, MicroDate, Statement, _day, _text
from .plans import Plan
from .records import Entry, Response, Session, StageChange, parse_date
from .schema import MIGRATIONS, _statements
from .tables import KINDS, SUPPORT_TABLES
from .trackers import Tracked
from .watch import Agreement, CheckIn

__all__ = ["ROW_CHECKS", "problems", "row_problems", "schema_problems"]

#: how many problems a check lists before it stops looking
MAX_PROBLEMS = 20


def _sql(text: str | None) -> str:
    return " ".join((text or "").split())


@cache
def expected_schema(version: int) -> frozenset[tuple[str, str, str]]:
    """(type, name, SQL with white space folded) of every object a journal of ``version`` holds."""
    conn = sqlite3.connect(":memory:")
    try:
        for step in range(1, version + 1):
            for statement in _statements(MIGRATIONS[step]):
                conn.execute(statement)
        return frozenset((t, n, _sql(s)) for t, n, s in conn.execute("SELECT type, name, sql FROM sqlite_master"))
    finally:
        conn.close()


def schema_problems(conn: sqlite3.Connection) -> list[str]:
    """What in the file's schema is not exactly what Rekindle makes for its version: one line each."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version not in MIGRATIONS:
        return [f"schema version {version} is not one Rekindle writes"]
    found = {(t, n, _sql(s)) for t, n, s in conn.execute("SELECT type, name, sql FROM sqlite_master")}
    want = expected_schema(version)
    out = [f"it has a {t} {n!r} that Rekindle does not make" for t, n, _ in sorted(found - want)
           if (t, n) not in {(a, b) for a, b, _ in want}]
    out += [f"its {t} {n!r} is not as Rekindle makes it" for t, n, _ in sorted(found - want)
            if (t, n) in {(a, b) for a, b, _ in want}]
    out += [f"it lacks the {t} {n!r}" for t, n, _ in sorted(want - found)
            if (t, n) not in {(a, b) for a, b, _ in found}]
    return out


def _json_list(text: Any, what: str) -> list[Any]:
    value = json.loads(text) if isinstance(text, str) else None
    if not isinstance(value, list):
        raise RekindleError(f"{what} is not a list")
    return value


def _entry(r: dict[str, Any]) -> None:
    e = Entry.make(mood=r["mood"], readiness=r["readiness"], tags=[t for t in str(r["tags"]).split("|") if t],
                   note=r["note"], at=r["ts"], source=r["source"])
    if r["day"] != e.at.date().isoformat():
        raise RekindleError(f"its day {str(r['day'])[:20]!r} is not the day of its time {r['ts']}")


def _response(r: dict[str, Any]) -> None:
    Response.make(r["instrument"], _json_list(r["answers"], "answers"), total=r["total"], band=r["band"],
                  flags=_json_list(r["flags"], "flags"), at=r["ts"], context=r["context"])


def _session(r: dict[str, Any]) -> None:
    notes = json.loads(r["notes"]) if isinstance(r["notes"], str) else None
    Session.make(day=r["day"], minutes=r["minutes"], stage=r["stage"],
                 instruments=_json_list(r["instruments"], "instruments"), template=r["template"], notes=notes,
                 homework=r["homework"])


def _decision(r: dict[str, Any]) -> None:
    Decision.make(option=r["option"], day=r["day"], review=r["review"], note=r["note"],
                  answers={"know": r["know"], "values": r["values_clear"], "support": r["support"],
                           "sure": r["sure"]}, involved=_json_list(r["involved"], "involved"))


def _plan(r: dict[str, Any]) -> None:
    Plan.make(plan=r["plan"], client=r["client"], instruments=_json_list(r["instruments"], "instruments"),
              every_days=r["every_days"], start=r["start"], role=r["role"], ended=r["ended"])


#: Each kind's rows, checked as new records of that kind are (a test checks every kind has one).
ROW_CHECKS: dict[str, Callable[[dict[str, Any]], object]] = {
    "entries": _entry,
    "stages": lambda r: StageChange.make(r["stage"], r["since"], r["note"]),
    "responses": _response,
    "sessions": _session,
    "agreements": lambda r: Agreement.make(r["text"], r["since"], r["ended"]),
    "checkins": lambda r: CheckIn.make(r["day"], (), past_raised=r["past_raised"],
                                       promises_visible=r["promises_visible"], feels=r["feels"]),
    "decisions": _decision,
    "statements": lambda r: Statement.make(r["feeling"], r["situation"], r["wish"], r["day"]),
    "dates": lambda r: MicroDate.make(r["idea"], r["planned"], r["happened"]),
    "ideas": lambda r: _text(r["text"], "the idea"),
    "tried": lambda r: (_text(r["idea"], "the idea"), _day(r["day"], "date")),
    "plans": _plan,
    "trackers": lambda r: Tracked.make(r["name"], ("yes" if r["value"] else "no") if r["yesno"] else r["value"],
                                       r["ts"], source=r["source"]),
}


def _rows(conn: sqlite3.Connection, table: str) -> Iterator[dict[str, Any]]:
    cur = conn.execute(f"SELECT * FROM {table} ORDER BY rowid")
    names = [d[0] for d in cur.description]
    for values in cur:
        yield dict(zip(names, values, strict=True))


def row_problems(conn: sqlite3.Connection, limit: int = MAX_PROBLEMS) -> list[str]:
    """Rows that would not pass the checks of a new record of their kind, one line each (``limit`` at most)."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    out: list[str] = []
    for kind in KINDS:
        if kind.table not in tables:
            continue
        check = ROW_CHECKS[kind.name]
        for row in _rows(conn, kind.table):
            try:
                check(row)
                if "created_utc" in row:
                    parse_date(str(row["created_utc"])[:10], what="its creation date")
            except (RekindleError, ValueError, TypeError, KeyError) as exc:
                out.append(f"{kind.noun} {row.get('id')} ({kind.table}): {exc}")
                if len(out) >= limit:
                    return out
    if "changes" in tables and "versions" in tables:  # the change log's JSON is read by undo and history
        for table, column in (("changes", "detail"), ("versions", "row")):
            for row_id, text in conn.execute(f"SELECT id, {column} FROM {table}"):
                try:
                    if not isinstance(json.loads(text), dict):
                        raise ValueError("not an object")
                except (ValueError, TypeError):
                    out.append(f"{table} row {row_id}: its {column} is not the JSON Rekindle writes")
                    if len(out) >= limit:
                        return out
    out += [f"{table} row {rowid} points at a missing {parent} row"
            for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check")][: limit - len(out)]
    return out


def problems(conn: sqlite3.Connection) -> list[str]:
    """Everything wrong with the file: its schema first (rows of a file with foreign objects are not read)."""
    found = schema_problems(conn)
    return found or row_problems(conn)


assert set(SUPPORT_TABLES).isdisjoint(k.table for k in KINDS)
