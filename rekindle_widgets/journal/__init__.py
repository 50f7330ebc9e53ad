"""The mood and readiness journal: one SQLite file per person.

The journal holds these kinds of record:

* mood **entries**: a time-zone-aware timestamp, mood 1-5 (5 best), optional
  readiness 0-10, tags, a note and where the entry came from;
* **stage changes**: the date a person entered one of the seven stages. An
  entry's stage is derived from this timeline, never typed on the entry;
* questionnaire **responses** (instrument, answers, total, band, flags);
* **agreements** and weekly **check-ins** on them (schema 5, :mod:`.watch`), which the
  red-flag watch (:mod:`rekindle_widgets.model.watch`) reads;
* decisions, I-statements, micro-dates and ideas (schema 5, :mod:`.forward`);
* therapy **sessions** (schema 2), when a therapist keeps one journal per client:
  date, minutes, stage discussed, instruments given, SOAP or DAP notes,
  homework, and goals with a 0-10 progress rating each (:meth:`Journal.sessions`).

Read it back with :meth:`Journal.entries`, a pandas DataFrame with one row per
entry and its derived stage. Schema 3 keeps, beside the entries, a copy of them
packed column by column in blocks of :data:`BLOCK_ROWS` (``entry_blocks``), which
is what makes reading 100,000 entries fast. It is derived data in the same
file, written in the same transaction as the entries that fill a block, and
triggers drop any block whose entries are changed by other means.

Schema 4 makes every record correctable without losing anything: each add,
edit, delete and import is one row of a change log, an edit or delete keeps the
version it replaced, :meth:`Journal.undo` takes the last change back (a whole
import at once) and :meth:`Journal.erase` forgets the history for good and
rewrites the file. The tables keep only current versions, so every read shows
the journal as it is now (see :mod:`.store` for why this design).

The package, one concern per module, each importing only those before it:

* :mod:`.records`: the record types and the checks of their values (no SQL);
* :mod:`.tables`: every kind of record, declared once (the lists below are derived from it);
* :mod:`.schema`: the SQLite schema as ordered migrations;
* :mod:`.checks`: whether a file is one Rekindle wrote (its schema, object by object, and every row);
* :mod:`.part`, :mod:`.watch`, :mod:`.forward`, :mod:`.plans`: the other kinds' records and SQL, as mixins
  of :class:`Journal` (``JournalPart`` declares what they use of it);
* :mod:`.codec`: the packed-block codec, writer and reader (sqlite3, and numpy to read);
* :mod:`.frames`: entries to pandas DataFrames, from plain rows or decoded blocks;
* :mod:`.store`: :class:`Journal`, the only code that runs SQL on a journal, and
  :func:`as_journal` / :func:`opened`, the one way to get a journal from "a Journal,
  a path, or None";
* :mod:`.copies`: the automatic safety copies kept before an import, migration,
  undo, erase or restore (:func:`safety_copy`, :func:`safety_copies`).

Importing the package imports neither numpy nor pandas; :mod:`.frames` is
loaded when a DataFrame is first asked for.
"""

from __future__ import annotations

from .codec import BLOCK_ROWS, PACK_SEP, PACKED_COLUMNS
from .copies import KEEP, REASONS, SafetyCopy, discard_safety_copies, safety_copies, safety_copy
from .forward import (
    IDEA_KINDS,
    OPTIONS,
    SURE_QUESTIONS,
    Decision,
    DecisionChanges,
    ForwardRecords,
    MicroDate,
    Reason,
    Statement,
    compare,
)
from .plans import Plan, check_plan_id
from .records import (
    DEMO_SOURCE,
    MAX_GOAL,
    MAX_GOALS,
    MAX_HOMEWORK,
    MAX_NOTE,
    MAX_SECTION,
    MAX_TAG,
    MOOD_LABELS,
    NOTE_TEMPLATES,
    READINESS,
    STAGES,
    Entry,
    Goal,
    ImportResult,
    Response,
    Session,
    StageChange,
    check_mood,
    check_readiness,
    check_stage,
    check_tags,
    make_entries,
    parse_date,
    parse_datetime,
    parse_yes_no,
)
from .schema import MIGRATIONS, SCHEMA_VERSION, _statements  # noqa: F401  (_statements: for the tests)
from .store import (
    BUSY_ENV,
    BUSY_TIMEOUT,
    SQLITE_HEADER,
    UNCHANGED,
    Activity,
    Change,
    Erased,
    ImportBatch,
    Journal,
    JournalLike,
    as_journal,
    busy_timeout,
    check_backup,
    open_elsewhere,
    opened,
    path_of,
)
from .trackers import Tracked, parse_track
from .watch import FEELS, KEPT, KEPT_LABELS, MAX_AGREEMENT, Agreement, CheckIn

__all__ = [
    "BLOCK_ROWS",
    "BUSY_ENV",
    "BUSY_TIMEOUT",
    "DEMO_SOURCE",
    "FEELS",
    "IDEA_KINDS",
    "KEEP",
    "KEPT",
    "KEPT_LABELS",
    "MAX_AGREEMENT",
    "MAX_GOAL",
    "MAX_GOALS",
    "MAX_HOMEWORK",
    "MAX_NOTE",
    "MAX_SECTION",
    "MAX_TAG",
    "MIGRATIONS",
    "MOOD_LABELS",
    "NOTE_TEMPLATES",
    "OPTIONS",
    "PACKED_COLUMNS",
    "PACK_SEP",
    "READINESS",
    "REASONS",
    "SCHEMA_VERSION",
    "SQLITE_HEADER",
    "STAGES",
    "SURE_QUESTIONS",
    "UNCHANGED",
    "Activity",
    "Agreement",
    "Change",
    "CheckIn",
    "Decision",
    "DecisionChanges",
    "Entry",
    "Erased",
    "ForwardRecords",
    "Goal",
    "ImportBatch",
    "ImportResult",
    "Journal",
    "JournalLike",
    "MicroDate",
    "Plan",
    "Reason",
    "Response",
    "SafetyCopy",
    "Session",
    "StageChange",
    "Statement",
    "Tracked",
    "Version",
    "as_journal",
    "busy_timeout",
    "check_backup",
    "check_mood",
    "check_plan_id",
    "check_readiness",
    "check_stage",
    "check_tags",
    "compare",
    "discard_safety_copies",
    "make_entries",
    "open_elsewhere",
    "opened",
    "parse_date",
    "parse_datetime",
    "parse_track",
    "parse_yes_no",
    "path_of",
    "safety_copies",
    "safety_copy",
]
