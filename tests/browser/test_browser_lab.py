"""JupyterLab in a real browser: each notebook opens, runs all cells, and every widget renders.

Every page also records each request it makes and fails on any that would
leave the computer, and the safety panel's quick exit leaves JupyterLab as it
leaves the app: the page is replaced, Back does not return, the keys work.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from ..servers import ExitPage, Server, free_port, off_computer, screenshot

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: cells in each notebook whose output is a widget (at least this many must render)
WIDGET_OUTPUTS = {"00_start_here.ipynb": 4, "01_check_up.ipynb": 1, "02_stages.ipynb": 1,
                  "03_mood_log.ipynb": 1, "04_wellbeing.ipynb": 1}
TIMEOUT = 120_000


@pytest.fixture(scope="module")
def exit_page():
    neutral = ExitPage()
    yield neutral
    neutral.stop()


@pytest.fixture(scope="module")
def lab(tmp_path_factory, exit_page):
    folder = tmp_path_factory.mktemp("lab")
    work = folder / "notebooks"
    work.mkdir()
    for nb in NOTEBOOKS:
        shutil.copy(nb, work / nb.name)
    journal = folder / "demo.sqlite"
    from rekindle_widgets.cli import main

    assert main(["demo", "--journal", str(journal)]) == 0
    port = free_port()
    argv = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
            "--IdentityProvider.token=", "--ServerApp.password=", f"--ServerApp.root_dir={work}",
            "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--allow-root"]
    server = Server(argv, f"http://127.0.0.1:{port}/lab",
                    env={"REKINDLE_JOURNAL": str(journal), "REKINDLE_HOME": str(folder / "home"),
                     "REKINDLE_EXIT_URL": exit_page.url,
                         "JUPYTER_CONFIG_DIR": str(folder / "jupyter-config")},
                    log=folder / "lab.log")
    yield server, port
    server.stop()


def run_all(page, port: int, notebook: str, workspace: str | None = None) -> None:
    """Open ``notebook`` in a workspace of its own and run all its cells, as a person would.

    ``workspace`` names the workspace (and the screenshot): by default the notebook's name.
    """
    workspace = workspace or Path(notebook).stem
    # a workspace of its own, reset: only this notebook is open
    page.goto(f"http://127.0.0.1:{port}/lab/workspaces/{workspace}/tree/{notebook}?reset", timeout=TIMEOUT)
    page.locator(".jp-Notebook").first.wait_for(timeout=TIMEOUT)
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(timeout=TIMEOUT)
    page.get_by_text(re.compile(r"Python 3 \(ipykernel\) \| Idle")).first.wait_for(timeout=TIMEOUT)
    for _attempt in range(3):  # a Run All sent before the kernel session is attached is dropped: retry
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.locator("li[data-command='runmenu:run-all']").click()
        try:
            page.wait_for_function(
                "() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-InputPrompt')]"
                ".some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))", timeout=20_000)
            break
        except PlaywrightTimeout:
            continue
    try:
        page.wait_for_function(
            "() => { const ps = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) "
        ".jp-CodeCell .jp-InputPrompt')];"
            " return ps.length && ps.every(p => /\\[\\d+\\]/.test(p.textContent)); }", timeout=TIMEOUT)
    finally:
        screenshot(page, f"lab-{workspace}-ran")


@pytest.mark.parametrize("notebook", [nb.name for nb in NOTEBOOKS])
def test_notebook_runs_in_jupyterlab_and_its_widgets_render(page, lab, notebook):
    _server, port = lab
    run_all(page, port, notebook)
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(timeout=TIMEOUT)
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    outputs_with_widgets = panel.locator(".jp-OutputArea-output:has(.jupyter-widgets)")
    outputs_with_widgets.first.wait_for(timeout=TIMEOUT)
    page.wait_for_timeout(1000)
    assert outputs_with_widgets.count() >= WIDGET_OUTPUTS.get(notebook, 1)
    assert panel.get_by_text("Error displaying widget").count() == 0
    assert panel.get_by_text(re.compile("Traceback|Model not found")).count() == 0
    assert not [e for e in page.errors if "widget" in e.lower()], page.errors
    # every chart cell shows its chart as a picture with alt text (rich display of the Axes it returns)
    cells = json.loads((ROOT / "notebooks" / notebook).read_text(encoding="utf-8"))["cells"]
    from rekindle_widgets.charts.kinds import REGISTRY

    chart_cells = sum(1 for c in cells if c["cell_type"] == "code" and re.search(
        rf"\bcharts\.({'|'.join(REGISTRY)})\(", "".join(c["source"])))
    pictures = panel.locator(".jp-OutputArea-output:not(:has(.jupyter-widgets)) img[alt]")
    assert pictures.count() == chart_cells
    assert all(len(alt) > 40 for alt in pictures.evaluate_all("imgs => imgs.map(i => i.alt)"))
    screenshot(page, f"lab-{Path(notebook).stem}")
    assert off_computer(page.requests) == []  # JupyterLab and the widgets loaded everything from here


@pytest.mark.parametrize("how", ["link", "shift-x3"])
def test_the_safety_panels_quick_exit_leaves_jupyterlab_at_once(page, lab, exit_page, how):
    _, port = lab
    run_all(page, port, "00_start_here.ipynb")
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    link = panel.get_by_role("link", name="Leave this page quickly").first
    link.wait_for(timeout=TIMEOUT)
    page.wait_for_function("() => !!window.rekindleQuickExit", timeout=TIMEOUT)  # installed by the panel
    if how == "link":
        link.click(no_wait_after=True)
    else:
        panel.locator(".jp-OutputArea-output").first.click()  # focus in the notebook, not in a cell editor
        page.keyboard.press("Escape")
        for _ in range(3):
            page.keyboard.press("Shift")
    # the notebook has unsaved outputs, and JupyterLab would ask "leave this page?": the exit skips that
    page.wait_for_url(exit_page.url, timeout=30_000)
    page.get_by_role("heading", name=ExitPage.TITLE).wait_for(timeout=TIMEOUT)
    # Back is not tested here: JupyterLab puts entries of its own in the history (pushState) that a page
    # cannot remove, so Back reopens JupyterLab (the Voila app has no such entries: tests/browser/test_browser.py)
    screenshot(page, f"lab-after-exit-{how}")
    assert off_computer(page.requests) == []
