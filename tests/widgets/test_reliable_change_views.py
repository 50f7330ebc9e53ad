"""Reliable change shown where therapists look: the session page, the reports (HTML and PDF), the scores chart."""

from __future__ import annotations

import base64
import html
import re
import shutil
import subprocess

import pandas as pd
import pytest

from rekindle_widgets import charts
from rekindle_widgets.journal import Journal
from rekindle_widgets.model.reliable_change import changes, series
from rekindle_widgets.model.scorer import save, score
from rekindle_widgets.report import build_report, build_session_report, render_html

#: A client's PHQ-9 series, and what each later score is against the first (16).
PHQ9_SERIES = [("2026-01-05", 16, None), ("2026-01-19", 13, "no reliable change"),
               ("2026-02-02", 10, "reliable improvement"),
               ("2026-02-16", 8, "reliable improvement, reliable recovery"),
               ("2026-03-02", 17, "no reliable change"), ("2026-03-16", 22, "reliable deterioration")]


def _answers(instrument: str, total: int) -> list:
    """Answers to ``instrument`` adding up to ``total`` (spread over the scored items)."""
    items = {"phq9": 9, "gad7": 7, "who5": 5}[instrument]
    top = 5 if instrument == "who5" else 3
    values = [0] * items
    for i in range(total):
        values[i % items] += 1
    assert max(values) <= top
    return values + ([None] if instrument != "who5" else [])


def _fill(journal: Journal, instrument: str, series_: list[tuple[str, int, str | None]]) -> None:
    for day, total, _ in series_:
        save(journal, score(instrument, _answers(instrument, total)), context="session", at=f"{day}T10:00")


@pytest.fixture
def client_journal(tmp_path):
    with Journal(tmp_path / "client.sqlite") as journal:
        _fill(journal, "phq9", PHQ9_SERIES)
        _fill(journal, "gad7", [("2026-01-05", 12, None), ("2026-03-16", 7, None)])
        yield journal


def test_series_from_a_journal_labels_each_step_against_the_first(client_journal):
    steps = series(client_journal.responses(), "phq9")
    assert [(s.local_day, s.total, s.change.label if s.change else None) for s in steps] == \
        [(day, total, label) for day, total, label in PHQ9_SERIES]
    found = changes(client_journal.responses())
    assert [c.describe() for c in found] == ["PHQ-9 16 → 22: reliable deterioration",
                                            "GAD-7 12 → 7: reliable improvement, reliable recovery"]
    assert changes(client_journal.responses(), ["gad7"])[0].instrument == "gad7"
    assert series(client_journal.responses(), "who5") == [] and changes(None) == []


# --------------------------------------------------------------------------
# The scores chart: margin, cut-off and a marker at each classified change
# --------------------------------------------------------------------------


def _by_gid(ax, gid: str) -> list:
    return [a for a in (*ax.collections, *ax.patches, *ax.lines) if a.get_gid() == gid]


def _span(patch) -> tuple[float, float]:
    """The data-y range an axhspan covers."""
    return (pytest.approx(patch.get_y()), pytest.approx(patch.get_y() + patch.get_height()))


def test_scores_chart_marks_each_classified_change(client_journal):
    ax = charts.scores(client_journal.responses(), instrument="phq9")
    (margin,) = _by_gid(ax, "rk-change-margin")
    assert _span(margin) == (10.5, 21.5)  # 16 ± 5.5: a change of 5 is inside, 6 outside
    (cutoff,) = _by_gid(ax, "rk-change-cutoff")
    assert list(cutoff.get_ydata()) == [9.5, 9.5]  # between 9 (not a case) and 10 (a case)

    def marked(gid: str) -> list[float]:
        return sorted(float(y) for c in _by_gid(ax, gid) for _, y in c.get_offsets())

    assert marked("rk-change-reliable-improvement") == [8, 10]
    assert marked("rk-change-reliable-deterioration") == [22]
    assert marked("rk-change-reliable-recovery") == [8]
    assert marked("rk-change-recovered") == []
    assert marked("rk-change-no-reliable-change") == [13, 17]  # every later score is one of the three
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "reliable improvement" in legend and "reliable deterioration" in legend
    assert "clinical cut-off (10 or more)" in legend


def test_who5_chart_draws_the_margin_and_cutoff_in_raw_totals(tmp_path):
    with Journal(tmp_path / "j.sqlite") as journal:
        _fill(journal, "who5", [("2026-01-05", 12, None), ("2026-01-19", 14, None), ("2026-02-02", 15, None)])
        ax = charts.scores(journal.responses(), instrument="who5")
    (margin,) = _by_gid(ax, "rk-change-margin")
    assert _span(margin) == (9.5, 14.5)  # 12 ± 2.5: 10 percentage points
    assert list(_by_gid(ax, "rk-change-cutoff")[0].get_ydata()) == [12.5, 12.5]  # below 13 raw = below 52%
    recovered = [float(y) for c in _by_gid(ax, "rk-change-recovered") for _, y in c.get_offsets()]
    assert recovered == [14]  # 48% -> 56%: over the cut-off, but 8 points is not a reliable change
    assert [float(y) for c in _by_gid(ax, "rk-change-reliable-recovery") for _, y in c.get_offsets()] == [15]


def test_a_chart_of_one_score_has_the_margin_but_no_change_marks(tmp_path):
    with Journal(tmp_path / "j.sqlite") as journal:
        _fill(journal, "gad7", [("2026-01-05", 12, None)])
        ax = charts.scores(journal.responses())
    assert _by_gid(ax, "rk-change-margin") and not _by_gid(ax, "rk-change-reliable-improvement")


