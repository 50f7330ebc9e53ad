"""Journal entries to pandas: the one place that builds the entries DataFrame.

Imported lazily (it imports pandas); :meth:`Journal.entries` calls it. The
frame is built either from decoded packed columns (:func:`columns_frame`, the
fast read) or from plain rows (:func:`entries_frame`); both give exactly the
same DataFrame. An entry's stage is derived here from the stage timeline: the
latest stage change whose first day is on or before the entry's local
calendar day.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

from ..content import guide
from .codec import NO_READINESS, Columns
from .records import MOOD_LABELS

COLUMNS = ["id", "timestamp", "local_time", "date", "mood", "mood_label", "readiness", "stage",
           "stage_name", "tags", "note", "source"]
#: Mood labels by level, with "" at index 0, so that ``_LABELS[mood]`` labels an array of moods.
_LABELS = np.array([""] + [MOOD_LABELS[level] for level in range(1, 6)], dtype=object)
_EPOCH_ORDINAL = 719163  # date(1970, 1, 1).toordinal()


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
        utc = [datetime.fromisoformat(t).astimezone(UTC).replace(tzinfo=None) for t in ts]
        return pd.Series(pd.DatetimeIndex(pd.to_datetime(utc).as_unit("us"), tz="UTC"))


def entries_frame(rows: Sequence[tuple[Any, ...]], changes: Sequence[Any]) -> pd.DataFrame:
    """Rows ``(id, ts, day, mood, readiness, tags, note, source)`` to the journal DataFrame."""
    if rows:
        ids, ts, days, moods, readiness, tags, notes, sources = zip(*rows, strict=True)
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


def columns_frame(columns: Columns, changes: Sequence[Any]) -> pd.DataFrame:
    """Decoded packed columns (:func:`codec.decode <rekindle_widgets.journal.codec.decode>`) to the
    journal DataFrame, without one Python object per cell."""
    ids, utc, days, mood, readiness, local, tags, notes, sources = columns
    if len(changes):
        starts = np.array([c.since.toordinal() - _EPOCH_ORDINAL for c in changes], dtype=np.int64)
        stages = np.array([0] + [c.stage for c in changes], dtype=np.int64)
        stage = stages[np.searchsorted(starts, days, side="right")]
    else:
        stage = np.zeros(len(ids), dtype=np.int64)
    names = pd.array([""] + [s.name for s in guide().stages], dtype="str")
    labels = pd.array(list(_LABELS), dtype="str")
    return pd.DataFrame({
        "id": ids,
        "timestamp": pd.DatetimeIndex((utc * 1_000_000).view("datetime64[us]"), tz="UTC"),
        "local_time": pd.Series(local, dtype=object, copy=False),
        "date": (days * 86_400_000_000).view("datetime64[us]"),
        "mood": mood,
        "mood_label": labels.take(mood),
        "readiness": pd.arrays.IntegerArray(readiness, readiness == NO_READINESS),
        "stage": pd.arrays.IntegerArray(stage, stage == 0),
        "stage_name": names.take(stage),
        "tags": pd.Series(tags, dtype=object, copy=False),
        "note": pd.Series(notes, dtype=object, copy=False),
        "source": pd.Series(sources, dtype=object, copy=False),
    }, copy=False)


def in_range(frame: pd.DataFrame) -> bool:
    """Whether every mood is 1-5 and every readiness empty or 0-10: what :meth:`Journal.entries` checks of a
    frame before it gives it out (a row outside those came from elsewhere, and is looked for and left out)."""
    mood, readiness = frame["mood"], frame["readiness"]
    return bool(mood.between(1, 5).all() and (readiness.isna() | readiness.between(0, 10)).all())
