"""The packed-block codec: entries packed column by column, written and read back.

Fetching rows as Python tuples costs one object per cell (800,000 for 100,000
entries). Instead each column of a run of entries travels as one string
(:data:`PACKED_COLUMNS`: SQLite's ``group_concat``), and numpy parses the
fixed-width parts: the local timestamp text ``YYYY-MM-DDTHH:MM:SS+HH:MM`` gives
the UTC instant and the local day (the ``day`` column is, by construction, its
first ten characters), and mood and readiness travel together as one two-digit
number.

Both directions live here. :func:`pack_blocks` (the writer) runs at the end of
every write transaction and stores each full run of :data:`BLOCK_ROWS` entries
in ``entry_blocks`` (schema 3), so the blocks are committed or rolled back with
the entries they hold. :func:`read_runs` and :func:`decode` (the reader) take
most entries of a whole-journal read ready packed from those blocks and pack
only the last, unfilled run on the fly. Anything that does not fit this shape
(an offset with seconds, a separator inside a note, blocks out of step with the
entries) makes :func:`decode` return None, and the caller reads plain rows
instead, so the result is always the same.

The writer needs only sqlite3; numpy is imported by the reader when it runs, so
that opening a journal and writing to it stays light.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import numpy as np

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
#: Readiness as decoded when an entry has none.
NO_READINESS = 15


# --------------------------------------------------------------------------
# Writing: pack each full run of entries in the transaction that fills it
# --------------------------------------------------------------------------


def pack_blocks(conn: sqlite3.Connection) -> None:
    """Pack each full run of :data:`BLOCK_ROWS` unpacked entries into ``entry_blocks``.

    Runs at the end of every write transaction, so the blocks are written (or
    rolled back) with the entries they hold. Most writes find fewer than
    BLOCK_ROWS entries after the last block and do nothing.
    """
    row = conn.execute("SELECT last_id FROM entry_blocks ORDER BY first_id DESC LIMIT 1").fetchone()
    after = row[0] if row else None
    while True:
        args: tuple[Any, ...]
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


# --------------------------------------------------------------------------
# Reading: packed runs from SQLite, then numpy columns from the runs
# --------------------------------------------------------------------------


class Run(NamedTuple):
    """A run of entries in id order, each column packed as :data:`PACKED_COLUMNS` packs it."""

    rows: int
    first_id: int
    last_id: int
    ids: str | None  # comma-joined, or None when the run holds every id from first_id to last_id
    ts: str
    codes: str
    tags: str
    notes: str
    sources: str


class Columns(NamedTuple):
    """Decoded entries, one numpy array per column, in the journal's order (``ts_utc``, then ``id``)."""

    ids: np.ndarray  # int64
    utc: np.ndarray  # int64: seconds since 1970-01-01 UTC
    days: np.ndarray  # int64: the local calendar day, as days since 1970-01-01
    mood: np.ndarray  # int64, 1-5
    readiness: np.ndarray  # int64, 0-10, or NO_READINESS
    local: np.ndarray  # object: the local ISO text as recorded
    tags: np.ndarray  # object: a tuple of str each
    notes: np.ndarray  # object: str
    sources: np.ndarray  # object: str


def read_runs(conn: sqlite3.Connection, where: str = "", args: Sequence[object] = ()) -> list[Run]:
    """The entries matching ``where`` (all of them when it is empty) as packed runs, in id order.

    Run it inside one read transaction, so that every statement sees the same snapshot.
    """
    select = f"SELECT count(*), min(id), max(id), group_concat(id, ','), {PACKED_COLUMNS} FROM entries"
    if where:
        runs = [Run(*conn.execute(f"{select} {where}", args).fetchone())]
    else:
        runs = [Run(*row) for row in conn.execute(
            "SELECT rows, first_id, last_id, ids, ts, codes, tags, notes, sources FROM entry_blocks"
            " ORDER BY first_id")]
        if not runs:
            runs = [Run(*conn.execute(select).fetchone())]
        else:
            tail = Run(*conn.execute(f"{select} WHERE id > ?", (runs[-1].last_id,)).fetchone())
            total = conn.execute("SELECT count(*) FROM entries").fetchone()[0]
            if sum(b.rows for b in runs) + tail.rows != total:
                runs = [Run(*conn.execute(select).fetchone())]  # out of step (never, through the journal)
            else:
                runs.append(tail)
    return [run for run in runs if run.rows]


