"""JupyterLab in a real browser: each notebook opens, runs all cells, and every widget renders."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .servers import Server, free_port, screenshot

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: cells in each notebook whose output is a widget (at least this many must render)
WIDGET_OUTPUTS = {"00_start_here.ipynb": 4, "01_check_up.ipynb": 1, "02_stages.ipynb": 1,
                  "03_mood_log.ipynb": 1, "04_wellbeing.ipynb": 1}
TIMEOUT = 120_000


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
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
                         "JUPYTER_CONFIG_DIR": str(folder / "jupyter-config")},
                    log=folder / "lab.log")
    yield server, port
    server.stop()


@pytest.mark.parametrize("notebook", [nb.name for nb in NOTEBOOKS])
def test_notebook_runs_in_jupyterlab_and_its_widgets_render(page, lab, notebook):
    _server, port = lab
    # a workspace of its own, reset: only this notebook is open
    page.goto(f"http://127.0.0.1:{port}/lab/workspaces/{Path(notebook).stem}/tree/{notebook}?reset",
              timeout=TIMEOUT)
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
        screenshot(page, f"lab-{Path(notebook).stem}-ran")
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
    chart_cells = sum(1 for c in cells if c["cell_type"] == "code" and re.search(
        r"\bcharts\.(timeline|pixels|stages|weekdays|tags|scores|goals)\(", "".join(c["source"])))
    pictures = panel.locator(".jp-OutputArea-output:not(:has(.jupyter-widgets)) img[alt]")
    assert pictures.count() == chart_cells
    assert all(len(alt) > 40 for alt in pictures.evaluate_all("imgs => imgs.map(i => i.alt)"))
    screenshot(page, f"lab-{Path(notebook).stem}")
