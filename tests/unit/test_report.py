"""Reports: self-contained HTML and PDF that say what the journal holds, escape what people wrote."""

from __future__ import annotations

import html
import os
import re
import shutil
import stat
import subprocess

import pytest

from rekindle_widgets.errors import RekindleError
from rekindle_widgets.journal import Journal
from rekindle_widgets.report import (
    DISCLAIMER,
    Paragraph,
    Section,
    Table,
    build_report,
    html_report,
    pdf_report,
    write_report,
)


def _pages(pdf: bytes) -> int:
    """Page objects in the PDF; and the page tree must agree (that is what readers use)."""
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b.*?/Count\s+(\d+)", pdf, flags=re.DOTALL)] or \
        [int(n) for n in re.findall(rb"/Count\s+(\d+)", pdf)]
    assert counts and max(counts) == pages
    return pages


@pytest.fixture
def demo(demo_journal):
    with Journal(demo_journal) as journal:
        yield journal


def test_html_report_of_the_demo(demo):
    page = html_report(demo)
    assert page.startswith("<!DOCTYPE html>")
    assert DISCLAIMER in page
    assert "2 Mar 2026 – 28 Aug 2026" in page
    assert "160 of 180" in page  # days tracked
    assert "lowest 1 · mean 3.2 · highest 5" in page
    assert page.count('<img src="data:image/png;base64,') == 5  # no questionnaires yet: no score chart
    assert "Stage summary" in page and "1. Bubble space" in page
    assert "<script" not in page.lower()
    assert "http://" not in page and 'src="http' not in page  # nothing is fetched from anywhere
    assert "Safety notes" not in page  # no safety flag was raised
    for alt in re.findall(r'alt="([^"]*)"', page):
        assert len(alt) > 40  # every chart has a description


def test_user_text_is_escaped_in_html(journal_path):
    with Journal(journal_path) as j:
        j.add(3, 4, tags=["<b>bold</b>", "$x^2$"], note="<script>alert('hi')</script> & more",
              at="2026-05-01T10:00:00+00:00")
        page = html_report(j)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;hi&#x27;)&lt;/script&gt; &amp; more" in page
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page


def test_anonymise_leaves_out_notes_and_free_text(journal_path):
    with Journal(journal_path) as j:
        j.add(3, note="a private thought", at="2026-05-01T10:00:00+00:00")
        answers = ["Saying sorry for the shouting.", "yes", "not-yet", "no", "yes"]
        j.add_response("stage3", answers + [None] * 20, at="2026-05-02T10:00:00+00:00")
        full = html_report(j)
        page = html_report(j, anonymise=True)
    assert "a private thought" in full and "Saying sorry for the shouting." in full
    assert "a private thought" not in page
    assert "Saying sorry for the shouting." not in page


def _phq9(j: Journal, at: str, answers: list[int]) -> None:
    from rekindle_widgets.model import scorer

    scorer.save(j, scorer.score("phq9", [*answers, None]), at=at)


def test_questionnaire_results_with_bands_and_answers(journal_path):
    with Journal(journal_path) as j:
        j.add(3, at="2026-05-01T10:00:00+00:00")
        _phq9(j, "2026-05-01T10:00:00+00:00", [2, 2, 1, 2, 2, 1, 1, 1, 0])
        _phq9(j, "2026-06-01T10:00:00+00:00", [1, 1, 0, 1, 1, 0, 0, 1, 0])
        page = html_report(j)
    assert "Questionnaires: latest results" in page
    assert "5 of 27" in page and "mild" in page  # the latest result, not the first
    assert "12 of 27" not in page
    assert "Little interest or pleasure in doing things" in page  # item answers
    assert "Several days" in page
    assert page.count('<img src="data:image/png;base64,') == 6  # the score chart is there too


