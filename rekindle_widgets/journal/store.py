"""The journal store: one SQLite file per person, and the only code that speaks SQL to it.

SQLite is the storage engine, used for what it guarantees: every write below is
one transaction (``BEGIN IMMEDIATE`` ... ``COMMIT``), so it happens whole or
not at all, in WAL mode with ``synchronous=FULL`` so a committed entry survives
a crash or power cut. Opening a journal upgrades its schema
(:mod:`~rekindle_widgets.journal.schema`), with a backup copy of the old file
kept beside it.

The connection is private: code outside this package asks the
:class:`Journal` (``entries()``, ``activity()``, ``known_fingerprints()``, ...)
or :func:`open_elsewhere`, and never runs SQL of its own. :func:`as_journal`
and :func:`opened` (with :func:`path_of`) are the one way to turn "a Journal, a
path, or None for the default" into a journal.
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from ..errors import RekindleError
from ..paths import default_journal, private_dir
from . import codec
from .records import (
    Entry,
    Goal,
    ImportResult,
    Response,
    Session,
    StageChange,
    _iso,
    _now,
    _utc,
    parse_date,
)
from .schema import MIGRATIONS, SCHEMA_VERSION, _statements

if TYPE_CHECKING:  # pandas is imported lazily: importing the package stays light
    import pandas as pd

BUSY_TIMEOUT = 10.0  # seconds a writer waits for another before giving up
BUSY_ENV = "REKINDLE_BUSY_TIMEOUT"  # overrides BUSY_TIMEOUT: seconds, 0 to 3600

# --------------------------------------------------------------------------
# The journal
# --------------------------------------------------------------------------


def busy_timeout() -> float:
    """How long to wait for a journal another window or program holds locked, in seconds.

    ``$REKINDLE_BUSY_TIMEOUT`` (0 to 3600; 0 gives up at once) if set, else
    :data:`BUSY_TIMEOUT`. While another writer holds the lock, a write waits
    up to this long (SQLite retries until the lock is free), then fails with a
    one-line "journal ... is busy" error instead of hanging.
    """
    text = os.environ.get(BUSY_ENV, "").strip()
    if not text:
        return BUSY_TIMEOUT
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 3600:  # also refuses nan and inf
        raise RekindleError(f"{BUSY_ENV}={text[:20]!r} is not a number of seconds from 0 to 3600; "
                            f"fix it or unset it (the default is {BUSY_TIMEOUT:g})")
    return seconds


T = TypeVar("T")

#: The columns of a plain entry row, as :meth:`Journal.rows` returns them.
_ROW_SELECT = "SELECT id, ts, day, mood, readiness, tags, note, source FROM entries"


class Activity(NamedTuple):
    """How much a journal holds and how recent it is (:meth:`Journal.activity`)."""

    entries: int
    last_day: str | None  # YYYY-MM-DD of the latest entry; None when there is none
    sessions: int


def _reads(method: Callable[..., T]) -> Callable[..., T]:
    """A read that fails (a damaged file, a disk that went away) says so in one line, as writes do."""

    @functools.wraps(method)
    def read(self: Journal, *args: Any, **kwargs: Any) -> T:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as exc:
            raise self._error(exc) from None

    return read


class Journal:
    """A person's journal file. Use as a context manager, or call :meth:`close`.

    ``create=False`` refuses to make a new file (for commands that only read).
    ``timeout``: seconds to wait for a lock another program holds (default
    :func:`busy_timeout`: ``$REKINDLE_BUSY_TIMEOUT`` or 10).
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, create: bool = True,
                 timeout: float | None = None):
        timeout = busy_timeout() if timeout is None else timeout  # checked before any file is made
        self.path = path_of(path)
        self._db: sqlite3.Connection | None = None
        if self.path.is_dir():
            raise RekindleError(f"{self.path} is a folder; give the path of a journal file instead")
        if not self.path.exists():
            if not create:
                raise RekindleError(
                    f"there is no journal at {self.path}; start one with 'rekindle log' or 'rekindle demo'"
                )
            self._create_file()
        self._db = self._connect(timeout)
        self._migrate()

    # -- opening -----------------------------------------------------------

    def _create_file(self) -> None:
        private_dir(self.path.parent)
        try:
            fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            return
        except OSError as exc:
            raise RekindleError(f"cannot create journal {self.path}: {exc.strerror or exc}") from None
        os.close(fd)
        os.chmod(self.path, 0o600)  # whatever the umask

    def _connect(self, timeout: float) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(self.path, timeout=timeout, isolation_level=None,
                                   check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL").fetchone()
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.DatabaseError as exc:
            raise self._error(exc) from None
        return conn

    def _error(self, exc: sqlite3.Error) -> RekindleError:
        text = str(exc)
        if "not a database" in text or "malformed" in text:
            return RekindleError(f"{self.path} is not a readable Rekindle journal ({text})")
        if "locked" in text or "busy" in text:
            return RekindleError(
                f"journal {self.path} is busy: another window or program kept it locked; try again in a moment"
            )
        if "readonly" in text or "unable to open" in text:
            return RekindleError(f"cannot write to journal {self.path} ({text}); check the file's permissions")
        return RekindleError(f"journal {self.path}: {text}")

    @property
    def _conn(self) -> sqlite3.Connection:
        """The open connection: private, so that every statement on the file is in this package."""
        if self._db is None:
            raise RekindleError(f"journal {self.path} is closed")
        return self._db

    @property
    def version(self) -> int:
        return self._conn.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        try:
            found = self.version
            if found > SCHEMA_VERSION:
                raise RekindleError(
                    f"{self.path} was written by a newer Rekindle (schema {found}, this one knows "
                    f"{SCHEMA_VERSION}); upgrade Rekindle to open it"
                )
            if found == SCHEMA_VERSION:
                return
            if found == 0:
                tables = self._conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
                if tables:
                    raise RekindleError(
                        f"{self.path} is a SQLite database but not a Rekindle journal; choose another file"
                    )
            else:
                self.backup(self.path.with_name(f"{self.path.name}.v{found}.bak"))
            with self._write():
                for version in range(found + 1, SCHEMA_VERSION + 1):
                    for statement in _statements(MIGRATIONS[version]):
                        self._conn.execute(statement)
                self._conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.DatabaseError as exc:
            self.close()
            raise self._error(exc) from None
        except RekindleError:
            self.close()
            raise

    def backup(self, target: str | os.PathLike[str]) -> Path:
        """A consistent copy of the journal (SQLite's online backup), mode 0600."""
        target = Path(target)
        fd = os.open(target, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        os.close(fd)
        os.chmod(target, 0o600)
        with sqlite3.connect(target) as copy:
            self._conn.backup(copy)
        copy.close()
        return target

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Journal({str(self.path)!r})"

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction: everything inside is written, or nothing is."""
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        try:
            yield conn
            codec.pack_blocks(conn)
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise self._error(exc) from None
            raise

    @contextmanager
    def _snapshot(self) -> Iterator[sqlite3.Connection]:
        """One read transaction (unless one is open already): every statement inside sees the same file."""
        conn = self._conn
        own = not conn.in_transaction
        if own:
            conn.execute("BEGIN")
        try:
            yield conn
        finally:
            if own:
                conn.execute("COMMIT")

    # -- writing -----------------------------------------------------------

    def add(self, mood: Any, readiness: Any = None, *, tags: Iterable[str] | str | None = (),
            note: str | None = "", at: str | datetime | date | None = None,
            source: str = "manual") -> int:
        """Add one entry and return its id (an identical entry is not added twice)."""
        entry = Entry.make(mood=mood, readiness=readiness, tags=tags, note=note, at=at, source=source)
        with self._write() as conn:
            return self._insert(conn, entry) or self._id_of(conn, entry)

    def add_entries(self, entries: Iterable[Entry], *, stages: Iterable[StageChange] = (),
                    responses: Iterable[Response] = (), source: str = "",
                    sessions: Iterable[Session] = ()) -> ImportResult:
        """Add many entries (and stage changes, responses, sessions) in one transaction: all or nothing.

        Entries already in the journal (same fingerprint) are counted as
        duplicates and skipped, so importing the same file twice adds nothing.
        """
        result = ImportResult(source=source)
        with self._write() as conn:
            # one executemany: a row-by-row execute was most of a 100,000-entry import (benchmark P10)
            before = conn.execute("SELECT count(*) FROM entries").fetchone()[0]
            created = _utc(_now())
            offered = 0

            def params() -> Iterator[tuple[Any, ...]]:
                nonlocal offered
                for e in entries:
                    offered += 1
                    yield (_iso(e.at), _utc(e.at), e.at.date().isoformat(), e.mood, e.readiness, "|".join(e.tags),
                           e.note, e.source, e.fingerprint, created)

            conn.executemany(
                "INSERT OR IGNORE INTO entries (ts, ts_utc, day, mood, readiness, tags, note, source,"
                " fingerprint, created_utc) VALUES (?,?,?,?,?,?,?,?,?,?)", params())
            result.added = conn.execute("SELECT count(*) FROM entries").fetchone()[0] - before
            result.duplicates = offered - result.added
            known = {(r[0], r[1]) for r in conn.execute("SELECT stage, since FROM stage_changes")}
            for change in stages:
                if (change.stage, change.since.isoformat()) not in known:
                    self._insert_stage(conn, change)
                    known.add((change.stage, change.since.isoformat()))
                    result.stages_added += 1
            seen = {tuple(r) for r in conn.execute("SELECT instrument, ts_utc FROM responses")}
            for response in responses:
                if (response.instrument, _utc(response.at)) not in seen:
                    self._insert_response(conn, response)
                    seen.add((response.instrument, _utc(response.at)))
                    result.responses_added += 1
            for session in sessions:
                if self._insert_session(conn, session):
                    result.sessions_added += 1
        return result

    @staticmethod
    def _insert(conn: sqlite3.Connection, e: Entry) -> int | None:
        cur = conn.execute(
            "INSERT OR IGNORE INTO entries (ts, ts_utc, day, mood, readiness, tags, note, source,"
            " fingerprint, created_utc) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (_iso(e.at), _utc(e.at), e.at.date().isoformat(), e.mood, e.readiness, "|".join(e.tags),
             e.note, e.source, e.fingerprint, _utc(_now())),
        )
        return cur.lastrowid if cur.rowcount else None

    @staticmethod
    def _id_of(conn: sqlite3.Connection, e: Entry) -> int:
        return conn.execute("SELECT id FROM entries WHERE fingerprint = ?", (e.fingerprint,)).fetchone()[0]

    def set_stage(self, stage: Any, since: str | date | None = None, note: str | None = "") -> StageChange:
        """Record that the person entered ``stage`` on ``since`` (default today)."""
        change = StageChange.make(stage, since, note)
        with self._write() as conn:
            self._insert_stage(conn, change)
        return change

    @staticmethod
    def _insert_stage(conn: sqlite3.Connection, c: StageChange) -> None:
        conn.execute(
            "INSERT INTO stage_changes (stage, since, note, created_utc) VALUES (?,?,?,?)",
            (c.stage, c.since.isoformat(), c.note, _utc(_now())),
        )

    def add_response(self, instrument: str, answers: Sequence[Any], *, total: float | None = None,
                     band: str | None = None, flags: Sequence[str] = (),
                     at: str | datetime | None = None, context: str = "self") -> int:
        """Save one questionnaire response (scored by :mod:`rekindle_widgets.scorer`)."""
        response = Response.make(instrument, answers, total=total, band=band, flags=flags, at=at,
                                 context=context)
        with self._write() as conn:
            return self._insert_response(conn, response)

    @staticmethod
    def _insert_response(conn: sqlite3.Connection, r: Response) -> int:
        cur = conn.execute(
            "INSERT INTO responses (instrument, ts, ts_utc, answers, total, band, flags, context,"
            " created_utc) VALUES (?,?,?,?,?,?,?,?,?)",
            (r.instrument, _iso(r.at), _utc(r.at), json.dumps(list(r.answers), ensure_ascii=False),
             r.total, r.band, json.dumps(list(r.flags)), r.context, _utc(_now())),
        )
        return int(cur.lastrowid or 0)

    def add_session(self, session: Session | None = None, /, **fields: Any) -> int:
        """Save one session and return its id (an identical session is not added twice).

        Give a :class:`Session`, or its fields as keywords (``day``, ``minutes``,
        ``stage``, ``instruments``, ``template``, ``notes``, ``homework``,
        ``goals``), validated by :meth:`Session.make`.
        """
        if session is None:
            session = Session.make(**fields)
        elif fields or not isinstance(session, Session):
            raise TypeError("add_session takes a Session or keyword fields, not both")
        with self._write() as conn:
            return self._insert_session(conn, session) or conn.execute(
                "SELECT id FROM sessions WHERE fingerprint = ?", (session.fingerprint,)).fetchone()[0]

    @staticmethod
    def _insert_session(conn: sqlite3.Connection, s: Session) -> int | None:
        cur = conn.execute(
            "INSERT OR IGNORE INTO sessions (day, minutes, stage, instruments, template, notes, homework,"
            " fingerprint, created_utc) VALUES (?,?,?,?,?,?,?,?,?)",
            (s.day.isoformat(), s.minutes, s.stage, json.dumps(list(s.instruments)), s.template,
             json.dumps(dict(s.notes), ensure_ascii=False), s.homework, s.fingerprint, _utc(_now())),
        )
        if not cur.rowcount:
            return None
        session_id = int(cur.lastrowid or 0)
        conn.executemany(
            "INSERT INTO session_goals (session_id, position, goal, rating) VALUES (?,?,?,?)",
            [(session_id, i, g.text, g.rating) for i, g in enumerate(s.goals)],
        )
        return session_id

    # -- reading -----------------------------------------------------------

    @_reads
    def count(self, *, excluding_source: str | None = None) -> int:
        """How many entries the journal holds (``excluding_source``: leaving out those from that source)."""
        if excluding_source is None:
            return self._conn.execute("SELECT count(*) FROM entries").fetchone()[0]
        return self._conn.execute("SELECT count(*) FROM entries WHERE source != ?",
                                  (excluding_source,)).fetchone()[0]

    @_reads
    def activity(self) -> Activity:
        """How much the journal holds and how recent it is: entries, the last entry's day, sessions."""
        with self._snapshot() as conn:
            entries, last = conn.execute("SELECT count(*), max(day) FROM entries").fetchone()
            sessions = conn.execute("SELECT count(*) FROM sessions").fetchone()[0]
        return Activity(entries, last, sessions)

    @_reads
    def known_fingerprints(self, fingerprints: Iterable[str]) -> set[str]:
        """Those of ``fingerprints`` (see :attr:`Entry.fingerprint`) whose entry is already in the journal."""
        wanted = list(dict.fromkeys(fingerprints))
        known: set[str] = set()
        with self._snapshot() as conn:
            for start in range(0, len(wanted), 500):  # well under SQLite's limit on parameters
                chunk = wanted[start:start + 500]
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(f"SELECT fingerprint FROM entries WHERE fingerprint IN ({marks})", chunk)
                known.update(r[0] for r in rows)
        return known

    @_reads
    def moments(self, first: datetime, last: datetime) -> list[tuple[str, str, int, str]]:
        """``(ts, ts_utc, mood, note)`` of the entries from ``first`` to ``last`` (inclusive, compared in UTC).

        What an importer needs to tell whether a file's entries are already here,
        whatever fingerprint rule the journal's rows were stored under.
        """
        with self._snapshot() as conn:
            rows = conn.execute("SELECT ts, ts_utc, mood, note FROM entries WHERE ts_utc BETWEEN ? AND ?",
                                (_utc(first), _utc(last)))
            return rows.fetchall()

    @_reads
    def stage_changes(self) -> list[StageChange]:
        """The stage timeline, oldest first (ties: the later record wins)."""
        rows = self._conn.execute("SELECT stage, since, note FROM stage_changes ORDER BY since, id")
        return [StageChange(stage, date.fromisoformat(since), note) for stage, since, note in rows]

    @_reads
    def stage_on(self, day: date) -> int | None:
        """The stage a person was in on ``day`` (None before the first stage change)."""
        row = self._conn.execute(
            "SELECT stage FROM stage_changes WHERE since <= ? ORDER BY since DESC, id DESC LIMIT 1",
            (day.isoformat(),),
        ).fetchone()
        return row[0] if row else None

    def current_stage(self) -> int | None:
        return self.stage_on(_now().date() + timedelta(days=1))

    @_reads
    def rows(self, since: str | date | None = None, until: str | date | None = None
             ) -> list[tuple[Any, ...]]:
        """Raw entry rows ``(id, ts, day, mood, readiness, tags, note, source)``, oldest first.

        ``since`` and ``until`` are inclusive local calendar dates.
        """
        where, args = _day_range(since, until)
        return self._conn.execute(f"{_ROW_SELECT} {where} ORDER BY ts_utc, id", args).fetchall()

    @_reads
    def entries(self, since: str | date | None = None, until: str | date | None = None) -> pd.DataFrame:
        """Every entry as a DataFrame, oldest first, with its derived stage.

        Columns: ``id``, ``timestamp`` (tz-aware, UTC), ``local_time`` (the ISO
        text as recorded, with its offset), ``date`` (the local day),
        ``mood`` (1-5), ``mood_label``, ``readiness`` (0-10 or NA), ``stage``
        (1-7 or NA before the first stage change), ``stage_name``, ``tags``
        (tuple of str), ``note`` and ``source``.
        """
        from . import frames  # pandas, only when a frame is asked for

        where, args = _day_range(since, until)
        changes = self.stage_changes()
        with self._snapshot() as conn:
            runs = codec.read_runs(conn, where, args)
            columns = codec.decode(runs)
            rows = [] if columns is not None or not runs else \
                conn.execute(f"{_ROW_SELECT} {where} ORDER BY ts_utc, id", args).fetchall()
        if columns is not None:
            return frames.columns_frame(columns, changes)
        return frames.entries_frame(rows, changes)

    @_reads
    def responses(self, instrument: str | None = None) -> pd.DataFrame:
        """Questionnaire responses as a DataFrame, oldest first."""
        import pandas as pd

        sql = "SELECT id, instrument, ts, ts_utc, answers, total, band, flags, context FROM responses"
        args: tuple[str, ...] = ()
        if instrument is not None:
            sql, args = sql + " WHERE instrument = ?", (instrument,)
        rows = self._conn.execute(sql + " ORDER BY ts_utc, id", args).fetchall()
        frame = pd.DataFrame(rows, columns=["id", "instrument", "local_time", "ts_utc", "answers", "total",
                                            "band", "flags", "context"])
        frame.insert(2, "timestamp", pd.to_datetime(frame.pop("ts_utc"), utc=True, format="ISO8601"))
        frame["answers"] = [json.loads(a) for a in frame["answers"]]
        frame["flags"] = [tuple(json.loads(f)) for f in frame["flags"]]
        return frame

    @_reads
    def sessions(self, since: str | date | None = None, until: str | date | None = None) -> list[Session]:
        """The sessions held in this journal, oldest first; ``since``/``until`` are inclusive dates."""
        where, args = _day_range(since, until)
        sql = f"SELECT id, day, minutes, stage, instruments, template, notes, homework FROM sessions {where}"
        rows = self._conn.execute(sql + " ORDER BY day, id", args).fetchall()
        goals: dict[int, list[Goal]] = {}
        for session_id, text, rating in self._conn.execute(
                "SELECT session_id, goal, rating FROM session_goals ORDER BY session_id, position"):
            goals.setdefault(session_id, []).append(Goal(text, rating))
        return [
            Session(day=date.fromisoformat(day), template=template, notes=json.loads(notes), minutes=minutes,
                    stage=stage, instruments=tuple(json.loads(instruments)), homework=homework,
                    goals=tuple(goals.get(session_id, ())), id=session_id)
            for session_id, day, minutes, stage, instruments, template, notes, homework in rows
        ]

    def goal_progress(self, since: str | date | None = None, until: str | date | None = None
                      ) -> pd.DataFrame:
        """Every goal rating as a DataFrame, oldest first: ``session_id``, ``date``, ``goal``, ``rating``.

        ``date`` is the session's day (a pandas Timestamp, no time zone); a goal
        is followed across sessions by its text. This is what a goals chart draws.
        """
        import pandas as pd

        records = [(s.id, pd.Timestamp(s.day), g.text, g.rating)
                   for s in self.sessions(since, until) for g in s.goals]
        frame = pd.DataFrame(records, columns=["session_id", "date", "goal", "rating"])
        return frame.astype({"session_id": "int64", "date": "datetime64[ns]", "goal": object,
                             "rating": "int64"})

    @_reads
    def summary(self) -> str:
        """A one-line, deterministic summary of what the journal holds."""
        from ..content import guide

        n, first, last, mean = self._conn.execute(
            "SELECT count(*), min(day), max(day), avg(mood) FROM entries").fetchone()
        changes = self.stage_changes()
        if not n:
            text = "no entries yet"
        else:
            days = self._conn.execute("SELECT count(DISTINCT day) FROM entries").fetchone()[0]
            text = (f"{n} entries on {days} days from {first} to {last}, "
                    f"mean mood {mean:.1f} of 5")
        if changes:
            latest = changes[-1]
            text += f"; stage {latest.stage} ({guide().stage(latest.stage).name}) since {latest.since}"
        else:
            text += "; no stage recorded yet"
        return text


# --------------------------------------------------------------------------
# "A Journal, a path, or None": the one way to get a journal from one
# --------------------------------------------------------------------------

JournalLike = Journal | str | os.PathLike[str] | None


def path_of(journal: JournalLike) -> Path:
    """The file ``journal`` names: an open Journal's own file, a path (``~`` expanded), or, for None,
    the default journal (``$REKINDLE_JOURNAL`` or the data folder)."""
    if isinstance(journal, Journal):
        return journal.path
    return Path(journal).expanduser() if journal is not None else default_journal()


def as_journal(journal: JournalLike, *, create: bool = True) -> Journal:
    """A Journal from a Journal (given back as it is), a path, or None (the default journal).

    One opened here is the caller's to close; for a ``with`` block use :func:`opened`.
    ``create=False`` refuses a path where there is no journal yet.
    """
    if isinstance(journal, Journal):
        return journal
    return Journal(path_of(journal), create=create)


@contextmanager
def opened(journal: JournalLike, *, create: bool = True) -> Iterator[Journal]:
    """``with opened(journal) as j:`` a Journal for the block, as :func:`as_journal` makes it.

    A Journal passed in stays open afterwards (it is its owner's); one opened from a path is closed.
    """
    if isinstance(journal, Journal):
        yield journal
        return
    with as_journal(journal, create=create) as own:
        yield own


def open_elsewhere(path: str | os.PathLike[str]) -> bool:
    """Whether any connection (the app, a notebook, another command) has the journal file at ``path`` open.

    False for a file that does not exist or cannot be read as a database. Waits
    at most half a second for a connection that is closing.
    """
    path = Path(path)
    if not path.exists():
        return False
    try:
        conn = sqlite3.connect(path, timeout=0.5, isolation_level=None)
        try:
            conn.execute("PRAGMA locking_mode=EXCLUSIVE")  # needs every other connection closed
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            conn.execute("ROLLBACK")
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return "locked" in str(exc) or "busy" in str(exc)
    return False


def _day_range(since: str | date | None, until: str | date | None) -> tuple[str, list[str]]:
    """An SQL ``WHERE`` on the ``day`` column for inclusive local dates, and its arguments."""
    clauses, args = [], []
    if since is not None:
        clauses.append("day >= ?")
        args.append(parse_date(since, what="--since date").isoformat())
    if until is not None:
        clauses.append("day <= ?")
        args.append(parse_date(until, what="--until date").isoformat())
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), args

