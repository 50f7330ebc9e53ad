"""Reliable and clinically significant change: is the difference between two scores real?

The constants are data, in each instrument's file (``[change]``, read by
:mod:`rekindle_widgets.content.reliable_change`): the reliable-change threshold, the
clinical cut-off (caseness), which way is worse, and their source. This module
is the one place that applies them; the session page, the reports, the scores
chart, ``rekindle change`` and the practice overview all ask it.

Public API::

    classify(instrument, first, latest) -> Change        # a pair of totals, as the scorer gives them
    classify_series(instrument, totals) -> tuple[Change, ...]   # each later total against the first
    series(responses, instrument) -> list[Step]          # a journal's responses (Journal.responses()), dated
    changes(responses) -> list[Change]                   # first against latest, per questionnaire
    has_rule(instrument) -> bool                         # does the instrument carry change constants?

The rules, in the instrument's score (the raw total, or WHO-5's percentage)::

    change = latest - first
    reliable           |change| >= threshold            (a change exactly at the threshold counts)
    reliable improvement    reliable and better (lower for PHQ-9 / GAD-7, higher for WHO-5)
    reliable deterioration  reliable and worse
    no reliable change      anything else, including no change at all
    case               the score is at or past the cut-off (PHQ-9 >= 10, GAD-7 >= 8, WHO-5 below 52%)
    recovered          a case at first and not a case at latest
    reliable recovery  recovered and a reliable improvement

A scale that gives its SD and reliability instead of a threshold uses the
Jacobson & Truax (1991) index, ``1.96 * SD * sqrt(2) * sqrt(1 - r)`` points
(:func:`rekindle_widgets.content.reliable_change.jacobson_truax`).

These are self-reported questionnaire scores, not a diagnosis: every view that
shows a classification says so (:data:`NOT_A_DIAGNOSIS`).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..content.instruments import Instrument, find, instrument, instruments
from ..content.reliable_change import ChangeRule
from ..errors import RekindleError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DETERIORATION",
    "IMPROVEMENT",
    "NOT_A_DIAGNOSIS",
    "NO_CHANGE",
    "RECOVERED",
    "RELIABLE_RECOVERY",
    "Change",
    "Step",
    "changes",
    "classify",
    "classify_series",
    "has_rule",
    "parse_total",
    "rule_text",
    "series",
    "short_title",
]

IMPROVEMENT = "reliable improvement"
DETERIORATION = "reliable deterioration"
NO_CHANGE = "no reliable change"
RECOVERED = "recovered"
RELIABLE_RECOVERY = "reliable recovery"
#: Said wherever a classification is shown.
NOT_A_DIAGNOSIS = "These are self-reported questionnaire scores, not a diagnosis."
_EPSILON = 1e-9  # a Jacobson & Truax threshold is a float: a change equal to it up to rounding counts


@dataclass(frozen=True)
class Change:
    """One change between two totals of an instrument, classified. Build with :func:`classify`."""

    instrument: str  # the instrument id, e.g. "phq9"
    title: str  # a short name, e.g. "PHQ-9"
    first: float  # raw totals, as the scorer gives them
    latest: float
    change: float  # latest - first, in raw points
    score: str  # which score the rule is in: "total" or "percentage"
    scaled_change: float  # latest - first in that score (WHO-5: percentage points)
    first_score: float  # the totals in that score
    latest_score: float
    threshold: float  # in that score
    direction: str  # "better", "worse" or "unchanged"
    status: str  # IMPROVEMENT, DETERIORATION or NO_CHANGE
    case_first: bool
    case_latest: bool
    recovery: str | None  # RELIABLE_RECOVERY, RECOVERED or None

    @property
    def reliable(self) -> bool:
        return self.status != NO_CHANGE

    @property
    def recovered(self) -> bool:
        """From a case at first to below the cut-off at latest (with or without reliable improvement)."""
        return self.recovery is not None

    @property
    def reliable_recovery(self) -> bool:
        return self.recovery == RELIABLE_RECOVERY

    @property
    def words(self) -> tuple[str, ...]:
        """``("reliable improvement", "reliable recovery")``: the classification, then recovery if it applies."""
        return (self.status,) + ((self.recovery,) if self.recovery else ())

    @property
    def label(self) -> str:
        """``"reliable improvement, reliable recovery"``."""
        return ", ".join(self.words)

    def points_text(self) -> str:
        """The change in points: ``"-8 points"``; WHO-5 adds its percentage points: ``"+4 points (+16 of 100)"``."""
        text = f"{_signed(self.change)} point{'s' if abs(self.change) != 1 else ''}"
        if self.score == "percentage":
            text += f" ({_signed(self.scaled_change)} percentage points)"
        return text

    def describe(self) -> str:
        """``"PHQ-9 16 → 8: reliable improvement, reliable recovery"`` (WHO-5 adds its percentages)."""
        pair = f"{self.first:g} → {self.latest:g}"
        if self.score == "percentage":
            pair += f" ({self.first_score:g}% → {self.latest_score:g}%)"
        return f"{self.title} {pair}: {self.label}"

    def to_dict(self) -> dict[str, Any]:
        """Plain data (``rekindle change --json``, the practice overview)."""
        return {
            "instrument": self.instrument, "title": self.title, "first": _plain(self.first),
            "latest": _plain(self.latest), "change": _plain(self.change), "score": self.score,
            "scaled_change": _plain(self.scaled_change), "threshold": _plain(self.threshold),
            "direction": self.direction, "classification": self.status, "reliable": self.reliable,
            "case_first": self.case_first, "case_latest": self.case_latest, "recovery": self.recovery,
            "label": self.label, "text": self.describe(), "note": NOT_A_DIAGNOSIS,
        }


def _plain(value: float) -> int | float:
    """A whole number as an int (JSON ``16``, not ``16.0``)."""
    return int(value) if float(value).is_integer() else float(value)


def _signed(value: float) -> str:
    return f"{value:+g}" if value else "0"


def short_title(inst: Instrument) -> str:
    """``"PHQ-9"`` from ``"PHQ-9 (low mood)"`` (:attr:`Instrument.short_title`)."""
    return inst.short_title


def _rule(inst: Instrument | str) -> tuple[Instrument, ChangeRule]:
    found = instrument(inst)
    if found.change is None:
        with_rules = ", ".join(i.id for i in instruments() if i.change is not None)
        raise RekindleError(f"{found.id} has no reliable-change constants; these do: {with_rules}")
    return found, found.change


def has_rule(inst: Instrument | str) -> bool:
    """Does this instrument carry change constants (an unknown id: False)?"""
    found = find(inst)
    return found is not None and found.change is not None


def _check_total(inst: Instrument, value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise RekindleError(f"{inst.id} {what} total must be a number, not {value!r}")
    total = float(value)
    if not total.is_integer():
        raise RekindleError(f"{inst.id} {what} total {total:g} is not a whole number: totals are sums of answers")
    if not inst.min_total <= total <= inst.max_total:
        raise RekindleError(f"{inst.id} {what} total {total:g} is out of range: totals run from "
                            f"{inst.min_total} to {inst.max_total}")
    return total


def classify(inst: Instrument | str, first: float, latest: float) -> Change:
    """Classify the change from ``first`` to ``latest`` (raw totals of ``inst``); see the module doc for the rules.

    A total outside the instrument's range, or not a whole number, is a
    RekindleError; so is an instrument without change constants.
    """
    found, rule = _rule(inst)
    first = _check_total(found, first, "first")
    latest = _check_total(found, latest, "latest")
    factor = found.percentage_factor if rule.score == "percentage" else 1
    assert factor is not None  # content/reliable_change.py refuses "percentage" without a factor
    first_score, latest_score = first * factor, latest * factor
    scaled = latest_score - first_score
    better = scaled < 0 if rule.worse == "higher" else scaled > 0
    direction = "unchanged" if scaled == 0 else "better" if better else "worse"
    reliable = abs(scaled) >= rule.threshold - _EPSILON
    status = NO_CHANGE if not reliable else IMPROVEMENT if better else DETERIORATION
    case_first, case_latest = rule.is_case(first_score), rule.is_case(latest_score)
    recovery = None
    if case_first and not case_latest:
        recovery = RELIABLE_RECOVERY if status == IMPROVEMENT else RECOVERED
    return Change(found.id, short_title(found), first, latest, latest - first, rule.score, scaled, first_score,
                  latest_score, rule.threshold, direction, status, case_first, case_latest, recovery)


def classify_series(inst: Instrument | str, totals: Sequence[float]) -> tuple[Change, ...]:
    """Each total after the first, classified against the first: ``result[i]`` is ``totals[i + 1]``'s.

    Fewer than two totals: an empty tuple (nothing to compare yet).
    """
    values = list(totals)
    if len(values) < 2:
        if values:
            classify(inst, values[0], values[0])  # still refuse a bad total or an instrument without rules
        return ()
    return tuple(classify(inst, values[0], value) for value in values[1:])


def rule_text(inst: Instrument | str) -> str:
    """The rule in one sentence: ``"PHQ-9: a change of 6 or more points is reliable; 10 or more is the cut-off."``"""
    found, rule = _rule(inst)
    unit = "percentage points" if rule.score == "percentage" else "points"
    cut = rule.caseness_text() + ("%" if rule.score == "percentage" else "")
    how = f"{rule.threshold:.2f}".rstrip("0").rstrip(".")
    text = f"{short_title(found)}: a change of {how} or more {unit} is reliable"
    if rule.method == "jacobson-truax":
        text += f" (Jacobson & Truax, from SD {rule.sd:g} and reliability {rule.reliability:g})"
    worse = "higher" if rule.worse == "higher" else "lower"
    return f"{text}; {worse} is worse, and {cut} is the clinical cut-off."


# --------------------------------------------------------------------------
# From a journal's responses (a DataFrame from Journal.responses(); no SQL here)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One dated total of a series and, from the second on, its change from the first."""

    timestamp: Any  # a pandas Timestamp (UTC)
    local_day: str  # YYYY-MM-DD, the person's own day
    total: float
    change: Change | None  # None for the first score


