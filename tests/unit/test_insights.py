"""Insights (issue 27): what goes with better days, said with how sure it is; how much mood moves."""

from __future__ import annotations

import json
import math
from datetime import date, datetime, timedelta
from itertools import pairwise

import numpy as np
import pytest

from rekindle_widgets.journal import Entry, Journal
from rekindle_widgets.model.insights import MIN_DAYS, insights, t_quantile, welch_interval

START = date(2026, 3, 2)


def _journal(path, days: int, mood_of, tags_of) -> Journal:
    journal = Journal(path)
    journal.add_entries([Entry.make(mood=mood_of(i), tags=tags_of(i), at=datetime.combine(START + timedelta(days=i),
                                                                                       datetime.min.time()).replace(
        hour=20)) for i in range(days)])
    return journal


def _walk_and_coffee(i: int) -> int:
    """3, one point more on walk days (every third), a noise shared by each pair of days (so coffee, every
    other day, has exactly none)."""
    return 3 + (i % 3 == 0) + (-1, 0, 1, 0)[(i // 2) % 4]


def _tags(i: int) -> list[str]:
    return [t for t, on in (("walk", i % 3 == 0), ("coffee", i % 2 == 0), ("rare", i in (5, 40))) if on]


@pytest.fixture
def walked(journal_path):
    return _journal(journal_path, 48, _walk_and_coffee, _tags)  # 48: walk's 3 days and the noise's 8 in step


def test_walk_days_are_higher_coffee_makes_no_difference_and_a_two_day_tag_is_not_reported(walked, run):
    code, out, err = run("insights", "--json", "--journal", walked.path)
    assert code == 0, err
    found = json.loads(out)
    same = {e["tag"]: e for e in found["effects"] if e["lag"] == 0}
    assert same["walk"]["low"] > 0 and same["walk"]["difference"] == pytest.approx(1.0)
    assert same["walk"]["days_with"] == 16 and same["walk"]["days_without"] == 32 and same["walk"]["clear"]
    assert same["coffee"]["low"] < 0 < same["coffee"]["high"] and same["coffee"]["difference"] == pytest.approx(0)
    assert not same["coffee"]["clear"] and "includes 0" in same["coffee"]["reading"]
    assert "rare" not in {e["tag"] for e in found["effects"]}  # 2 days: no comparison, only the reason
    assert found["skipped"]["rare"].startswith("on 2 days, not on 46")
    # ranked by the interval's lower bound: walk first
    assert found["effects"][0]["tag"] == "walk"
    assert same["walk"]["reading"].startswith("days with \u201cwalk\u201d averaged 1.0 higher; 95% interval ")
    assert "16 days with, 32 without" in same["walk"]["reading"]


def test_the_words_compare_days_and_never_name_a_cause(walked, run):
    code, out, _ = run("insights", "--journal", walked.path)
    assert code == 0
    assert "days with \u201cwalk\u201d averaged 1.0 higher" in out
    for cause in ("because", "makes you", "improves", "causes", "lifts"):
        assert cause not in out


def test_an_effect_on_the_next_day_only_is_found_on_the_next_day(journal_path):
    late = {i for i in range(60) if i % 4 == 1}
    journal = _journal(journal_path, 60, lambda i: 3 + ((i - 1) in late) + (-1, 0, 1, 0)[(i // 2) % 4],
                       lambda i: ["late"] if i in late else [])
    found = insights(journal.entries())
    by_lag = {e.lag: e for e in found.effects if e.tag == "late"}
    assert by_lag[1].low > 0 and by_lag[1].difference == pytest.approx(1.0, abs=0.35) and by_lag[1].clear
    assert abs(by_lag[0].difference) < by_lag[1].difference / 2  # the day itself: no such effect
    assert by_lag[1].reading().startswith("the day after a day with \u201clate\u201d averaged")


def test_too_few_days_say_so_and_nothing_is_ranked_above_a_sure_effect(journal_path):
    # "party" on 4 days, all of them high: a large difference on too few days to say
    journal = _journal(journal_path, 40, lambda i: 5 if i in (3, 9, 15, 21) else 3 + (i % 3 == 0),
                       lambda i: (["party"] if i in (3, 9, 15, 21) else []) + (["walk"] if i % 3 == 0 else []))
    found = insights(journal.entries())
    party = next(e for e in found.effects if e.tag == "party" and e.lag == 0)
    assert not party.sure_enough and "too few days to say (4 days with, 36 without)" in party.reading()
    assert found.effects[0].sure_enough  # a sure effect comes before any unsure one, however large


def test_variability_is_the_mean_squared_successive_difference_of_daily_means(journal_path):
    moods = {0: [3], 1: [4], 2: [2, 4], 3: [5], 4: [5], 5: [3], 6: [4], 9: [1], 10: [2]}  # a gap after day 6
    journal = Journal(journal_path)
    journal.add_entries([Entry.make(mood=m, at=datetime.combine(START + timedelta(days=d), datetime.min.time())
                                    .replace(hour=9 + k)) for d, ms in moods.items() for k, m in enumerate(ms)])
    found = insights(journal.entries())
    means = [3, 4, 3, 5, 5, 3, 4]  # days 0-6; day 2 is the mean of 2 and 4
    steps = [b - a for a, b in pairwise(means)] + [2 - 1]  # days 9-10: one more pair
    v = found.recent
    assert v is not None and v.pairs == 7
    assert v.mssd == pytest.approx(sum(s * s for s in steps) / 7)  # the gap (6 -> 9) is not a step
    assert v.swing == pytest.approx(math.sqrt(v.mssd))
    assert v.within == pytest.approx(math.sqrt(2)) and v.within_days == 1  # the SD of 2 and 4
    assert "your mood moved by about 1.3 points from one day to the next" in v.reading()


def test_too_little_data_gives_the_reason_and_no_numbers(journal_path, run):
    journal = _journal(journal_path, 2 * MIN_DAYS - 1, lambda i: 3, lambda i: ["walk"])
    code, out, _ = run("insights", "--journal", journal.path)
    assert code == 0 and out.startswith("5 days with entries: comparisons start from 6")
    code, out, _ = run("insights", "--json", "--journal", journal.path, "--since", "2030-01-01")
    assert json.loads(out)["reason"].startswith("No entries yet since 2030-01-01") and json.loads(out)["effects"] == []


def test_this_day_a_month_and_a_year_ago(journal_path):
    journal = Journal(journal_path)
    journal.add(4, tags=["walk"], at=datetime(2025, 12, 7, 10))
    journal.add(2, at=datetime(2026, 11, 7, 10))
    journal.add(4, at=datetime(2026, 11, 7, 18))
    found = insights(journal.entries(), today=date(2026, 12, 7))
    assert [o.reading() for o in found.on_this_day] == [
        "a month ago (2026-11-07): mood 3.0 over 2 entries",
        "a year ago (2025-12-07): mood 4.0 over 1 entry; tags: walk"]
    # the 31st, a month after a 30-day month: the month's last day
    assert insights(journal.entries(), today=date(2026, 12, 31)).on_this_day == []


def test_the_t_quantiles_and_welchs_interval_match_published_values():
    for df, value in ((1, 12.706), (2, 4.303), (5, 2.571), (10, 2.228), (30, 2.042), (120, 1.980)):
        assert t_quantile(0.975, df) == pytest.approx(value, abs=5e-4)  # t tables, two-sided 95 %
    # by hand: a has variance 5/3, b none, so se = sqrt(5/3 / 4), Welch's df = 3 (n - 1 of a), t(0.975, 3) = 3.182
    diff, low, high = welch_interval(np.array([1.0, 2, 3, 4]), np.array([2.0, 2, 2, 2]))
    half = 3.1824 * math.sqrt(5 / 3 / 4)
    assert (diff, low, high) == pytest.approx((0.5, 0.5 - half, 0.5 + half), abs=1e-3)
    assert welch_interval(np.array([3.0, 3, 3]), np.array([2.0, 2, 2])) == (1.0, 1.0, 1.0)  # no spread at all


def test_the_mood_log_and_the_report_say_the_same_and_the_page_follows_a_new_entry(walked, journal_path):
    from rekindle_widgets.report import build_report, render_html
    from rekindle_widgets.report.insights import TITLE
    from rekindle_widgets.widgets import MoodLog

    page = MoodLog(walked)
    reading = "days with \u201cwalk\u201d averaged 1.0 higher; 95% interval "
    assert TITLE in page.insights.value and reading in page.insights.value
    report = build_report(walked)
    assert TITLE in [s.title for s in report.sections] and reading in render_html(report)
    assert reading not in render_html(build_report(walked, anonymise=True))  # tags are the person's words
    page.mood.value, page.tags.value = 5, "walk"
    page.save.click()  # a 49th day, tagged walk
    assert "17 days with, 32 without" in page.insights.value


def test_an_empty_mood_log_says_where_insights_will_appear(journal_path):
    from rekindle_widgets.widgets import MoodLog

    page = MoodLog(Journal(journal_path))
    assert "No entries yet: once you have logged a few days" in page.insights.value
