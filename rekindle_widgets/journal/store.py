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

Corrections (schema 4) keep everything until an explicit erase. The design is
*current rows plus a change log*, not soft deletion: ``entries``,
``stage_changes``, ``responses`` and ``sessions`` hold only the current
versions, so every read (charts, reports, exports, the packed blocks, importers'
duplicate checks) stays what it was and cannot show a deleted row by
forgetting a ``WHERE deleted = 0``, and a deleted entry's fingerprint no longer
blocks adding it again. Each add, edit, delete and import is one row of
``changes``; an edit or a delete also keeps the whole row it replaced, as JSON,
in ``versions``. :meth:`Journal.undo` takes the last change back (an import,
one transaction, is one change: the id span it added is removed), and
:meth:`Journal.erase` deletes the versions and the log, then VACUUMs. New rows
take ids after any id a kept version holds, so one entry's history never
becomes another's. An edit keeps the row's fingerprint: re-importing the file
an entry came from does not bring back the mistake it corrected.
"""

from __future__ import annotations

import errno
import functools
import json
import os
import sqlite3
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from ..errors import RekindleError
from ..paths import default_journal, own_journal, private_dir
from . import checks, codec
from .forward import ForwardMixin
from .plans import PlansMixin
from .records import (
    DEMO_SOURCE,
    Entry,
    Goal,
    ImportResult,
    Response,
    Session,
    StageChange,
    _day_range,
    _id,
    _iso,
    _now,
    _utc,
    entry_fingerprint,
)
from .schema import MIGRATIONS, SCHEMA_VERSION, _statements
from .tables import KINDS, content_tables, kind_of_table, logged_tables, undo_order
from .trackers import TrackersMixin
from .watch import WatchMixin

if TYPE_CHECKING:  # pandas is imported lazily: importing the package stays light
    import pandas as pd

BUSY_TIMEOUT = 10.0  # seconds a writer waits for another before giving up
BUSY_ENV = "REKINDLE_BUSY_TIMEOUT"  # overrides BUSY_TIMEOUT: seconds, 0 to 3600
#: SQLite's page cache while :meth:`Journal.add_entries` writes (negative: KiB), back to the default after
IMPORT_CACHE_KIB = -65536

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


class _Unchanged:
    def __repr__(self) -> str:
        return "UNCHANGED"


#: "leave this field as it is" in the ``edit_*`` methods (None means "clear it").
UNCHANGED: Any = _Unchanged()

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


class Journal(WatchMixin, ForwardMixin, PlansMixin, TrackersMixin):
    """A person's journal file. Use as a context manager, or call :meth:`close`.

    ``create=False`` refuses to make a new file (for commands that only read).
    ``timeout``: seconds to wait for a lock another program holds (default
    :func:`busy_timeout`: ``$REKINDLE_BUSY_TIMEOUT`` or 10).
    ``safety_copies=False``: upgrading an older schema keeps no safety copy
    (for a temporary copy, such as a backup being restored).
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, create: bool = True,
                 timeout: float | None = None, safety_copies: bool = True):
        timeout = busy_timeout() if timeout is None else timeout  # checked before any file is made
        self.path = path_of(path)
        if self.path.is_symlink():  # followed once, here: the file it names is the one made private below
            self.path = self.path.resolve()
        self._safety_copies = safety_copies
        self._db: sqlite3.Connection | None = None
        self._unreadable: frozenset[int] | None = None  # see unreadable_entries
        if self.path.is_dir():
            raise RekindleError(f"{self.path} is a folder; give the path of a journal file instead")
        if not self.path.exists():
            if not create:
                raise RekindleError(
                    f"there is no journal at {self.path}; start one with 'rekindle log' or 'rekindle demo'"
                )
            self._create_file()
        else:
            self._tighten()
        self._db = self._connect(timeout)
        self._migrate()
        if safety_copies:
            from .copies import adopt_legacy_backups

            adopt_legacy_backups(self)

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

    def _tighten(self) -> None:
        """An existing journal (and its -wal/-shm) that others could read is made this account's alone."""
        for file in (self.path, *(self.path.with_name(self.path.name + s) for s in ("-wal", "-shm"))):
            try:
                st = file.stat()
                if stat.S_IMODE(st.st_mode) & 0o077 and st.st_uid == os.getuid():
                    os.chmod(file, 0o600)
            except OSError:
                continue  # not there, or not ours to change: SQLite says so when it opens it

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
        if "disk is full" in text or ("disk I/O error" in text and disk_full(self.path)):
            return RekindleError(f"the disk is full: {self.path} cannot be written (nothing was changed); "
                                 f"free some space on the disk that holds {self.path.parent} and try again")
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
            elif self._safety_copies:  # the journal as it was, among its safety copies (kept, listed, erased)
                from .copies import safety_copy

                safety_copy(self, "migration")
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

    def backup_to(self, target: str | os.PathLike[str]) -> Path:
        """A consistent copy of the whole journal at ``target`` (SQLite's online backup API), mode 0600.

        The copy is written to a temporary file beside ``target`` and renamed
        over it when complete, so ``target`` is never left half-written; it is
        a journal file of its own (the same schema, no WAL beside it).
        """
        import tempfile

        target = Path(target).expanduser()
        if target.is_dir():
            raise RekindleError(f"{target} is a folder; give a file name to write the backup to")
        if not target.parent.is_dir():
            raise RekindleError(f"cannot write {target}: folder {target.parent} does not exist")
        try:
            fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        except OSError as exc:
            raise RekindleError(f"cannot write {target}: {exc.strerror or exc}") from None
        os.close(fd)
        tmp = Path(name)
        try:
            os.chmod(tmp, 0o600)
            copy = sqlite3.connect(tmp)
            try:
                self._conn.backup(copy)
                copy.execute("PRAGMA journal_mode=DELETE").fetchone()  # one self-contained file
            finally:
                copy.close()
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except sqlite3.DatabaseError as exc:
            tmp.unlink(missing_ok=True)
            raise self._error(exc) from None
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            if exc.errno == errno.ENOSPC:
                raise RekindleError(f"the disk is full: cannot write {target}; free some space on the disk "
                                    f"that holds {target.parent} and try again") from None
            raise RekindleError(f"cannot write {target}: {exc.strerror or exc}") from None
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return target

    def backup(self, target: str | os.PathLike[str]) -> Path:
        """The same as :meth:`backup_to` (the older name)."""
        return self.backup_to(target)

    def replace_from(self, source: Journal) -> None:
        """Make this journal's content exactly that of the journal ``source`` (SQLite's backup API).

        For restoring a whole backup: check its file with :func:`check_backup`
        first and keep a safety copy of this journal (:mod:`.copies`). SQLite
        copies every page in one step, so this happens whole or not at all.
        """
        self._unreadable = None
        try:
            source._conn.backup(self._conn)
            self._conn.execute("PRAGMA journal_mode=WAL").fetchone()
        except sqlite3.DatabaseError as exc:
            raise self._error(exc) from None

    @_reads
    def is_empty(self) -> bool:
        """Whether the journal holds no record of any kind the registry counts (:func:`.tables.content_tables`):
        a journal holding only a received plan is not empty."""
        with self._snapshot() as conn:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            return not any(conn.execute(f"SELECT EXISTS (SELECT 1 FROM {table})").fetchone()[0]
                           for table in content_tables() if table in tables)

    @_reads
    def check(self) -> list[str]:
        """What is wrong with this journal, one line each: SQLite's integrity check, then anything in its
        schema Rekindle does not make, then rows that would not pass the checks of a new record
        (:mod:`.checks`: rows an older version or a damaged file let in). Empty when all is well."""
        with self._snapshot() as conn:
            found = [r[0] for r in conn.execute("PRAGMA integrity_check(20)")]
            return ([] if found == ["ok"] else found) + checks.problems(conn)

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
            new = self._insert(conn, entry)
            if new is None:
                return self._id_of(conn, entry)
            _record(conn, "add", "entries", new)
            return new

    def add_entries(self, entries: Iterable[Entry], *, stages: Iterable[StageChange] = (),
                    records: Mapping[str, Iterable[Any]] | None = None, source: str = "",
                    label: str = "") -> ImportResult:
        """Add many entries, and records of the other kinds, in one transaction: all or nothing.

        ``label`` names the file for undo, in words ("Daylio CSV export").

        ``records`` maps a kind's name in :data:`.tables.KINDS` ("responses",
        "sessions", "plans", ...) to its records; each kind's ``adder`` writes
        them. Records already in the journal (by each kind's duplicate key) are
        skipped, so importing the same file twice adds nothing.
        """
        with self.importing(source=source, label=label) as batch:
            batch.add(entries, stages=stages, records=records)
        return batch.result

    @contextmanager
    def importing(self, *, source: str = "", label: str = "") -> Iterator[ImportBatch]:
        """One transaction for an import that arrives in parts (:class:`ImportBatch`): every part is written
        inside it, and the whole is committed at the end of the block, or nothing is (an error inside, a
        file found damaged at its last line, rolls every part back). Undo takes the import back as one."""
        with self._write() as conn:
            batch = ImportBatch(self, conn, source)
            cache = conn.execute("PRAGMA cache_size").fetchone()[0]
            # a page cache that holds the indexes of a large import: SQLite's default 2 MB makes it spill
            # pages to the WAL and read them back while the random fingerprints fill their index
            conn.execute(f"PRAGMA cache_size = {IMPORT_CACHE_KIB}")
            try:
                yield batch
            finally:
                conn.execute(f"PRAGMA cache_size = {int(cache)}")
            batch.finish(label)

    @staticmethod
    def _add_stages(conn: sqlite3.Connection, changes: Iterable[StageChange], context: dict[str, Any]) -> int:
        """An import's stage changes not in the journal yet (the same stage from the same day is the same)."""
        known = {(r[0], r[1]) for r in conn.execute("SELECT stage, since FROM stage_changes")}
        added = 0
        for change in changes:
            if (change.stage, change.since.isoformat()) not in known:
                Journal._insert_stage(conn, change)
                known.add((change.stage, change.since.isoformat()))
                added += 1
        return added

    @staticmethod
    def _add_responses(conn: sqlite3.Connection, responses: Iterable[Response], context: dict[str, Any]) -> int:
        """An import's questionnaire responses not in the journal yet (same questionnaire, same moment)."""
        seen = {tuple(r) for r in conn.execute("SELECT instrument, ts_utc FROM responses")}
        added = 0
        for response in responses:
            if (response.instrument, _utc(response.at)) not in seen:
                Journal._insert_response(conn, response)
                seen.add((response.instrument, _utc(response.at)))
                added += 1
        return added

    @staticmethod
    def _add_sessions(conn: sqlite3.Connection, sessions: Iterable[Session], context: dict[str, Any]) -> int:
        return sum(Journal._insert_session(conn, s) is not None for s in sessions)

    @staticmethod
    def _insert(conn: sqlite3.Connection, e: Entry) -> int | None:
        cur = conn.execute(
            "INSERT OR IGNORE INTO entries (id, ts, ts_utc, day, mood, readiness, tags, note, source,"
            " fingerprint, created_utc) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (_next_id(conn, "entries"), _iso(e.at), _utc(e.at), e.at.date().isoformat(), e.mood, e.readiness,
             "|".join(e.tags), e.note, e.source, e.fingerprint, _utc(_now())),
        )
        return cur.lastrowid if cur.rowcount else None

    @staticmethod
    def _id_of(conn: sqlite3.Connection, e: Entry) -> int:
        return conn.execute("SELECT id FROM entries WHERE fingerprint = ?", (e.fingerprint,)).fetchone()[0]

    def set_stage(self, stage: Any, since: str | date | None = None, note: str | None = "") -> StageChange:
        """Record that the person entered ``stage`` on ``since`` (default today)."""
        change = StageChange.make(stage, since, note)
        with self._write() as conn:
            row_id = self._insert_stage(conn, change)
            _record(conn, "add", "stage_changes", row_id)
        return StageChange(change.stage, change.since, change.note, id=row_id)

    @staticmethod
    def _insert_stage(conn: sqlite3.Connection, c: StageChange) -> int:
        cur = conn.execute(
            "INSERT INTO stage_changes (id, stage, since, note, created_utc) VALUES (?,?,?,?,?)",
            (_next_id(conn, "stage_changes"), c.stage, c.since.isoformat(), c.note, _utc(_now())),
        )
        return int(cur.lastrowid or 0)

    def add_response(self, instrument: str, answers: Sequence[Any], *, total: float | None = None,
                     band: str | None = None, flags: Sequence[str] = (),
                     at: str | datetime | None = None, context: str = "self") -> int:
        """Save one questionnaire response (scored by :mod:`rekindle_widgets.model.scorer`)."""
        response = Response.make(instrument, answers, total=total, band=band, flags=flags, at=at,
                                 context=context)
        with self._write() as conn:
            row_id = self._insert_response(conn, response)
            _record(conn, "add", "responses", row_id)
            return row_id

    @staticmethod
    def _insert_response(conn: sqlite3.Connection, r: Response) -> int:
        cur = conn.execute(
            "INSERT INTO responses (id, instrument, ts, ts_utc, answers, total, band, flags, context,"
            " created_utc) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (_next_id(conn, "responses"), r.instrument, _iso(r.at), _utc(r.at),
             json.dumps(list(r.answers), ensure_ascii=False),
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
            new = self._insert_session(conn, session)
            if new is None:
                return conn.execute("SELECT id FROM sessions WHERE fingerprint = ?",
                                    (session.fingerprint,)).fetchone()[0]
            _record(conn, "add", "sessions", new)
            return new

    @staticmethod
    def _insert_session(conn: sqlite3.Connection, s: Session) -> int | None:
        cur = conn.execute(
            "INSERT OR IGNORE INTO sessions (id, day, minutes, stage, instruments, template, notes, homework,"
            " fingerprint, created_utc) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (_next_id(conn, "sessions"), s.day.isoformat(), s.minutes, s.stage, json.dumps(list(s.instruments)),
             s.template, json.dumps(dict(s.notes), ensure_ascii=False), s.homework, s.fingerprint, _utc(_now())),
        )
        if not cur.rowcount:
            return None
        session_id = int(cur.lastrowid or 0)
        conn.executemany(
            "INSERT INTO session_goals (session_id, position, goal, rating) VALUES (?,?,?,?)",
            [(session_id, i, g.text, g.rating) for i, g in enumerate(s.goals)],
        )
        return session_id

    # -- correcting: edit, delete, undo, history, erase --------------------

    # The change log's helpers (below), for the record mixins such as .watch, which cannot import
    # this module (it imports them): every write they make is logged as this module logs its own.
    @staticmethod
    def _log(conn: sqlite3.Connection, kind: str, table: str, row_id: int | None) -> None:
        _record(conn, kind, table, row_id)

    @staticmethod
    def _new_id(conn: sqlite3.Connection, table: str) -> int:
        return _next_id(conn, table)

    @staticmethod
    def _current(conn: sqlite3.Connection, table: str, row_id: int) -> dict[str, Any] | None:
        return _row(conn, table, row_id)

    @staticmethod
    def _change_row(conn: sqlite3.Connection, table: str, old: dict[str, Any], new: dict[str, Any]) -> bool:
        return _update(conn, table, old, new)

    def _before_risky(self, reason: str) -> None:
        """Called before an undo or an erase, outside any transaction: a safety copy of the journal as it
        was (:func:`~rekindle_widgets.journal.copies.safety_copy`), unless ``safety_copies=False``."""
        if self._safety_copies:
            from .copies import safety_copy

            safety_copy(self, reason)

    def edit_entry(self, entry_id: Any, *, mood: Any = UNCHANGED, readiness: Any = UNCHANGED,
                   tags: Any = UNCHANGED, note: Any = UNCHANGED, at: Any = UNCHANGED) -> bool:
        """Change an entry's fields (those given; ``readiness=None`` clears it), keeping the old version.

        Values are checked as :meth:`add` checks them; a bad one changes nothing.
        Returns whether anything changed (an edit to the same values records nothing).
        """
        with self._write() as conn:
            old = _row(conn, "entries", _id(entry_id, "entry"))
            if old is None:
                raise self._unknown("entry", entry_id)
            entry = Entry.make(
                mood=old["mood"] if mood is UNCHANGED else mood,
                readiness=old["readiness"] if readiness is UNCHANGED else readiness,
                tags=[t for t in old["tags"].split("|") if t] if tags is UNCHANGED else tags,
                note=old["note"] if note is UNCHANGED else note,
                at=old["ts"] if at is UNCHANGED else at, source=old["source"])
            new = {"ts": _iso(entry.at), "ts_utc": _utc(entry.at), "day": entry.at.date().isoformat(),
                   "mood": entry.mood, "readiness": entry.readiness, "tags": "|".join(entry.tags),
                   "note": entry.note}
            return _update(conn, "entries", old, new)

    def edit_stage(self, change_id: Any, *, stage: Any = UNCHANGED, since: Any = UNCHANGED,
                   note: Any = UNCHANGED) -> bool:
        """Change a stage change's stage, first day or note, keeping the old version."""
        with self._write() as conn:
            old = _row(conn, "stage_changes", _id(change_id, "stage change"))
            if old is None:
                raise self._unknown("stage change", change_id)
            change = StageChange.make(old["stage"] if stage is UNCHANGED else stage,
                                      old["since"] if since is UNCHANGED else since,
                                      old["note"] if note is UNCHANGED else note)
            return _update(conn, "stage_changes", old,
                           {"stage": change.stage, "since": change.since.isoformat(), "note": change.note})

    def edit_response(self, response_id: Any, *, answers: Any = UNCHANGED, total: Any = UNCHANGED,
                      band: Any = UNCHANGED, flags: Any = UNCHANGED, at: Any = UNCHANGED) -> bool:
        """Change a questionnaire response (re-scored by the caller), keeping the old version."""
        with self._write() as conn:
            old = _row(conn, "responses", _id(response_id, "response"))
            if old is None:
                raise self._unknown("response", response_id)
            r = Response.make(old["instrument"], json.loads(old["answers"]) if answers is UNCHANGED else answers,
                              total=old["total"] if total is UNCHANGED else total,
                              band=old["band"] if band is UNCHANGED else band,
                              flags=json.loads(old["flags"]) if flags is UNCHANGED else flags,
                              at=old["ts"] if at is UNCHANGED else at, context=old["context"])
            return _update(conn, "responses", old, {
                "ts": _iso(r.at), "ts_utc": _utc(r.at), "answers": json.dumps(list(r.answers), ensure_ascii=False),
                "total": r.total, "band": r.band, "flags": json.dumps(list(r.flags))})

    def edit_session(self, session_id: Any, **fields: Any) -> bool:
        """Change a session's fields (as :meth:`Session.make` takes them), keeping the old version."""
        with self._write() as conn:
            old = _row(conn, "sessions", _id(session_id, "session"))
            if old is None:
                raise self._unknown("session", session_id)
            current = {"day": old["day"], "minutes": old["minutes"], "stage": old["stage"],
                       "instruments": json.loads(old["instruments"]), "template": old["template"],
                       "notes": json.loads(old["notes"]), "homework": old["homework"],
                       "goals": [(g, r) for _, g, r in old["_goals"]]}
            unknown = set(fields) - set(current)
            if unknown:
                raise TypeError(f"edit_session got unknown fields {sorted(unknown)}")
            s = Session.make(**{**current, **fields})
            return _update(conn, "sessions", old, {
                "day": s.day.isoformat(), "minutes": s.minutes, "stage": s.stage,
                "instruments": json.dumps(list(s.instruments)), "template": s.template,
                "notes": json.dumps(dict(s.notes), ensure_ascii=False), "homework": s.homework,
                "_goals": [[i, g.text, g.rating] for i, g in enumerate(s.goals)]})

    def delete_entry(self, entry_id: Any) -> None:
        """Remove an entry from everything the journal shows; its last version is kept until :meth:`erase`."""
        self._delete("entries", entry_id, "entry")

    def delete_stage(self, change_id: Any) -> None:
        self._delete("stage_changes", change_id, "stage change")

    def delete_response(self, response_id: Any) -> None:
        self._delete("responses", response_id, "response")

    def delete_session(self, session_id: Any) -> None:
        self._delete("sessions", session_id, "session")

    def _delete(self, table: str, row_id: Any, what: str) -> None:
        with self._write() as conn:
            old = _row(conn, table, _id(row_id, what))
            if old is None:
                raise self._unknown(what, row_id)
            conn.execute(f"DELETE FROM {table} WHERE id = ?", (old["id"],))
            _record(conn, "delete", table, old["id"], before=old)

    def _unknown(self, what: str, row_id: Any) -> RekindleError:
        hint = "; 'rekindle entries' lists them" if what == "entry" else ""
        return RekindleError(f"there is no {what} {str(row_id)[:40]} in {self.path}{hint}")

    @_reads
    def last_change(self, *, after: int = 0) -> Change | None:
        """The change :meth:`undo` would take back, or None when there is nothing to undo.

        ``after``: only a change made after the one with that id (the app passes :attr:`opened_after`, so it
        offers to undo what this visit changed, not an import from last week).
        """
        row = self._conn.execute(
            "SELECT id, kind, tbl, row_id, detail, at_utc FROM changes ORDER BY id DESC LIMIT 1").fetchone()
        return _change(*row) if row and row[0] > after else None

    @_reads
    def changes(self, *, before: int | None = None, limit: int = 5) -> list[Change]:
        """The latest changes, newest first (``before``: only those with a smaller id), at most ``limit``."""
        rows = self._conn.execute(
            "SELECT id, kind, tbl, row_id, detail, at_utc FROM changes WHERE id < ? ORDER BY id DESC LIMIT ?",
            (before if before is not None else 2**62, limit)).fetchall()
        return [_change(*row) for row in rows]

    @functools.cached_property
    def opened_after(self) -> int:
        """The id of the last change made before this Journal was first asked (0: none): the visit's start."""
        row = self._conn.execute("SELECT max(id) FROM changes").fetchone()
        return row[0] or 0

    def undo(self) -> Change:
        """Take back the last change (an add, edit, delete or a whole import); repeat to go further back."""
        if self.last_change() is None:
            raise RekindleError("there is nothing to undo in this journal")
        self._before_risky("undo")
        with self._write() as conn:
            row = conn.execute("SELECT id, kind, tbl, row_id, detail, at_utc FROM changes"
                               " ORDER BY id DESC LIMIT 1").fetchone()
            if row is None:  # another window undid it meanwhile
                raise RekindleError("there is nothing to undo in this journal")
            change = _change(*row)
            if change.kind == "add":
                conn.execute(f"DELETE FROM {change.table} WHERE id = ?", (change.row_id,))
            elif change.kind == "import":
                spans = change.detail["spans"]
                for table in undo_order(spans):  # check-ins before the agreements they rate
                    after, last = spans[table]
                    if last > after:
                        if table == "entries":  # one statement, so the per-row trigger finds nothing to drop
                            conn.execute("DELETE FROM entry_blocks WHERE last_id > ?", (after,))
                        conn.execute(f"DELETE FROM {table} WHERE id > ? AND id <= ?", (after, last))
            else:
                (text,) = conn.execute("SELECT row FROM versions WHERE change_id = ?", (change.id,)).fetchone()
                _put(conn, change.table, json.loads(text))
            conn.execute("DELETE FROM changes WHERE id = ?", (change.id,))  # and its versions (cascade)
        return change

    @_reads
    def history(self, row_id: Any, *, table: str = "entries") -> list[Version]:
        """The earlier versions of a row (an entry by default), oldest first; each is the row as it
        was before the change that replaced or deleted it."""
        if table not in _TABLES:
            raise ValueError(f"history of {table!r}: not a journal table")
        rows = self._conn.execute(
            "SELECT v.row, c.kind, c.at_utc FROM versions v JOIN changes c ON c.id = v.change_id"
            " WHERE v.tbl = ? AND v.row_id = ? ORDER BY v.id", (table, _id(row_id, "id"))).fetchall()
        return [Version(json.loads(text), kind, at) for text, kind, at in rows]

    @_reads
    def row(self, row_id: Any, *, table: str = "entries") -> dict[str, Any] | None:
        """The current version of one row as a dict of its columns, or None when there is none."""
        if table not in _TABLES:
            raise ValueError(f"row of {table!r}: not a journal table")
        return _row(self._conn, table, _id(row_id, "id"))

    @_reads
    def kept(self) -> Erased:
        """What :meth:`erase` would remove: the versions kept, and the changes undo could take back."""
        with self._snapshot() as conn:
            return Erased(conn.execute("SELECT count(*) FROM versions").fetchone()[0],
                          conn.execute("SELECT count(*) FROM changes").fetchone()[0])

    def erase(self) -> Erased:
        """Forget every earlier version and deleted row for good, and rewrite the file without them.

        The undo history goes too. VACUUM rebuilds the file, so deleted text does
        not stay behind in its free pages, the write-ahead log is emptied, and the
        journal's safety copies are discarded (each still holds what was erased).
        """
        self._before_risky("erase")
        with self._write() as conn:
            versions = conn.execute("SELECT count(*) FROM versions").fetchone()[0]
            changes = conn.execute("SELECT count(*) FROM changes").fetchone()[0]
            conn.execute("DELETE FROM versions")
            conn.execute("DELETE FROM changes")
        try:
            self._conn.execute("VACUUM")
            busy = self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        from .copies import forget_copies

        forget_copies(self)  # every copy, the one just taken too, and any .vN.bak, still holds what was erased
        if busy:
            raise RekindleError(f"the history was erased, but another window or program has {self.path} open, "
                                "so its old pages may remain in the write-ahead log; close it and erase again")
        return Erased(versions, changes)

    # -- reading -----------------------------------------------------------

    @_reads
    def count(self, *, excluding_source: str | None = None) -> int:
        """How many entries the journal holds (``excluding_source``: leaving out those from that source)."""
        if excluding_source is None:
            return self._conn.execute("SELECT count(*) FROM entries").fetchone()[0]
        return self._conn.execute("SELECT count(*) FROM entries WHERE source != ?",
                                  (excluding_source,)).fetchone()[0]

    @_reads
    def setting(self, key: str) -> str | None:
        """The person's choice called ``key`` (``"region"``), or None if they made none."""
        row = self._conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_setting(self, key: str, value: str) -> None:
        """Keep the person's choice ``key`` (not a record: no undo entry, not exported)."""
        with self._write() as conn:
            conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                         "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))

    @_reads
    def is_example(self) -> bool:
        """Whether this is the example journal: it holds entries, every one of them made up (``rekindle demo``).

        A person's own entry makes it theirs; the app then stops calling it an example. Answers to a
        questionnaire do not: trying the example's check-up saves one, and the example must stay the example.
        """
        row = self._conn.execute("SELECT count(*), count(*) FILTER (WHERE source != ?) FROM entries",
                                 (DEMO_SOURCE,)).fetchone()
        return row[0] > 0 and row[1] == 0

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
    def moments(self, first: datetime, last: datetime, *, upto: int | None = None) -> list[tuple[int, str, int, str]]:
        """``(id, ts, mood, note)`` of the entries from ``first`` to ``last`` (inclusive, compared in UTC);
        with ``upto``, only those whose id is at most that (the journal as it was before an import began).

        What an importer needs to tell whether a file's entries are already here,
        whatever fingerprint rule the journal's rows were stored under.
        """
        with self._snapshot() as conn:
            rows = conn.execute("SELECT id, ts, mood, note FROM entries WHERE ts_utc BETWEEN ? AND ?"
                                + (" AND id <= ?" if upto is not None else ""),
                                (_utc(first), _utc(last), *(() if upto is None else (upto,))))
            return rows.fetchall()

    @_reads
    def stage_changes(self) -> list[StageChange]:
        """The stage timeline, oldest first (ties: the later record wins)."""
        rows = self._conn.execute("SELECT id, stage, since, note FROM stage_changes ORDER BY since, id")
        return [StageChange(stage, date.fromisoformat(since), note, id=row_id)
                for row_id, stage, since, note in rows]

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
    def recent(self, limit: int = 10) -> list[tuple[Any, ...]]:
        """The latest ``limit`` entry rows (as :meth:`rows` gives them), newest first."""
        return self._conn.execute(f"{_ROW_SELECT} ORDER BY ts_utc DESC, id DESC LIMIT ?", (int(limit),)).fetchall()

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
        try:
            frame = frames.columns_frame(columns, changes) if columns is not None else \
                frames.entries_frame(rows, changes)
        except (ValueError, IndexError, KeyError, TypeError, OverflowError):
            frame = None
        if frame is not None and frames.in_range(frame):  # the usual case: nothing more to look for
            return frame
        # rows an older version or a damaged file let in (a mood of 99, a time that is not one): read the
        # others; 'rekindle check' lists those, and reports and exports say how many were left out
        bad = self.unreadable_entries()
        if not bad and frame is not None:
            return frame
        with self._snapshot() as conn:
            rows = [r for r in conn.execute(f"{_ROW_SELECT} {where} ORDER BY ts_utc, id", args) if r[0] not in bad]
        return frames.entries_frame(rows, changes)

    def unreadable_entries(self) -> frozenset[int]:
        """The ids of entries no new entry could be (mood or readiness out of range, a time that is not one,
        a day that is not its time's): reads leave them out, reports and exports say how many, and
        :meth:`check` says what is wrong. Looked for once per opened journal, when a read meets one or a
        report or export asks (the journal's own writes are checked; only another program's SQL, or a
        replaced file, could add one)."""
        if self._unreadable is None:
            self._unreadable = self._find_unreadable()
        return self._unreadable

    @_reads
    def _find_unreadable(self) -> frozenset[int]:
        return frozenset(r[0] for r in self._conn.execute(
            "SELECT id FROM entries WHERE NOT (mood BETWEEN 1 AND 5)"
            " OR (readiness IS NOT NULL AND NOT readiness BETWEEN 0 AND 10)"
            " OR julianday(ts_utc) IS NULL OR julianday(substr(ts, 1, 19)) IS NULL OR day != substr(ts, 1, 10)"
            " OR typeof(mood) != 'integer'"))

    @_reads
    def responses(self, instrument: str | None = None) -> pd.DataFrame:
        """Questionnaire responses as a DataFrame, oldest first."""
        import pandas as pd

        sql = "SELECT id, instrument, ts, ts_utc, answers, total, band, flags, context FROM responses"
        args: tuple[str, ...] = ()
        if instrument is not None:
            sql, args = sql + " WHERE instrument = ?", (instrument,)
        rows = [r for r in self._conn.execute(sql + " ORDER BY ts_utc, id", args) if _readable_response(r)]
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
# The change log (schema 4): one row per change, the version it replaced kept whole
# --------------------------------------------------------------------------

