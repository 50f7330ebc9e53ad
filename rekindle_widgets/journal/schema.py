"""The journal's SQLite schema, as the ordered steps that build it.

The schema is versioned with ``PRAGMA user_version``; :data:`MIGRATIONS` holds
one script per version, and opening an older journal runs the missing ones in
one transaction (:class:`~rekindle_widgets.journal.store.Journal` keeps a backup
copy of the old file beside it first).
"""

from __future__ import annotations

import sqlite3

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
    4: """
    -- Corrections (issue 16): every add, edit, delete and import through the Journal is one row of
    -- changes, newest last (undo takes the last one back). The tables above hold only current
    -- versions; the version a change replaced or removed is kept whole in versions until an erase.
    CREATE TABLE changes (
        id          INTEGER PRIMARY KEY,
        kind        TEXT    NOT NULL CHECK (kind IN ('add', 'edit', 'delete', 'import')),
        tbl         TEXT    NOT NULL,  -- entries, stage_changes, responses, sessions ('' for an import)
        row_id      INTEGER,           -- the row changed (NULL for an import)
        detail      TEXT    NOT NULL DEFAULT '{}',  -- an import: JSON {table: [after_id, last_id]}, source
        at_utc      TEXT    NOT NULL
    );
    CREATE TABLE versions (
        id          INTEGER PRIMARY KEY,
        change_id   INTEGER NOT NULL REFERENCES changes (id) ON DELETE CASCADE,
        tbl         TEXT    NOT NULL,
        row_id      INTEGER NOT NULL,
        row         TEXT    NOT NULL   -- JSON object: every column before the change (sessions: and goals)
    );
    CREATE INDEX versions_by_row ON versions (tbl, row_id);
    CREATE INDEX versions_by_change ON versions (change_id);
    """,
    5: """
    -- Together again (issue 17), the red-flag watch: what the two of you agreed, and a weekly check-in
    -- on it. A check-in rates some agreements (checkin_marks) and answers the three questions of the
    -- guide's stages 5-6; a question not answered is NULL. journal/watch.py holds their SQL.
    CREATE TABLE agreements (
        id          INTEGER PRIMARY KEY,  -- the agreement's number, as the CLI shows it
        text        TEXT    NOT NULL,     -- in the person's own words
        since       TEXT    NOT NULL,     -- YYYY-MM-DD, the day it was agreed
        ended       TEXT,                 -- YYYY-MM-DD, the day it stopped applying, or NULL
        created_utc TEXT    NOT NULL
    );
    CREATE TABLE checkins (
        id               INTEGER PRIMARY KEY,
        day              TEXT    NOT NULL,  -- YYYY-MM-DD, the day of the check-in
        past_raised      INTEGER CHECK (past_raised IS NULL OR past_raised IN (0, 1)),
        promises_visible INTEGER CHECK (promises_visible IS NULL OR promises_visible IN (0, 1)),
        feels            TEXT    CHECK (feels IS NULL OR feels IN ('new', 'repeat', 'unsure')),
        created_utc      TEXT    NOT NULL
    );
    CREATE INDEX checkins_by_day ON checkins (day);
    CREATE TABLE checkin_marks (
        checkin_id   INTEGER NOT NULL REFERENCES checkins (id) ON DELETE CASCADE,
        agreement_id INTEGER NOT NULL REFERENCES agreements (id),
        kept         TEXT    NOT NULL CHECK (kept IN ('kept', 'partly', 'not-kept')),
        PRIMARY KEY (checkin_id, agreement_id)
    );
    CREATE INDEX checkin_marks_by_agreement ON checkin_marks (agreement_id);
    -- Moving forward (issue 17): the decision point, and the tools for stages 4-7.
    CREATE TABLE decisions (
        id          INTEGER PRIMARY KEY,
        day         TEXT    NOT NULL,  -- YYYY-MM-DD, the day the decision was made
        option      TEXT    NOT NULL CHECK (option IN ('carry-on', 'part', 'all-in')),
        know        INTEGER NOT NULL CHECK (know IN (0, 1)),     -- the four "how sure am I" answers: 1 yes, 0 no
        values_clear INTEGER NOT NULL CHECK (values_clear IN (0, 1)),
        support     INTEGER NOT NULL CHECK (support IN (0, 1)),
        sure        INTEGER NOT NULL CHECK (sure IN (0, 1)),
        involved    TEXT    NOT NULL DEFAULT '[]',  -- JSON array: who else is involved
        review      TEXT,              -- YYYY-MM-DD, when to look at it again
        note        TEXT    NOT NULL DEFAULT '',
        fingerprint TEXT    NOT NULL UNIQUE,
        created_utc TEXT    NOT NULL
    );
    CREATE INDEX decisions_by_day ON decisions (day);
    CREATE TABLE decision_reasons (
        id          INTEGER PRIMARY KEY,
        decision_id INTEGER NOT NULL REFERENCES decisions (id) ON DELETE CASCADE,
        position    INTEGER NOT NULL,
        option      TEXT    NOT NULL CHECK (option IN ('carry-on', 'part', 'all-in')),
        text        TEXT    NOT NULL,
        weight      INTEGER NOT NULL CHECK (weight BETWEEN 0 AND 5),  -- how much it matters
        UNIQUE (decision_id, position)
    );
    CREATE TABLE idea_statements (
        id          INTEGER PRIMARY KEY,
        day         TEXT    NOT NULL,
        feeling     TEXT    NOT NULL,
        situation   TEXT    NOT NULL,
        wish        TEXT    NOT NULL DEFAULT '',
        fingerprint TEXT    NOT NULL UNIQUE,
        created_utc TEXT    NOT NULL
    );
    CREATE TABLE idea_dates (
        id          INTEGER PRIMARY KEY,
        idea        TEXT    NOT NULL,
        planned     TEXT    NOT NULL,  -- YYYY-MM-DD
        happened    TEXT,              -- YYYY-MM-DD once it happened
        fingerprint TEXT    NOT NULL UNIQUE,  -- idea and planned day
        created_utc TEXT    NOT NULL
    );
    CREATE INDEX idea_dates_by_day ON idea_dates (planned);
    CREATE TABLE idea_custom (
        id          INTEGER PRIMARY KEY,
        kind        TEXT    NOT NULL CHECK (kind IN ('date', 'fresh')),
        text        TEXT    NOT NULL,
        created_utc TEXT    NOT NULL,
        UNIQUE (kind, text)
    );
    CREATE TABLE idea_tried (
        id          INTEGER PRIMARY KEY,
        idea        TEXT    NOT NULL UNIQUE,
        day         TEXT    NOT NULL,  -- YYYY-MM-DD, when it was tried
        created_utc TEXT    NOT NULL
    );
    -- Measurement plans (issue 18, journal/plans.py): which questionnaires a client fills in between
    -- sessions, and how often. The therapist's copy (role 'set') is in the client's journal in the
    -- practice; the client's copy (role 'received') in their own journal, from the plan file.
    CREATE TABLE plan_plans (
        id          INTEGER PRIMARY KEY,
        plan        TEXT    NOT NULL UNIQUE,  -- the plan id (p- and ten base32 letters), in files and returns
        client      TEXT    NOT NULL,         -- the practice's client id the plan was set for
        role        TEXT    NOT NULL CHECK (role IN ('set', 'received')),
        instruments TEXT    NOT NULL,         -- JSON array of instrument ids
        every_days  INTEGER CHECK (every_days IS NULL OR every_days BETWEEN 1 AND 92),  -- NULL: before each session
        start       TEXT    NOT NULL,         -- YYYY-MM-DD, the first day a questionnaire is due
        ended       TEXT,                     -- YYYY-MM-DD when it stopped (a newer plan replaced it), or NULL
        created_utc TEXT    NOT NULL
    );
    """,
    6: """
    -- the person's choices for the app, one row each (issue 24: the helplines' region, kept between visits)
    CREATE TABLE settings (
        key   TEXT PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 64),
        value TEXT NOT NULL CHECK (length(value) <= 200)
    );
    """,
    7: """
    -- trackers of the person's own (issue 27, journal/trackers.py): a number or a yes/no answer, by name
    CREATE TABLE tracker_values (
        id          INTEGER PRIMARY KEY,
        name        TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
        value       REAL    NOT NULL,
        yesno       INTEGER NOT NULL CHECK (yesno IN (0, 1)),  -- 1: a yes/no item (value 1 yes, 0 no)
        ts          TEXT    NOT NULL,  -- local time with its UTC offset
        ts_utc      TEXT    NOT NULL,
        day         TEXT    NOT NULL,  -- YYYY-MM-DD, the local day
        source      TEXT    NOT NULL,
        fingerprint TEXT    NOT NULL UNIQUE,  -- name, moment, value
        created_utc TEXT    NOT NULL
    );
    CREATE INDEX tracker_values_by_day ON tracker_values (day);
    """,
}
SCHEMA_VERSION = max(MIGRATIONS)


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