def _scored(responses: pd.DataFrame | None, inst_id: str) -> pd.DataFrame | None:
    """One instrument's responses that have a total, oldest first (ties in the order they were saved)."""
    if responses is None or len(responses) == 0 or "total" not in responses:
        return None
    data = responses[(responses["instrument"].astype(str).str.lower() == inst_id) & responses["total"].notna()]
    return data.sort_values(["timestamp"] + (["id"] if "id" in data else []), kind="stable")


def series(responses: pd.DataFrame | None, inst: Instrument | str) -> list[Step]:
    """An instrument's scores in a journal, oldest first, each later one classified against the first."""
    found, _ = _rule(inst)
    data = _scored(responses, found.id)
    steps: list[Step] = []
    first: float | None = None
    for row in () if data is None else data.itertuples(index=False):
        total = float(row.total)
        local = str(getattr(row, "local_time", ""))[:10] or f"{row.timestamp:%Y-%m-%d}"
        change = None if first is None else classify(found, first, total)
        if first is None:
            first = total
        steps.append(Step(row.timestamp, local, total, change))
    return steps


def changes(responses: pd.DataFrame | None, ids: Iterable[str] | None = None) -> list[Change]:
    """First against latest score for each instrument with change constants and two or more scores.

    In instrument order; ``ids`` narrows it to some instruments.
    """
    wanted = None if ids is None else {str(i).lower() for i in ids}
    out = []
    for inst in instruments():
        if inst.change is None or (wanted is not None and inst.id not in wanted):
            continue
        steps = series(responses, inst)
        if len(steps) >= 2 and steps[-1].change is not None:
            out.append(steps[-1].change)
    return out