def test_alt_text_says_the_change_and_that_it_is_not_a_diagnosis(client_journal):
    text = charts.describe(pd.DataFrame(), [], kind="scores", responses=client_journal.responses())
    assert "Change from the first score: PHQ-9 16 → 22: reliable deterioration." in text
    assert "GAD-7 12 → 7: reliable improvement, reliable recovery" in text and "not a diagnosis" in text


# --------------------------------------------------------------------------
# Reports: the person's own, and a therapist's session report (HTML and PDF from the same model)
# --------------------------------------------------------------------------


def _change_section(report):
    (section,) = [s for s in report.sections if s.title == "Change since the first score"]
    return section


def test_the_person_report_shows_each_step(client_journal):
    report = build_report(client_journal, charts=())
    section = _change_section(report)
    summary, phq9_steps, _gad7_steps = (b for b in section.blocks if hasattr(b, "rows"))
    assert summary.rows[0] == ("PHQ-9", "16", "22", "+6 points", "reliable deterioration")
    assert summary.rows[1] == ("GAD-7", "12", "7", "-5 points", "reliable improvement, reliable recovery")
    assert phq9_steps.caption == "PHQ-9 16 → 22: reliable deterioration"
    assert [r[3] for r in phq9_steps.rows] == ["first score"] + [label for *_, label in PHQ9_SERIES[1:]]
    assert phq9_steps.rows[3] == ("16 Feb 2026", "8", "-8 points", "reliable improvement, reliable recovery")
    text = " ".join(b.text for b in section.blocks if hasattr(b, "text"))
    assert "self-reported questionnaire scores, not a diagnosis" in text and "NHS Talking Therapies" in text
    page = render_html(report)
    assert "PHQ-9 16 → 8" not in page  # first against latest and each step; never an invented pair
    assert "reliable improvement, reliable recovery" in page and html.escape("PHQ-9 16 → 22") in page


def test_the_pdf_prints_the_change_section(client_journal, tmp_path):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed: .ci/run installs it")
    from rekindle_widgets.report import render_pdf

    (tmp_path / "r.pdf").write_bytes(render_pdf(build_report(client_journal, charts=())))
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(tmp_path / "r.pdf"), "-"], capture_output=True,
                          check=True).stdout.decode("utf-8")
    text = re.sub(r"\s+", " ", text)
    assert "Change since the first score" in text and "PHQ-9 16 → 22: reliable deterioration" in text
    assert "reliable improvement, reliable recovery" in text and "not a diagnosis" in text


def test_a_dated_report_compares_with_the_first_score_in_its_dates(client_journal):
    section = _change_section(build_report(client_journal, since="2026-02-02", charts=()))
    summary = next(b for b in section.blocks if hasattr(b, "rows"))
    assert summary.rows[0] == ("PHQ-9", "10", "22", "+12 points", "reliable deterioration")
    assert "compared with the first in this report's dates" in section.blocks[0].text


def test_a_report_without_two_scores_has_no_change_section(tmp_path):
    with Journal(tmp_path / "j.sqlite") as journal:
        _fill(journal, "phq9", PHQ9_SERIES[:1])
        report = build_report(journal, charts=())
    assert not [s for s in report.sections if s.title == "Change since the first score"]


def test_session_page_and_session_report_show_the_label(session_page):
    page, practice, add = session_page
    client_id = add("J.K.")
    other = practice.add("Other")
    with Journal(practice.get(client_id).journal_path) as journal:
        _fill(journal, "phq9", PHQ9_SERIES[:4])
    with Journal(other.journal_path) as journal:
        _fill(journal, "gad7", [("2026-01-05", 20, None), ("2026-01-19", 2, None)])
    page.refresh_clients()
    page.client_choice.value = client_id
    shown = page.overview.value  # the report's own section, so the page and the report say it one way
    assert "<caption>PHQ-9 16 → 8: reliable improvement, reliable recovery</caption>" in shown
    rows = re.findall(r"<tr><td[^>]*>([^<]+)</td><td[^>]*>([^<]+)</td><td[^>]*>[^<]+</td><td[^>]*>([^<]+)</td></tr>", shown)
    assert [(total, label) for _, total, label in rows] == \
        [("16", "first score")] + [(str(total), label) for _, total, label in PHQ9_SERIES[1:4]]
    assert rows[0][0] == "5 Jan 2026"
    assert "self-reported questionnaire scores, not a diagnosis" in shown
    assert "GAD-7 20" not in shown  # another client's change never shows here
    # the scores chart is drawn on the page, its alt text naming the change
    assert "Change from the first score: PHQ-9 16 → 8: reliable improvement" in html.unescape(page.charts.value)
    page.report_button.click()
    link = re.search(r'href="data:text/html;base64,([^"]+)"', page.report_link.value)
    text = base64.b64decode(link.group(1)).decode("utf-8")
    assert "Change since the first score" in text and html.escape("PHQ-9 16 → 8") in text
    assert "reliable improvement, reliable recovery" in text and "GAD-7 20" not in text
    page.client_choice.value = other.id
    assert "GAD-7 20 → 2: reliable improvement, reliable recovery" in page.overview.value
    assert "PHQ-9 16" not in page.overview.value


def test_session_report_model_has_the_section(client_journal):
    report = build_session_report(client_journal, charts=())
    assert _change_section(report).blocks