def test_safety_flags_bring_the_services_never_a_score(journal_path):
    from rekindle_widgets.content import guide
    from rekindle_widgets.model import scorer

    with Journal(journal_path) as j:
        j.add(2, at="2026-05-01T10:00:00+00:00")
        screen = scorer.score("safety", ["yes", "no", "no", "no", "no"])
        scorer.save(j, screen, at="2026-05-02T10:00:00+00:00")
        page = html_report(j)
        pdf = pdf_report(j)
        uk = html_report(j, region="uk")
    assert 'class="safety"' in page
    assert page.index("Safety notes") < page.index("Overview")  # safety before anything else
    # the person's region (tests run as REKINDLE_REGION=US) and "anywhere else"; the others are named, not listed
    safety = guide().safety
    for code in ("US", "OTHER"):
        for service in safety.region(code).services:
            assert html.escape(service.name, quote=True) in page
    assert "National Domestic Abuse Helpline" not in page  # the UK's line
    others = [r.code for r in safety.regions if r.code not in ("US", "OTHER")]
    assert f"Services for other countries ({', '.join(others)}): rekindle report --region CODE." in page
    assert "National Domestic Abuse Helpline" in uk and "988" not in uk.split("Overview")[0]
    assert "Safety first" in page or "safety" in page.lower()
    section = page[page.index("Safety notes"):page.index("Overview")]
    assert not re.search(r"\b\d+ of \d+\b", section)  # no score of any kind
    assert "Questionnaires: latest results" not in page  # the screen is not a scored questionnaire
    assert pdf.startswith(b"%PDF")


def test_pdf_opens_and_has_its_pages(demo, journal_path, tmp_path):
    pdf = pdf_report(demo)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert 3 <= _pages(pdf) <= 8
    assert b"DejaVu" in pdf  # the Unicode font is embedded
    with Journal(tmp_path / "empty.sqlite") as empty:
        blank = pdf_report(empty)
    assert _pages(blank) == 1


NOTES = {  # a note each, oldest first
    "latin": "Καλημέρα: we talked ✓ «bien»",
    "hebrew": "שלום עולם, היום היה יום טוב",
    "arabic": "مرحبا بالعالم، كان يوما جيدا",
    "japanese": "今日はいい日でした",
}
BIDI_MARKS = dict.fromkeys(range(0x202A, 0x202F)) | dict.fromkeys(range(0x2066, 0x206A))