#: The tables whose rows can be changed, and are kept in versions (from the registry, journal/tables.py).
_TABLES = logged_tables()


class Change(NamedTuple):
    """One recorded change (see :meth:`Journal.undo`)."""

    id: int
    kind: str  # add, edit, delete or import
    table: str
    row_id: int | None
    detail: dict[str, Any]
    at_utc: str

    def __str__(self) -> str:
        if self.kind == "import":
            added = self.detail.get("added", 0)
            label = self.detail.get("label")
            if label:
                return f"the import of {added} {'entry' if added == 1 else 'entries'} from the {label}"
            source = str(self.detail.get("source") or "a file").removeprefix("import:")
            return f"the import of {source} ({added} entries)"
        noun = kind_of_table(self.table).noun
        verb = {"add": "adding", "edit": "edit of", "delete": "deleting"}[self.kind]
        return f"{verb} {noun} {self.row_id}"


class Version(NamedTuple):
    """An earlier version of a row (:meth:`Journal.history`): its columns, and the change that replaced it."""

    row: dict[str, Any]
    replaced_by: str  # edit or delete
    at_utc: str  # when


class Erased(NamedTuple):
    versions: int
    changes: int


def _change(change_id: int, kind: str, table: str, row_id: int | None, detail: str, at: str) -> Change:
    return Change(change_id, kind, table, row_id, json.loads(detail), at)