_TS_WIDTH = 25  # len("2026-03-01T20:30:00+01:00")
_TS_TEMPLATE = b"0000-00-00T00:00:00+00:00,"  # each one and its comma
_TS_MARKS = (4, 7, 10, 13, 16, 22, 25)
_TS_DIGITS = (0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 23, 24)


def _days_from_civil(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 for proleptic Gregorian dates (H. Hinnant's algorithm)."""
    y = y - (m <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * ((m + 9) % 12) + 2) // 5 + d - 1
    return era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468


def _parse_local_times(text: str, n: int) -> tuple[np.ndarray, np.ndarray] | None:
    """(UTC seconds, local day number) from ``n`` comma-joined fixed-width timestamps, or None."""
    import numpy as np

    raw = (text + ",").encode("ascii", "replace")
    if len(raw) != n * (_TS_WIDTH + 1):
        return None
    b = np.frombuffer(raw, np.uint8).reshape(n, _TS_WIDTH + 1)
    sign = b[:, 19]
    marks = list(_TS_MARKS)
    if not (b[:, marks] == np.frombuffer(_TS_TEMPLATE, np.uint8)[marks]).all() \
            or not ((sign == 43) | (sign == 45)).all():
        return None  # 43 is "+", 45 "-"
    digits = b[:, list(_TS_DIGITS)] - np.uint8(48)  # a byte that is not a digit wraps round to more than 9
    if digits.max() > 9:
        return None
    # two-digit numbers, one row each: yy yy mo dd HH MM SS oh om
    two = (digits[:, 0::2] * np.uint8(10) + digits[:, 1::2]).T.astype(np.int64)
    month, day = two[2], two[3]
    if month.min() < 1 or month.max() > 12 or day.min() < 1 or day.max() > 31:
        return None
    days = _days_from_civil(two[0] * 100 + two[1], month, day)
    offset = two[7] * 3600 + two[8] * 60
    local = days * 86400 + two[4] * 3600 + two[5] * 60 + two[6]
    return local - np.where(sign == 45, -offset, offset), days


def _ids(runs: Sequence[Run]) -> np.ndarray | None:
    import numpy as np

    parts = []
    for run in runs:
        if run.ids is not None:
            parts.append(np.array(run.ids.split(","), dtype=object).astype(np.int64))
        elif run.last_id - run.first_id + 1 == run.rows:
            parts.append(np.arange(run.first_id, run.last_id + 1, dtype=np.int64))
        else:
            return None
    return np.concatenate(parts)


def _objects(items: list[str]) -> np.ndarray:
    import numpy as np

    return np.fromiter(items, dtype=object, count=len(items))


def decode(runs: Sequence[Run]) -> Columns | None:
    """The entries of ``runs`` as columns, sorted as the journal sorts them; None if they do not fit."""
    import numpy as np
    import pandas as pd  # for factorize: the same tags text becomes one shared tuple

    if not runs:
        return None
    n = sum(run.rows for run in runs)
    ts = ",".join(run.ts for run in runs)
    codes = "".join(run.codes for run in runs)
    tag_list, note_list, source_list = (PACK_SEP.join(column).split(PACK_SEP) for column in
                                        zip(*((run.tags, run.notes, run.sources) for run in runs), strict=True))
    if not len(tag_list) == len(note_list) == len(source_list) == n or len(codes) != 2 * n:
        return None  # a separator inside a note: let the plain read handle it
    parsed = _parse_local_times(ts, n)
    ids = _ids(runs)
    if parsed is None or ids is None or len(ids) != n:
        return None
    utc, days = parsed
    code = np.frombuffer(codes.encode("ascii"), np.uint8).reshape(n, 2).astype(np.int64) - 48
    code = code[:, 0] * 10 + code[:, 1]
    mood, readiness = code >> 4, code & 15
    local, note_arr, source_arr = _objects(ts.split(",")), _objects(note_list), _objects(source_list)
    tag_codes, unique_tags = pd.factorize(_objects(tag_list))
    tag_tuples = np.empty(len(unique_tags), dtype=object)
    tag_tuples[:] = [tuple(t.split("|")) if t else () for t in unique_tags]
    tag_arr = tag_tuples[tag_codes]
    if len(utc) > 1 and ((np.diff(utc) < 0).any() or (np.diff(ids) <= 0).any()):  # ORDER BY ts_utc, id
        order = np.lexsort((ids, utc))
        utc, days, ids, mood, readiness = utc[order], days[order], ids[order], mood[order], readiness[order]
        local, note_arr, source_arr, tag_arr = local[order], note_arr[order], source_arr[order], tag_arr[order]
    return Columns(ids, utc, days, mood, readiness, local, tag_arr, note_arr, source_arr)