def _world_pdf(journal_path, tmp_path) -> tuple[str, list[tuple[str, float, float]]]:
    """The PDF of a journal with NOTES: its text (pdftotext, bidi marks dropped) and words (text, xMin, xMax)."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed: .ci/run installs it")
    with Journal(journal_path) as j:
        for day, note in enumerate(NOTES.values(), start=1):
            j.add(4, tags=["Zoë", "東京"], note=note, at=f"2026-05-0{day}T10:00:00+00:00")
        (tmp_path / "r.pdf").write_bytes(pdf_report(j))
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(tmp_path / "r.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout.translate(BIDI_MARKS)
    boxes = subprocess.run(["pdftotext", "-bbox", "-enc", "UTF-8", str(tmp_path / "r.pdf"), "-"],
                           capture_output=True, text=True, check=True).stdout
    words = [(html.unescape(w), float(x0), float(x1)) for x0, x1, w in
             re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>', boxes)]
    return text, words


def test_pdf_prints_right_to_left_notes_joined_in_reading_order_and_right_aligned(journal_path, tmp_path):
    text, words = _world_pdf(journal_path, tmp_path)
    # in reading order (unshaped, they came out reversed: "םלוע םולש"), Arabic letters joined by the shaper
    for piece in ("שלום עולם", "היום היה יום טוב", "مرحبا بالعالم", "كان يوما جيدا", "Καλημέρα: we talked ✓ «bien»"):
        assert piece in text, piece
    margin = 16 / 25.4 * 72  # 16 mm, in points; an A4 page is 595.28 points wide
    hebrew = [x1 for w, _, x1 in words if w[::-1] in ("טוב", "שלום")]  # -bbox lists words as drawn
    assert hebrew and max(hebrew) > 595.28 - margin - 5  # a right-to-left note starts at the right margin
    greek = [x0 for w, x0, _ in words if w == "Καλημέρα:"]
    assert greek and greek[0] < margin + 5  # ... a left-to-right one at the left


def test_pdf_prints_chinese_japanese_and_korean_with_the_computers_font(journal_path, tmp_path):
    from rekindle_widgets.fonts import fallback_font

    if fallback_font() is None:
        if os.environ.get("CI"):
            pytest.fail("no font for Chinese, Japanese or Korean: .ci/run installs fonts-wqy-microhei")
        pytest.skip("no font for Chinese, Japanese or Korean on this computer (apt-get install fonts-wqy-microhei)")
    text, _ = _world_pdf(journal_path, tmp_path)
    assert "今日はいい日でした" in text and "東京" in text
    assert "□" not in text and "have no font" not in text  # every character found a font


def test_pdf_without_a_font_for_some_characters_shows_placeholders_and_says_why(journal_path, tmp_path,
                                                                               monkeypatch):
    from rekindle_widgets.report import pdf

    monkeypatch.setattr(pdf, "fallback_font", lambda: None)  # a computer with no CJK font
    text, _ = _world_pdf(journal_path, tmp_path)
    assert "□□□□□□□□□" in text and "今日" not in text  # a placeholder for each of the nine; nothing silent
    assert "Zoë, □□" in text
    note = " ".join(text.split())
    assert ("9 different characters in this report (such as Chinese, Japanese or Korean writing, or emoji) have "
            "no font on this computer and print as □. The HTML report") in note
    assert "שלום עולם" in text  # the rest prints as before


def test_pdf_of_the_demo_looks_complete(demo):
    report = build_report(demo)
    titles = [s.title for s in report.sections]
    assert titles[:2] == ["Overview", "Charts"]
    assert "Stage summary" in titles
    assert any(t.startswith("Recent notes") for t in titles)
    assert report.footer.startswith(DISCLAIMER)


@pytest.mark.slow
def test_pdf_never_leaves_a_questionnaires_heading_alone_at_the_foot_of_a_page(demo, tmp_path):
    """Each questionnaire's "title, date: total" line prints on the page of its answers table."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed: .ci/run installs it")
    from rekindle_widgets.model import scorer

    # these put the PHQ-9's heading at the foot of a page when nothing keeps it with its table
    scorer.save(demo, scorer.score("phq9", [1, 1, 2, 1, 0, 1, 1, 0, 1, 1]), at="2026-08-10T10:00:00+00:00")
    scorer.save(demo, scorer.score("who5", [3, 3, 2, 4, 3]), at="2026-08-11T10:00:00+00:00")
    scorer.save(demo, scorer.score("who5", [2, 2, 2, 3, 3]), context="session", at="2026-08-15T10:00:00+00:00")
    demo.add_response("phq9", [0] * 9 + [None], total=0, flags=["newer_flag"], at="2026-08-20T10:00:00+00:00")
    demo.add_response("elsewhere", [1, 2], total=3, flags=["controlling"], at="2026-08-21T10:00:00+00:00")
    (tmp_path / "r.pdf").write_bytes(pdf_report(demo))
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(tmp_path / "r.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    seen = 0
    for number, page in enumerate(text.split("\f"), start=1):
        lines = [line for line in page.splitlines()  # what the page says above its footer
                 if line.strip() and DISCLAIMER not in line and not re.fullmatch(r"Page \d+ of \d+", line.strip())]
        for i, line in enumerate(lines):
            if re.search(r"^(PHQ-9|WHO-5).*, \d+ \w+ \d{4}: total ", line):
                seen += 1
                assert i + 1 < len(lines), f"page {number} ends with {line!r}; its answers are on the next page"
    assert seen == 2


def test_a_later_report_can_reuse_the_builder(demo):
    extra = Section("Session plan", (Paragraph("Practise the pause <before> replying."),
                                     Table(("Goal", "Progress"), (("Sleep", "6/10"),))))
    page = html_report(demo, title="Session report", subtitle="Client A · session 3",
                       extra_sections=[extra], charts=("timeline",))
    assert "<h1>Session report</h1>" in page and "Client A · session 3" in page
    assert "Practise the pause &lt;before&gt; replying." in page
    assert page.count("<img ") == 1
    assert page.index("Session plan") < page.index("Charts")
    assert pdf_report(demo, extra_sections=[extra], charts=()).startswith(b"%PDF")


def test_since_and_until_limit_the_report(demo):
    page = html_report(demo, since="2026-06-01", until="2026-06-30")
    assert "1 Jun 2026 – 30 Jun 2026" in page
    with pytest.raises(RekindleError, match="is not a date"):
        html_report(demo, since="last week")


def test_write_report_by_suffix_privately(demo, tmp_path):
    html_path = write_report(demo, tmp_path / "r.html")
    pdf_path = write_report(demo, tmp_path / "r.PDF")
    assert html_path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert pdf_path.read_bytes().startswith(b"%PDF")
    assert stat.S_IMODE(pdf_path.stat().st_mode) == 0o600
    with pytest.raises(RekindleError, match="end the file name in .html or .pdf"):
        write_report(demo, tmp_path / "r.docx")
    assert not (tmp_path / "r.docx").exists()
    with pytest.raises(RekindleError, match="unknown region"):
        write_report(demo, tmp_path / "x.html", region="Mars")
