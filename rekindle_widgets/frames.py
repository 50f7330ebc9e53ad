"""Journal rows to pandas: one place that builds the entries DataFrame.

Imported lazily (it imports pandas); the journal calls it from ``entries()``.
An entry's stage is derived here from the stage timeline: the latest stage
change whose first day is on or before the entry's local calendar day.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from .content import guide
from .journal import MOOD_LABELS, PACK_SEP, PACKED_COLUMNS

COLUMNS = ["id", "timestamp", "local_time", "date", "mood", "mood_label", "readiness", "stage",
           "stage_name", "tags", "note", "source"]
_LABELS = np.array(["", *(MOOD_LABELS[level] for level in range(1, 6))], dtype=object)


def stage_for_days(days: np.ndarray, changes: Sequence[Any]) -> np.ndarray:
    """Stage number (0 = before any stage) for each ISO day string in ``days``."""
    if not len(changes):
        return np.zeros(len(days), dtype=np.int64)
    starts = np.array([c.since.isoformat() for c in changes])
    stages = np.array([0] + [c.stage for c in changes], dtype=np.int64)
    # changes are sorted by (since, id): side="right" picks the last one on or before the day
    return stages[np.searchsorted(starts, days.astype(starts.dtype), side="right")]


def _utc_times(ts: Sequence[str]) -> pd.Series:
    try:
        return pd.to_datetime(pd.Series(ts, dtype=object), utc=True, format="ISO8601")
    except ValueError:  # e.g. a historical offset with seconds (+00:19:32), which pandas refuses
        from datetime import datetime

        utc = [datetime.fromisoformat(t).astimezone(UTC).replace(tzinfo=None) for t in ts]
        return pd.Series(pd.DatetimeIndex(pd.to_datetime(utc).as_unit("us"), tz="UTC"))


def entries_frame(rows: Sequence[tuple[Any, ...]], changes: Sequence[Any]) -> pd.DataFrame:
    """Rows ``(id, ts, day, mood, readiness, tags, note, source)`` to the journal DataFrame."""
    if rows:
        ids, ts, days, moods, readiness, tags, notes, sources = zip(*rows)
    else:
        ids = ts = days = moods = readiness = tags = notes = sources = ()
    day_arr = np.array(days, dtype="U10") if rows else np.array([], dtype="U10")
    stage = stage_for_days(day_arr, changes)
    mood = np.array(moods, dtype=np.int64)
    names = np.array([""] + [s.name for s in guide().stages], dtype=object)
    frame = pd.DataFrame({
        "id": np.array(ids, dtype=np.int64),
        "timestamp": _utc_times(ts),
        "local_time": pd.Series(ts, dtype=object),
        "date": pd.to_datetime(pd.Series(day_arr, dtype=object), format="%Y-%m-%d"),
        "mood": mood,
        "mood_label": _LABELS[mood] if rows else np.array([], dtype=object),
        "readiness": pd.array(readiness, dtype="Int64"),
        "stage": pd.array(np.where(stage > 0, stage, 0), dtype="Int64"),
        "stage_name": names[stage],
        "tags": pd.Series([tuple(t.split("|")) if t else () for t in tags], dtype=object),
        "note": pd.Series(notes, dtype=object),
        "source": pd.Series(sources, dtype=object),
    })
    frame.loc[stage == 0, "stage"] = pd.NA
    return frame[COLUMNS]


# --------------------------------------------------------------------------
# The fast read: columns straight from SQLite
# --------------------------------------------------------------------------
#
# Fetching rows as Python tuples costs one object per cell (800,000 for 100,000
# entries). Instead each column of a run of entries arrives as one string
# (``PACKED_COLUMNS``: SQLite's ``group_concat``), and numpy parses the
# fixed-width parts: the local timestamp text ``YYYY-MM-DDTHH:MM:SS+HH:MM`` gives
# the UTC instant and the local day (the ``day`` column is, by construction, its
# first ten characters), and mood and readiness travel together as one two-digit
# number. A whole-journal read takes most entries ready packed from the
# ``entry_blocks`` table (schema 3, kept by the journal in the same transactions
# as the entries) and packs only the last, unfilled run itself. Anything that
# does not fit this shape (an offset with seconds, a separator inside a note,
# blocks out of step with the entries) falls back to :func:`entries_frame` over
# plain rows, so the result is always the same DataFrame.

_TS_WIDTH = 25  # len("2026-03-01T20:30:00+01:00")
_TS_TEMPLATE = np.frombuffer(b"0000-00-00T00:00:00+00:00,", np.uint8)  # each one and its comma
_TS_MARKS = np.array([4, 7, 10, 13, 16, 22, 25])
_TS_DIGITS = np.array([0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 23, 24])
_EPOCH_ORDINAL = 719163  # date(1970, 1, 1).toordinal()


class _Run(NamedTuple):
    """A run of entries in id order, each column packed as ``PACKED_COLUMNS`` packs it."""

    rows: int
    first_id: int
    last_id: int
    ids: str | None  # comma-joined, or None when the run holds every id from first_id to last_id
    ts: str
    codes: str
    tags: str
    notes: str
    sources: str


def _days_from_civil(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 for proleptic Gregorian dates (H. Hinnant's algorithm)."""
    y = y - (m <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * ((m + 9) % 12) + 2) // 5 + d - 1
    return era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468


