"""A therapist's report per client: that client's data only, anonymised when asked, hostile text made harmless."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from rekindle_widgets import charts
from rekindle_widgets.model import scorer
from rekindle_widgets.model.practice import Practice
from rekindle_widgets.report import (
    ANONYMISED,
    SESSION_SOURCE,
    build_session_report,
    render_html,
    render_pdf,
)

from ..conftest import file_digest

#: Text that belongs to one client only; none of it may show up in the other client's files.
MARKS = {
    "A": {"alias": "Alder", "entry": "alpha-entry walked with Sam", "tag": "alphatag",
          "subjective": "alpha-subjective slept badly", "plan": "alpha-plan pause first",
          "homework": "alpha-homework three boundaries", "goal": "alpha-goal sleep early",
          "answer": "alpha-answer we drifted apart"},
    "B": {"alias": "Birch", "entry": "bravo-entry called my sister", "tag": "bravotag",
          "subjective": "bravo-subjective calm week", "plan": "bravo-plan keep the class",
          "homework": "bravo-homework write a letter", "goal": "bravo-goal one friend a week",
          "answer": "bravo-answer it ended over money"},
}
FREE_TEXT = ("entry", "tag", "subjective", "plan", "homework", "goal", "answer")


def _visible(page: str) -> str:
    """The report's text without the inlined chart images (base64 can spell anything)."""
    return re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", page)


def _fill(client, marks: dict[str, str], days: tuple[str, str]) -> None:
    with client.open_journal() as j:
        for i in range(4):
            j.add(3 + i % 2, 5, tags=[marks["tag"]], note=f"{marks['entry']} {i}",
                  at=f"2026-05-0{i + 1}T09:00:00+00:00")
        j.set_stage(2, "2026-05-01")
        j.add_session(day=days[0], minutes=50, stage=2, notes={"subjective": marks["subjective"]},
                      homework=marks["homework"], goals={marks["goal"]: 3}, instruments=["checkup"])
        j.add_session(day=days[1], minutes=45, stage=2, template="dap", notes={"plan": marks["plan"]},
                      goals={marks["goal"]: 5})
        inst = scorer.instrument("checkup")
        answers = [marks["answer"] if not item.is_choice else item.options[0].value for item in inst.items]
        scorer.save(j, scorer.score(inst, answers), context="session", at=f"{days[0]}T10:00:00+00:00")


@pytest.fixture
def practice(tmp_path, monkeypatch):
    folder = tmp_path / "practice"
    monkeypatch.setenv("REKINDLE_PRACTICE", str(folder))
    practice = Practice(folder)
    a, b = practice.add(MARKS["A"]["alias"]), practice.add(MARKS["B"]["alias"])
    _fill(a, MARKS["A"], ("2026-05-03", "2026-05-10"))
    _fill(b, MARKS["B"], ("2026-05-04", "2026-05-11"))
    return practice, {"A": a, "B": b}


def _report(run, client, path, *extra) -> str:
    code, _, err = run("report", "--client", client.id, "-o", path, *extra)
    assert code == 0, err
    return path.read_text(encoding="utf-8") if path.suffix == ".html" else ""


def test_each_clients_report_holds_their_data_and_none_of_the_others(practice, run, tmp_path):
    _, clients = practice
    for me, other in (("A", "B"), ("B", "A")):
        page = _visible(_report(run, clients[me], tmp_path / f"{me}.html"))
        assert "<h1>Session report</h1>" in page
        assert f"{MARKS[me]['alias']} ({clients[me].id})" in page
        for key in FREE_TEXT:
            assert MARKS[me][key] in page, key  # the client's own data is all there
        for text in [clients[other].id, *MARKS[other].values()]:
            assert text not in page  # and nothing of the other client
        assert page.count('<h2>Session ') == 2 and "Sessions and goals" in page
        assert "alpha-" not in page if me == "B" else "bravo-" not in page


