"""Hostile text, everywhere a person's words are shown: as text, never as markup, maths or terminal commands.

The same strings go into every place user text appears (notes, tags, free-text
answers, goals, homework, session notes, client aliases, imported files):
``<script>``, ``<img onerror>``, matplotlib mathtext (``$x^2$``, a lone ``$``),
backslash sequences, right-to-left text (Hebrew, Arabic, U+202E RIGHT-TO-LEFT
OVERRIDE), zero-width characters (U+200B, U+200D, U+FEFF), terminal escape
sequences, and a 100 KB note. Each place is checked for what a person would
notice: the widgets' HTML holds no script, no event handler and no image but
the charts, and shows the text literally; the HTML report likewise; the PDF
prints the characters; charts render the dollars as dollars; the command line
prints nothing a terminal would obey.

Terminal policy (the command line): C0 controls other than tab and newline,
DEL, C1 controls and the bidi embeddings, overrides and isolates (U+202A-U+202E,
U+2066-U+2069) are shown as escapes (``\\x1b``, ``\\u202e``) in everything a
command prints; right-to-left letters and zero-width characters are printed as
they are (they cannot move the cursor or reorder a line on their own). The
data of ``rekindle export`` is exact when it goes to a file or a pipe, and
escaped like the rest when stdout is a terminal.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import ipywidgets as w
import pytest

from rekindle_widgets import charts
from rekindle_widgets.cli.common import shown
from rekindle_widgets.journal import Journal

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
MATH = "costs $x^2$ and a lone $ sign"
BACKSLASH = r"C:\new\table \\ \$x\$ \n"
RTL = "שלום עולם · مرحبا بالعالم"
RLO = "\u202eevil.exe\u202c"
ZERO_WIDTH = "zero\u200bwidth\u200djoin\ufeffbom"
ESCAPES = "\x1b[2J\x1b[31mred\x1b[0m \x1b]0;owned\x07 \x9b31m"
NOTE = "\n".join([SCRIPT, IMG, MATH, BACKSLASH, RTL, RLO, ZERO_WIDTH])
#: tags: short, without '|' or control characters (what the journal allows)
TAGS = [SCRIPT, IMG, "$x^2$", "a lone $", r"\new \\", "שלום", "مرحبا", "\u202eevil", "zero\u200bwidth"]
#: what must be seen, literally, wherever NOTE is shown (the Latin pieces print in the PDF too)
LATIN = [SCRIPT, IMG, MATH, BACKSLASH]
SEEN = [*LATIN, RTL, RLO, ZERO_WIDTH]


def big_note() -> str:
    """A 100 KB note, numbered so its start and end can be found."""
    lines, size, n = [], 0, 0
    while size < 100_000:
        line = f"line {n:05d}: {SCRIPT} {MATH} {RTL}"
        lines.append(line)
        size += len(line) + 1
        n += 1
    return "\n".join(lines)[:100_000].rstrip() + "."


# --------------------------------------------------------------------------
# HTML: what a browser would make of it
# --------------------------------------------------------------------------


class _Page(HTMLParser):
    """Elements, attributes and text of an HTML fragment, as a browser's parser sees them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("style", "title"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "title") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def parse(fragment: str) -> _Page:
    page = _Page()
    page.feed(fragment)
    page.close()
    return page


def html_problems(fragment: str) -> list[str]:
    """Anything in ``fragment`` that would run or load: script elements, on* handlers, foreign images, js: links."""
    problems = []
    for tag, attrs in parse(fragment).tags:
        if tag in ("script", "iframe", "object", "embed", "svg", "math", "base", "form"):
            problems.append(f"<{tag}> element")
        for name, value in attrs.items():
            if name.startswith("on"):
                problems.append(f"<{tag} {name}=...> event handler")
            if name in ("href", "src") and (value or "").strip().lower().startswith(("javascript:", "vbscript:")):
                problems.append(f"<{tag} {name}={value}>")
        if tag == "img" and not (attrs.get("src") or "").startswith("data:image/png;base64,"):
            problems.append(f"<img src={attrs.get('src')!r}>: only inlined chart images belong here")
    return problems


