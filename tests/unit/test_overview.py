"""The practice overview (package, CLI, app page) and the plan panels on the session and Wellbeing pages."""

from __future__ import annotations

import base64
import csv
import html
import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest

from rekindle_widgets.io import plan_files
from rekindle_widgets.model import plans
from rekindle_widgets.model.overview import overview_text, practice_overview
from rekindle_widgets.model.practice import Practice
from rekindle_widgets.report.overview import overview_csv

from ..conftest import file_digest
from .test_plans import phq9, save

TODAY = date.today()
NOW = datetime.now(UTC)
#: alias -> PHQ-9 totals, oldest first, and what the overview must call first -> latest
PAIRS = {
    "Ash": ([16, 8], "reliable improvement, reliable recovery"),  # a case at first, recovered
    "Beech": ([12, 9], "no reliable change, recovered"),  # recovered without a reliable change
    "Cedar": ([8, 15], "reliable deterioration"),
    "Damson": ([20, 14], "reliable improvement"),  # still a case
    "Elm": ([10], None),  # one score: not counted
    "Fir, \"the\" <i>": ([], None),  # no scores; an alias that needs escaping and CSV quoting
}


@pytest.fixture
def practice(tmp_path) -> Practice:
    practice = Practice(tmp_path / "practice")
    for alias, (totals, _) in PAIRS.items():
        client = practice.add(alias)
        with client.open_journal() as journal:
            for n, total in enumerate(totals):
                save(journal, "phq9", phq9(total), TODAY - timedelta(days=30 - 14 * n))
    return practice


def test_overview_counts_for_a_practice_of_six(practice):
    ov = practice_overview(practice)
    phq = next(o for o in ov.outcomes if o.instrument == "phq9")
    assert (phq.with_two, phq.improved, phq.deteriorated) == (4, 2, 1)
    assert (phq.cases_at_first, phq.recovered, phq.reliable_recovery) == (3, 2, 1)
    assert phq.cells() == ("PHQ-9", "4", "50% (2 of 4)", "25% (1 of 4)", "67% (2 of 3)", "33% (1 of 3)")
    gad = next(o for o in ov.outcomes if o.instrument == "gad7")
    assert gad.cells()[1:] == ("0", "-", "-", "-", "-")
    by_alias = {r.alias: r for r in ov.rows}
    assert list(by_alias) == list(PAIRS)  # oldest client first
    for alias, (totals, label) in PAIRS.items():
        row = by_alias[alias]
        # each row holds that client's own scores, and nobody else's
        assert [s.total for s in row.latest] == ([float(totals[-1])] if totals else [])
        if label:
            assert row.change_text() == f"PHQ-9 {totals[0]} → {totals[1]}: {label}"
        else:
            assert row.changes == ()
    assert [a.kind for a in by_alias["Cedar"].alerts] == ["deterioration"]
    assert all(not r.alerts for a, r in by_alias.items() if a != "Cedar")


def test_overview_shows_what_is_due_and_overdue_alerts(practice):
    ash = practice.get("Ash")
    with ash.open_journal() as journal:
        plans.set_plan(journal, ash.id, ["phq9", "gad7"], 7, TODAY - timedelta(days=2))
    ov = practice_overview(practice)
    row = next(r for r in ov.rows if r.alias == "Ash")
    assert row.due_text(TODAY) == f"PHQ-9 (overdue since {TODAY - timedelta(days=2)}), " \
                                  f"GAD-7 (overdue since {TODAY - timedelta(days=2)})"
    assert [a.kind for a in row.alerts] == ["overdue", "overdue"]
    assert ov.alerts == 3  # Ash's two and Cedar's deterioration
    assert all(r.due == () for r in ov.rows if r.alias != "Ash")