def test_each_clients_goals_chart_shows_only_their_goals(practice, run, tmp_path):
    _, clients = practice
    for me, other in (("A", "B"), ("B", "A")):
        out = tmp_path / f"{me}-goals.png"
        code, _, err = run("chart", "--kind", "goals", "--client", clients[me].id, "-o", out, "--dpi", "50")
        assert code == 0, err
        png = out.read_bytes()  # the chart's description (its alt text) is stored in the file
        assert png.startswith(b"\x89PNG") and MARKS[me]["goal"].encode() in png
        assert MARKS[other]["goal"].encode() not in png
        with clients[me].open_journal() as j:
            ax = charts.goals(j.goal_progress())
        labels = [t.get_text() for t in ax.get_legend().get_texts()]
        assert labels == [MARKS[me]["goal"]]
        assert [round(y) for y in ax.lines[0].get_ydata()] == [3, 5]


def test_the_anonymised_report_names_the_id_only_and_holds_no_free_text(practice, run, tmp_path):
    _, clients = practice
    a = clients["A"]
    page = _visible(_report(run, a, tmp_path / "anon.html", "--anonymise"))
    assert a.id in page and ANONYMISED in page
    assert MARKS["A"]["alias"] not in page
    for key in FREE_TEXT:
        assert MARKS["A"][key] not in page, key
    assert "Goal 1" in page  # goals are numbered, their ratings kept
    assert "(free text left out)" in page
    assert "Tags" not in re.findall(r"<h3>([^<]*)</h3>", page)  # tags are the client's own words
    assert page.count('<h2>Session ') == 2  # the sessions are still listed, without their notes
    _report(run, a, tmp_path / "anon.pdf", "--anonymise")
    text = _pdf_text(tmp_path / "anon.pdf")
    if text is not None:
        assert a.id in text and MARKS["A"]["alias"] not in text
        assert not any(MARKS["A"][key] in text for key in FREE_TEXT)