class ImportBatch:
    """The parts of one import, written into one open transaction (:meth:`Journal.importing`).

    :meth:`add` writes entries (and records of other kinds) as they come; :attr:`result` counts what was
    added. :attr:`before` is the last entry id the journal held before the import: what an importer compares
    a file with is the journal as it was, not the parts it has just written.
    """

    def __init__(self, journal: Journal, conn: sqlite3.Connection, source: str):
        self.journal = journal
        self.conn = conn
        self.result = ImportResult(source=source)
        self.after_ids = {table: _last_id(conn, table) for table in logged_tables()}
        self.before = self.after_ids["entries"]
        self.created = _utc(_now())
        self.context: dict[str, Any] = {}  # what one kind's adder leaves for a later one's (agreement numbers)
        self._placed = False

    def row(self, e: Entry) -> tuple[Any, ...]:
        """An entry as the ``entries`` table's columns (from ts to created_utc), its fingerprint made once."""
        return self.row_of(e, self.created)

    @staticmethod
    def row_of(e: Entry, created: str) -> tuple[Any, ...]:
        at = e.at
        ts = _iso(at)
        utc = ts if not at.utcoffset() else _utc(at)  # the UTC text made once; at offset zero it is ts
        return (ts, utc, ts[:10], e.mood, e.readiness, "|".join(e.tags), e.note, e.source,
                entry_fingerprint(utc, e.mood, e.readiness, e.tags, e.note), created)

    def add(self, entries: Iterable[Entry], *, stages: Iterable[StageChange] = (),
            records: Mapping[str, Iterable[Any]] | None = None) -> None:
        """Write ``entries`` (those whose fingerprint is in the journal already are counted, not added) and
        the records of other kinds."""
        wanted = {"stages": stages, **(records or {})}
        unknown = set(wanted) - {k.name for k in KINDS if k.adder}
        if unknown:
            raise ValueError(f"add_entries: no kind of record called {', '.join(sorted(unknown))}")
        self.add_rows(map(self.row, entries))
        for kind in KINDS:
            if kind.adder and kind.name in wanted:
                added = getattr(self.journal, kind.adder)(self.conn, wanted[kind.name], self.context)
                self.result.counts[kind.name] = self.result.counts.get(kind.name, 0) + added

    def add_rows(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """Entries already made into rows (:meth:`row`); one ``executemany`` (row by row was most of a
        100,000-entry import, benchmark P10)."""
        conn = self.conn
        before = conn.total_changes  # rows inserted (an ignored one is no change): no count(*) of a growing table
        offered = 0

        def counted() -> Iterator[tuple[Any, ...]]:
            nonlocal offered
            for row in rows:
                offered += 1
                yield row

        rows_left = counted()
        if not self._placed:
            first = _next_id(conn, "entries")
            if first > self.after_ids["entries"] + 1:  # the last ids belong to kept versions: start after them
                for row in rows_left:
                    if conn.execute("INSERT OR IGNORE INTO entries (id, ts, ts_utc, day, mood, readiness, tags,"
                                    " note, source, fingerprint, created_utc) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                                    (first, *row)).rowcount:
                        break
            self._placed = True
        conn.executemany("INSERT OR IGNORE INTO entries (ts, ts_utc, day, mood, readiness, tags, note, source,"
                         " fingerprint, created_utc) VALUES (?,?,?,?,?,?,?,?,?,?)", rows_left)
        added = conn.total_changes - before
        self.result.added += added
        self.result.duplicates += offered - added

    def finish(self, label: str) -> None:
        """Leave the import's trace for undo (its id span in each table); one that added nothing leaves none."""
        spans = {table: [after, _last_id(self.conn, table)] for table, after in self.after_ids.items()}
        if any(last > after for after, last in spans.values()):
            _record(self.conn, "import", "", None, detail={"spans": spans, "source": self.result.source,
                                                            "added": self.result.added, "label": label[:80]})


def _last_id(conn: sqlite3.Connection, table: str) -> int:
    return conn.execute(f"SELECT ifnull(max(id), 0) FROM {table}").fetchone()[0]


def _next_id(conn: sqlite3.Connection, table: str) -> int:
    """The id for a new row: after every id in use, and every id a kept version holds, so that a
    deleted row's history never becomes a new row's."""
    return 1 + conn.execute(
        f"SELECT max(ifnull((SELECT max(id) FROM {table}), 0),"
        " ifnull((SELECT max(row_id) FROM versions WHERE tbl = ?), 0))", (table,)).fetchone()[0]


def _row(conn: sqlite3.Connection, table: str, row_id: int) -> dict[str, Any] | None:
    cur = conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,))
    values = cur.fetchone()
    if values is None:
        return None
    row = dict(zip([d[0] for d in cur.description], values, strict=True))
    if table == "sessions":
        row["_goals"] = [list(g) for g in conn.execute(
            "SELECT position, goal, rating FROM session_goals WHERE session_id = ? ORDER BY position", (row_id,))]
    if table == "checkins":
        row["_marks"] = [list(m) for m in conn.execute(
            "SELECT agreement_id, kept FROM checkin_marks WHERE checkin_id = ? ORDER BY agreement_id", (row_id,))]
    return row


