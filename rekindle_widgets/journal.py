"""The mood and readiness journal: one SQLite file per person.

SQLite is the storage engine, used for what it guarantees: every write below is
one transaction (``BEGIN IMMEDIATE`` ... ``COMMIT``), so it happens whole or
not at all, in WAL mode with ``synchronous=FULL`` so a committed entry survives
a crash or power cut. The schema is versioned with ``PRAGMA user_version`` and
upgraded by the ordered steps in :data:`MIGRATIONS`, each in one transaction,
with a backup copy of the old file kept beside it.

The journal holds four kinds of record:

* mood **entries**: a time-zone-aware timestamp, mood 1-5 (5 best), optional
  readiness 0-10, tags, a note and where the entry came from;
* **stage changes**: the date a person entered one of the seven stages. An
  entry's stage is derived from this timeline, never typed on the entry;
* questionnaire **responses** (instrument, answers, total, band, flags);
* therapy **sessions** (schema 2), when a therapist keeps one journal per client:
  date, minutes, stage discussed, instruments given, SOAP or DAP notes,
  homework, and goals with a 0-10 progress rating each (:meth:`Journal.sessions`).

Read it back with :meth:`Journal.entries`, a pandas DataFrame with one row per
entry and its derived stage. Schema 3 keeps, beside the entries, a copy of them
packed column by column in blocks of :data:`BLOCK_ROWS` (``entry_blocks``), which
is what makes reading 100,000 entries fast. It is derived data in the same
file, written in the same transaction as the entries that fill a block, and
triggers drop any block whose entries are changed by other means.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from .errors import RekindleError
from .paths import default_journal, private_dir

if TYPE_CHECKING:  # pandas is imported lazily: importing the package stays light
    import pandas as pd

__all__ = [
    "MOOD_LABELS",
    "NOTE_TEMPLATES",
    "SCHEMA_VERSION",
    "Entry",
    "Goal",
    "ImportResult",
    "Journal",
    "Response",
    "Session",
    "StageChange",
    "parse_date",
    "parse_datetime",
]

#: Mood levels and the labels common trackers (Daylio, Pixels) use for them.
MOOD_LABELS: dict[int, str] = {5: "rad", 4: "good", 3: "meh", 2: "bad", 1: "awful"}
STAGES = range(1, 8)
READINESS = range(11)
MAX_NOTE = 1_000_000  # characters; generous, but a bound
MAX_TAG = 64
BUSY_TIMEOUT = 10.0  # seconds a writer waits for another before giving up
BUSY_ENV = "REKINDLE_BUSY_TIMEOUT"  # overrides BUSY_TIMEOUT: seconds, 0 to 3600

# --------------------------------------------------------------------------
# Schema and migrations
# --------------------------------------------------------------------------

#: ``MIGRATIONS[v]`` upgrades a journal from version ``v - 1`` to ``v``.
#: Append new steps; never edit a released one.
MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE entries (
        id          INTEGER PRIMARY KEY,
        ts          TEXT    NOT NULL,  -- ISO 8601 with the UTC offset it was recorded in
        ts_utc      TEXT    NOT NULL,  -- the same instant in UTC, for ordering and ranges
        day         TEXT    NOT NULL,  -- the local calendar date it was recorded on
        mood        INTEGER NOT NULL CHECK (mood BETWEEN 1 AND 5),
        readiness   INTEGER CHECK (readiness IS NULL OR readiness BETWEEN 0 AND 10),
        tags        TEXT    NOT NULL DEFAULT '',  -- tags joined with '|'
        note        TEXT    NOT NULL DEFAULT '',
        source      TEXT    NOT NULL,
        fingerprint TEXT    NOT NULL UNIQUE,      -- content hash: re-imports add nothing
        created_utc TEXT    NOT NULL
    );
    CREATE INDEX entries_by_time ON entries (ts_utc);
    CREATE TABLE stage_changes (
        id          INTEGER PRIMARY KEY,
        stage       INTEGER NOT NULL CHECK (stage BETWEEN 1 AND 7),
        since       TEXT    NOT NULL,  -- YYYY-MM-DD, the first day in this stage
        note        TEXT    NOT NULL DEFAULT '',
        created_utc TEXT    NOT NULL
    );
    CREATE INDEX stage_changes_by_day ON stage_changes (since);
    CREATE TABLE responses (
        id          INTEGER PRIMARY KEY,
        instrument  TEXT    NOT NULL,
        ts          TEXT    NOT NULL,
        ts_utc      TEXT    NOT NULL,
        answers     TEXT    NOT NULL,  -- JSON array of item answers
        total       REAL,
        band        TEXT,
        flags       TEXT    NOT NULL DEFAULT '[]',  -- JSON array of flag ids
        context     TEXT    NOT NULL DEFAULT 'self',  -- 'self' or 'session'
        created_utc TEXT    NOT NULL
    );
    CREATE INDEX responses_by_instrument ON responses (instrument, ts_utc);
    """,
    2: """
    CREATE TABLE sessions (
        id          INTEGER PRIMARY KEY,
        day         TEXT    NOT NULL,  -- YYYY-MM-DD, the day of the session
        minutes     INTEGER CHECK (minutes IS NULL OR minutes BETWEEN 1 AND 600),
        stage       INTEGER CHECK (stage IS NULL OR stage BETWEEN 1 AND 7),  -- the stage discussed
        instruments TEXT    NOT NULL DEFAULT '[]',  -- JSON array of instrument ids given in the session
        template    TEXT    NOT NULL CHECK (template IN ('soap', 'dap')),
        notes       TEXT    NOT NULL DEFAULT '{}',  -- JSON object: template section -> text
        homework    TEXT    NOT NULL DEFAULT '',
        fingerprint TEXT    NOT NULL UNIQUE,        -- content hash: re-imports add nothing
        created_utc TEXT    NOT NULL
    );
    CREATE INDEX sessions_by_day ON sessions (day);
    CREATE TABLE session_goals (
        id          INTEGER PRIMARY KEY,
        session_id  INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        position    INTEGER NOT NULL,  -- order within the session, from 0
        goal        TEXT    NOT NULL,  -- the goal in the client's words; the same text links sessions
        rating      INTEGER NOT NULL CHECK (rating BETWEEN 0 AND 10),  -- progress this session
        UNIQUE (session_id, position),
        UNIQUE (session_id, goal)
    );
    CREATE INDEX session_goals_by_goal ON session_goals (goal);
    """,
    3: """
    -- Entries packed column by column, BLOCK_ROWS at a time, so that a long journal reads back
    -- fast (frames.read_entries). Derived data only: every entry in a block is also in entries,
    -- in this same file. The journal packs a block in the write that fills it; changing or
    -- deleting a packed entry by other means drops its block and every later one.
    CREATE TABLE entry_blocks (
        first_id INTEGER PRIMARY KEY,  -- the block holds the entries with ids first_id..last_id
        last_id  INTEGER NOT NULL,
        rows     INTEGER NOT NULL,
        ids      TEXT,                 -- the ids comma-joined, or NULL when every id in the range is used
        ts       TEXT    NOT NULL,     -- each column as PACKED_COLUMNS reads it
        codes    TEXT    NOT NULL,
        tags     TEXT    NOT NULL,
        notes    TEXT    NOT NULL,
        sources  TEXT    NOT NULL
    );
    CREATE TRIGGER entry_blocks_insert AFTER INSERT ON entries
    WHEN NEW.id <= (SELECT last_id FROM entry_blocks ORDER BY first_id DESC LIMIT 1)
    BEGIN DELETE FROM entry_blocks WHERE last_id >= NEW.id; END;
    CREATE TRIGGER entry_blocks_update AFTER UPDATE ON entries
    WHEN min(OLD.id, NEW.id) <= (SELECT last_id FROM entry_blocks ORDER BY first_id DESC LIMIT 1)
    BEGIN DELETE FROM entry_blocks WHERE last_id >= min(OLD.id, NEW.id); END;
    CREATE TRIGGER entry_blocks_delete AFTER DELETE ON entries
    WHEN OLD.id <= (SELECT last_id FROM entry_blocks ORDER BY first_id DESC LIMIT 1)
    BEGIN DELETE FROM entry_blocks WHERE last_id >= OLD.id; END;
    """,
}
SCHEMA_VERSION = max(MIGRATIONS)