def test_overview_csv_is_quoted_and_names_no_client_in_the_practice_rows(practice):
    rows = list(csv.reader(io.StringIO(overview_csv(practice_overview(practice)))))
    assert rows[0][:3] == ["row", "client", "alias"]
    clients = [r for r in rows[1:] if r[0] == "client"]
    assert [r[2] for r in clients] == list(PAIRS)  # the comma, quotes and <i> survive CSV quoting
    practice_rows = [r for r in rows if r[0] == "practice"]
    aliases = set(PAIRS) | {c.id for c in practice.list()}
    assert practice_rows and not any(cell in aliases for r in practice_rows for cell in r)
    assert ["PHQ-9", "4", "50% (2 of 4)", "25% (1 of 4)", "67% (2 of 3)", "33% (1 of 3)"] in [r[7:] for r in rows]


def test_overview_text_is_a_readable_table(practice):
    text = overview_text(practice_overview(practice))
    assert "Across the practice (anonymised" in text
    assert re.search(r"PHQ-9 +4 +50% \(2 of 4\) +25% \(1 of 4\) +67% \(2 of 3\) +33% \(1 of 3\)", text)
    assert "not a diagnosis" in text


def test_cli_practice_overview(run, practice, tmp_path):
    code, out, err = run("practice", "overview", "--practice", practice.path)
    assert code == 0, err
    assert "Practice overview" in out and "Cedar" in out and "PHQ-9 8 → 15: reliable deterioration" in out
    page = tmp_path / "ov.html"
    code, out, err = run("practice", "overview", "--practice", practice.path, "-o", page)
    assert code == 0 and "wrote the practice overview (6 clients, HTML)" in out
    text = page.read_text()
    assert "Fir, &quot;the&quot; &lt;i&gt;" in text and "<i>" not in text
    assert "Content-Security-Policy" in text
    table = tmp_path / "ov.csv"
    assert run("practice", "overview", "--practice", practice.path, "-o", table)[0] == 0
    assert table.read_text().startswith("row,client,alias,")
    for args, said in [(["-o", tmp_path / "ov.txt"], "give -o FILE.html or -o FILE.csv"),
                       (["-o", tmp_path / "missing" / "ov.csv"], "give a file name in a folder that exists"),
                       (["--date", "someday"], "is not a date"),
                       ]:
        code, out, err = run("practice", "overview", "--practice", practice.path, *args)
        assert code == 2 and out == "" and err.count("\n") == 1 and said in err, err
    assert not (tmp_path / "ov.txt").exists()
    code, out, err = run("practice", "--client", "Ash", "overview", "--practice", practice.path)
    assert code == 2 and out == "" and "works on the whole practice" in err
    code, _, err = run("practice", "--practice", practice.path)
    assert code == 2 and err.count("\n") == 1


def test_empty_practice_overview(run, tmp_path):
    code, out, _ = run("practice", "overview", "--practice", tmp_path / "none")
    assert code == 0 and "0 clients" in out and "no clients yet" in out


# --------------------------------------------------------------------------
# The app: the Therapist tab and the Wellbeing page (no browser)
# --------------------------------------------------------------------------


def _data(link_html: str) -> bytes:
    return base64.b64decode(re.search(r"base64,([A-Za-z0-9+/=]+)", link_html).group(1))


