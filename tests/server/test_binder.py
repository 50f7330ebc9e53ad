"""Binder: the build plan repo2docker makes from binder/, and a simulated build that serves the start page."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from ..servers import Server, free_port, off_computer, screenshot

ROOT = Path(__file__).resolve().parents[2]
BINDER = ROOT / "binder"


def _pins() -> dict[str, str]:
    pins = {}
    for line in (BINDER / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, pinned = line.partition("==")
            assert pinned, f"binder/requirements.txt: {line!r} is not an exact pin (name==version)"
            pins[name.strip()] = pinned.strip()
    return pins


def test_binder_pins_are_exactly_what_the_tests_run_with():
    mismatched = {name: (pinned, version(name)) for name, pinned in _pins().items() if version(name) != pinned}
    assert mismatched == {}
    assert {"jupyterlab", "ipywidgets", "jupyterlab_widgets", "voila", "pandas", "matplotlib"} <= set(_pins())


def test_runtime_names_the_python_ci_uses():
    runtime = (BINDER / "runtime.txt").read_text().strip()
    assert runtime == f"python-{sys.version_info.major}.{sys.version_info.minor}"


def test_post_build_fails_loudly_and_installs_without_deps():
    lines = (BINDER / "postBuild").read_text().splitlines()
    assert lines[0].startswith("#!") and lines[1] == "set -euo pipefail"
    assert "python -m pip install --no-deps ." in lines
    assert os.access(BINDER / "postBuild", os.X_OK) and os.access(BINDER / "start", os.X_OK)


def test_repo2docker_build_plan():
    """What `jupyter-repo2docker --no-build --debug .` plans (no Docker engine needed)."""
    exe = shutil.which("jupyter-repo2docker", path=os.path.dirname(sys.executable))
    assert exe, "jupyter-repo2docker is a test dependency"
    plan = subprocess.run([exe, "--no-build", "--debug", "."], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, check=False)
    text = plan.stdout + plan.stderr
    assert plan.returncode == 0, text[-3000:]
    runtime = (BINDER / "runtime.txt").read_text().strip().removeprefix("python-")
    assert f"python={runtime}" in text
    assert re.search(r'pip install --no-cache-dir -r "binder/requirements\.txt"', text)
    assert "RUN ./binder/postBuild" in text
    assert 'ENV R2D_ENTRYPOINT="${REPO_DIR}/binder/start"' in text


@pytest.mark.slow(100)
def test_simulated_binder_build_serves_the_start_page(tmp_path, page):
    """A fresh environment from binder/ alone, as repo2docker builds it, then the Voila start page."""
    env_dir, home = tmp_path / "env", tmp_path / "home"
    home.mkdir()
    subprocess.run([sys.executable, "-m", "venv", str(env_dir)], check=True)
    bin_dir = env_dir / "bin"
    env = {**os.environ, "HOME": str(home), "PATH": f"{bin_dir}:{os.environ['PATH']}",
           "VIRTUAL_ENV": str(env_dir), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("REKINDLE_HOME", None)
    env.pop("REKINDLE_JOURNAL", None)
    # --no-compile: no .pyc for the ~100 packages up front (a third of the install's time); Python writes those
    # it imports
    install = subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "--no-compile", "-r",
                              str(BINDER / "requirements.txt")], env=env, capture_output=True, text=True,
                             check=False)
    assert install.returncode == 0, install.stderr[-3000:]
    source = tmp_path / "repo"  # repo2docker copies the repository; postBuild runs in it
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".venv", ".git", "artefacts", ".pytest_cache",
                                                                "*.egg-info", "__pycache__", ".demo"))
    build = subprocess.run(["./binder/postBuild"], cwd=source, env=env, capture_output=True, text=True,
                           check=False)
    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
    assert (home / ".local/share/rekindle/demo.sqlite").exists()
    port = free_port()
    argv = ["./binder/start", str(bin_dir / "voila"), "notebooks/00_start_here.ipynb", "--no-browser",
            f"--port={port}", "--Voila.ip=127.0.0.1"]
    server = Server(argv, f"http://127.0.0.1:{port}/", env=env, cwd=source, log=tmp_path / "voila.log")
    try:
        page.goto(server.url, timeout=120_000)
        page.get_by_text("This is a public, temporary Binder session").wait_for(timeout=120_000)
        page.get_by_text("800-799-7233").first.wait_for(timeout=60_000)
        page.get_by_role("button", name="Prepare CSV download").wait_for(timeout=60_000)
        assert page.get_by_text("Error displaying widget").count() == 0
        assert page.get_by_text("280 entries on 160 days").count() == 1  # the demo journal postBuild made
        # binder/start put our Voila template in place: local icons, a neutral title, the quick exit
        assert page.title() == "Notes"
        page.wait_for_function("() => !!window.rekindleQuickExit", timeout=60_000)
        assert any("/voila/templates/rekindle/static/fontawesome/" in u for u in page.requests)
        page.get_by_label("Your region").first.select_option(label="United Kingdom")  # use the page a little
        page.get_by_text("0808 2000 247").first.wait_for(timeout=60_000)
        assert off_computer(page.requests) == []
        screenshot(page, "binder-start")
    finally:
        server.stop()