#: Entries per packed block (schema 3's ``entry_blocks``).
BLOCK_ROWS = 1024
#: Separator of packed tags, notes and sources: tags cannot hold control characters; a note that
#: does is noticed by the reader, which then reads row by row.
PACK_SEP = "\x01"
#: The columns of a run of entries, one text each, in id order: local timestamps (fixed width
#: when their offsets are whole minutes), mood and readiness as one two-digit code each
#: (``mood * 16 + readiness``, 15 for none), then tags, notes and sources.
PACKED_COLUMNS = (
    "group_concat(ts, ','), group_concat(mood * 16 + ifnull(readiness, 15), ''), "
    f"group_concat(tags, '{PACK_SEP}'), group_concat(note, '{PACK_SEP}'), group_concat(source, '{PACK_SEP}')"
)


# --------------------------------------------------------------------------
# Values: parsing and validation (shared by the CLI, widgets and importers)
# --------------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now().astimezone()


def parse_datetime(value: str | datetime | date, *, what: str = "time") -> datetime:
    """A timezone-aware datetime from ISO 8601 text (naive times are local)."""
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, date):
        dt = datetime(value.year, value.month, value.day, 12)
    else:
        text = str(value).strip()
        try:
            dt = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
        except ValueError:
            raise RekindleError(
                f"{what} {text!r} is not a date-time; use ISO 8601 such as 2026-03-01T20:30 or 2026-03-01"
            ) from None
    if dt.year < 1900:  # checked first: a naive time near year 1 cannot be placed in a time zone
        raise RekindleError(f"{what} {dt.isoformat()} is before 1900; check the year")
    if dt.tzinfo is None:
        try:
            dt = dt.astimezone()  # local time zone, DST included
        except (OverflowError, ValueError, OSError):
            raise RekindleError(f"{what} {dt.isoformat()} is not a time this computer can place; "
                                "check the year") from None
    if dt - _now() > timedelta(days=1):
        raise RekindleError(f"{what} {dt.isoformat()} is in the future; check the date")
    return dt