def _put(conn: sqlite3.Connection, table: str, row: dict[str, Any]) -> None:
    """Make ``row`` (as :func:`_row` read it) the current version again, inserted or updated."""
    row = dict(row)
    goals = row.pop("_goals", None)
    marks = row.pop("_marks", None)
    columns = list(row)
    if conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (row["id"],)).fetchone():
        sets = ", ".join(f"{c} = ?" for c in columns if c != "id")
        conn.execute(f"UPDATE {table} SET {sets} WHERE id = ?",
                     [row[c] for c in columns if c != "id"] + [row["id"]])
    else:
        conn.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({','.join('?' * len(columns))})",
                     [row[c] for c in columns])
    if goals is not None:
        conn.execute("DELETE FROM session_goals WHERE session_id = ?", (row["id"],))
        conn.executemany("INSERT INTO session_goals (session_id, position, goal, rating) VALUES (?,?,?,?)",
                         [(row["id"], *g) for g in goals])
    if marks is not None:
        conn.execute("DELETE FROM checkin_marks WHERE checkin_id = ?", (row["id"],))
        conn.executemany("INSERT INTO checkin_marks (checkin_id, agreement_id, kept) VALUES (?,?,?)",
                         [(row["id"], *m) for m in marks])


def _update(conn: sqlite3.Connection, table: str, old: dict[str, Any], new: dict[str, Any]) -> bool:
    """Apply ``new`` (some columns) over ``old``, recording the edit; False when nothing differs."""
    if all(old.get(k) == v for k, v in new.items()):
        return False
    _put(conn, table, {**old, **new})
    _record(conn, "edit", table, old["id"], before=old)
    return True


