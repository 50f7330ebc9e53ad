"""The charts in words: alt text for the app, the reports and the notebooks.

pandas only, like :mod:`.summaries`: a description never needs matplotlib.
:func:`describe` speaks of the whole journal or of one chart kind;
:func:`describe_scores` and :func:`describe_goals` of the questionnaire and
goal charts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from ..bidi import isolated
from ..content.instruments import find
from ..journal import MOOD_LABELS
from ..model.scorer import latest_responses
from .kinds import check
from .summaries import (
    EVENT_TAGS,
    GAP_DAYS,
    MIN_TAG_DAYS,
    bins,
    check_data,
    check_progress,
    daily,
    event_days,
    long_gaps,
    scorable,
    sessions_of,
    stage_periods,
    stage_summary,
    tag_table,
    trend,
    trend_word,
)

__all__ = ["describe", "describe_goals", "describe_scores"]


def describe_goals(progress: pd.DataFrame | None) -> str:
    """The goals chart in words: per goal, how many ratings, first and latest."""
    if progress is None or len(check_progress(progress)) == 0:
        return "No goal has been rated in a session yet."
    sessions = sessions_of(progress)
    first, last = sessions["day"].iloc[0], sessions["day"].iloc[-1]
    names = list(dict.fromkeys(str(g) for g in progress["goal"]))
    span = f"on {_day(first)}" if len(sessions) == 1 else f"from {_day(first)} to {_day(last)}"
    parts = [(f"Progress on {len(names)} goal{'s' if len(names) != 1 else ''}, each rated 0-10, in "
              f"{len(sessions)} session{'s' if len(sessions) != 1 else ''} {span}.")]
    frame = progress.assign(_day=pd.DatetimeIndex(progress["date"]).normalize())
    for name in names:
        rated = frame[frame["goal"].astype(str) == name].sort_values("_day", kind="stable")
        a, b = int(rated["rating"].iloc[0]), int(rated["rating"].iloc[-1])
        if len(rated) == 1:
            parts.append(f"'{isolated(name)}': {b} on {_day(rated['_day'].iloc[0])}.")
        else:
            move = "up" if b > a else "down" if b < a else "unchanged"
            parts.append(f"'{isolated(name)}': {a} to {b} ({move}) over {len(rated)} ratings.")
    return " ".join(parts)


def _describe_moments(moments: Mapping[str, Sequence[Any]]) -> str:
    """" Also marked: 3 days of micro-date, from ... to ...." (the timeline's ``moments`` rows)."""
    parts = []
    for label, days in moments.items():
        when = sorted({pd.Timestamp(d).normalize() for d in days})
        if when:
            span = f"on {_day(when[0])}" if len(when) == 1 else f"from {_day(when[0])} to {_day(when[-1])}"
            parts.append(f"{len(when)} day{'s' if len(when) != 1 else ''} of {isolated(str(label))} {span}")
    return f" Also marked along the bottom: {'; '.join(parts)}." if parts else ""


def _day(d: Any) -> str:
    d = pd.Timestamp(d)
    return f"{d.day} {d:%B %Y}"


def describe(data: pd.DataFrame, stages: Sequence[Any] | None = None, *, kind: str | None = None,
             responses: pd.DataFrame | None = None, progress: pd.DataFrame | None = None,
             moments: Mapping[str, Sequence[Any]] | None = None, trackers: pd.DataFrame | None = None) -> str:
    """A plain-language paragraph of what the charts show (alt text for the app and reports).

    Without ``kind``: the whole journal (dates, days tracked, mood, each
    stage's mean and trend, readiness change). With a chart ``kind`` (one of
    :data:`.kinds.KINDS`): what that chart shows; ``scores`` reads ``responses``.
    """
    if kind == "scores":
        return describe_scores(responses)
    if kind == "goals":
        return describe_goals(progress)
    if kind == "trackers":
        return describe_trackers(trackers)
    data = check_data(data)
    if len(data) == 0:
        return "The journal has no entries yet, so the charts are empty."
    if kind is not None:
        check(kind)
        text = _DESCRIBE[kind](data, stages)
        return text + _describe_moments(moments) if kind == "timeline" and moments else text
    days = daily(data)
    first, last = days.index[0], days.index[-1]
    span = (last - first).days + 1
    mood = data["mood"]
    n = len(data)
    parts = [
        (f"From {_day(first)} to {_day(last)}, {n:,} mood entr{'y' if n == 1 else 'ies'} on "
         f"{len(days):,} of {span:,} day{'s' if span != 1 else ''}."),
        (f"Mood (1 = {MOOD_LABELS[1]}, 5 = {MOOD_LABELS[5]}) averaged {mood.mean():.1f}, "
         f"lowest {int(mood.min())}, "
         f"highest {int(mood.max())}."),
    ]
    table = stage_summary(data, stages)
    staged = table[table["stage"].notna()]
    if len(staged):
        phrases = []
        for row in staged.itertuples(index=False):
            word = {"rising": "rising", "falling": "falling", "flat": "steady",
                    "too little data": "too short to show a trend"}[row.trend]
            phrases.append(f"stage {int(row.stage)} ({row.name}, from {_day(row.start)}): mean "
                           f"{row.mood_mean:.1f}, {word}" if row.mood_mean == row.mood_mean else
                           f"stage {int(row.stage)} ({row.name}): no entries")
        parts.append("By stage: " + "; ".join(phrases) + ".")
    else:
        parts.append("No stage has been recorded yet.")
    slope = trend(days)
    if not math.isnan(slope):
        parts.append(f"Over the whole time mood was {trend_word(slope).replace('flat', 'steady')} "
                     f"({slope:+.2f} a week).")
    rd = days["readiness"].dropna()
    if len(rd) >= 2 and (rd.index[-1] - rd.index[0]).days >= 7:
        early = rd[rd.index <= rd.index[0] + pd.Timedelta(days=6)].mean()
        late = rd[rd.index >= rd.index[-1] - pd.Timedelta(days=6)].mean()
        direction = ("rose" if late - early >= 0.5 else "fell" if early - late >= 0.5
                     else "stayed about the same")
        parts.append(f"Readiness (0-10) {direction}: {early:.1f} in the first week, {late:.1f} in the last.")
    elif len(rd):
        parts.append(f"Readiness (0-10) averaged {rd.mean():.1f}.")
    else:
        parts.append("No readiness was recorded.")
    gaps = long_gaps(days)
    if gaps:
        parts.append(f"There {'is' if gaps == 1 else 'are'} {gaps} gap{'s' if gaps != 1 else ''} "
                     f"of more than {GAP_DAYS} days without entries; the lines stop there.")
    return " ".join(parts)


def _describe_timeline(data: pd.DataFrame, stages: Sequence[Any] | None) -> str:
    days = daily(data)
    step = {"D": "day", "W-MON": "week", "MS": "month"}[bins(days.index)]
    text = (f"Mood (1-5, left scale) from {_day(days.index[0])} to {_day(days.index[-1])}: each dot is a "
            f"{step}'s mean, a grey bar its lowest to highest entry, and the black line the mean over the "
            "last "
            "7 days")
    if days["readiness"].notna().any():
        text += "; the blue line is readiness (0-10, right scale) over the same 7 days"
    text += "."
    present = event_days(data, EVENT_TAGS, "D")
    if present:
        text += " Markers along the bottom show days with entries tagged " + ", ".join(
            f"{isolated(tag)} ({len(xs)} day{'s' if len(xs) != 1 else ''})"
            for tag, xs in present.items()) + "."
    periods = stage_periods(data, stages, until=days.index[-1])
    if periods:
        table = stage_summary(data, stages)
        staged = table[table["stage"].notna()]
        text += " Shaded bands are the stages: " + "; ".join(
            f"{int(r.stage)} from {_day(r.start)}, mood {r.mood_mean:.1f}"
            + (f", readiness {r.readiness_mean:.1f}" if r.readiness_mean == r.readiness_mean else "")
            for r in staged.itertuples(index=False)) + "."
    gaps = long_gaps(days)
    if gaps:
        text += f" The lines stop at {gaps} gap{'s' if gaps != 1 else ''} of more than {GAP_DAYS} days."
    return text


def describe_flags(flags: Sequence[Any]) -> str:
    """The red flags a timeline marks, in words: each flag's title and the check-ins it showed in."""
    parts = [f"{getattr(f, 'title', 'a red flag')} (check-ins of {', '.join(_day(d) for d in f.weeks)})"
             for f in flags]
    return ("Hatched red weeks, marked along the bottom, are the weekly check-ins behind a red flag: "
            + "; ".join(parts) + ".") if parts else ""


def _describe_pixels(data: pd.DataFrame, stages: Sequence[Any] | None) -> str:
    days = daily(data)
    first, last = days.index[0], days.index[-1]
    span = (last - first).days + 1
    years = sorted({first.year, last.year})
    good, hard = int((days["mood"] >= 4.5).sum()), int((days["mood"] <= 1.5).sum())
    text = (f"A calendar of {'–'.join(map(str, years))}, one square per day coloured by that day's mean mood "
            f"(dark for {MOOD_LABELS[1]}, yellow for {MOOD_LABELS[5]}). {len(days):,} of the {span:,} days "
            f"from {_day(first)} to "
            f"{_day(last)} have entries; the rest are blank. {good:,} day{'s' if good != 1 else ''} averaged "
            f"4.5 or more and {hard:,} averaged 1.5 or less.")
    periods = stage_periods(data, stages, until=last)
    if periods:
        text += " Dark outlines mark where each stage began: " + "; ".join(
            f"stage {p.stage} on {_day(p.start)}" for p in periods) + "."
    return text


def _describe_stages(data: pd.DataFrame, stages: Sequence[Any] | None) -> str:
    table = stage_summary(data, stages)
    parts = []
    for row in table.itertuples(index=False):
        name = "Before any stage" if pd.isna(row.stage) else f"Stage {int(row.stage)} ({row.name})"
        shape = "too short to show a trend" if row.trend == "too little data" else \
            row.trend.replace("flat", "steady")
        text = (f"{name}, {_day(row.start)} to {_day(row.end)}: {row.entries} entries on {row.days_logged} "
                f"of {row.days} days, mood {row.mood_mean:.1f} on average (from {row.mood_min} to "
                f"{row.mood_max}), {shape}")
        if row.readiness_mean == row.readiness_mean:
            text += f"; readiness {row.readiness_mean:.1f} on average"
        parts.append(text + ".")
    return "Mood and readiness for each stage period. " + " ".join(parts)


def _describe_weekdays(data: pd.DataFrame, stages: Sequence[Any] | None) -> str:
    days = daily(data)
    mean = days["mood"].groupby(days.index.day_of_week).mean()
    names = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    text = (f"Mean mood by day of the week, each day counted once: highest on {names[int(mean.idxmax())]}s "
            f"({mean.max():.1f}), lowest on {names[int(mean.idxmin())]}s ({mean.min():.1f}).")
    if len(days) < MIN_TAG_DAYS:
        text += f" With only {len(days)} days of entries these differences may well be chance."
    return text


def _describe_tags(data: pd.DataFrame, stages: Sequence[Any] | None) -> str:
    table = tag_table(data.reset_index(drop=True))
    if table.empty:
        return "There are not yet enough tagged entries to compare mood with and without a tag."
    ranked = table.reindex(table["difference"].abs().sort_values(ascending=False).index).head(4)
    phrases = [f"'{isolated(r.tag)}' {abs(r.difference):.1f} {'higher' if r.difference >= 0 else 'lower'} "
               f"({r.n_with} entries)" for r in ranked.itertuples(index=False)]
    text = ("Mean mood of entries with each tag against entries without it. Largest differences: "
            + "; ".join(phrases) + ".")
    n_days = int(pd.DatetimeIndex(data["date"]).normalize().nunique())
    if n_days < MIN_TAG_DAYS:
        text += f" Too little data: {n_days} days of entries (under {MIN_TAG_DAYS}), so these may be chance."
    return text


def describe_scores(responses: pd.DataFrame | None) -> str:
    """Questionnaire totals in words: per instrument, how many, first and latest score and band."""
    usable = scorable(responses)
    if usable.empty:
        return "No questionnaire with a score has been filled in yet."
    parts = []
    for inst, group in usable.groupby(usable["instrument"].astype(str), sort=False):
        group = group.sort_values("timestamp", kind="stable")
        info = find(inst)
        name = getattr(info, "title", None) or inst
        top = getattr(info, "max_total", None) if info is not None else None
        latest = latest_responses(group).iloc[-1]  # "latest" has one definition, in the scorer
        text = (f"{name}: {len(group)} response{'s' if len(group) != 1 else ''}; latest "
                f"{latest['total']:g}{f' of {top}' if top else ''} on {_day(latest['timestamp'])}")
        if isinstance(latest.get("band"), str) and latest["band"]:
            text += f" ({latest['band']})"
        if len(group) > 1:
            text += f", first {group.iloc[0]['total']:g} on {_day(group.iloc[0]['timestamp'])}"
        parts.append(text + "." + _describe_change(group, inst))
    return "Questionnaire totals over time, with score bands shaded where the questionnaire has them. " + \
        " ".join(parts)



def _describe_change(group: pd.DataFrame, inst: str) -> str:
    """" Change from the first score: PHQ-9 16 → 8: reliable improvement, ..." (model/reliable_change.py)."""
    from ..errors import RekindleError
    from ..model.reliable_change import NOT_A_DIAGNOSIS, changes

    try:
        found = changes(group, [inst])
    except RekindleError:  # totals this version cannot classify: say nothing rather than guess
        return ""
    if not found:
        return ""
    return f" Change from the first score: {found[0].describe()}. {NOT_A_DIAGNOSIS}"


def describe_trackers(trackers: pd.DataFrame | None) -> str:
    """The person's trackers in words: per tracker, how many days, and its range or its yes days."""
    if trackers is None or not len(trackers):
        return "No tracker values have been logged yet."
    parts = []
    for name, rows in trackers.groupby("name", sort=False):
        daily = rows.groupby(pd.DatetimeIndex(rows["date"]).normalize())["value"].mean()
        if bool(rows["yesno"].iloc[0]):
            parts.append(f"'{isolated(str(name))}': yes on {int((daily > 0.5).sum())} of {len(daily)} days")
        else:
            parts.append(f"'{isolated(str(name))}': {len(daily)} days, from {daily.min():g} to {daily.max():g}, "
                         f"mean {daily.mean():.1f}")
    first, last = pd.DatetimeIndex(trackers["date"]).min(), pd.DatetimeIndex(trackers["date"]).max()
    return (f"Your own trackers from {_day(first)} to {_day(last)}, one row each: " + "; ".join(parts) + ".")


def _describe_effects(data: pd.DataFrame, stages: Sequence[Any] | None) -> str:
    from ..model.insights import insights

    found = insights(data)
    if not found.effects:
        return found.reason or "No tag is on enough days, and missing from enough, to compare yet."
    clear = [e for e in found.effects if e.clear]
    text = ("Difference in mean mood between days with each tag and days without it, on the same day and the "
            "day after, with 95% intervals; zero means no difference. ")
    if clear:
        text += "Intervals that leave out zero: " + "; ".join(e.reading() for e in clear[:4]) + "."
    else:
        text += "Every interval includes zero: no clear difference for any tag yet."
    unsure = sum(1 for e in found.effects if not e.sure_enough)
    if unsure:
        text += f" {unsure} comparison{'s' if unsure != 1 else ''} on too few days to say (under 10 days a side)."
    return text


def _describe_variability(data: pd.DataFrame, stages: Sequence[Any] | None) -> str:
    from ..model.insights import variability

    recent, before, stages = variability(data)
    parts = [v.reading() for v in stages]
    if recent is not None:
        parts.append(recent.reading(before))
    if not parts:
        return "Not enough days in a row yet to say how much mood moves from day to day."
    return ("How much mood moves from one day to the next (bars: the square root of the mean squared "
            "successive difference of daily moods) and within a day (diamonds). " + " ".join(
                p[0].upper() + p[1:] + "." for p in parts))


_DESCRIBE = {"timeline": _describe_timeline, "pixels": _describe_pixels, "stages": _describe_stages,
             "weekdays": _describe_weekdays, "tags": _describe_tags, "effects": _describe_effects,
             "variability": _describe_variability}
