"""What goes with a person's better days, said with how sure it is (issue 27): numpy and pandas, no charts.

**Tags and mood.** A day's mood is the mean of its entries; a day "has" a tag when any of its entries
carries it. For each tag, the days with it are compared with the days without it: the difference of their
mean moods, with a **95 % Welch t-interval** (two samples, variances not assumed equal; the t quantile
from the t distribution itself, :func:`t_quantile`). The same for **the next day**: the mood of the day
after a day with the tag against the day after a day without it, counting only days whose next calendar
day has entries. Welch's interval rather than a bootstrap: it is exact for normal data, close for the
skewed 1-5 means of a diary from about ten days each way, and it gives the same answer on every run.

It is a comparison of days, never a cause: the words say "days with *walk* averaged 0.6 higher", not
"walking lifts your mood". A tag is shown only from :data:`MIN_DAYS` days each way and is marked "too
few days to say" under :data:`SURE_DAYS`; the list is ranked by the interval's **lower bound**, so a tag
seen on three lucky days does not top it. Daylio and Bearable show similar comparisons (Bearable only from
3 days each way, 30 recommended).

**Trackers** of a person's own are compared the same way: a yes/no item's "yes" days against its "no"
days, a number's days above its median against the days at or below it; a day the tracker was not logged
counts on neither side.

**Variability.** The day-to-day swing is the **mean squared successive difference** (MSSD) of the daily
means over pairs of consecutive calendar days (a gap is not a step from one day to the next), the usual
measure of affective instability (Ebner-Priemer et al. 2009, Psychological Methods 14(1)); its square
root is in mood points, which is how it is said. The spread within days is the mean standard deviation of
the days with two entries or more. Both for the last :data:`PERIOD_DAYS` days and the ones before, and
per stage.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["MIN_DAYS", "MIN_PAIRS", "PERIOD_DAYS", "SURE_DAYS", "Effect", "Insights", "OnThisDay", "Variability",
           "insights", "t_quantile", "variability", "welch_interval"]

#: a tag is compared from this many days with it and without it
MIN_DAYS = 3
#: under this many days either way, an effect is marked "too few days to say"
SURE_DAYS = 10
#: the day-to-day swing needs this many pairs of consecutive days
MIN_PAIRS = 5
#: the latest period (ending on the last day with entries) compared with the one before it, in days
PERIOD_DAYS = 30
#: the level of the intervals
LEVEL = 0.95


# --------------------------------------------------------------------------
# The t distribution, without scipy
# --------------------------------------------------------------------------


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the regularised incomplete beta function (Lentz's method)."""
    tiny, qab, qap, qam = 1e-300, a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        for num in (m * (b - m) * x / ((qam + m2) * (a + m2)), -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))):
            d = 1.0 + num * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + num / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < 1e-14:
            break
    return h


def _beta_regularised(a: float, b: float, x: float) -> float:
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_fraction(a, b, x) / a
    return 1.0 - front * _beta_fraction(b, a, 1.0 - x) / b


def _t_cdf(t: float, df: float) -> float:
    tail = 0.5 * _beta_regularised(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t >= 0 else tail


def t_quantile(p: float, df: float) -> float:
    """The ``p`` quantile of Student's t with ``df`` degrees of freedom (``df`` may be fractional, as
    Welch's is): the t distribution's CDF through the incomplete beta function, inverted by bisection."""
    if not 0.0 < p < 1.0 or df <= 0:
        raise ValueError("p must be in (0, 1) and df positive")
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    low, high = 0.0, 1.0
    while _t_cdf(high, df) < p:
        high *= 2.0
    for _ in range(200):
        mid = (low + high) / 2.0
        if _t_cdf(mid, df) < p:
            low = mid
        else:
            high = mid
        if high - low < 1e-10:
            break
    return (low + high) / 2.0


def welch_interval(a: np.ndarray, b: np.ndarray, level: float = LEVEL) -> tuple[float, float, float]:
    """``(difference of means a - b, low, high)``: Welch's t-interval at ``level`` (each side needs two
    values or more; with no spread on either side the interval is the difference itself)."""
    n1, n2 = len(a), len(b)
    if n1 < 2 or n2 < 2:
        raise ValueError("each side needs two values or more")
    diff = float(a.mean() - b.mean())
    v1, v2 = float(a.var(ddof=1)) / n1, float(b.var(ddof=1)) / n2
    se = math.sqrt(v1 + v2)
    if se == 0.0:
        return diff, diff, diff
    df = (v1 + v2) ** 2 / ((v1 * v1) / (n1 - 1) + (v2 * v2) / (n2 - 1))
    half = t_quantile(0.5 + level / 2.0, df) * se
    return diff, diff - half, diff + half


# --------------------------------------------------------------------------
# What the insights are
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Effect:
    """Days with a tag against days without it (``lag`` 0), or the days after them (``lag`` 1)."""

    tag: str
    lag: int
    days_with: int
    days_without: int
    mean_with: float
    mean_without: float
    difference: float
    low: float
    high: float

    @property
    def sure_enough(self) -> bool:
        return min(self.days_with, self.days_without) >= SURE_DAYS

    @property
    def clear(self) -> bool:
        """The interval leaves out 0 (and there are days enough to say)."""
        return self.sure_enough and (self.low > 0 or self.high < 0)

    def reading(self) -> str:
        """One line a person reads: the comparison, never a cause."""
        counts = f"{self.days_with} day{'s' if self.days_with != 1 else ''} with, {self.days_without} without"
        if not self.sure_enough:
            return f"{self._subject()}: too few days to say ({counts})"
        way = "higher" if self.difference > 0 else "lower"
        size = f"{abs(self.difference):.1f} {way}" if round(abs(self.difference), 1) else "about the same"
        line = f"{self._subject()} averaged {size}; {LEVEL:.0%} interval {self.low:.2f} to {self.high:.2f}; {counts}"
        return line if self.clear else line + " (no clear difference: the interval includes 0)"

    def _subject(self) -> str:
        return (f"days with \u201c{self.tag}\u201d" if self.lag == 0
                else f"the day after a day with \u201c{self.tag}\u201d")

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "sure_enough": self.sure_enough, "clear": self.clear, "reading": self.reading()}