def parse_total(inst: Instrument | str, text: str, what: str = "total") -> float:
    """A total as ``rekindle score`` prints it: ``"16"`` (the raw total), or ``"48%"`` for a percentage score.

    WHO-5 prints ``total: 12 of 25 (raw 12; 48 out of 100)``: ``12`` and
    ``48%`` are the same score. Anything else is a one-line RekindleError.
    """
    found = instrument(inst)
    raw = str(text).strip()
    percent = raw.endswith("%")
    number = raw[:-1].strip() if percent else raw
    try:
        value = float(number)
    except ValueError:
        raise RekindleError(f"{what} {text!r} is not a number; give the total as 'rekindle score' prints it, "
                            f"e.g. 16") from None
    if not math.isfinite(value):
        raise RekindleError(f"{what} {text!r} is not a number; give the total as 'rekindle score' prints it")
    if percent:
        factor = found.percentage_factor
        if factor is None:
            raise RekindleError(f"{found.id} has no percentage score: give the total without '%'")
        if not 0 <= value <= 100:
            raise RekindleError(f"{what} {text!r} is out of range: a percentage runs from 0 to 100")
        total = value / factor
        if abs(total - round(total)) > 1e-9:
            raise RekindleError(f"{what} {text!r} is not a {found.id} percentage: they are whole totals "
                                f"times {factor:g}")
        return float(round(total))
    if not value.is_integer():
        raise RekindleError(f"{what} {text!r} is not a whole number: totals are sums of answers")
    if not found.min_total <= value <= found.max_total:
        extra = f" (for a percentage, write e.g. {value:g}%)" if found.percentage_factor and value <= 100 else ""
        raise RekindleError(f"{what} {value:g} is out of range: {found.id} totals run from {found.min_total} "
                            f"to {found.max_total}{extra}")
    return value
