"""A flag this version does not know is a safety flag in every view (scorer.raised_flag: err towards safety).

Each test puts ONE response into a client's journal, either a PHQ-9 response
carrying a flag id no instrument file defines (as a newer version could save),
or a response to an instrument this version lacks (as an import from elsewhere
could bring), and checks what a person sees: the safety section or panel, with
the region's services from the guide, and the flag named. Nothing else in the
journal raises a flag, so a view that skipped the unknown one would show none.

Views that never show stored flags are listed in test_views_that_ignore_flags.
"""

from __future__ import annotations

import base64
import html
import json
import re
import shutil
import subprocess

import pytest

from rekindle_widgets import charts
from rekindle_widgets.app import App
from rekindle_widgets.content import guide
from rekindle_widgets.journal import Journal
from rekindle_widgets.model import scorer
from rekindle_widgets.model.practice import Practice
from rekindle_widgets.report import build_report, build_session_report, pdf_report, render_html
from rekindle_widgets.widgets.session import SessionPage
from rekindle_widgets.widgets.wellbeing import Wellbeing

REGION = "UK"
#: (instrument, flag id, what the report and pages call it, the questionnaire's name)
CASES = {
    "unknown-flag": ("phq9", "newer_wellbeing_alert", "newer wellbeing alert", "PHQ-9"),
    "unknown-instrument": ("from-elsewhere", "controlling", "controlling", "from-elsewhere"),
}


@pytest.fixture(params=list(CASES))
def case(request, tmp_path, monkeypatch):
    """A practice with one client whose only flagged response carries a flag this version does not know."""
    instrument, flag, label, title = CASES[request.param]
    practice = Practice(tmp_path / "practice")
    monkeypatch.setenv("REKINDLE_PRACTICE", str(practice.path))
    client = practice.add("Alder")
    with client.open_journal() as j:
        j.add(3, readiness=5, note="an ordinary day", at="2026-05-01T09:00:00+00:00")
        # a PHQ-9 with no flag, scored by this version: nothing here calls for safety on its own
        scorer.save(j, scorer.score("phq9", [0] * 9 + [0]), at="2026-05-02T09:00:00+00:00")
        # the one flagged response: for PHQ-9, answers that raise nothing when scored again (item 9 is 0)
        answers = [1] * 8 + [0, 0] if instrument == "phq9" else [1, 2]
        response = j.add_response(instrument, answers, total=sum(answers), band="mild", flags=[flag],
                                  at="2026-05-03T09:00:00+00:00")
    return {"practice": practice, "client": client, "flag": flag, "label": label, "title": title,
            "instrument": instrument, "response": response, "name": request.param}


def _services() -> list[str]:
    """The names of the region's services, as the guide lists them."""
    return [s.name for s in guide().safety.region(REGION).services]


def _shows_safety(text: str, case: dict) -> None:
    """Reading ``text`` (HTML, or a PDF's text), a person sees the safety section, the flag and the services."""
    text = " ".join(html.unescape(text).split())
    assert "Safety notes" in text
    assert case["label"] in text and case["title"] in text and "3 May 2026" in text
    for name in _services():
        assert " ".join(name.split()) in text, name
    assert guide().safety.region(REGION).emergency in text


def test_the_one_rule_counts_it_as_a_safety_flag(case):
    flag = scorer.raised_flag(case["instrument"], case["flag"])
    assert flag.is_safety and not flag.known
    with case["client"].open_journal(create=False) as j:
        marks = scorer.safety_flags_ever(j)
    assert [(m.instrument, m.flag) for m in marks] == [(case["instrument"], case["flag"])]


def test_html_report_shows_the_safety_section_first(case):
    with case["client"].open_journal(create=False) as j:
        page = render_html(build_report(j, region=REGION, charts=()))
    _shows_safety(page, case)
    assert page.index('<section class="safety"><h2>Safety notes</h2>') < page.index("<h2>Overview</h2>")


