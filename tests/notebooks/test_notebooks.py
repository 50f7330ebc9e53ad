"""The notebooks run top to bottom, and what a reader sees is checked: their printouts and their charts.

Committed notebooks carry no outputs (outputs can hold personal data). Each is run once, in a kernel on the demo
journal (nbclient, as JupyterLab's "Run all" does; a cell that raises fails the run), and the tests read the
outputs of that one run: the cells in :data:`EXPECTED` must print exactly their text, and every chart cell must
show one picture with alt text.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
DEMO_SUMMARY = ("280 entries on 160 days from 2026-03-02 to 2026-08-28, mean mood 3.2 of 5; "
                "stage 5 (No news is good news) since 2026-07-20\n")

#: notebook -> {cell id: the stdout that cell prints on the demo journal}
EXPECTED: dict[str, dict[str, str]] = {
    "00_start_here.ipynb": {"00-08": DEMO_SUMMARY},
    "01_check_up.ipynb": {
        "01-04": "- You are not sure who you are without them.\n"
                 "- What you miss most is the familiar routine you shared.\n"
                 "- You are afraid you will never find anyone else.\n"
                 "- You expect getting back together to fix all your problems.\n",
    },
    "02_stages.ipynb": {
        "02-04": "".join(f"{n}. {name}\n" for n, name in enumerate(
            ["Bubble space", "Defining yourself without them", "Dip a toe in the water", "The reboot date",
             "No news is good news", "A whole new you two", "Redefining love"], start=1)),
        "02-05": DEMO_SUMMARY,
    },
    "04_wellbeing.ipynb": {"04-04": "raw score 10 of 25: 40 out of 100\nflag: poor wellbeing\n"},
    "06_moving_forward.ipynb": {
        "06-04": "I feel hurt when you cancel our plans at the last minute, and I would like us to agree on a time "
                 "the day before.\n",
        "06-06": "option: Carry on as now for a while\noption: Part for good\n"
                 "option: All in for a set time, then review\n"
                 "question: Do I know the options, and what is good and bad about each?\n"
                 "question: Am I clear about what matters most to me?\n"
                 "question: Do I have enough support and advice to make this choice?\n"
                 "question: Do I feel sure about what is best for me?\n",
    },
    "05_therapist_session.ipynb": {
        "05-03": DEMO_SUMMARY,
        "05-07": "Progress on 3 goals, each rated 0-10, in 4 sessions from 7 April 2026 to 11 August 2026. "
                 "'Sleep before midnight': 3 to 7 (up) over 4 ratings. 'Evenings without checking their "
                 "profile': 2 to 8 (up) over 4 ratings. 'Keep the Thursday class': 6 to 8 (up) over 3 ratings.\n",
        "05-09": "Overview\nSessions and goals\nCharts\nStage summary\nInsights: what goes with your better days\n"
                 "Agreements and check-ins\nRed flags raised\n"
                 "Decisions\nMoving forward\nSession 1 · Tue 7 Apr 2026\n"
                 "Session 2 · Tue 19 May 2026\nSession 3 · Tue 30 Jun 2026\nSession 4 · Tue 11 Aug 2026\n",
    },
}


@pytest.fixture(scope="module")
def notebook_env(tmp_path_factory):
    folder = tmp_path_factory.mktemp("notebooks")
    journal = folder / "demo.sqlite"
    subprocess.run([sys.executable, "-m", "rekindle_widgets.cli", "demo", "--journal", str(journal)],
                   check=True, capture_output=True)
    env = {**os.environ, "REKINDLE_JOURNAL": str(journal), "REKINDLE_HOME": str(folder / "home"),
           "MPLBACKEND": "agg"}
    return folder, env


@pytest.fixture(scope="module")
def executed(notebook_env) -> dict:
    """notebook name -> the notebook after one run top to bottom (every cell's outputs)."""
    folder, env = notebook_env
    return {nb.name: _run(nb, env, folder) for nb in NOTEBOOKS}


def _stdout(cell) -> str:
    return "".join(o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stdout")


def test_there_are_the_seven_workbook_notebooks():
    assert [p.name for p in NOTEBOOKS] == ["00_start_here.ipynb", "01_check_up.ipynb", "02_stages.ipynb",
                                           "03_mood_log.ipynb", "04_wellbeing.ipynb",
                                           "05_therapist_session.ipynb", "06_moving_forward.ipynb"]


@pytest.mark.slow(60)
def test_every_notebook_runs_and_prints_what_it_should(executed):
    for nb in NOTEBOOKS:
        doc = executed[nb.name]
        cells = {cell.id: cell for cell in doc.cells}
        expected = EXPECTED.get(nb.name, {})
        assert set(expected) <= set(cells), f"{nb.name}: expected outputs name cells that do not exist"
        for cell_id, text in expected.items():
            assert _stdout(cells[cell_id]) == text, f"{nb.name} {cell_id}"
        code = [cell for cell in doc.cells if cell.cell_type == "code"]
        assert code and all(cell.execution_count for cell in code), f"{nb.name}: a cell did not run"
        assert not [o for cell in code for o in cell.outputs if o.output_type == "error"], nb.name


# --------------------------------------------------------------------------
# Charts show where they are drawn: every chart cell carries a picture
# --------------------------------------------------------------------------

def _chart_kinds() -> tuple[str, ...]:
    from rekindle_widgets.charts.kinds import REGISTRY

    return tuple(REGISTRY)


def _readme_charts() -> dict[str, set[str]]:
    """notebook -> the chart kinds README's workbook table says it shows (its third column)."""
    import re

    rows = {}
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and re.fullmatch(r"`\d\d_\w+`", cells[0]):
            named = set(re.findall(r"`(\w+)`", cells[2]))
            rows[cells[0].strip("`") + ".ipynb"] = named & set(_chart_kinds())
    return rows


def _drawn(source: str) -> set[str]:
    import re

    return set(re.findall(rf"\bcharts\.({'|'.join(_chart_kinds())})\(", source))


def _run(path: Path, env: dict[str, str], cwd: Path):
    import nbclient
    import nbformat

    doc = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(doc, timeout=180, kernel_name="python3",
                                     resources={"metadata": {"path": str(cwd)}})
    old = dict(os.environ)
    os.environ.update(env)  # the kernel inherits this process's environment: the demo journal
    try:
        client.execute()
    finally:
        os.environ.clear()
        os.environ.update(old)
    return doc


@pytest.mark.slow
def test_every_chart_cell_shows_a_picture_with_alt_text_and_the_readme_names_them(executed, tmp_path):
    import base64
    import re

    readme = _readme_charts()
    assert set(readme) == {p.name for p in NOTEBOOKS}, "README's workbook table lists every notebook"
    pictures = tmp_path / "pictures"
    pictures.mkdir()
    for nb in NOTEBOOKS:
        doc = executed[nb.name]
        shown: set[str] = set()
        for cell in doc.cells:
            kinds = _drawn(cell.source) if cell.cell_type == "code" else set()
            if not kinds:
                continue
            rich = [o for o in cell.outputs if o.output_type in ("execute_result", "display_data")]
            assert len(rich) == 1, f"{nb.name} {cell.id}: one picture, not {len(rich)}"
            data = rich[0]["data"]
            png = base64.b64decode(data["image/png"])
            assert png.startswith(b"\x89PNG") and len(png) > 10_000, f"{nb.name} {cell.id}: a real picture"
            alt = re.search(r'<img [^>]*alt="([^"]+)"', data["text/html"])
            assert alt and len(alt.group(1)) > 40, f"{nb.name} {cell.id}: the picture says what it shows"
            (pictures / f"{nb.stem}-{cell.id}.png").write_bytes(png)
            shown |= kinds
        said = readme[nb.name]
        assert shown == said, f"{nb.name} draws {sorted(shown)}; README says {sorted(said)}"
    assert len(list(pictures.iterdir())) == 9
