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
        "timestamp": pd.to_datetime(pd.Series(ts, dtype=object), utc=True, format="ISO8601"),
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
