"""The arithmetic under the charts: pandas and numpy only, no matplotlib.

Days (:func:`daily`), the aggregation that keeps a chart small
(:func:`bins`, :func:`binned`), stage periods (:class:`Period`,
:func:`stage_periods`), the per-stage table (:func:`stage_summary`), tags
(:func:`tag_table`, :func:`event_days`), questionnaire scores
(:func:`scorable`, :func:`instrument_bands`) and goal sessions. The chart
modules draw these; :mod:`.alt_text` puts them into words; the report shows
the tables.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from ..content import guide
from ..content.instruments import find
from ..errors import RekindleError
from .theme import STAGE_COLOURS

__all__ = [
    "EVENT_TAGS", "GAP_DAYS", "MAX_POINTS", "MIN_TAG_DAYS", "TREND_THRESHOLD", "Period", "bin_start",
    "binned", "bins", "check_data", "check_progress", "daily", "event_days", "instrument_bands", "long_gaps",
    "middle_half", "rolling", "scorable", "sessions_of", "stage_name", "stage_periods", "stage_summary",
    "tag_table", "trend", "trend_word",
]

#: Tags drawn as events on the timeline (others can be passed with ``events=``).
EVENT_TAGS = ("contact", "date", "therapy")
#: No line is drawn across a gap between entries longer than this many days.
GAP_DAYS = 14
#: Above this many points a chart aggregates further (per week, then per month).
MAX_POINTS = 1500
#: Under this many days with entries, tag comparisons say "too little data".
MIN_TAG_DAYS = 30
#: A change of this much mood per week (on the 1-5 scale) or more counts as rising or falling.
TREND_THRESHOLD = 0.1


def stage_name(stage: int) -> str:
    return guide().stage(int(stage)).name


def check_data(data: Any, columns: Iterable[str] = ("date", "mood")) -> pd.DataFrame:
    """``data`` if it is an entries DataFrame with ``columns``, else a RekindleError saying what to pass."""
    if not isinstance(data, pd.DataFrame):
        raise RekindleError(f"chart data must be the journal's DataFrame (Journal.entries()), "
                            f"not {type(data).__name__}")
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise RekindleError(f"chart data lacks the column(s) {', '.join(missing)}; "
                            "pass the DataFrame from Journal.entries()")
    return data


# --------------------------------------------------------------------------
# Days and their aggregation
# --------------------------------------------------------------------------


def daily(data: pd.DataFrame) -> pd.DataFrame:
    """One row per day with entries: mood mean/min/max, entry count, readiness mean, stage (last entry's).

    Indexed by the (naive, local) day, oldest first. Plain numpy reductions
    over runs of equal days: the timeline calls this on every redraw.
    """
    day_ns = pd.DatetimeIndex(data["date"]).normalize().as_unit("ns").asi8
    mood = data["mood"].to_numpy(dtype=float)
    ready = data["readiness"].astype("Float64").to_numpy(dtype=float, na_value=np.nan) \
        if "readiness" in data else np.full(len(data), np.nan)
    stage = data["stage"].astype("Float64").to_numpy(dtype=float, na_value=np.nan) \
        if "stage" in data else None
    if len(day_ns) > 1 and (np.diff(day_ns) < 0).any():  # local days out of UTC order (time zones)
        order = np.argsort(day_ns, kind="stable")
        day_ns, mood, ready = day_ns[order], mood[order], ready[order]
        stage = stage[order] if stage is not None else None
    starts = np.flatnonzero(np.r_[True, day_ns[1:] != day_ns[:-1]]) if len(day_ns) else \
        np.array([], dtype=int)
    counts = np.diff(np.r_[starts, len(day_ns)])
    has_ready = ~np.isnan(ready)
    with np.errstate(invalid="ignore", divide="ignore"):
        ready_mean = np.add.reduceat(np.where(has_ready, ready, 0.0), starts) / \
            np.add.reduceat(has_ready.astype(float), starts) if len(starts) else np.array([])
    index = pd.DatetimeIndex(day_ns[starts].view("datetime64[ns]"), name="day")
    out = pd.DataFrame({
        "mood": np.add.reduceat(mood, starts) / counts if len(starts) else np.array([]),
        "low": np.minimum.reduceat(mood, starts) if len(starts) else np.array([]),
        "high": np.maximum.reduceat(mood, starts) if len(starts) else np.array([]),
        "entries": counts,
        "readiness": ready_mean,
    }, index=index)
    if stage is not None:
        out["stage"] = stage[np.r_[starts[1:], len(day_ns)] - 1] if len(starts) else np.array([])
    return out


def bins(day_index: pd.DatetimeIndex) -> str:
    """The aggregation step that keeps a chart under :data:`MAX_POINTS` points: "D", "W-MON" or "MS"."""
    if len(day_index) == 0:
        return "D"
    span = (day_index[-1] - day_index[0]).days + 1
    if span <= MAX_POINTS:
        return "D"
    if span / 7 <= MAX_POINTS:
        return "W-MON"
    return "MS"


def binned(days: pd.DataFrame, step: str) -> pd.DataFrame:
    """:func:`daily` rows grouped by ``step`` (see :func:`bins`): entry-weighted mood, range, readiness."""
    if step == "D":
        return days
    label = "left" if step.startswith("W") else None
    grouped = days.resample(step, label=label, closed=label) if label else days.resample(step)
    weights = days["entries"]
    out = pd.DataFrame({
        "mood": (days["mood"] * weights).resample(step, label=label or "left", closed=label or "left").sum()
        / weights.resample(step, label=label or "left", closed=label or "left").sum(),
        "low": grouped["low"].min(),
        "high": grouped["high"].max(),
        "entries": grouped["entries"].sum(),
        "readiness": grouped["readiness"].mean(),
    })
    return out[out["entries"] > 0]


def bin_start(days: pd.DatetimeIndex, step: str) -> pd.DatetimeIndex:
    """The first day of each day's bin: itself, its week's Monday, or its month's first day."""
    if step == "D":
        return days
    if step.startswith("W"):
        return days - pd.to_timedelta(days.day_of_week, unit="D")
    return days - pd.to_timedelta(days.day - 1, unit="D")


def middle_half(data: pd.DataFrame, step: str, index: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
    """25th and 75th percentile of the entries' moods in each bin of ``index``."""
    keys = bin_start(pd.DatetimeIndex(data["date"]).normalize(), step)
    grouped = pd.Series(data["mood"].to_numpy(dtype=float), index=keys).groupby(level=0)
    return (grouped.quantile(0.25).reindex(index).to_numpy(),
            grouped.quantile(0.75).reindex(index).to_numpy())


def rolling(series: pd.Series, window: int) -> pd.Series:
    """Mean over the last ``window`` days of daily values (time-based: gaps are not bridged)."""
    clean = series.dropna()
    if clean.empty:
        return clean
    return clean.rolling(f"{int(window)}D", min_periods=1).mean()


def long_gaps(days: pd.DataFrame) -> int:
    """How many gaps between days with entries are longer than :data:`GAP_DAYS`."""
    if len(days) < 2:
        return 0
    gaps = np.diff(days.index.to_numpy()).astype("timedelta64[D]").astype(int)
    return int((gaps > GAP_DAYS).sum())


def event_days(data: pd.DataFrame, tags_wanted: Sequence[str], step: str) -> dict[str, pd.DatetimeIndex]:
    """Tag -> the days (or first days of the weeks, months) with an entry tagged so (any case)."""
    if not tags_wanted or "tags" not in data or data.empty:
        return {}
    codes, uniques = pd.factorize(data["tags"])
    lowered = [{str(t).strip().lower() for t in (u if isinstance(u, tuple) else ())} for u in uniques]
    days = pd.DatetimeIndex(data["date"]).normalize()
    out: dict[str, pd.DatetimeIndex] = {}
    for tag in tags_wanted:
        hit = np.array([tag in u for u in lowered] + [False], dtype=bool)
        mask = hit[codes]  # code -1 (a missing value) picks the final False
        if not mask.any():
            continue
        tagged = pd.DatetimeIndex(np.unique(days[mask].to_numpy()))
        if step != "D":
            counted = pd.Series(1, index=tagged).resample(step, label="left", closed="left").sum()
            tagged = pd.DatetimeIndex(counted[counted > 0].index)
        out[tag] = tagged
    return out


# --------------------------------------------------------------------------
# Stage periods
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A stretch of days in one stage: ``start`` inclusive, ``end`` exclusive (naive days)."""

    stage: int
    start: pd.Timestamp
    end: pd.Timestamp

    @property
    def name(self) -> str:
        return stage_name(self.stage)

    @property
    def colour(self) -> str:
        return STAGE_COLOURS[self.stage]


def _changes_from(stages: Sequence[Any]) -> list[tuple[pd.Timestamp, int]]:
    out: list[tuple[pd.Timestamp, int]] = []
    for change in sorted(stages, key=lambda c: c.since):  # stable: same-day changes keep their order
        day = pd.Timestamp(change.since)
        if out and out[-1][0] == day:
            out[-1] = (day, int(change.stage))  # the later record wins, as in the journal
        else:
            out.append((day, int(change.stage)))
    return out


def _changes_from_column(data: pd.DataFrame | None) -> list[tuple[pd.Timestamp, int]]:
    if data is None or "stage" not in data or data.empty:
        return []
    frame = pd.DataFrame({"day": pd.DatetimeIndex(data["date"]).normalize(),
                          "stage": data["stage"].astype("Float64")}).dropna()
    frame = frame.sort_values("day", kind="stable")
    if frame.empty:
        return []
    stage = frame["stage"].to_numpy(dtype=float)
    starts = np.r_[True, stage[1:] != stage[:-1]]
    return [(day, int(s)) for day, s in zip(frame["day"][starts], stage[starts], strict=True)]


def stage_periods(data: pd.DataFrame | None = None, stages: Sequence[Any] | None = None, *,
                  until: date | pd.Timestamp | None = None) -> list[Period]:
    """The stage timeline as periods, oldest first.

    From ``stages`` (StageChange records) when given, else from the ``stage``
    column of ``data`` (each period then starts on its first entry). The last
    period ends the day after ``until`` (default: the last entry, or its own
    start). Consecutive records of the same stage make one period.
    """
    changes = _changes_from(stages) if stages is not None else _changes_from_column(data)
    merged: list[tuple[pd.Timestamp, int]] = []
    for day, stage in changes:
        if not merged or merged[-1][1] != stage:
            merged.append((day, stage))
    if not merged:
        return []
    if until is None and data is not None and len(data):
        until = pd.Timestamp(data["date"].max()).normalize()
    last = max(pd.Timestamp(until).normalize() if until is not None else merged[-1][0], merged[-1][0])
    ends = [day for day, _ in merged[1:]] + [last + pd.Timedelta(days=1)]
    return [Period(stage, start, end) for (start, stage), end in zip(merged, ends, strict=True)]


# --------------------------------------------------------------------------
# The stage summary
# --------------------------------------------------------------------------

_SUMMARY_COLUMNS = ["stage", "name", "start", "end", "days", "days_logged", "entries", "mood_mean",
                    "mood_min", "mood_max", "readiness_mean", "readiness_min", "readiness_max",
                    "readiness_change", "trend_per_week", "trend"]


def trend(days: pd.DataFrame, column: str = "mood") -> float:
    """Least-squares slope of the daily means, per week (NaN under 3 days or a week of data)."""
    values = days[column].dropna()
    if len(values) < 3:
        return float("nan")
    x = (values.index - values.index[0]).days.to_numpy(dtype=float)
    if x[-1] < 6:
        return float("nan")
    slope = np.polyfit(x, values.to_numpy(dtype=float), 1)[0]
    return float(slope * 7)


def trend_word(slope: float) -> str:
    """"rising", "falling", "flat" (within :data:`TREND_THRESHOLD` a week) or "too little data"."""
    if math.isnan(slope):
        return "too little data"
    if slope >= TREND_THRESHOLD:
        return "rising"
    if slope <= -TREND_THRESHOLD:
        return "falling"
    return "flat"


def stage_summary(data: pd.DataFrame, stages: Sequence[Any] | None = None) -> pd.DataFrame:
    """One row per stage period, oldest first.

    Columns: ``stage``, ``name``, ``start`` and ``end`` (first and last day, within
    the data), ``days`` (calendar days), ``days_logged``, ``entries``,
    ``mood_mean``/``_min``/``_max``, ``readiness_mean``/``_min``/``_max``,
    ``readiness_change`` (last week's mean minus the first week's),
    ``trend_per_week`` (least-squares slope of daily mean mood, per week) and
    ``trend`` ("rising", "flat", "falling" or "too little data").
    Entries before the first stage change make a first row with stage NA.
    """
    data = check_data(data)
    if len(data) == 0:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in _SUMMARY_COLUMNS})
    days = daily(data)
    first, last = days.index[0], days.index[-1]
    periods = stage_periods(data, stages, until=last)
    spans: list[tuple[int | None, str, pd.Timestamp, pd.Timestamp]] = []
    if not periods or periods[0].start > first:
        until = periods[0].start if periods else last + pd.Timedelta(days=1)
        spans.append((None, "Before any stage", first, until))
    spans += [(p.stage, p.name, p.start, p.end) for p in periods]
    rows = []
    # plain arrays: the mood page describes its timeline from this table on every save
    mood_all = data["mood"].to_numpy(dtype=float)
    ready_all = data["readiness"].astype("Float64").to_numpy(dtype=float, na_value=np.nan) \
        if "readiness" in data else np.full(len(data), np.nan)
    entry_ns = pd.DatetimeIndex(data["date"]).normalize().as_unit("ns").asi8
    day_ns = days.index.as_unit("ns").asi8
    for stage, name, start, end in spans:
        lo, hi = max(start, first), min(end, last + pd.Timedelta(days=1))
        if hi <= lo:
            continue
        lo_ns, hi_ns = pd.Timestamp(lo).as_unit("ns").value, pd.Timestamp(hi).as_unit("ns").value
        in_days = days[(day_ns >= lo_ns) & (day_ns < hi_ns)]
        mask = (entry_ns >= lo_ns) & (entry_ns < hi_ns)
        mood = mood_all[mask]
        r = ready_all[mask]
        r = r[~np.isnan(r)]
        slope = trend(in_days)
        change = float("nan")
        rd = in_days["readiness"].dropna()
        if len(rd) >= 2 and (rd.index[-1] - rd.index[0]).days >= 7:
            change = float(rd[rd.index >= rd.index[-1] - pd.Timedelta(days=6)].mean()
                           - rd[rd.index <= rd.index[0] + pd.Timedelta(days=6)].mean())
        rows.append({
            "stage": stage, "name": name, "start": lo.date(), "end": (hi - pd.Timedelta(days=1)).date(),
            "days": (hi - lo).days, "days_logged": len(in_days), "entries": int(mask.sum()),
            "mood_mean": float(mood.mean()) if len(mood) else float("nan"),
            "mood_min": int(mood.min()) if len(mood) else pd.NA,
            "mood_max": int(mood.max()) if len(mood) else pd.NA,
            "readiness_mean": float(r.mean()) if len(r) else float("nan"),
            "readiness_min": int(r.min()) if len(r) else pd.NA,
            "readiness_max": int(r.max()) if len(r) else pd.NA,
            "readiness_change": change, "trend_per_week": slope, "trend": trend_word(slope),
        })
    out = pd.DataFrame(rows, columns=_SUMMARY_COLUMNS)
    for column in ("stage", "mood_min", "mood_max", "readiness_min", "readiness_max"):
        out[column] = out[column].astype("Int64")
    for column in ("days", "days_logged", "entries"):
        out[column] = out[column].astype("int64")
    return out


# --------------------------------------------------------------------------
# Tags
# --------------------------------------------------------------------------


def tag_table(data: pd.DataFrame, *, top: int = 12, min_entries: int = 3) -> pd.DataFrame:
    """Per tag: mean mood of entries with it and without it, their counts, and the difference."""
    data = check_data(data, ("mood", "tags"))
    rows = []
    if len(data):
        tags_col = data["tags"]
        exploded = tags_col.explode().dropna()
        counts = exploded.value_counts()
        mood = data["mood"].to_numpy(dtype=float)
        for tag, n in counts.items():
            if n < min_entries or len(data) - n < min_entries:
                continue
            has = np.zeros(len(data), dtype=bool)
            has[np.unique(data.index.get_indexer(exploded.index[exploded == tag]))] = True
            rows.append({"tag": tag, "with": float(mood[has].mean()), "without": float(mood[~has].mean()),
                         "n_with": int(has.sum()), "n_without": int((~has).sum())})
    table = pd.DataFrame(rows, columns=["tag", "with", "without", "n_with", "n_without"])
    table["difference"] = table["with"] - table["without"]
    return table.sort_values("n_with", ascending=False, kind="stable").head(top) \
        .sort_values("difference", kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------
# Questionnaire scores
# --------------------------------------------------------------------------


def instrument_bands(instrument_id: str) -> list[tuple[float, float, str]]:
    """``[(low, high, label), ...]`` for an instrument's score bands, from its content file."""
    info = find(instrument_id)
    if info is None:
        return []
    return [(float(b.min), float(b.max), b.label) for b in getattr(info, "bands", ())
            if getattr(b, "min", None) is not None and getattr(b, "max", None) is not None]


def scorable(responses: pd.DataFrame | None) -> pd.DataFrame:
    """Responses that have a score to chart: never a screen (the safety screen has no score)."""
    if responses is None or len(responses) == 0 or "total" not in responses:
        return pd.DataFrame(columns=["instrument", "timestamp", "total", "band", "flags"])
    keep = responses["total"].notna().to_numpy().copy()
    for i, inst in enumerate(responses["instrument"]):
        info = find(str(inst))
        if info is not None and (getattr(info, "screen", False) or not getattr(info, "has_total", True)):
            keep[i] = False
        if str(inst).lower() in {"safety", "danger"}:
            keep[i] = False
    return responses[keep]


# --------------------------------------------------------------------------
# Goals: a client's goals rated 0-10 in each therapy session
# --------------------------------------------------------------------------


def check_progress(progress: Any) -> pd.DataFrame:
    """``progress`` if it is the DataFrame from Journal.goal_progress(), else a RekindleError."""
    if not isinstance(progress, pd.DataFrame):
        raise RekindleError(f"goal data must be the DataFrame from Journal.goal_progress(), "
                            f"not {type(progress).__name__}")
    missing = [c for c in ("date", "goal", "rating") if c not in progress.columns]
    if missing:
        raise RekindleError(f"goal data lacks the column(s) {', '.join(missing)}; "
                            "pass the DataFrame from Journal.goal_progress()")
    return progress


def sessions_of(progress: pd.DataFrame) -> pd.DataFrame:
    """One row per session, in order: its key and day (sessions without an id are one per day)."""
    days = pd.DatetimeIndex(progress["date"]).normalize()
    keys = progress["session_id"].to_numpy() if "session_id" in progress else days.asi8
    frame = pd.DataFrame({"key": keys, "day": days})
    return frame.drop_duplicates("key").sort_values(["day", "key"], kind="stable").reset_index(drop=True)
