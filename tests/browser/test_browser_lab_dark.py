"""JupyterLab's dark theme: the start notebook's widgets, HTML panels and charts stay legible.

Lab starts with its theme set to "JupyterLab Dark" through a settings folder
of its own (JUPYTERLAB_SETTINGS_DIR); the notebook runs, its text colours are
read from the page and compared with what is behind them (WCAG contrast), and
a screenshot is saved as artefacts/screenshots/lab-dark-*.png.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from ..a11y import illegible
from ..servers import Server, free_port, screenshot
from .test_browser_lab import run_all

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 120_000
NOTEBOOKS = ["00_start_here.ipynb", "03_mood_log.ipynb"]


@pytest.fixture(scope="module")
def dark_lab(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lab-dark")
    work = folder / "notebooks"
    work.mkdir()
    for name in NOTEBOOKS:
        shutil.copy(ROOT / "notebooks" / name, work / name)
    settings = folder / "lab-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "themes.jupyterlab-settings").write_text(json.dumps({"theme": "JupyterLab Dark"}))
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
                         "REKINDLE_REGION": "US", "JUPYTER_CONFIG_DIR": str(folder / "jupyter-config"),
                         "JUPYTERLAB_SETTINGS_DIR": str(folder / "lab-settings")},
                    log=folder / "lab.log")
    yield port
    server.stop()


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_widgets_and_charts_are_legible_in_the_dark_theme(page, dark_lab, notebook):
    run_all(page, dark_lab, notebook, workspace=f"dark-{Path(notebook).stem}")
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jupyter-widgets").filter(visible=True).first.wait_for(
        timeout=TIMEOUT)
    page.wait_for_timeout(1500)
    assert page.evaluate("() => document.body.dataset.jpThemeLight") == "false"  # the dark theme is on
    panel = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output .jupyter-widgets"
    screenshot(page, f"lab-dark-{Path(notebook).stem}")
    # every piece of text in the widgets' output, against what is behind it
    assert not illegible(page, panel), "\n".join(illegible(page, panel))
    # charts keep their own light background, with a border that sets them off the dark page
    charts = page.locator(f"{panel} img[alt]")
    for i in range(charts.count()):
        style = charts.nth(i).evaluate("e => { const c = getComputedStyle(e); return [c.borderTopStyle,"
                                       " c.backgroundColor]; }")
        assert style[0] != "none", f"chart {i} has no border on the dark page"