def _record(conn: sqlite3.Connection, kind: str, table: str, row_id: int | None, *,
            before: dict[str, Any] | None = None, detail: dict[str, Any] | None = None) -> None:
    cur = conn.execute("INSERT INTO changes (kind, tbl, row_id, detail, at_utc) VALUES (?,?,?,?,?)",
                       (kind, table, row_id, json.dumps(detail or {}, ensure_ascii=False), _utc(_now())))
    if before is not None:
        conn.execute("INSERT INTO versions (change_id, tbl, row_id, row) VALUES (?,?,?,?)",
                     (cur.lastrowid, table, row_id, json.dumps(before, ensure_ascii=False)))


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
    opened = Journal(path_of(journal), create=create)
    own = own_journal()
    if journal is None and own.exists() and opened.path.resolve() != own.resolve() and opened.is_example():
        # the example is what $REKINDLE_JOURNAL names (`make app`, Binder) until the person starts their own
        # ("Start my own journal"): from then on every page and notebook opens theirs
        opened.close()
        return Journal(own, create=create)
    return opened


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


SQLITE_HEADER = b"SQLite format 3\x00"


def check_backup(path: str | os.PathLike[str], name: str | None = None) -> int:
    """Check that the file at ``path`` is a whole, undamaged Rekindle journal this version can read.

    Returns its schema version. Raises a one-line :class:`RekindleError` for a
    file that is not SQLite, is cut short (its header counts more pages than it
    holds), fails SQLite's integrity check, is another program's database,
    comes from a newer Rekindle, or is not exactly what Rekindle writes: a
    table, trigger, view or index of its own, or a row that would not pass the
    checks of a new record (:mod:`.checks`). ``name`` is how the messages call the file.
    The file is opened read-only and never changed.
    """
    path = Path(path)
    name = name or str(path)
    head = _head(path)
    if not head.startswith(SQLITE_HEADER) or len(head) < 100:
        raise RekindleError(f"{name} is not a Rekindle backup (it is not a SQLite journal file)")
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    valid_for, changes = head[92:96], head[24:28]
    if valid_for == changes and pages and path.stat().st_size < pages * page_size:
        raise RekindleError(f"{name} is cut short ({path.stat().st_size:,} of {pages * page_size:,} bytes): "
                            f"the backup was not copied whole; copy it again from where it was made")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check(3)")]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            foreign = checks.problems(conn) if problems == ["ok"] and 0 < version <= SCHEMA_VERSION else []
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise RekindleError(f"{name} is damaged and cannot be read ({exc}); use another copy of the backup") \
            from None
    if problems != ["ok"]:
        raise RekindleError(f"{name} is damaged ({problems[0]}); use another copy of the backup")
    if version > SCHEMA_VERSION:
        raise RekindleError(f"{name} was written by a newer Rekindle (schema {version}, this one knows "
                            f"{SCHEMA_VERSION}); upgrade Rekindle to restore it")
    if version == 0 or not {"entries", "stage_changes", "responses"} <= tables:
        raise RekindleError(f"{name} is a SQLite database but not a Rekindle journal; choose a Rekindle backup")
    if foreign:
        more = f" (and {len(foreign) - 1} more)" if len(foreign) > 1 else ""
        raise RekindleError(f"{name} is not a journal as Rekindle writes it: {foreign[0]}{more}; nothing was "
                            f"restored; use a backup made by 'rekindle backup' or the app")
    return version


def _head(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(100)


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


def _readable_response(row: tuple[Any, ...]) -> bool:
    """Whether a responses row can be read (its answers and flags JSON lists, its time a time): one that
    cannot is left out of every read, as an unreadable entry is, and 'rekindle check' names it."""
    try:
        datetime.fromisoformat(row[3])
        return isinstance(json.loads(row[4]), list) and isinstance(json.loads(row[7]), list)
    except (TypeError, ValueError):
        return False


def disk_full(path: Path, margin: int = 4 << 20) -> bool:
    """Whether the disk that holds ``path`` has less than ``margin`` bytes free (SQLite says only "disk I/O
    error" when a write-ahead log cannot grow)."""
    import shutil

    try:
        return shutil.disk_usage(Path(path).parent).free < margin
    except OSError:
        return False