def test_session_page_plan_panel_alerts_and_overview(practice, tmp_path):
    from rekindle_widgets.journal import Journal
    from rekindle_widgets.widgets.session import SessionPage

    page = SessionPage(practice=practice)
    cedar, ash = practice.get("Cedar"), practice.get("Ash")
    page.client_choice.value = cedar.id
    assert "Reliable deterioration" in page.alerts_box.value and "PHQ-9 8 → 15" in page.alerts_box.value
    assert "No plan yet" in page.plan_panel.summary.value
    assert "since the last session" not in page.plan_panel.new_html.value  # no session yet: everything is new

    panel = page.plan_panel
    panel.instruments.value = ("phq9", "gad7")
    panel.every.value = 14
    panel.start.value = TODAY
    plan = panel.set_button.click() or cedar.open_journal().plans()[-1]
    sent = _data(panel.plan_link.value)
    assert plan_files.read_plan_file(sent).plan == plan.plan and b"Cedar" not in sent
    assert "<b>due:</b> PHQ-9 (today)" in panel.due_html.value

    # the client answers in their own journal and sends a plain return back
    with Journal(tmp_path / "cedar-own.sqlite") as own:
        plan_files.open_plan(own, sent)
        save(own, "phq9", phq9(9), TODAY, hour=0)
        _, text = plan_files.return_document(own)
    ash_before = file_digest(ash.journal_path)
    panel.upload.value = ({"name": "ret.json", "type": "application/json", "size": len(text),
                           "last_modified": NOW, "content": memoryview(text.encode())},)
    panel.import_button.click()
    assert "1 questionnaire response added" in panel.import_status.value
    panel.import_button.click()
    assert "0 questionnaire responses added, 1 already there" in panel.import_status.value
    assert "Reliable deterioration" not in page.alerts_box.value  # 8 → 9 now
    assert "PHQ-9 (low mood): 9 of 27" in page.overview.value  # latest scores refreshed
    assert file_digest(ash.journal_path) == ash_before

    page.client_choice.value = ash.id  # another client: nothing of Cedar's
    assert "No plan yet" in page.plan_panel.summary.value and "Reliable" not in page.alerts_box.value
    page.plan_panel.import_button.click()
    assert "Choose the client's file first" in html.unescape(page.plan_panel.import_status.value)
    page.plan_panel.upload.value = panel.upload.value
    page.plan_panel.import_button.click()
    assert f"is for another client ({cedar.id}" in html.unescape(page.plan_panel.import_status.value)
    assert file_digest(ash.journal_path) == ash_before

    page.overview_toggle.value = True
    overview = page.overview_box.children[0]
    assert "Fir, &quot;the&quot; &lt;i&gt;" in overview.table.value and "<i>" not in overview.table.value
    # Cedar's change is 8 → 9 now: two improvements of four, no deterioration
    assert "<td" in overview.outcomes.value and "50% (2 of 4)</td>" in overview.outcomes.value
    assert "0% (0 of 4)" in overview.outcomes.value
    assert "PHQ-9" in overview.outcomes.value and "download=" in overview.downloads.value
    page.overview_toggle.value = False
    assert page.overview_box.children == ()


def test_wellbeing_plan_panel_opens_a_plan_and_refuses_bad_files(tmp_path):
    from rekindle_widgets.journal import Journal, Plan
    from rekindle_widgets.widgets.wellbeing import Wellbeing

    journal = Journal(tmp_path / "mine.sqlite")
    page = Wellbeing(journal)
    panel = page.plan
    assert "No plan from a therapist" in panel.due_html.value and panel.send_box.layout.display == "none"
    panel.open_button.click()
    assert "Choose the plan file first" in panel.status.value

    def upload(data: bytes) -> None:
        panel.upload.value = ({"name": "plan.json", "type": "", "size": len(data), "last_modified": NOW,
                               "content": memoryview(data)},)

    upload(b'{"format": "rekindle-plan", "version": 9}')
    panel.open_button.click()
    assert "newer Rekindle" in panel.status.value and journal.plans() == []
    plan = Plan.make(plan="p-abcdefghij", client="c-abcdef", instruments=["who5"], every_days=7, start=TODAY)
    upload(plan_files.plan_file_text(plan).encode())
    panel.open_button.click()
    assert "Opened the plan" in panel.status.value
    assert "<b>due:</b> WHO-5 Well-Being Index (today)" in panel.due_html.value
    assert "RRULE:FREQ=DAILY;INTERVAL=7" in _data(panel.calendar_link.value).decode()
    from rekindle_widgets.widgets.start import StartPage

    assert "From your therapist</b>, due: WHO-5 Well-Being Index (today)" in StartPage(journal).where.value
    panel.passphrase.value = "short"
    panel.return_button.click()
    assert "passphrase is too short" in panel.return_link.value
    journal.close()


def test_overview_csv_neutralises_a_formula_alias(tmp_path):
    practice = Practice(tmp_path / "p")
    practice.add("=SUM(1+1)")
    rows = list(csv.reader(io.StringIO(overview_csv(practice_overview(practice)))))
    assert rows[1][2] == "'=SUM(1+1)"  # a spreadsheet shows it as text, never runs it