def _pdf_text(path) -> str | None:
    tool = shutil.which("pdftotext")
    if tool is None:
        if os.environ.get("CI"):
            pytest.fail("pdftotext (poppler-utils) is missing: .ci/run installs it")
        return None
    return subprocess.run([tool, "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_sessions_are_limited_to_the_range_and_the_journal_is_unchanged(practice, run, tmp_path):
    _, clients = practice
    a = clients["A"]
    before = file_digest(a.journal_path)
    page = _report(run, a, tmp_path / "may.html", "--since", "2026-05-05", "--until", "2026-05-31")
    assert page.count('<h2>Session ') == 1 and "Session 2 · " in page  # numbered as in the whole history
    assert MARKS["A"]["plan"] in page and MARKS["A"]["subjective"] not in page
    assert "+2 since last rated" in page  # the change counts the earlier rating outside the range
    page = _report(run, a, tmp_path / "june.html", "--since", "2026-06-01")
    assert "No sessions in this date range." in page
    assert file_digest(a.journal_path) == before


def test_the_report_says_who_wrote_what_and_that_it_is_self_reported(practice):
    _, clients = practice
    with clients["A"].open_journal() as j:
        report = build_session_report(j, client=clients["A"])
    titles = [s.title for s in report.sections]
    assert titles[:3] == ["Overview", "Sessions and goals", "Charts"]
    assert titles[-2:] == ["Session 1 · Sun 3 May 2026", "Session 2 · Sun 10 May 2026"]
    assert ("Client", f"Alder ({clients['A'].id})") in report.facts
    assert ("Sessions", "2, 3 May 2026 – 10 May 2026") in report.facts
    overview = " ".join(b.text for b in report.sections[0].blocks)
    assert SESSION_SOURCE.strip() in overview and "Everything here was entered by the person" not in overview
    assert report.footer.startswith("Self-reported; not a diagnosis.")


def test_safety_flags_raised_at_any_time_come_first_without_a_score(practice, run, tmp_path):
    _, clients = practice
    a = clients["A"]
    with a.open_journal() as j:
        scorer.save(j, scorer.score("safety", ["yes", "no", "no", "no", "no"]), at="2026-01-02T10:00:00+00:00")
    page = _report(run, a, tmp_path / "a.html", "--since", "2026-05-01")  # the flag is older than the range
    assert page.index("Safety notes") < page.index("Overview")
    assert "800-799-7233" in page
    section = page[page.index("Safety notes"):page.index("Overview")]
    assert not re.search(r"\b\d+ of \d+\b", section)  # never a danger score
    assert "Safety notes" not in _report(run, clients["B"], tmp_path / "b.html")


HOSTILE = ("<script>alert('x')</script> <img src=x onerror=alert(1)> costs $x^2$ and a lone $ sign; "
           "שלום עולם مرحبا zero\u200bwidth\u200djoin \u2066isolate\u2069 Zoë 東京 😊")


def test_hostile_text_is_escaped_in_html_and_printed_in_pdf(tmp_path):
    practice = Practice(tmp_path / "practice")
    client = practice.add("<img src=x onerror=alert(1)>")
    long_notes = "".join(f"line {i:05d} of a very long note. " for i in range(3500))[:100_000]
    with client.open_journal() as j:
        j.add(3, 5, tags=["<b>t</b>"], note=HOSTILE, at="2026-05-01T09:00:00+00:00")
        j.add_session(day="2026-05-02", minutes=50,
                      notes={"subjective": HOSTILE, "objective": long_notes, "plan": "y" * 3000},
                      homework=HOSTILE, goals={HOSTILE[:150]: 4, "$": 2})
        report = build_session_report(j, client=client)
        page = render_html(report)
        pdf = render_pdf(report)
    visible = _visible(page)
    assert "<script" not in visible.lower() and "<img src=x" not in visible and "<b>t</b>" not in visible
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in visible
    assert "&lt;img src=x onerror=alert(1)&gt; (c-" in visible  # the alias, escaped, in the subtitle
    assert "$x^2$ and a lone $ sign" in visible and "שלום עולם" in visible and "zero\u200bwidth" in visible
    assert long_notes.strip() in visible  # 100,000 characters, whole
    assert len(re.findall(r"<img ", visible)) == len(re.findall(r"<figure>", visible))  # only the charts
    assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")
    out = tmp_path / "hostile.pdf"
    out.write_bytes(pdf)
    text = _pdf_text(out)
    if text is not None:
        flat = " ".join(text.split())
        assert "<script>alert('x')</script>" in flat and "$x^2$ and a lone $ sign" in flat
        assert "line 00000 of a very long note." in flat and "line 02499 of a very long note." in flat
        assert "Zoë" in flat
        assert text.count("Page 1 of ") == 1 and re.search(r"Page (\d+) of \1", text)


def test_goal_labels_are_text_not_mathtext():
    import pandas as pd

    progress = pd.DataFrame({"session_id": [1, 1, 2], "date": pd.to_datetime(["2026-05-01"] * 2 + ["2026-05-08"]),
                             "goal": ["$x^2$ less", "a lone $", "$x^2$ less"], "rating": [2, 3, 4]})
    ax = charts.goals(progress)
    ax.figure.canvas.draw()  # mathtext would fail or eat the dollars here
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [r"\$x^2\$ less", r"a lone \$"]
    assert "'$x^2$ less': 2 to 4 (up) over 2 ratings." in charts.describe_goals(progress)
    empty = charts.goals(progress.head(0))
    assert "No goals rated yet" in [t.get_text() for t in empty.texts]


def test_from_the_command_line_alone_two_clients_two_sessions_two_reports(run, tmp_path):
    practice = ("--practice", str(tmp_path / "practice"))
    ids = {}
    for who in ("A", "B"):
        code, out, err = run("client", "add", MARKS[who]["alias"], *practice)
        assert code == 0, err
        ids[who] = out.strip()
        notes = tmp_path / f"{who}.txt"
        notes.write_text(f"## S\n{MARKS[who]['subjective']}\n\n## Plan\n{MARKS[who]['plan']}\n", encoding="utf-8")
        code, _, err = run("session", "add", "--client", ids[who], *practice, "--date", "2026-06-01",
                           "--minutes", "50", "--notes-file", notes, "--homework", MARKS[who]["homework"],
                           "--goal", f"{MARKS[who]['goal']}=4")
        assert code == 0, err
    for me, other in (("A", "B"), ("B", "A")):
        for suffix in ("html", "pdf"):
            out = tmp_path / f"{me}.{suffix}"
            code, _, err = run("report", "--client", MARKS[me]["alias"], *practice, "-o", out)
            assert code == 0, err
        page = _visible((tmp_path / f"{me}.html").read_text(encoding="utf-8"))
        text = _pdf_text(tmp_path / f"{me}.pdf")
        for shown in (page, text) if text is not None else (page,):
            flat = " ".join(shown.split())
            assert all(MARKS[me][k] in flat for k in ("subjective", "plan", "homework", "goal"))
            assert ids[other] not in flat and not any(MARKS[other][k] in flat for k in MARKS[other])