@dataclass(frozen=True)
class Variability:
    """How much mood moves from one day to the next, and within a day, over one stretch of days."""

    label: str
    start: date
    end: date
    days: int
    pairs: int  # pairs of consecutive calendar days with entries
    mssd: float | None  # None under MIN_PAIRS pairs
    within: float | None  # mean SD within days with two entries or more; None without such days
    within_days: int

    @property
    def swing(self) -> float | None:
        """The day-to-day swing in mood points: the square root of the MSSD."""
        return None if self.mssd is None else math.sqrt(self.mssd)

    def reading(self, before: Variability | None = None) -> str:
        if self.swing is None:
            return (f"{self.label}: too few pairs of consecutive days to say how much your mood moves from day to "
                    f"day ({self.pairs}; {MIN_PAIRS} needed)")
        line = (f"{self.label}: your mood moved by about {self.swing:.1f} points from one day to the next "
                f"(MSSD {self.mssd:.2f} over {self.pairs} pairs of consecutive days)")
        if self.within is not None:
            line += f"; within a day it spread by about {self.within:.1f} ({self.within_days} days with 2+ entries)"
        if before is not None and before.swing is not None:
            change = self.swing - before.swing
            word = ("about the same as" if abs(change) < 0.1 else "steadier than" if change < 0
                    else "more changeable than")
            line += f"; {word} {before.label} ({before.swing:.1f})"
        return line

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(start=self.start.isoformat(), end=self.end.isoformat(), swing=self.swing)
        return data


@dataclass(frozen=True)
class OnThisDay:
    """What the journal holds for the same day a month or a year before ``today``."""

    label: str  # "a month ago", "a year ago"
    day: date
    mood: float
    entries: int
    tags: tuple[str, ...]

    def reading(self) -> str:
        tags = f"; tags: {', '.join(self.tags)}" if self.tags else ""
        return (f"{self.label} ({self.day.isoformat()}): mood {self.mood:.1f} over {self.entries} "
                f"entr{'y' if self.entries == 1 else 'ies'}{tags}")


@dataclass
class Insights:
    """Everything :func:`insights` found, and why anything is missing."""

    effects: list[Effect] = field(default_factory=list)  # ranked by the interval's lower bound
    skipped: dict[str, str] = field(default_factory=dict)  # tag -> why it is not compared
    recent: Variability | None = None  # the last PERIOD_DAYS days
    before: Variability | None = None  # the PERIOD_DAYS days before those
    stages: list[Variability] = field(default_factory=list)  # each stage's days
    on_this_day: list[OnThisDay] = field(default_factory=list)
    reason: str = ""  # why nothing at all can be said (too few days), else ""
    days: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"days": self.days, "reason": self.reason,
                "effects": [e.to_dict() for e in self.effects], "skipped": self.skipped,
                "variability": {"recent": self.recent.to_dict() if self.recent else None,
                                 "before": self.before.to_dict() if self.before else None,
                                 "stages": [v.to_dict() for v in self.stages]},
                "on_this_day": [{"label": o.label, "day": o.day.isoformat(), "mood": o.mood, "entries": o.entries,
                                 "tags": list(o.tags), "reading": o.reading()} for o in self.on_this_day],
                "level": LEVEL, "interval": "Welch t-interval of the difference of mean daily moods"}

    def lines(self) -> list[str]:
        """The insights as lines of text (the command line's output)."""
        if self.reason:
            return [self.reason]
        out = [e.reading() for e in self.effects]
        out += [f"\u201c{tag}\u201d: {why}" for tag, why in self.skipped.items()]
        if self.recent is not None:
            out.append(self.recent.reading(self.before))
        out += [v.reading() for v in self.stages]
        out += [o.reading() for o in self.on_this_day]
        return out


