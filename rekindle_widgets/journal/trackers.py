"""Trackers of a person's own (issue 27): numbers (sleep hours, stress 1-5) and yes/no items, named by them.

A tracker value is logged with an entry (at its moment) or alone, and kept like an entry: one transaction,
the change log (edit, delete, undo), erase, the JSON export and its import, backups. Its name is the
person's word for it (``sleep``, ``worked out``), 1 to 40 characters; a value is a number or yes/no, and
one tracker keeps one kind (a name first logged as yes/no stays yes/no). The same name, moment and value is
kept once, so a re-import adds nothing.
"""

from __future__ import annotations

import hashlib
import math
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from ..errors import RekindleError
from .part import JournalPart
from .records import _check_text, _day_range, _id, _iso, _now, _utc, parse_datetime, parse_yes_no

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["MAX_VALUE", "Tracked", "TrackersMixin", "parse_track"]

#: a tracker's number is at most this far from 0 (hours, steps, a 1-5 rating all fit)
MAX_VALUE = 1_000_000
_NAME_LIMIT = 40


@dataclass(frozen=True)
class Tracked:
    """One tracker value: its name, the value (a yes/no item stores 1 or 0), and the moment."""

    name: str
    value: float
    yesno: bool
    at: datetime
    source: str = "manual"
    id: int | None = None

    @classmethod
    def make(cls, name: Any, value: Any, at: Any = None, *, source: str = "manual") -> Tracked:
        """Check a tracker value: ``value`` a number, or yes/no (also true/false, y/n, 1/0 as text)."""
        name = " ".join(_check_text(name, "a tracker's name", _NAME_LIMIT).split())
        if not name:
            raise RekindleError("a tracker needs a name, e.g. sleep=7.5")
        if "=" in name:
            raise RekindleError(f"a tracker's name may not contain '=': {name[:40]!r}")
        moment = (parse_datetime(at, what="tracker time") if at is not None else _now()).replace(microsecond=0)
        if isinstance(value, bool):
            return cls(name, float(value), True, moment, source)
        if isinstance(value, str) and value.strip() and not _is_number(value):
            try:
                answer = parse_yes_no(value, f"tracker {name!r}", required=True)
            except RekindleError:
                raise RekindleError(f"tracker {name!r} needs a number or yes/no, not {value.strip()[:40]!r}") from None
            return cls(name, float(bool(answer)), True, moment, source)
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise RekindleError(f"tracker {name!r} needs a number or yes/no, not {str(value)[:40]!r}") from None
        if not math.isfinite(number) or abs(number) > MAX_VALUE:
            raise RekindleError(f"tracker {name!r}: {str(value)[:40]} is not a number from -{MAX_VALUE:,} to "
                                f"{MAX_VALUE:,}")
        return cls(name, number, False, moment, source)

    @property
    def shown(self) -> str:
        """The value as a person wrote it: yes/no, or the number without a needless ".0"."""
        if self.yesno:
            return "yes" if self.value else "no"
        return f"{self.value:g}"

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(f"{self.name.casefold()}\x1f{_utc(self.at)}\x1f{self.value!r}\x1f{int(self.yesno)}"
                              .encode()).hexdigest()[:32]


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def parse_track(spec: str, at: Any = None) -> Tracked:
    """``"sleep=7.5"`` or ``"worked out=yes"`` (the command line's ``--track``) as a tracker value."""
    name, sep, value = str(spec).partition("=")
    if not sep:
        raise RekindleError(f"--track {str(spec)[:40]!r} needs NAME=VALUE, e.g. sleep=7.5 or 'worked out=yes'")
    return Tracked.make(name, value.strip(), at)


def _check_kind(conn: sqlite3.Connection, t: Tracked) -> None:
    """A RekindleError when the tracker called ``t.name`` (any case) holds the other kind of value."""
    held = conn.execute("SELECT yesno FROM tracker_values WHERE name = ? COLLATE NOCASE LIMIT 1",
                        (t.name,)).fetchone()
    if held is not None and bool(held[0]) != t.yesno:
        raise RekindleError(f"tracker {t.name!r} holds {'yes/no answers' if held[0] else 'numbers'}; "
                            f"log it as {'yes or no' if held[0] else 'a number'}, or give the new one another name")


