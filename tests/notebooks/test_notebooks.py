"""The notebooks run top to bottom (nbval), and their deterministic printouts are checked.

Committed notebooks carry no outputs (outputs can hold personal data), so
``--nbval-lax`` on them alone would assert only that every cell runs. To
assert what a reader sees too, this test runs copies in which the cells
listed in :data:`EXPECTED` are marked ``nbval-check-output`` and given the
output they must print for the demo journal.
"""

from __future__ import annotations

import json
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
        "05-09": "Overview\nSessions and goals\nCharts\nStage summary\nAgreements and check-ins\nRed flags raised\n"
                 "Decisions\nMoving forward\nSession 1 · Tue 7 Apr 2026\n"
                 "Session 2 · Tue 19 May 2026\nSession 3 · Tue 30 Jun 2026\nSession 4 · Tue 11 Aug 2026\n",
    },
}


def _checked_copy(source: Path, target: Path, expected: dict[str, str]) -> None:
    doc = json.loads(source.read_text(encoding="utf-8"))
    ids = {cell["id"] for cell in doc["cells"]}
    assert set(expected) <= ids, f"{source.name}: expected outputs name cells that do not exist"
    for cell in doc["cells"]:
        if cell["id"] in expected:
            cell["metadata"]["tags"] = ["nbval-check-output"]
            cell["execution_count"] = 1
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": expected[cell["id"]]}]
    target.write_text(json.dumps(doc), encoding="utf-8")


@pytest.fixture(scope="module")
def notebook_env(tmp_path_factory):
    folder = tmp_path_factory.mktemp("notebooks")
    journal = folder / "demo.sqlite"
    subprocess.run([sys.executable, "-m", "rekindle_widgets.cli", "demo", "--journal", str(journal)],
                   check=True, capture_output=True)
    env = {**os.environ, "REKINDLE_JOURNAL": str(journal), "REKINDLE_HOME": str(folder / "home"),
           "MPLBACKEND": "agg"}
    return folder, env


def _nbval(paths: list[Path], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax", "--nbval-current-env",
         "--nbval-cell-timeout=120", "-o", "addopts=", "-o", "testpaths=", *map(str, paths)],
        capture_output=True, text=True, env=env, cwd=cwd, check=False)


def test_there_are_the_seven_workbook_notebooks():
    assert [p.name for p in NOTEBOOKS] == ["00_start_here.ipynb", "01_check_up.ipynb", "02_stages.ipynb",
                                           "03_mood_log.ipynb", "04_wellbeing.ipynb",
                                           "05_therapist_session.ipynb", "06_moving_forward.ipynb"]


@pytest.mark.slow
def test_every_notebook_runs_and_prints_what_it_should(notebook_env):
    folder, env = notebook_env
    copies = []
    for nb in NOTEBOOKS:
        copy = folder / nb.name
        _checked_copy(nb, copy, EXPECTED.get(nb.name, {}))
        copies.append(copy)
    run = _nbval(copies, env, folder)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    cells = sum(1 for nb in NOTEBOOKS for c in json.loads(nb.read_text())["cells"] if c["cell_type"] == "code")
    assert f"{cells} passed" in run.stdout


@pytest.mark.slow
def test_the_moving_forward_notebook_runs_and_prints_its_sentence_and_options(notebook_env):
    """Notebook 06 alone under nbval, its two printing cells checked (a quicker run than all seven)."""
    folder, env = notebook_env
    source = ROOT / "notebooks" / "06_moving_forward.ipynb"
    copy = folder / "06_checked.ipynb"
    _checked_copy(source, copy, EXPECTED["06_moving_forward.ipynb"])
    run = _nbval([copy], env, folder)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "5 passed" in run.stdout
    _checked_copy(source, copy, {"06-04": EXPECTED["06_moving_forward.ipynb"]["06-04"].replace("hurt", "sad")})
    assert _nbval([copy], env, folder).returncode != 0  # a different sentence fails: the check has teeth


@pytest.mark.slow
def test_a_wrong_expected_output_fails(notebook_env):
    """The check has teeth: a summary that does not match the journal fails the run."""
    folder, env = notebook_env
    source = ROOT / "notebooks" / "02_stages.ipynb"
    copy = folder / "wrong.ipynb"
    _checked_copy(source, copy, {"02-05": DEMO_SUMMARY.replace("280 entries", "281 entries")})
    run = _nbval([copy], env, folder)
    assert run.returncode != 0
    assert "1 failed" in run.stdout


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
def test_every_chart_cell_shows_a_picture_with_alt_text_and_the_readme_names_them(notebook_env, tmp_path):
    import base64
    import re

    folder, env = notebook_env
    readme = _readme_charts()
    assert set(readme) == {p.name for p in NOTEBOOKS}, "README's workbook table lists every notebook"
    pictures = tmp_path / "pictures"
    pictures.mkdir()
    for nb in NOTEBOOKS:
        doc = _run(nb, env, folder)
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
    assert len(list(pictures.iterdir())) == 8