def parse_date(value: str | date, *, what: str = "date") -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        try:
            return datetime.fromisoformat(text).date()
        except ValueError:
            raise RekindleError(f"{what} {text!r} is not a date; use YYYY-MM-DD, e.g. 2026-03-01") from None


def _whole(value: Any, what: str, allowed: range) -> int:
    """An int within ``allowed`` from an int or its decimal text; else a clear error."""
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str):
        text = value.strip()
        digits = text[1:] if text[:1] in ("+", "-") else text
        if digits.isdecimal() and len(digits) <= 30:  # not "²" or "--3", which int() refuses
            number = int(text)
    if number is None or number not in allowed:
        shown = repr(value)
        raise RekindleError(
            f"{what} must be a whole number from {allowed.start} to {allowed.stop - 1}, "
            f"not {shown if len(shown) <= 60 else shown[:56] + '...'}"
        )
    return number


def check_mood(value: Any) -> int:
    return _whole(value, "mood", range(1, 6))


def check_readiness(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and math.isnan(value):  # NaN from pandas
        return None
    return _whole(value, "readiness", READINESS)


def check_stage(value: Any) -> int:
    return _whole(value, "stage", STAGES)


def _check_text(value: Any, what: str, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RekindleError(f"{what} must be text, not {type(value).__name__}")
    if "\x00" in value:
        raise RekindleError(f"{what} contains a NUL character; remove it and try again")
    if len(value) > limit:
        raise RekindleError(f"{what} is {len(value):,} characters long; the limit is {limit:,}")
    return value.replace("\r\n", "\n").replace("\r", "\n")


def check_tags(values: Iterable[str] | str | None) -> tuple[str, ...]:
    """Tags: short labels without '|' or control characters, kept in order, no repeats."""
    if values is None:
        return ()
    if isinstance(values, str):
        values = values.split("|")
    tags: list[str] = []
    for raw in values:
        if not isinstance(raw, str):
            raise RekindleError(f"tag {raw!r} must be text")
        tag = " ".join(raw.split())
        if not tag:
            continue
        if "|" in tag or any(ord(c) < 32 for c in tag):
            raise RekindleError(f"tag {tag!r} may not contain '|' or control characters")
        if len(tag) > MAX_TAG:
            raise RekindleError(f"tag {tag[:20]!r}... is longer than {MAX_TAG} characters")
        if tag not in tags:
            tags.append(tag)
    return tuple(tags)


@dataclass(frozen=True)
class Entry:
    """One mood entry, validated. Build with :meth:`make` from loose input."""

    at: datetime
    mood: int
    readiness: int | None = None
    tags: tuple[str, ...] = ()
    note: str = ""
    source: str = "manual"

    @classmethod
    def make(
        cls,
        *,
        mood: Any,
        readiness: Any = None,
        tags: Iterable[str] | str | None = (),
        note: str | None = "",
        at: str | datetime | date | None = None,
        source: str = "manual",
    ) -> Entry:
        return cls(
            at=parse_datetime(at) if at is not None else _now(),
            mood=check_mood(mood),
            readiness=check_readiness(readiness),
            tags=check_tags(tags),
            note=_check_text(note, "note", MAX_NOTE),
            source=_check_text(source, "source", 200).strip() or "manual",
        )

    @property
    def fingerprint(self) -> str:
        """Same moment, mood, readiness, tags and note: the same entry, wherever it came from."""
        key = json.dumps(
            [_utc(self.at), self.mood, self.readiness, sorted(self.tags), self.note],
            ensure_ascii=False,
        )
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class StageChange:
    stage: int
    since: date
    note: str = ""

    @classmethod
    def make(cls, stage: Any, since: str | date | None = None, note: str | None = "") -> StageChange:
        day = parse_date(since, what="stage date") if since is not None else _now().date()
        if day > _now().date() + timedelta(days=1):
            raise RekindleError(f"stage date {day.isoformat()} is in the future; check the date")
        return cls(check_stage(stage), day, _check_text(note, "stage note", 10_000))


@dataclass(frozen=True)
class Response:
    """One questionnaire response as stored; scoring happens in the scorer, not here."""

    instrument: str
    at: datetime
    answers: tuple[Any, ...]
    total: float | None = None
    band: str | None = None
    flags: tuple[str, ...] = ()
    context: str = "self"

    @classmethod
    def make(cls, instrument: Any, answers: Sequence[Any], *, total: Any = None, band: Any = None,
             flags: Sequence[str] = (), at: str | datetime | None = None, context: str = "self") -> Response:
        if not isinstance(instrument, str) or not instrument.strip():
            raise RekindleError(f"instrument must be a name such as 'who5', not {instrument!r}")
        if not isinstance(context, str) or context not in {"self", "session"}:
            raise RekindleError(f"context must be 'self' or 'session', not {context!r}")
        if isinstance(answers, (str, bytes)) or not isinstance(answers, Sequence):
            raise RekindleError("answers must be a list")
        if isinstance(flags, (str, bytes)) or not isinstance(flags, Iterable):
            raise RekindleError(f"flags must be a list of flag ids, not {flags!r}")
        if total is not None and (isinstance(total, bool) or not isinstance(total, (int, float))):
            raise RekindleError(f"total must be a number, not {total!r}")
        return cls(instrument.strip(), parse_datetime(at) if at is not None else _now(), tuple(answers),
                   None if total is None else float(total), None if band is None else str(band),
                   tuple(str(f) for f in flags), context)


#: Session note templates: their sections, in order. SOAP: subjective, objective,
#: assessment, plan; DAP: data, assessment, plan.
NOTE_TEMPLATES: dict[str, tuple[str, ...]] = {
    "soap": ("subjective", "objective", "assessment", "plan"),
    "dap": ("data", "assessment", "plan"),
}
SESSION_MINUTES = range(1, 601)
GOAL_RATING = range(11)
MAX_GOALS = 20
MAX_GOAL = 200  # characters of a goal's text
MAX_SECTION = 100_000  # characters of one notes section
MAX_HOMEWORK = 10_000
_INSTRUMENT_ID = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")


class Goal(NamedTuple):
    """A goal in the client's words and its 0-10 progress rating in one session."""

    text: str
    rating: int


def _check_goals(goals: Mapping[str, Any] | Iterable[Any] | None) -> tuple[Goal, ...]:
    if goals is None:
        return ()
    pairs = list(goals.items()) if isinstance(goals, Mapping) else list(goals)
    if len(pairs) > MAX_GOALS:
        raise RekindleError(f"a session has at most {MAX_GOALS} goals, not {len(pairs)}; keep the ones you track")
    checked: list[Goal] = []
    seen: set[str] = set()
    for pair in pairs:
        if isinstance(pair, (str, bytes)) or not isinstance(pair, Sequence) or len(pair) != 2:
            raise RekindleError(f"a goal must be a goal text and a 0-10 rating, not {pair!r}")
        raw, rating = pair
        if not isinstance(raw, str):
            raise RekindleError(f"a goal must be text, not {raw!r}")
        text = " ".join(raw.split())
        if not text:
            raise RekindleError("a goal is empty; write the goal in a few words")
        if any(ord(c) < 32 or ord(c) == 127 for c in text):
            raise RekindleError(f"goal {text[:40]!r} contains control characters; remove them")
        if len(text) > MAX_GOAL:
            raise RekindleError(f"goal {text[:40]!r}... is longer than {MAX_GOAL} characters; shorten it")
        if text.casefold() in seen:
            raise RekindleError(f"goal {text!r} is given twice; rate each goal once per session")
        seen.add(text.casefold())
        checked.append(Goal(text, _whole(rating, f"the rating of goal {text!r}", GOAL_RATING)))
    return tuple(checked)


def _check_instruments(values: Iterable[str] | str | None) -> tuple[str, ...]:
    if values is None:
        return ()
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, Iterable):
        raise RekindleError(f"instruments must be a list of instrument ids such as 'who5', not {values!r}")
    ids: list[str] = []
    for raw in values:
        name = raw.strip().lower() if isinstance(raw, str) else raw
        if not isinstance(name, str) or not _INSTRUMENT_ID.match(name):
            raise RekindleError(f"instrument {raw!r} is not an instrument id such as 'who5' or 'phq9'")
        if name not in ids:
            ids.append(name)
    return tuple(ids)


def _check_notes(notes: Mapping[str, Any] | None, template: str) -> dict[str, str]:
    sections = NOTE_TEMPLATES[template]
    checked = dict.fromkeys(sections, "")
    if notes is None:
        return checked
    if not isinstance(notes, Mapping):
        raise RekindleError(f"session notes must map sections ({', '.join(sections)}) to text")
    for key, value in notes.items():
        section = key.strip().lower() if isinstance(key, str) else key
        if section not in checked:
            raise RekindleError(
                f"notes section {key!r} is not part of the {template.upper()} template; "
                f"use {', '.join(sections)}"
            )
        checked[section] = _check_text(value, f"notes section {section!r}", MAX_SECTION).strip()
    return checked


@dataclass(frozen=True)
class Session:
    """One therapy session, validated. Build with :meth:`make` from loose input.

    The client is the journal the session is stored in. ``notes`` maps every
    section of the ``template`` (see :data:`NOTE_TEMPLATES`) to its text, in
    order; ``goals`` are the goals worked on, each with its 0-10 progress rating
    in this session (the same goal text links ratings across sessions).
    """

    day: date
    template: str = "soap"
    notes: Mapping[str, str] = field(default_factory=dict)
    minutes: int | None = None
    stage: int | None = None
    instruments: tuple[str, ...] = ()
    homework: str = ""
    goals: tuple[Goal, ...] = ()
    id: int | None = field(default=None, compare=False)  # set when read from a journal

    @classmethod
    def make(
        cls,
        *,
        day: str | date | None = None,
        minutes: Any = None,
        stage: Any = None,
        instruments: Iterable[str] | str | None = (),
        template: Any = "soap",
        notes: Mapping[str, Any] | None = None,
        homework: str | None = "",
        goals: Mapping[str, Any] | Iterable[Any] | None = (),
    ) -> Session:
        when = parse_date(day, what="session date") if day is not None else _now().date()
        if when > _now().date() + timedelta(days=1):
            raise RekindleError(f"session date {when.isoformat()} is in the future; check the date")
        if when.year < 1900:
            raise RekindleError(f"session date {when.isoformat()} is before 1900; check the year")
        name = template.strip().lower() if isinstance(template, str) else template
        if not isinstance(name, str) or name not in NOTE_TEMPLATES:
            raise RekindleError(f"template must be {' or '.join(NOTE_TEMPLATES)}, not {template!r}")
        blank = minutes is None or (isinstance(minutes, str) and not minutes.strip())
        no_stage = stage is None or (isinstance(stage, str) and stage.strip().lower() in {"", "none"})
        return cls(
            day=when,
            template=name,
            notes=_check_notes(notes, name),
            minutes=None if blank else _whole(minutes, "minutes", SESSION_MINUTES),
            stage=None if no_stage else check_stage(stage),
            instruments=_check_instruments(instruments),
            homework=_check_text(homework, "homework", MAX_HOMEWORK).strip(),
            goals=_check_goals(goals),
        )

    @property
    def fingerprint(self) -> str:
        """Same day and content: the same session, so importing it twice adds it once."""
        key = json.dumps(
            [self.day.isoformat(), self.minutes, self.stage, list(self.instruments), self.template,
             [[k, self.notes[k]] for k in self.notes], self.homework, [list(g) for g in self.goals]],
            ensure_ascii=False,
        )
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


@dataclass
class ImportResult:
    """What one import did: how many entries were added and how many were already there."""

    added: int = 0
    duplicates: int = 0
    stages_added: int = 0
    responses_added: int = 0
    sessions_added: int = 0
    source: str = ""
    warnings: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = f"added {self.added} entries, skipped {self.duplicates} already in the journal"
        if self.stages_added:
            text += f", added {self.stages_added} stage changes"
        if self.responses_added:
            text += f", added {self.responses_added} questionnaire responses"
        if self.sessions_added:
            text += f", added {self.sessions_added} sessions"
        return text


def _utc(dt: datetime) -> str:
    return dt.astimezone(UTC).isoformat(timespec="seconds")


def _iso(dt: datetime) -> str:
    return dt.isoformat(timespec="seconds")


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
        self.path = Path(path).expanduser() if path is not None else default_journal()
        self._conn: sqlite3.Connection | None = None
        if self.path.is_dir():
            raise RekindleError(f"{self.path} is a folder; give the path of a journal file instead")
        if not self.path.exists():
            if not create:
                raise RekindleError(
                    f"there is no journal at {self.path}; start one with 'rekindle log' or 'rekindle demo'"
                )
            self._create_file()
        self._conn = self._connect(timeout)
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
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RekindleError(f"journal {self.path} is closed")
        return self._conn

    @property
    def version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

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
                tables = self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
                if tables:
                    raise RekindleError(
                        f"{self.path} is a SQLite database but not a Rekindle journal; choose another file"
                    )
            else:
                self.backup(self.path.with_name(f"{self.path.name}.v{found}.bak"))
            with self._write():
                for version in range(found + 1, SCHEMA_VERSION + 1):
                    for statement in _statements(MIGRATIONS[version]):
                        self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
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
            self.conn.backup(copy)
        copy.close()
        return target

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Journal({str(self.path)!r})"

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction: everything inside is written, or nothing is."""
        conn = self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        try:
            yield conn
            _pack(conn)
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise self._error(exc) from None
            raise

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
            for entry in entries:
                if self._insert(conn, entry):
                    result.added += 1
                else:
                    result.duplicates += 1
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
    def count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM entries").fetchone()[0]

    @_reads
    def moments(self, first: datetime, last: datetime) -> list[tuple[str, str, int, str]]:
        """``(ts, ts_utc, mood, note)`` of the entries from ``first`` to ``last`` (inclusive, compared in UTC).

        What an importer needs to tell whether a file's entries are already here,
        whatever fingerprint rule the journal's rows were stored under.
        """
        rows = self.conn.execute(
            "SELECT ts, ts_utc, mood, note FROM entries WHERE ts_utc BETWEEN ? AND ?", (_utc(first), _utc(last)))
        return rows.fetchall()

    @_reads
    def stage_changes(self) -> list[StageChange]:
        """The stage timeline, oldest first (ties: the later record wins)."""
        rows = self.conn.execute("SELECT stage, since, note FROM stage_changes ORDER BY since, id")
        return [StageChange(stage, date.fromisoformat(since), note) for stage, since, note in rows]

    @_reads
    def stage_on(self, day: date) -> int | None:
        """The stage a person was in on ``day`` (None before the first stage change)."""
        row = self.conn.execute(
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
        sql = f"SELECT id, ts, day, mood, readiness, tags, note, source FROM entries {where}"
        return self.conn.execute(sql + " ORDER BY ts_utc, id", args).fetchall()

    @_reads
    def entries(self, since: str | date | None = None, until: str | date | None = None) -> pd.DataFrame:
        """Every entry as a DataFrame, oldest first, with its derived stage.

        Columns: ``id``, ``timestamp`` (tz-aware, UTC), ``local_time`` (the ISO
        text as recorded, with its offset), ``date`` (the local day),
        ``mood`` (1-5), ``mood_label``, ``readiness`` (0-10 or NA), ``stage``
        (1-7 or NA before the first stage change), ``stage_name``, ``tags``
        (tuple of str), ``note`` and ``source``.
        """
        from .frames import read_entries

        where, args = _day_range(since, until)
        return read_entries(self.conn, where, args, self.stage_changes())

    @_reads
    def responses(self, instrument: str | None = None) -> pd.DataFrame:
        """Questionnaire responses as a DataFrame, oldest first."""
        import pandas as pd

        sql = "SELECT id, instrument, ts, ts_utc, answers, total, band, flags, context FROM responses"
        args: tuple[str, ...] = ()
        if instrument is not None:
            sql, args = sql + " WHERE instrument = ?", (instrument,)
        rows = self.conn.execute(sql + " ORDER BY ts_utc, id", args).fetchall()
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
        rows = self.conn.execute(sql + " ORDER BY day, id", args).fetchall()
        goals: dict[int, list[Goal]] = {}
        for session_id, text, rating in self.conn.execute(
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
        from .content import guide

        n, first, last, mean = self.conn.execute(
            "SELECT count(*), min(day), max(day), avg(mood) FROM entries").fetchone()
        changes = self.stage_changes()
        if not n:
            text = "no entries yet"
        else:
            days = self.conn.execute("SELECT count(DISTINCT day) FROM entries").fetchone()[0]
            text = (f"{n} entries on {days} days from {first} to {last}, "
                    f"mean mood {mean:.1f} of 5")
        if changes:
            latest = changes[-1]
            text += f"; stage {latest.stage} ({guide().stage(latest.stage).name}) since {latest.since}"
        else:
            text += "; no stage recorded yet"
        return text


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


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (a trigger's body stays whole; no '--' in strings)."""
    statements, current = [], ""
    for line in script.splitlines():
        current += line.split("--", 1)[0] + "\n"
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    return statements


def _pack(conn: sqlite3.Connection) -> None:
    """Pack each full run of :data:`BLOCK_ROWS` unpacked entries into ``entry_blocks``.

    Runs at the end of every write transaction, so the blocks are written (or
    rolled back) with the entries they hold. Most writes find fewer than
    BLOCK_ROWS entries after the last block and do nothing.
    """
    row = conn.execute("SELECT last_id FROM entry_blocks ORDER BY first_id DESC LIMIT 1").fetchone()
    after = row[0] if row else None
    while True:
        where, args = ("WHERE id > ?", (after,)) if after is not None else ("", ())
        end = conn.execute(f"SELECT id FROM entries {where} ORDER BY id LIMIT 1 OFFSET {BLOCK_ROWS - 1}",
                           args).fetchone()
        if end is None:
            return
        where, args = ("WHERE id > ? AND id <= ?", (after, end[0])) if after is not None else \
            ("WHERE id <= ?", (end[0],))
        first, rows, ids, *packed = conn.execute(  # ids in the same statement: the same row order
            f"SELECT min(id), count(*), group_concat(id, ','), {PACKED_COLUMNS} FROM entries {where}",
            args).fetchone()
        if end[0] - first + 1 == rows:
            ids = None  # every id in the range: the reader counts them out
        conn.execute("INSERT INTO entry_blocks (first_id, last_id, rows, ids, ts, codes, tags, notes, sources)"
                     " VALUES (?,?,?,?,?,?,?,?,?)", (first, end[0], rows, ids, *packed))
        after = end[0]
