"""Privacy: nothing leaves the machine, files are private, notebooks carry no outputs."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_outbound_connections_are_blocked_during_the_suite():
    """The guard the whole suite runs under (pyproject addopts): only loopback is reachable."""
    with pytest.warns(UserWarning, match="93.184.216.34"), pytest.raises(Exception, match="(?i)socket|host"):
        socket.create_connection(("93.184.216.34", 80), timeout=1)


def test_the_package_opens_no_socket_while_working(tmp_path):
    """Run demo, export, summary with socket creation itself made fatal."""
    script = f"""
import socket
def refuse(*a, **k):
    raise SystemExit("rekindle tried to open a network socket")
socket.socket = refuse
socket.create_connection = refuse
from rekindle_widgets.cli import main
for argv in (["demo"], ["export", "-o", {str(tmp_path / 'e.csv')!r}], ["summary"], ["export", "--format", "json"]):
    assert main(argv + ["--journal", {str(tmp_path / 'j.sqlite')!r}]) == 0
"""
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr[-2000:]


def test_exports_are_private_even_with_a_permissive_umask(tmp_path, run, demo_journal):
    old = os.umask(0)
    try:
        assert run("export", "-o", tmp_path / "out.csv", "--journal", demo_journal)[0] == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out.csv").stat().st_mode) == 0o600


def test_committed_notebooks_have_no_outputs():
    notebooks = [p for p in (ROOT / "notebooks").glob("**/*.ipynb") if ".ipynb_checkpoints" not in p.parts]
    notebooks.append(ROOT / "rekindle_widgets" / "server" / "app.ipynb")
    with_outputs = []
    for nb in notebooks:
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        if any(c.get("outputs") or c.get("execution_count") for c in cells if c["cell_type"] == "code"):
            with_outputs.append(nb.name)
    assert with_outputs == [], "strip outputs before committing (they can carry personal data)"