# --------------------------------------------------------------------------
# Finding them
# --------------------------------------------------------------------------


_EPOCH = date(1970, 1, 1)


def _day_numbers(dates: pd.Series) -> np.ndarray:
    """Each date's day number (days since 1970-01-01): consecutive days differ by one."""
    return pd.DatetimeIndex(dates).normalize().as_unit("ns").asi8 // 86_400_000_000_000


def _date_of(number: int) -> date:
    return _EPOCH + timedelta(days=int(number))


def _days(data: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per day with entries, oldest first: day number, mean mood, entry count, within-day SD, and each
    entry's day index."""
    day = _day_numbers(data["date"])
    order = np.argsort(day, kind="stable")
    day_sorted, mood = day[order], data["mood"].to_numpy(dtype=float)[order]
    ordinals, starts, counts = np.unique(day_sorted, return_index=True, return_counts=True)
    sums = np.add.reduceat(mood, starts)
    squares = np.add.reduceat(mood * mood, starts)
    means = sums / counts
    with np.errstate(invalid="ignore", divide="ignore"):
        var = np.where(counts > 1, (squares - counts * means * means) / np.maximum(counts - 1, 1), np.nan)
    index = np.empty(len(day), dtype=np.int64)
    index[order] = np.repeat(np.arange(len(ordinals)), counts)
    return ordinals, means, counts, np.sqrt(np.clip(var, 0, None)), index


def _variability(label: str, ordinals: np.ndarray, means: np.ndarray, sd: np.ndarray) -> Variability | None:
    if not len(ordinals):
        return None
    steps = np.diff(ordinals) == 1
    pairs = int(steps.sum())
    mssd = float(np.mean(np.diff(means)[steps] ** 2)) if pairs >= MIN_PAIRS else None
    spread = sd[~np.isnan(sd)]
    return Variability(label, _date_of(ordinals[0]), _date_of(ordinals[-1]), len(ordinals), pairs, mssd,
                       float(spread.mean()) if len(spread) else None, len(spread))


def _stretches(data: pd.DataFrame, ordinals: np.ndarray, means: np.ndarray, sd: np.ndarray,
               index: np.ndarray) -> tuple[Variability | None, Variability | None, list[Variability]]:
    """The variability of the latest PERIOD_DAYS days with entries, of the ones before, and of each stage."""
    last = int(ordinals[-1])
    recent = ordinals > last - PERIOD_DAYS
    earlier = (ordinals > last - 2 * PERIOD_DAYS) & ~recent
    stages = []
    if "stage" in data:
        from ..content import guide

        stage_of = pd.Series(data["stage"].to_numpy()).groupby(index).last().to_numpy()
        for stage in sorted({int(s) for s in stage_of if not pd.isna(s)}):
            keep = stage_of == stage
            if (v := _variability(f"stage {stage} ({guide().stage(stage).name})", ordinals[keep], means[keep],
                                  sd[keep])) is not None:
                stages.append(v)
    return (_variability(f"the {PERIOD_DAYS} days to {_date_of(last).isoformat()}", ordinals[recent],
                         means[recent], sd[recent]),
            _variability(f"the {PERIOD_DAYS} days before", ordinals[earlier], means[earlier], sd[earlier]), stages)


def variability(data: pd.DataFrame) -> tuple[Variability | None, Variability | None, list[Variability]]:
    """Only the variability that :func:`insights` finds (the latest 30 days, the 30 before, each stage), for
    the chart and its words: no tag is compared. Nothing under the days insights need."""
    if len(data) == 0:
        return None, None, []
    ordinals, means, _counts, sd, index = _days(data)
    if len(ordinals) < 2 * MIN_DAYS:
        return None, None, []
    return _stretches(data, ordinals, means, sd, index)


def insights(data: pd.DataFrame, *, since: date | None = None, today: date | None = None,
             trackers: pd.DataFrame | None = None) -> Insights:
    """Tag effects (same day and next day) and variability for a journal's entries (``Journal.entries()``)
    from ``since`` on, and what the whole journal holds for this day a month and a year before ``today``.
    With ``trackers`` (``Journal.trackers()``) each tracker is compared too: a yes/no item's "yes" days
    against its "no" days ("worked out: yes"), a number's days above its median against the others
    ("sleep above 7.5")."""
    found = Insights(on_this_day=_on_this_day(data, today or date.today()) if len(data) else [])
    if since is not None and len(data):
        data = data[pd.DatetimeIndex(data["date"]) >= pd.Timestamp(since)]
    if not len(data):
        found.reason = "No entries yet" + (f" since {since.isoformat()}" if since else "") + ": nothing to compare."
        return found
    ordinals, means, _counts, sd, index = _days(data)
    found.days = len(ordinals)
    if found.days < 2 * MIN_DAYS:
        found.reason = (f"{found.days} day{'s' if found.days != 1 else ''} with entries: comparisons start from "
                        f"{2 * MIN_DAYS} ({MIN_DAYS} with a tag and {MIN_DAYS} without).")
        return found
    # the days each tag is on (a tag on any entry of a day marks the day)
    marks: dict[str, np.ndarray] = {}
    for tags, day in zip(data["tags"].to_numpy(), index, strict=True):
        for tag in tags:
            if tag:
                marks.setdefault(tag, np.zeros(len(ordinals), dtype=bool))[day] = True
    after = np.flatnonzero(np.diff(ordinals) == 1)  # day i whose next calendar day (i + 1) has entries
    for tag in sorted(marks):
        _compare(found, tag, marks[tag], ~marks[tag], means, after)
    if trackers is not None and len(trackers):
        for label, on, off in _tracker_days(trackers, ordinals):
            _compare(found, label, on, off, means, after)
    found.effects.sort(key=lambda e: (not e.sure_enough, -e.low, e.tag, e.lag))
    found.recent, found.before, found.stages = _stretches(data, ordinals, means, sd, index)
    return found


def _compare(found: Insights, label: str, on: np.ndarray, off: np.ndarray, means: np.ndarray,
             after: np.ndarray) -> None:
    """The days ``on`` against the days ``off`` (for a tag, every other day), the same day and the next."""
    for lag, (yes, no, values) in enumerate(((on, off, means), (on[after], off[after], means[after + 1]))):
        with_, without = values[yes], values[no]
        if min(len(with_), len(without)) < MIN_DAYS:
            if lag == 0:
                found.skipped[label] = (f"on {len(with_)} day{'s' if len(with_) != 1 else ''}, not on "
                                        f"{len(without)}: {MIN_DAYS} each way are needed to compare")
            continue
        diff, low, high = welch_interval(with_, without)
        found.effects.append(Effect(label, lag, len(with_), len(without), float(with_.mean()),
                                    float(without.mean()), diff, low, high))


def _tracker_days(trackers: pd.DataFrame, ordinals: np.ndarray) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """Each tracker as two sets of the days with entries: a yes/no item's "yes" days against its "no" days,
    a number's days above its median against the days at or below it. Days the tracker was not logged are
    in neither (not logging sleep is not sleeping badly)."""
    day = _day_numbers(trackers["date"])
    at = np.searchsorted(ordinals, day)
    known = (at < len(ordinals)) & (ordinals[np.minimum(at, len(ordinals) - 1)] == day)
    out = []
    frame = pd.DataFrame({"name": trackers["name"].to_numpy()[known], "at": at[known],
                          "value": trackers["value"].to_numpy(dtype=float)[known],
                          "yesno": trackers["yesno"].to_numpy(dtype=bool)[known]})
    for name, rows in frame.groupby("name", sort=True):
        daily = rows.groupby("at")["value"].mean()
        on, off = np.zeros(len(ordinals), dtype=bool), np.zeros(len(ordinals), dtype=bool)
        if bool(rows["yesno"].iloc[0]):
            on[daily.index[daily > 0.5]] = True
            off[daily.index[daily <= 0.5]] = True
            label = f"{name}: yes"
        else:
            middle = float(daily.median())
            on[daily.index[daily > middle]] = True
            off[daily.index[daily <= middle]] = True
            label = f"{name} above {middle:g}"
        out.append((label, on, off))
    return out


def _on_this_day(data: pd.DataFrame, today: date) -> list[OnThisDay]:
    """The journal's days a month and a year before ``today``, where it has entries."""
    found = []
    days = pd.DatetimeIndex(data["date"]).normalize()
    for label, then in (("a month ago", _months_before(today, 1)), ("a year ago", _months_before(today, 12))):
        rows = data[days == pd.Timestamp(then)]
        if len(rows):
            tags = tuple(sorted({t for tags in rows["tags"] for t in tags if t}))
            found.append(OnThisDay(label, then, float(rows["mood"].mean()), len(rows), tags))
    return found


def _months_before(day: date, months: int) -> date:
    """The same day of the month ``months`` before (the month's last day when it is shorter)."""
    import calendar

    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