class TrackersMixin(JournalPart):
    """The journal's tracker values (mixed into :class:`~.store.Journal`)."""

    def track(self, name: Any, value: Any, at: Any = None, *, source: str = "manual") -> Tracked:
        """Log one tracker value (now, or at ``at``) and return it with its id."""
        return self.add_tracked(Tracked.make(name, value, at, source=source))

    def add_tracked(self, item: Tracked) -> Tracked:
        """Log a checked tracker value (:meth:`Tracked.make`, :func:`parse_track`); it comes back with its id."""
        with self._write() as conn:
            row_id, added = self._insert_tracked(conn, item)
            if added:
                self._log(conn, "add", "tracker_values", row_id)
        return Tracked(item.name, item.value, item.yesno, item.at, item.source, id=row_id)

    def check_trackers(self, items: Iterable[Tracked]) -> None:
        """A RekindleError if any of ``items`` would be refused for its kind (a number logged to a yes/no
        tracker, or the other way round): checked before anything is written."""
        for t in items:
            _check_kind(self._conn, t)

    def _insert_tracked(self, conn: sqlite3.Connection, t: Tracked) -> tuple[int, bool]:
        """(id, True) for a new value, (the existing id, False) for one already kept."""
        found = conn.execute("SELECT id FROM tracker_values WHERE fingerprint = ?", (t.fingerprint,)).fetchone()
        if found:
            return int(found[0]), False
        _check_kind(conn, t)
        cur = conn.execute(
            "INSERT INTO tracker_values (id, name, value, yesno, ts, ts_utc, day, source, fingerprint, created_utc)"
            " VALUES (?,?,?,?,?,?,?,?,?,?)",
            (self._new_id(conn, "tracker_values"), t.name, t.value, int(t.yesno), _iso(t.at), _utc(t.at),
             t.at.date().isoformat(), t.source, t.fingerprint, _utc(_now())))
        return int(cur.lastrowid or 0), True

    def edit_tracker(self, value_id: Any, value: Any) -> Tracked:
        """Change a logged value (the old one is kept in the change log: undo brings it back)."""
        with self._write() as conn:
            old = self._current(conn, "tracker_values", _id(value_id, "tracker value"))
            if old is None:
                raise RekindleError(f"there is no tracker value {str(value_id)[:40]} in {self.path}; "
                                    "'rekindle trackers' lists them")
            new = Tracked.make(old["name"], value, old["ts"], source=old["source"])
            if new.yesno != bool(old["yesno"]):
                raise RekindleError(f"tracker {old['name']!r} holds {'yes/no answers' if old['yesno'] else 'numbers'}")
            self._change_row(conn, "tracker_values", old, {"value": new.value, "fingerprint": new.fingerprint})
        return Tracked(new.name, new.value, new.yesno, new.at, new.source, id=int(old["id"]))

    def delete_tracker(self, value_id: Any) -> None:
        """Remove a logged value; its last version is kept until :meth:`erase` (undo brings it back)."""
        self._delete("tracker_values", value_id, "tracker value")

    def tracked(self) -> list[Tracked]:
        """Every tracker value, oldest first."""
        rows = self._conn.execute("SELECT id, name, value, yesno, ts, source FROM tracker_values"
                                  " ORDER BY ts_utc, id").fetchall()
        return [Tracked(n, float(v), bool(y), datetime.fromisoformat(ts), s, id=i) for i, n, v, y, ts, s in rows]

    def trackers(self, since: Any = None, until: Any = None) -> pd.DataFrame:
        """Tracker values (of the local days ``since`` to ``until``, inclusive) as a table: id, timestamp
        (local, with its offset), date (the local day), name, value, yesno; oldest first."""
        import pandas as pd

        where, args = _day_range(since, until)
        rows = self._conn.execute(f"SELECT id, ts, day, name, value, yesno FROM tracker_values {where}"
                                  " ORDER BY ts_utc, id", args).fetchall()
        frame = pd.DataFrame(rows, columns=["id", "timestamp", "date", "name", "value", "yesno"])
        frame["date"] = pd.to_datetime(frame["date"], format="%Y-%m-%d")
        frame["yesno"] = frame["yesno"].astype(bool)
        frame["value"] = frame["value"].astype(float)
        return frame

    def _add_trackers(self, conn: sqlite3.Connection, items: Iterable[Tracked], context: dict[str, Any]) -> int:
        """An import's tracker values not kept yet (by fingerprint), written together: each tracker's kind is
        checked once (against the journal and the import's own first value of it), then one ``executemany``
        (value by value, four statements each, was most of a Daylio import with scales, benchmark P10)."""
        items = list(items)
        if not items:
            return 0
        # a value the journal keeps at the same wall-clock time (a file imported again under another --tz,
        # whose entries are found by their wall-clock time too) is the same value: kept once
        span = timedelta(hours=27)  # how far a wall-clock time moves between zones (UTC-12 to UTC+14)
        kept = {(name.casefold(), ts[:19], value) for name, ts, value in conn.execute(
            "SELECT name, ts, value FROM tracker_values WHERE ts_utc BETWEEN ? AND ?",
            (_utc(min(t.at for t in items) - span), _utc(max(t.at for t in items) + span)))}
        if kept:
            items = [t for t in items if (t.name.casefold(), _iso(t.at)[:19], t.value) not in kept]
        kinds: dict[str, Tracked] = {}
        for t in items:
            first = kinds.setdefault(t.name.casefold(), t)
            if first is t:
                _check_kind(conn, t)
            elif first.yesno != t.yesno:
                raise RekindleError(f"tracker {t.name!r} holds both numbers and yes/no answers in this file; "
                                    "a tracker keeps one kind")
        created = _utc(_now())
        rows = iter([(t.name, t.value, int(t.yesno), _iso(t.at), _utc(t.at), t.at.date().isoformat(), t.source,
                      t.fingerprint, created) for t in items])
        before = conn.total_changes
        first_id = self._new_id(conn, "tracker_values")
        for row in rows:  # the first one new takes the id after any kept version's; the rest follow it
            if conn.execute("INSERT OR IGNORE INTO tracker_values (id, name, value, yesno, ts, ts_utc, day, source,"
                            " fingerprint, created_utc) VALUES (?,?,?,?,?,?,?,?,?,?)", (first_id, *row)).rowcount:
                break
        conn.executemany("INSERT OR IGNORE INTO tracker_values (name, value, yesno, ts, ts_utc, day, source,"
                         " fingerprint, created_utc) VALUES (?,?,?,?,?,?,?,?,?)", rows)
        return conn.total_changes - before

