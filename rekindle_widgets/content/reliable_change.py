"""Reliable and clinically significant change, as data: an instrument file's ``[change]`` table.

:mod:`rekindle_widgets.model.reliable_change` classifies a pair of scores with these
constants; this module only reads and checks them, so a missing or
contradictory constant fails when the instrument loads, with the file and the
key named, e.g. ``phq9.toml: change.caseness: with worse = "higher" the
cut-off is at_least or above``.

The table::

    [change]
    score = "total"            # which score the constants are in: "total" (default) or "percentage"
    worse = "higher"           # which way the score gets worse: "higher" (PHQ-9, GAD-7) or "lower" (WHO-5)
    reliable_change = 6        # a change of at least this many points (of `score`) is reliable
    # or, for a scale that publishes its spread and reliability instead (Jacobson & Truax, 1991):
    # sd = 5.0                 # the standard deviation of the score (e.g. in a clinical sample)
    # reliability = 0.84       # its reliability (test-retest or Cronbach's alpha), between 0 and 1
    caseness = { at_least = 10 }   # the clinical cut-off: a score on the worse side is a "case"
    source = "..."             # where the constants come from (citation text)
    url = "https://..."        # where that source can be read

With ``sd`` and ``reliability`` the reliable-change threshold is the
Jacobson & Truax index: ``1.96 * sd * sqrt(2) * sqrt(1 - reliability)``
points (1.96: the 95% criterion; ``sd * sqrt(2) * sqrt(1 - reliability)``:
the standard error of the difference between two measurements).

``caseness`` names one test, ``at_least``, ``above`` (for ``worse =
"higher"``), ``below`` or ``at_most`` (for ``worse = "lower"``), and its
value in the same score as the thresholds: WHO-5's "poor wellbeing below 52%"
is ``score = "percentage"``, ``caseness = { below = 52 }`` (a raw total below 13).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .toml import Reader

__all__ = ["CASENESS_TESTS", "Z_95", "ChangeRule", "jacobson_truax", "read_change"]

#: The two-sided 95% criterion of the reliable change index (Jacobson & Truax, 1991).
Z_95 = 1.96
#: Which caseness tests fit which direction: the cut-off must sit at the worse end of the scale.
CASENESS_TESTS = {"higher": ("at_least", "above"), "lower": ("below", "at_most")}
_KEYS = {"score", "worse", "reliable_change", "sd", "reliability", "caseness", "source", "url"}


def jacobson_truax(sd: float, reliability: float) -> float:
    """The Jacobson & Truax (1991) reliable change threshold, in points: 1.96 * SD * sqrt(2) * sqrt(1 - r)."""
    return Z_95 * sd * math.sqrt(2) * math.sqrt(1 - reliability)


@dataclass(frozen=True)
class ChangeRule:
    """An instrument's change constants (its ``[change]`` table), in units of ``score``."""

    score: str  # "total" or "percentage"
    worse: str  # "higher" or "lower"
    threshold: float  # a change of at least this many points is reliable
    caseness_test: str  # "at_least", "above", "below" or "at_most"
    caseness: float
    source: str
    url: str
    sd: float | None = None  # given: threshold is the Jacobson & Truax index from sd and reliability
    reliability: float | None = None

    @property
    def method(self) -> str:
        """``"threshold"`` (a published number of points) or ``"jacobson-truax"`` (from SD and reliability)."""
        return "threshold" if self.sd is None else "jacobson-truax"

    def is_case(self, score: float) -> bool:
        """Is this score (in units of :attr:`score`) at or past the clinical cut-off?"""
        return {"at_least": score >= self.caseness, "above": score > self.caseness,
                "below": score < self.caseness, "at_most": score <= self.caseness}[self.caseness_test]

    def caseness_text(self) -> str:
        """``"10 or more"``, ``"below 52"``: the cut-off in words."""
        value = f"{self.caseness:g}"
        return {"at_least": f"{value} or more", "above": f"above {value}", "below": f"below {value}",
                "at_most": f"{value} or less"}[self.caseness_test]


def _positive(r: Reader, name: str) -> float:
    value = r.number(name)
    if not (value > 0 and math.isfinite(value)):
        raise r.fail(name, f"expected a number above 0, not {value}")
    return float(value)


def read_change(top: Reader, *, has_total: bool, has_percentage: bool, low: float, high: float,
                factor: float | None) -> ChangeRule | None:
    """The ``[change]`` table of an instrument file, checked against its score range (``low``-``high``, raw)."""
    if not top.has("change"):
        return None
    r = top.table("change")
    r.check_keys(_KEYS)
    if not has_total:
        raise r.fail("score", "change constants need a total: this instrument is not scored (method = \"none\")")
    score = r.opt_str("score", "total")
    if score not in ("total", "percentage"):
        raise r.fail("score", f"expected 'total' or 'percentage', not {score!r}")
    if score == "percentage":
        if not has_percentage or factor is None:
            raise r.fail("score", "'percentage' needs [scoring] percentage_factor")
        low, high = low * factor, high * factor
    worse = r.str("worse")
    if worse not in CASENESS_TESTS:
        raise r.fail("worse", f"expected 'higher' or 'lower', not {worse!r}")

    given = [k for k in ("reliable_change", "sd", "reliability") if r.has(k)]
    sd = reliability = None
    if "reliable_change" in given:
        if len(given) > 1:
            raise r.fail("reliable_change", "give reliable_change or sd and reliability, not both: "
                                            "they would be two different thresholds")
        threshold = _positive(r, "reliable_change")
    elif given:
        if len(given) != 2:
            missing = "reliability" if "sd" in given else "sd"
            raise r.fail(missing, "missing: the Jacobson & Truax index needs both sd and reliability")
        sd = _positive(r, "sd")
        reliability = float(r.number("reliability"))
        if not 0 < reliability < 1:
            raise r.fail("reliability", f"expected a number between 0 and 1 (not inclusive), not {reliability}")
        threshold = jacobson_truax(sd, reliability)
    else:
        raise r.fail("reliable_change", "missing: give reliable_change (points), or sd and reliability")
    if threshold > high - low:
        raise r.fail("reliable_change" if sd is None else "sd",
                     f"a reliable change of {threshold:g} points is more than the whole range "
                     f"({low:g}-{high:g}): no change could ever be reliable")

    c = r.table("caseness")
    tests = [k for k in ("at_least", "above", "below", "at_most") if c.has(k)]
    c.check_keys({"at_least", "above", "below", "at_most"})
    if len(tests) != 1:
        raise r.fail("caseness", "name exactly one test: at_least, above, below or at_most")
    test = tests[0]
    if test not in CASENESS_TESTS[worse]:
        raise r.fail("caseness", f"with worse = {worse!r} the cut-off is "
                                 f"{' or '.join(CASENESS_TESTS[worse])}: a case is at the worse end of the scale")
    value = float(c.number(test))
    rule = ChangeRule(score, worse, threshold, test, value, r.str("source"), r.url("url"), sd, reliability)
    if rule.is_case(low) == rule.is_case(high):
        raise c.fail(test, f"{value:g} leaves every score from {low:g} to {high:g} on one side of the cut-off")
    return rule