def visible(fragment: str) -> str:
    """The text a person reads (element text, plus alt text) with line breaks and spaces collapsed."""
    page = parse(fragment)
    alts = [attrs.get("alt") or "" for tag, attrs in page.tags if tag == "img"]
    return " ".join(" ".join(page.text + alts).split())


def flat(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------
# Widgets: every HTML value in the tree
# --------------------------------------------------------------------------


def widgets_in(root: w.Widget) -> list[w.Widget]:
    found, stack, seen = [], [root], set()
    while stack:
        widget = stack.pop()
        if id(widget) in seen:
            continue
        seen.add(id(widget))
        found.append(widget)
        stack.extend(getattr(widget, "children", ()))
    return found


def html_of(root: w.Widget) -> str:
    """Every HTML widget's value under ``root``, checked to run nothing; returns them joined."""
    values = []
    for widget in widgets_in(root):
        assert not isinstance(widget, w.HTMLMath), "HTMLMath typesets $...$: user text must not go there"
        if getattr(widget, "description_allow_html", False):
            raise AssertionError(f"{widget!r} renders its description as HTML")
        if isinstance(widget, w.Output):  # an Output runs a script only if it is the quick exit's own file
            from rekindle_widgets.widgets.safety import quick_exit_js

            for output in widget.outputs:
                script = output.get("data", {}).get("application/javascript")
                assert script is None or script == quick_exit_js(), script[:300]
        if isinstance(widget, w.HTML):
            assert html_problems(widget.value) == [], (html_problems(widget.value), widget.value[:300])
            assert "<script" not in widget.value.lower() and "<img src=x" not in widget.value
            values.append(widget.value)
    return "\n".join(values)


def shows(root: w.Widget, *texts: str) -> None:
    page = visible(html_of(root))
    for text in texts:
        assert flat(text) in page, (text, page[:2000])


@pytest.fixture
def hostile_journal(journal_path) -> Path:
    """40 days of entries with hostile tags and notes, a 100 KB note last, a stage, a free-text answer."""
    from rekindle_widgets.model import scorer

    with Journal(journal_path) as j:
        j.set_stage(3, "2026-01-01", note=NOTE)
        for day in range(40):
            j.add(1 + day % 5, day % 11, tags=[TAGS[day % len(TAGS)], TAGS[(day + 3) % len(TAGS)]],
                  note=NOTE if day % 4 == 0 else "", at=f"2026-01-{1 + day % 28:02d}T{8 + day // 28:02d}:00:00+00:00")
        j.add(4, 5, tags=TAGS[:3], note=big_note(), at="2026-02-10T09:00:00+00:00")
        inst = scorer.instrument("checkup")
        answers = [(i.values[0] if i.is_choice else NOTE) for i in inst.items]
        scorer.save(j, scorer.score(inst, answers), at="2026-02-11T09:00:00+00:00")
    return journal_path


def test_mood_log_saves_hostile_notes_and_tags_and_shows_them_as_text(journal_path):
    from rekindle_widgets.widgets import MoodLog

    page = MoodLog(journal_path)
    for n, note in enumerate([NOTE, ESCAPES, big_note()]):
        page.mood.value = 1 + n
        page.tags.value = ", ".join(TAGS)
        page.note.value = note
        page.save.click()
        assert "Saved entry" in page.status.value, page.status.value
    with Journal(journal_path, create=False) as j:
        frame = j.entries()
    assert list(frame["note"]) == [NOTE, ESCAPES, big_note()]  # kept exactly, 100 KB included
    assert all(tuple(tags) == tuple(TAGS) for tags in frame["tags"])
    html_of(page)
    # a tag the journal refuses: the error names it, escaped
    page.mood.value = 3
    page.tags.value = f"{SCRIPT}|{IMG}"
    page.save.click()
    assert "may not contain" in page.status.value and "&lt;script&gt;" in page.status.value
    shows(page, SCRIPT)


def test_mood_log_charts_and_alt_text_show_hostile_tags_literally(hostile_journal):
    from rekindle_widgets.widgets import MoodLog

    page = MoodLog(hostile_journal)
    for kind in ("timeline", "pixels", "stages", "weekdays", "tags"):
        page.kind.value = kind
        html_of(page)  # every chart kind renders; nothing runs
    assert page.kind.value == "tags"
    alt = visible(page.alt.value)
    assert "Largest differences" in alt
    assert any(f"'{flat(tag)}'" in alt for tag in (SCRIPT, IMG, "$x^2$", "a lone $")), alt
    img = next(attrs for tag, attrs in parse(page.chart.value).tags if tag == "img")
    import html as html_module

    shown = page.alt.value.split('<p class="rk-prose-wide">', 1)[1].rsplit("</p>", 1)[0]
    assert img["alt"] == html_module.unescape(shown)  # the words behind "Describe this chart" are the alt text


def test_questionnaire_free_text_answers_come_back_as_text(journal_path):
    from rekindle_widgets.widgets import Questionnaire

    q = Questionnaire("checkup", journal_path, paged=False)
    free = [i for i in q.instrument.items if not i.is_choice]
    assert free, "the check-up has free-text questions"
    for item in q.instrument.items:
        q.controls[item.id].value = item.values[0] if item.is_choice else NOTE
    q.submit_button.click()
    assert q.result is not None, q.message.value
    assert "In your own words" in q.result_html
    shows(q, *SEEN)
    # a 100 KB answer is over the limit: refused with a message that does not echo it
    q.reset()
    for item in q.instrument.items:
        q.controls[item.id].value = item.values[0] if item.is_choice else big_note()
    q.submit_button.click()
    assert "the limit is 20,000" in q.message.value and "line 00000" not in q.message.value
    html_of(q)


def _daylio(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["full_date", "date", "weekday", "time", "mood", "activities", "note_title", "note"])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def test_import_page_preview_and_label_form_show_hostile_file_text_as_text(journal_path):
    from rekindle_widgets.widgets.importer import ImportPage

    raw = _daylio([["2026-03-01", "1 March", "Sunday", "20:30", IMG, " | ".join(TAGS[:4]), SCRIPT, NOTE],
                   ["2026-03-02", "2 March", "Monday", "08:00", "good", "", "", big_note()]])
    page = ImportPage(journal_path)
    page.load(raw, f"{SCRIPT}.csv")
    assert list(page.level_pickers) == [IMG, "good"]  # the unknown label (and the known one, filled in) as text
    assert page.level_pickers[IMG].description == IMG
    html_of(page)
    page.level_pickers[IMG].value = 2
    page.apply_levels.click()
    assert page.fmt == "daylio" and not page.import_button.disabled, page.status.value
    shows(page, f"{SCRIPT}.csv", *SEEN, "line 00000: " + SCRIPT)
    page.import_button.click()
    assert page.result is not None and page.result.added == 2
    shows(page, f"from {SCRIPT}.csv")
    with Journal(journal_path, create=False) as j:
        assert set(j.entries()["note"]) == {f"{SCRIPT}\n{NOTE}", big_note()}


def test_stage_navigator_note_and_download_links_stay_text(hostile_journal):
    from rekindle_widgets.widgets import DownloadPanel, StageNavigator

    nav = StageNavigator(hostile_journal)
    nav.note.value = NOTE
    nav.enter_button.click()
    assert "Recorded: stage" in nav.status.value
    html_of(nav)
    panel = DownloadPanel(hostile_journal)
    for fmt in ("csv", "json"):
        panel.prepare(fmt)
        html_of(panel)
        links = [attrs for tag, attrs in parse(panel.link.value).tags if tag == "a"]
        assert len(links) == 1 and re.fullmatch(rf"rekindle-journal-\d{{4}}-\d\d-\d\d\.{fmt}", links[0]["download"])
        data = base64.b64decode(links[0]["href"].split(",", 1)[1]).decode("utf-8")
        if fmt == "csv":
            notes = {row["note"] for row in csv.DictReader(io.StringIO(data, newline=""))}
        else:
            notes = {entry["note"] for entry in json.loads(data)["entries"]}
        assert {NOTE, big_note()} <= notes  # the file carries the text exactly


def test_session_page_alias_notes_goals_and_report_stay_text(tmp_path):
    from rekindle_widgets.model.practice import Practice
    from rekindle_widgets.widgets import SessionPage

    practice = Practice(tmp_path / "practice")
    client = practice.add(IMG)
    with client.open_journal() as j:
        j.add(3, 6, tags=TAGS[:2], note=NOTE, at="2026-03-01T10:00:00+00:00")
    page = SessionPage(practice=practice)
    page.client_choice.value = client.id
    page.note_fields["subjective"].value = NOTE
    page.note_fields["plan"].value = big_note()
    page.homework.value = NOTE
    page.goal_rows[0].text.value = "$x^2$ a day " + RTL
    page.goal_rows[0].rating.value = 4
    page.add_goal().text.value = SCRIPT
    page.goal_rows[1].rating.value = 7
    assert page.save() is not None, page.save_status.value
    shows(page, f"Where {IMG} is", f"for {IMG} ({client.id})", "homework set: " + flat(NOTE))
    goals_alt = visible(page.charts.value)
    assert f"'\u2068$x^2$ a day {RTL}\u2069'" in goals_alt and f"'{SCRIPT}'" in goals_alt  # RTL goal: isolated
    page.make_report()
    html_of(page)
    link = next(attrs for tag, attrs in parse(page.report_link.value).tags if tag == "a")
    report = base64.b64decode(link["href"].split(",", 1)[1]).decode("utf-8")
    assert html_problems(report) == []
    text = visible(report)
    assert all(flat(s) in text for s in SEEN) and f"{IMG} ({client.id})" in text
    assert flat(big_note()) in text  # the 100 KB plan, whole


def test_the_only_script_in_the_app_is_the_quick_exit_and_a_hostile_exit_url_stays_an_address(
        hostile_journal, monkeypatch):
    from rekindle_widgets.app import App
    from rekindle_widgets.widgets.safety import QuickExitScript, quick_exit_js

    monkeypatch.setenv("REKINDLE_EXIT_URL", 'https://example.org/"><script>alert(1)</script>')
    app = App(hostile_journal)
    for name in ("Start", "Check-up", "Mood log"):
        app.show(name)
    html = html_of(app)  # every HTML value checked to run nothing, every Output's script checked
    assert 'href="https://example.org/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    scripts = [x for x in widgets_in(app) if isinstance(x, QuickExitScript)]
    assert scripts and all(x.outputs[0]["data"]["application/javascript"] == quick_exit_js() for x in scripts)
    assert "location.replace" in quick_exit_js() and "innerHTML" not in quick_exit_js()


def test_safety_panel_reasons_are_escaped():
    from dataclasses import replace

    from rekindle_widgets.model import scorer
    from rekindle_widgets.widgets import SafetyPanel

    result = scorer.score("safety", ["yes", "no", "no", "no", "no"])
    reason = result.safety_reasons[0]
    hostile = scorer.Reason(replace(reason.flag, label=IMG, text=NOTE), (SCRIPT, MATH))
    panel = SafetyPanel(reasons=[hostile])
    assert html_problems(panel.value) == []
    assert all(flat(s) in visible(panel.value) for s in [*SEEN, SCRIPT, MATH])
    html_of(panel)


# --------------------------------------------------------------------------
# The HTML report and the PDF
# --------------------------------------------------------------------------


def _pdf_text(pdf: bytes, tmp_path: Path) -> str | None:
    if not shutil.which("pdftotext"):
        return None
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_html_report_shows_hostile_text_as_text_and_runs_nothing(hostile_journal):
    from rekindle_widgets.report import build_report, render_html

    with Journal(hostile_journal, create=False) as j:
        page = render_html(build_report(j, title=f"{SCRIPT} {MATH}", subtitle=RLO))
    assert html_problems(page) == []
    assert page.lower().count("<script") == 0 and "<img src=x" not in page
    text = visible(page)
    for piece in SEEN:
        assert flat(piece) in text, piece
    assert flat(big_note()) in text  # the 100 KB note, whole, in the recent notes
    assert all(f"{flat(tag)}" in text for tag in TAGS)
    titles = re.findall(r"<title>(.*?)</title>", page, flags=re.S)
    assert titles and "&lt;script&gt;" in titles[0]


def test_pdf_report_prints_hostile_text_literally(hostile_journal, tmp_path):
    from rekindle_widgets.report import build_report, render_pdf

    with Journal(hostile_journal, create=False) as j:
        pdf = render_pdf(build_report(j, title=f"{SCRIPT} {MATH}"))
    assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")
    text = _pdf_text(pdf, tmp_path)
    if text is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: the PDF renders, its text is not checked")
    words = flat(text)
    for piece in [SCRIPT, IMG, MATH, r"C:\new\table \\ \$x\$ \n"]:
        assert piece in words, piece
    assert "line 00000:" in words and f"line {big_note().count(chr(10)):05d}:" in words  # first and last lines


# --------------------------------------------------------------------------
# Charts: dollars are dollars, nothing is parsed as mathtext
# --------------------------------------------------------------------------


def _texts(fig) -> list[tuple[str, str, bool]]:
    """(what was set, what is drawn, whether it is mathtext) for every text artist of ``fig``."""
    from matplotlib.text import Text

    out = []
    for artist in fig.findobj(Text):
        raw = artist.get_text()
        drawn, math = artist._preprocess_math(raw)
        out.append((raw, drawn, bool(math)))
    return out


def test_chart_labels_draw_hostile_tags_and_goals_literally_never_as_mathtext(hostile_journal, tmp_path):
    import pandas as pd

    with Journal(hostile_journal, create=False) as j:
        data, stages = j.entries(), j.stage_changes()
    figures = {"tags": charts.tags(data).figure,
               "timeline": charts.timeline(data, stages=stages, events=TAGS[:4]).figure,
               "goals": charts.goals(pd.DataFrame({
                   "session_id": [1, 1, 2, 2], "date": pd.to_datetime(["2026-03-01"] * 2 + ["2026-03-08"] * 2),
                   "goal": ["$x^2$ a day", SCRIPT, "$x^2$ a day", SCRIPT], "rating": [2, 3, 4, 5]})).figure}
    for kind in ("pixels", "stages", "weekdays"):
        figures[kind] = charts.figure(kind, data, stages=stages)
    for name, fig in figures.items():
        texts = _texts(fig)
        assert not [t for t in texts if t[2]], (name, [t for t in texts if t[2]])
        png = charts.render(fig, "png", dpi=60)  # would raise on broken mathtext
        assert png.startswith(b"\x89PNG")
        charts.render(fig, "svg")
    drawn = [t[1] for t in _texts(figures["tags"])]
    for tag in (SCRIPT, IMG, "$x^2$", "a lone $", r"\new \\", "zero\u200bwidth", "evil"):
        assert any(d.startswith(f"{tag}  (") for d in drawn), (tag, drawn)
    for tag in ("שלום", "مرحبا"):  # right-to-left, isolated: the count stays to its right
        assert any(d.startswith(f"\u2068{tag}\u2069  (") for d in drawn), (tag, drawn)
    assert not [d for d in drawn if OVERRIDES.search(d)]  # the tag's U+202E cannot turn "(8)" around
    legend = [t[1] for t in _texts(figures["goals"])]
    assert "$x^2$ a day" in legend and SCRIPT in legend
    assert any("$x^2$" in d for d in (t[1] for t in _texts(figures["timeline"])))


#: bidi embeddings and overrides: what lets text reorder the words after it
OVERRIDES = re.compile("[\u202a-\u202e]")


def balanced_isolates(text: str) -> bool:
    depth = 0
    for c in text:
        depth += c in "\u2066\u2067\u2068"
        depth -= c == "\u2069"
        if depth < 0:
            return False
    return depth == 0


def test_alt_text_sentences_keep_their_order_around_right_to_left_tags(hostile_journal):
    """An override in a tag reversed the rest of the alt-text sentence in a browser; RTL letters pulled
    the number after them into their run. Tags and goals are now isolated inside the sentence."""
    import pandas as pd

    with Journal(hostile_journal, create=False) as j:
        data, stages = j.entries(), j.stage_changes()
    progress = pd.DataFrame({"session_id": [1, 2], "date": pd.to_datetime(["2026-03-01", "2026-03-08"]),
                             "goal": [RLO + " sleep", RLO + " sleep"], "rating": [2, 4]})
    texts = [charts.describe(data, stages, kind=kind) for kind in ("tags", "timeline", "stages")]
    texts += [charts.describe(data, stages), charts.describe_goals(progress)]
    texts.append(charts.describe(data.assign(tags=[("contact", RLO)] * len(data)), stages, kind="timeline"))
    for text in texts:
        assert not OVERRIDES.search(text) and balanced_isolates(text), text
    assert "'evil' 0.1 higher (8 entries)" in texts[0]
    assert "'evil.exe sleep': 2 to 4 (up) over 2 ratings." in texts[4]


# --------------------------------------------------------------------------
# The command line
# --------------------------------------------------------------------------

RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def test_terminal_policy_escapes_controls_and_bidi_overrides_but_keeps_scripts():
    assert shown("\x1b[31mred\x1b[0m") == "\\x1b[31mred\\x1b[0m"
    assert shown(RLO) == "\\u202eevil.exe\\u202c"
    assert shown("\x9b2J \x7f \x00 \r") == "\\x9b2J \\x7f \\x00 \\x0d"
    assert shown("\u2066isolate\u2069") == "\\u2066isolate\\u2069"
    for kept in (RTL, ZERO_WIDTH, "👨\u200d👩\u200d👧", "tab\tand\nnewline", SCRIPT, MATH, BACKSLASH):
        assert shown(kept) == kept


@pytest.fixture
def hostile_cli_journal(journal_path) -> Path:
    with Journal(journal_path) as j:
        j.add(2, 3, tags=TAGS, note=NOTE + "\n" + ESCAPES, at="2026-03-01T10:00:00+00:00")
        j.add_session(day="2026-03-02", minutes=50, notes={"subjective": NOTE + ESCAPES, "plan": RLO},
                      homework=ESCAPES + RLO, goals={f"{RLO} $x^2$ goal": 4, SCRIPT: 6})
    return journal_path


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_export_is_exact_into_a_pipe_and_escaped_on_a_terminal(hostile_cli_journal, run, monkeypatch):
    from rekindle_widgets import cli
    from rekindle_widgets.io.export import export_csv, export_json

    with Journal(hostile_cli_journal, create=False) as j:
        exact = {"csv": export_csv(j), "json": export_json(j)}
    for fmt in ("csv", "json"):
        code, out, err = run("export", "--journal", hostile_cli_journal, "--format", fmt)
        assert code == 0 and out == exact[fmt], err  # a pipe or a file gets the data exactly
        terminal = _Terminal()
        monkeypatch.setattr("sys.stdout", terminal)
        assert cli.main(["export", "--journal", str(hostile_cli_journal), "--format", fmt]) == 0
        monkeypatch.undo()
        shown_text = terminal.getvalue()
        assert not RAW_CONTROL.search(shown_text)
        assert "\\u202e" in shown_text and SCRIPT in shown_text and "$x^2$" in shown_text
        if fmt == "csv":
            assert "\\x1b[2J" in shown_text


def test_listings_show_hostile_text_literally_and_controls_escaped(hostile_cli_journal, run, tmp_path):
    code, out, err = run("session", "list", "--journal", hostile_cli_journal, "--notes")
    assert code == 0, err
    assert not RAW_CONTROL.search(out)
    for piece in ("\\u202eevil.exe\\u202c $x^2$ goal 4/10", f"{SCRIPT} 6/10", "\\x1b[2J\\x1b[31mred", "\\u202eevil.exe\\u202c",
                  SCRIPT, IMG, MATH, BACKSLASH, RTL, ZERO_WIDTH):
        assert piece in out, piece
    code, out, err = run("summary", "--journal", hostile_cli_journal)
    assert code == 0 and out.startswith("1 entries") and not RAW_CONTROL.search(out)
    # a journal path with escape sequences in it: named in the error, escaped
    odd = tmp_path / "\x1b[31mnot-here\u202e.sqlite"
    code, out, err = run("summary", "--journal", odd)
    assert code == 2 and err.count("\n") == 1 and not RAW_CONTROL.search(err)
    assert "\\x1b[31mnot-here\\u202e.sqlite" in err


def test_client_list_shows_hostile_aliases_and_refuses_an_override(run, tmp_path):
    practice = ("--practice", str(tmp_path / "practice"))
    for alias in (IMG, "$x^2$", "שלום", "J.K."):
        code, _, err = run("client", "add", alias, *practice)
        assert code == 0, err
    code, out, err = run("client", "list", *practice)
    assert code == 0 and not RAW_CONTROL.search(out)
    assert IMG in out and "$x^2$" in out and "שלום" in out
    for alias in (RLO, "\x1b[31mred", "a\u2066b"):  # could reorder or recolour a listing: refused
        code, out, err = run("client", "add", alias, *practice)
        assert code == 2 and err.count("\n") == 1 and "control characters" in err
        assert not RAW_CONTROL.search(err)


def test_import_dry_run_and_label_errors_show_file_text_escaped(run, tmp_path, journal_path):
    good = tmp_path / "hostile.csv"
    good.write_bytes(_daylio([["2026-03-01", "1 March", "Sunday", "20:30", "good", " | ".join(TAGS[:3]),
                               RLO + ESCAPES[:9], NOTE]]))
    code, out, err = run("import", good, "--journal", journal_path, "--dry-run")
    assert code == 0, err
    assert not RAW_CONTROL.search(out) and not RAW_CONTROL.search(err)
    assert "\\u202eevil.exe\\u202c\\x1b[2J\\x1b[31m / <script>" in out  # the note's start, in the table
    labels = tmp_path / f"labels{ESCAPES[:9]}.csv"
    labels.write_bytes(_daylio([["2026-03-01", "1 March", "Sunday", "20:30", f"\x1b[31m{RLO}", "", "", ""]]))
    code, out, err = run("import", labels, "--journal", journal_path)
    assert code == 2 and err.count("\n") == 1 and not RAW_CONTROL.search(err)
    assert "unknown mood labels" in err and "\\x1b[31m\\u202eevil.exe\\u202c" in err
    assert not journal_path.exists()


def test_a_journal_whose_answers_have_no_total_exports_to_json(run, journal_path):
    """Found by the download-panel check above: a safety screen alone (no total) made the JSON export crash."""
    code, _, err = run("score", "safety", "--answers", "no,no,no,no,no", "--save", "--journal", journal_path)
    assert code == 0, err
    code, out, err = run("export", "--format", "json", "--journal", journal_path)
    assert code == 0, err
    assert '"total": null' in out


def test_the_checks_themselves_catch_markup_that_runs():
    """Guard: the HTML checks above would fail on unescaped text (else they prove nothing)."""
    assert html_problems(f"<p>{SCRIPT}</p>") == ["<script> element"]
    assert html_problems(f"<p>{IMG}</p>") == ["<img onerror=...> event handler",
                                              "<img src='x'>: only inlined chart images belong here"]
    assert html_problems('<a href="javascript:alert(1)">x</a>') == ['<a href=javascript:alert(1)>']
    assert html_problems(f"<p>{__import__('html').escape(SCRIPT + IMG)}</p>") == []
    assert RAW_CONTROL.search(ESCAPES) and RAW_CONTROL.search(RLO) and not RAW_CONTROL.search(RTL + ZERO_WIDTH)


# --------------------------------------------------------------------------
# Corrections (issue 16): every edit field takes hostile text, keeps it exactly and shows it as text


def test_mood_log_edit_fields_keep_hostile_text_and_show_it_as_text(journal_path):
    from rekindle_widgets.widgets import MoodLog

    with Journal(journal_path) as j:
        j.add(2, note="plain", at="2026-03-01T20:30:00+01:00")
    page = MoodLog(journal_path, chart=False)
    edit = next(b for row in page.recent.children for b in row.children if getattr(b, "description", "") == "Edit")
    edit.click()
    page.tags.value = ", ".join(TAGS)
    page.note.value = NOTE + ESCAPES
    page.save.click()
    assert "Changed entry" in page.status.value, page.status.value
    with Journal(journal_path, create=False) as j:
        (row,) = j.rows()
        assert row[6] == NOTE + ESCAPES and tuple(row[5].split("|")) == tuple(TAGS)
        assert j.history(row[0])[0].row["note"] == "plain"
    html_of(page)
    shows(page, SCRIPT, IMG, MATH, "$x^2$")
    assert page.undo.button.description == "Undo edit of entry 1"  # a button label: text by construction
    delete = next(b for r in page.recent.children for b in r.children if getattr(b, "description", "") == "Delete")
    delete.click()
    page.undo.button.click()
    html_of(page)
    shows(page, SCRIPT, IMG, "Undid deleting entry 1")


def test_stage_and_session_edit_fields_keep_hostile_text_as_text(journal_path, tmp_path):
    from rekindle_widgets.model.practice import Practice
    from rekindle_widgets.widgets import SessionPage
    from rekindle_widgets.widgets.stages import StageNavigator

    with Journal(journal_path) as j:
        j.set_stage(2, "2026-01-01", "plain")
    nav = StageNavigator(journal_path)
    next(b for r in nav.recorded.children for b in r.children if getattr(b, "description", "") == "Edit").click()
    nav.note.value = NOTE
    nav.enter_button.click()
    assert nav.journal.stage_changes()[0].note == NOTE
    html_of(nav)
    shows(nav, SCRIPT, IMG, MATH)

    practice = Practice(tmp_path / "practice")
    client = practice.add(IMG)
    page = SessionPage(practice=practice)
    page.client_choice.value = client.id
    page.note_fields["subjective"].value = "plain"
    page.goal_rows[0].text.value = "sleep"
    page.goal_rows[0].rating.value = 4
    assert page.save() is not None
    next(b for r in page.saved_sessions.children for b in r.children
         if getattr(b, "description", "") == "Edit").click()
    page.note_fields["subjective"].value = NOTE
    page.homework.value = NOTE
    page.goal_rows[0].text.value = "$x^2$ a day " + RTL
    assert page.save() is not None, page.save_status.value
    (session,) = page.journal.sessions()
    assert session.notes["subjective"] == NOTE and session.homework == NOTE.strip()
    assert session.goals[0].text == "$x^2$ a day " + RTL
    html_of(page)
    shows(page, SCRIPT, IMG, "Changed session")


def test_cli_edit_and_history_keep_hostile_text_exact_and_print_it_safely(journal_path, run):
    run("log", "--journal", journal_path, "--mood", "3", "--note", "plain")
    code, out, err = run("edit", "1", "--journal", journal_path, "--note", NOTE + ESCAPES, "--tag", TAGS[0],
                         "--tag", TAGS[7])
    assert code == 0, err
    with Journal(journal_path, create=False) as j:
        assert j.rows()[0][6] == NOTE + ESCAPES and j.rows()[0][5] == f"{TAGS[0]}|{TAGS[7]}"
    for argv in (["entries"], ["history", "1"]):
        code, out, _ = run(*argv, "--journal", journal_path)
        assert code == 0 and RAW_CONTROL.search(out.replace("\n", "")) is None
        assert SCRIPT in out and shown(ESCAPES) in out