def _parse_local_times(text: str, n: int) -> tuple[np.ndarray, np.ndarray] | None:
    """(UTC seconds, local day number) from ``n`` comma-joined fixed-width timestamps, or None."""
    raw = (text + ",").encode("ascii", "replace")
    if len(raw) != n * (_TS_WIDTH + 1):
        return None
    b = np.frombuffer(raw, np.uint8).reshape(n, _TS_WIDTH + 1)
    sign = b[:, 19]
    if not (b[:, _TS_MARKS] == _TS_TEMPLATE[_TS_MARKS]).all() or not ((sign == 43) | (sign == 45)).all():
        return None  # 43 is "+", 45 "-"
    digits = b[:, _TS_DIGITS] - np.uint8(48)  # a byte that is not a digit wraps round to more than 9
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


def _runs(conn: Any, where: str, args: Sequence[Any]) -> list[_Run]:
    """The entries matching ``where`` (all of them when it is empty) as packed runs, in id order."""
    select = f"SELECT count(*), min(id), max(id), group_concat(id, ','), {PACKED_COLUMNS} FROM entries"
    if where:
        return [_Run(*conn.execute(f"{select} {where}", args).fetchone())]
    blocks = [_Run(*row) for row in conn.execute(
        "SELECT rows, first_id, last_id, ids, ts, codes, tags, notes, sources FROM entry_blocks ORDER BY first_id")]
    if not blocks:
        return [_Run(*conn.execute(select).fetchone())]
    tail = _Run(*conn.execute(f"{select} WHERE id > ?", (blocks[-1].last_id,)).fetchone())
    if sum(b.rows for b in blocks) + tail.rows != conn.execute("SELECT count(*) FROM entries").fetchone()[0]:
        return [_Run(*conn.execute(select).fetchone())]  # out of step (never, through the journal)
    return blocks + [tail]


def read_entries(conn: Any, where: str = "", args: Sequence[Any] = (),
                 changes: Sequence[Any] = ()) -> pd.DataFrame:
    """The journal DataFrame straight from the ``entries`` table (``where``: an SQL filter on it)."""
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")  # every statement below reads the same snapshot
    try:
        runs = [run for run in _runs(conn, where, args) if run.rows]
        frame = _columns_frame(runs, changes) if runs else None
        slow = None
        if frame is None and runs:
            slow = conn.execute(
                f"SELECT id, ts, day, mood, readiness, tags, note, source FROM entries {where} "
                "ORDER BY ts_utc, id", args).fetchall()
    finally:
        if own:
            conn.execute("COMMIT")
    return frame if frame is not None else entries_frame(slow or [], changes)


def _ids(runs: Sequence[_Run]) -> np.ndarray | None:
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
    return np.fromiter(items, dtype=object, count=len(items))


def _columns_frame(runs: Sequence[_Run], changes: Sequence[Any]) -> pd.DataFrame | None:
    n = sum(run.rows for run in runs)
    ts = ",".join(run.ts for run in runs)
    codes = "".join(run.codes for run in runs)
    tag_list, note_list, source_list = (PACK_SEP.join(column).split(PACK_SEP) for column in
                                        zip(*((run.tags, run.notes, run.sources) for run in runs)))
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
    if len(changes):
        starts = np.array([c.since.toordinal() - _EPOCH_ORDINAL for c in changes], dtype=np.int64)
        stages = np.array([0] + [c.stage for c in changes], dtype=np.int64)
        stage = stages[np.searchsorted(starts, days, side="right")]
    else:
        stage = np.zeros(n, dtype=np.int64)
    names = pd.array([""] + [s.name for s in guide().stages], dtype="str")
    labels = pd.array(list(_LABELS), dtype="str")
    frame = pd.DataFrame({
        "id": ids,
        "timestamp": pd.DatetimeIndex((utc * 1_000_000).view("datetime64[us]"), tz="UTC"),
        "local_time": pd.Series(local, dtype=object, copy=False),
        "date": (days * 86_400_000_000).view("datetime64[us]"),
        "mood": mood,
        "mood_label": labels.take(mood),
        "readiness": pd.arrays.IntegerArray(readiness, readiness == 15),
        "stage": pd.arrays.IntegerArray(stage, stage == 0),
        "stage_name": names.take(stage),
        "tags": pd.Series(tag_arr, dtype=object, copy=False),
        "note": pd.Series(note_arr, dtype=object, copy=False),
        "source": pd.Series(source_arr, dtype=object, copy=False),
    }, copy=False)
    return frame
