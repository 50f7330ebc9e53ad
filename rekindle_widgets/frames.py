"""Journal rows to pandas: one place that builds the entries DataFrame.

Imported lazily (it imports pandas); the journal calls it from ``entries()``.
An entry's stage is derived here from the stage timeline: the latest stage
change whose first day is on or before the entry's local calendar day.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .content import guide

COLUMNS = ["id", "timestamp", "local_time", "date", "mood", "mood_label", "readiness", "stage",
           "stage_name", "tags", "note", "source"]
_LABELS = np.array(["", "awful", "bad", "meh", "good", "rad"], dtype=object)


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
        from datetime import datetime, timezone

        utc = [datetime.fromisoformat(t).astimezone(timezone.utc).replace(tzinfo=None) for t in ts]
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
# entries). Instead SQLite concatenates each column into one string in a single
# pass (``group_concat``), and numpy parses the fixed-width parts: the local
# timestamp text ``YYYY-MM-DDTHH:MM:SS+HH:MM`` gives the UTC instant and the
# local day (the ``day`` column is, by construction, its first ten characters),
# and mood and readiness travel together as one two-digit number. Anything that
# does not fit this shape (an offset with seconds, a separator inside a note)
# falls back to :func:`entries_frame` over plain rows, so the result is always
# the same DataFrame.

_SEP = "\x01"  # tags cannot contain control characters; notes can, and are checked
_TS_WIDTH = 25  # len("2026-03-01T20:30:00+01:00")
_TS_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 23, 24]
_TS_MARKS = {4: "-", 7: "-", 10: "T", 13: ":", 16: ":", 22: ":"}
_EPOCH_ORDINAL = 719163  # date(1970, 1, 1).toordinal()


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
    for pos, mark in _TS_MARKS.items():
        if not (b[:, pos] == ord(mark)).all():
            return None
    sign = b[:, 19]
    if not ((sign == ord("+")) | (sign == ord("-"))).all() or not (b[:, _TS_WIDTH] == ord(",")).all():
        return None
    v = b[:, _TS_DIGITS].astype(np.int64) - 48
    if v.min() < 0 or v.max() > 9:
        return None
    two = v[:, 0::2] * 10 + v[:, 1::2]  # yy yy mo dd HH MM SS oh om
    year, month, day = two[:, 0] * 100 + two[:, 1], two[:, 2], two[:, 3]
    if (month < 1).any() or (month > 12).any() or (day < 1).any() or (day > 31).any():
        return None
    days = _days_from_civil(year, month, day)
    offset = two[:, 7] * 3600 + two[:, 8] * 60
    local = days * 86400 + two[:, 4] * 3600 + two[:, 5] * 60 + two[:, 6]
    return local - np.where(sign == ord("-"), -offset, offset), days


def read_entries(conn: Any, where: str = "", args: Sequence[Any] = (),
                 changes: Sequence[Any] = ()) -> pd.DataFrame:
    """The journal DataFrame straight from the ``entries`` table (``where``: an SQL filter on it)."""
    cols = ("group_concat(ts, ','), group_concat(mood * 16 + ifnull(readiness, 15), ''), "
            f"group_concat(tags, '{_SEP}'), group_concat(note, '{_SEP}'), group_concat(source, '{_SEP}')")
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")  # every statement below reads the same snapshot
    try:
        if where:  # a table scan visits rows in id order: with no filter, ids a dense range are not fetched
            row = conn.execute(f"SELECT {cols}, group_concat(id, ',') FROM entries {where}", args).fetchone()
            low = high = None
        else:
            low, high = conn.execute(
                "SELECT (SELECT min(id) FROM entries), (SELECT max(id) FROM entries)").fetchone()
            row = conn.execute(f"SELECT {cols} FROM entries").fetchone()
            if row[0] is not None and high - low + 1 != len(row[1]) // 2:  # ids with gaps: fetch them,
                # in the same statement (alone, SQLite would read them from an index, in time order)
                row = conn.execute(f"SELECT {cols}, group_concat(id, ',') FROM entries").fetchone()
        frame = _columns_frame(row, low, high, changes) if row[0] is not None else None
        slow = None
        if frame is None and row[0] is not None:
            slow = conn.execute(
                f"SELECT id, ts, day, mood, readiness, tags, note, source FROM entries {where} "
                "ORDER BY ts_utc, id", args).fetchall()
    finally:
        if own:
            conn.execute("COMMIT")
    return frame if frame is not None else entries_frame(slow or [], changes)


def _columns_frame(row: tuple[Any, ...], low: int | None, high: int | None,
                   changes: Sequence[Any]) -> pd.DataFrame | None:
    ts, moods, tags, notes, sources, *id_text = row
    n = len(moods) // 2
    tag_list, note_list, source_list = tags.split(_SEP), notes.split(_SEP), sources.split(_SEP)
    if not len(tag_list) == len(note_list) == len(source_list) == n or len(moods) != 2 * n:
        return None  # a separator inside a note: let the plain read handle it
    parsed = _parse_local_times(ts, n)
    if parsed is None:
        return None
    utc, days = parsed
    if id_text:
        ids = np.array(id_text[0].split(","), dtype=object).astype(np.int64)
    elif low is not None and high is not None and high - low + 1 == n:
        ids = np.arange(low, high + 1, dtype=np.int64)
    else:
        return None
    code = np.frombuffer(moods.encode("ascii"), np.uint8).reshape(n, 2).astype(np.int64) - 48
    code = code[:, 0] * 10 + code[:, 1]
    mood, readiness = code >> 4, code & 15
    local = np.array(ts.split(","), dtype=object)
    note_arr, source_arr = np.array(note_list, dtype=object), np.array(source_list, dtype=object)
    tag_codes, unique_tags = pd.factorize(np.array(tag_list, dtype=object))
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