def test_pdf_report_shows_the_safety_section(case, tmp_path):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed: .ci/run installs it")
    with case["client"].open_journal(create=False) as j:
        (tmp_path / "r.pdf").write_bytes(pdf_report(j, region=REGION, charts=()))
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(tmp_path / "r.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    _shows_safety(text, case)
    assert text.index("Safety notes") < text.index("Overview")


def test_session_report_shows_the_safety_section(case):
    with case["client"].open_journal(create=False) as j:
        page = render_html(build_session_report(j, client=case["client"], region=REGION, charts=()))
    _shows_safety(page, case)


def _session_page_shows_safety(page: SessionPage, case: dict) -> None:
    assert page.client_box.children[0] is page.safety_box  # before anything else about the client
    flags, panel = page.safety_box.children
    assert "Safety flags raised by this client" in flags.value and "once" in flags.value
    assert html.escape(case["label"]) in flags.value and "2026-05-03" in flags.value
    for name in _services():
        assert html.escape(name) in panel.value, name
    assert "No safety flag has been raised" not in flags.value


@pytest.mark.slow
def test_the_therapists_session_page_shows_the_flag_and_the_services(case):
    page = SessionPage(practice=case["practice"].path, region=REGION)
    page.client_choice.value = case["client"].id
    _session_page_shows_safety(page, case)
    # the report it offers for download says so too
    page.report_button.click()
    link = re.search(r'href="data:text/html;base64,([^"]+)"', page.report_link.value)
    assert link, page.report_link.value
    _shows_safety(base64.b64decode(link.group(1)).decode("utf-8"), case)


def test_the_app_therapist_tab_shows_the_flag_and_the_services(case, journal_path):
    app = App(journal_path, region=REGION)
    page = app.show("Therapist")  # the practice comes from $REKINDLE_PRACTICE
    page.client_choice.value = case["client"].id
    _session_page_shows_safety(page, case)


def test_the_persons_own_app_shows_the_services_when_an_earlier_response_is_reopened(case):
    if case["instrument"] != "phq9":
        # the person's pages list earlier responses per questionnaire this version offers; one from an
        # instrument it lacks has no page to reopen it on (the report and the session page show its flag)
        pytest.skip("no page offers an instrument this version does not have")
    with case["client"].open_journal(create=False) as j:
        app = App(j, region=REGION)
        wellbeing = app.show("Wellbeing")
        assert isinstance(wellbeing, Wellbeing)
        wellbeing.choice.value = "phq9"
        q = wellbeing.questionnaire
        q.reopen(case["response"])
        assert q.safety_panel is not None  # rescoring these answers raises nothing; the stored flag does
        assert q.result_box.children[0] is q.safety_panel
        for name in _services():
            assert html.escape(name) in q.safety_panel.value, name
        assert f"When it was saved it also raised: {case['label']}." in html.unescape(q.result_html)
        # an earlier response without the flag shows no safety panel
        first = scorer.stored_responses(j, "phq9")[0]
        q.reopen(first.id)
        assert q.safety_panel is None


@pytest.mark.slow
def test_the_cli_report_shows_the_safety_section(case, run, tmp_path):
    client, practice = case["client"], case["practice"]
    out = tmp_path / "r.html"
    code, _, err = run("report", "--journal", client.journal_path, "--region", REGION, "-o", out)
    assert code == 0, err
    _shows_safety(out.read_text(encoding="utf-8"), case)
    out = tmp_path / "s.html"
    code, _, err = run("report", "--client", client.id, "--practice", practice.path, "--region", REGION,
                       "-o", out)
    assert code == 0, err
    _shows_safety(out.read_text(encoding="utf-8"), case)
    if shutil.which("pdftotext"):
        out = tmp_path / "r.pdf"
        code, _, err = run("report", "--journal", client.journal_path, "--region", REGION, "-o", out)
        assert code == 0, err
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(out), "-"], capture_output=True, text=True,
                              check=True).stdout
        _shows_safety(text, case)


def test_views_that_ignore_flags(case, run, tmp_path):
    """These views never interpret a stored flag; they must cope with the response and keep it as it is.

    - ``rekindle summary``, ``rekindle client list`` and ``rekindle session list`` say nothing about
      questionnaire responses at all (entries, stages, sessions only).
    - ``rekindle export --format json`` is data, not a view: it keeps the flag id as stored.
    - The charts (the scores chart and its description) draw and describe totals and bands; they mark
      no flags, so there is nothing for them to show or skip.
    """
    client = case["client"]
    for argv in (("summary", "--journal", client.journal_path), ("client", "list"),
                 ("session", "list", "--client", client.id)):
        code, out, err = run(*argv)
        assert code == 0 and not err.strip(), (argv, err)
        assert case["flag"] not in out and case["label"] not in out  # and no safety text of its own
    out = tmp_path / "export.json"
    code, _, err = run("export", "--journal", client.journal_path, "--format", "json", "-o", out)
    assert code == 0, err
    responses = json.loads(out.read_text(encoding="utf-8"))["responses"]
    assert [r["flags"] for r in responses if r["instrument"] == case["instrument"]][-1] == [case["flag"]]
    with Journal(client.journal_path, create=False) as j:
        data, stages, responses = j.entries(), j.stage_changes(), j.responses()
    fig = charts.figure("scores", data, stages=stages, responses=responses)
    assert fig.axes
    text = charts.describe(data, stages, kind="scores", responses=responses)
    assert "PHQ-9" in text and "flag" not in text.lower()
