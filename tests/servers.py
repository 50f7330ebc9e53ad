"""Real servers and a real browser for the tests: Voila/JupyterLab on 127.0.0.1, Debian's Chromium.

Playwright drives /usr/bin/chromium (Playwright's own browser download cannot
work here). In CI a missing Chromium is a failure, elsewhere a skip.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTEFACTS = Path(__file__).resolve().parents[1] / "artefacts"


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is missing: .ci/run installs it with apt-get")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A server process on 127.0.0.1 that is up once ``url`` answers; stopped with ``stop()``."""

    def __init__(self, argv: Sequence[str], url: str, *, env: dict[str, str] | None = None,
                 cwd: Path | None = None, log: Path | None = None, timeout: float = 90):
        self.url = url
        self.log = log
        out = open(log, "wb") if log else subprocess.DEVNULL
        self._out = out
        self.proc = subprocess.Popen(list(argv), env={**os.environ, **(env or {})}, cwd=cwd,
                                     stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}: {self.tail()}")
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status < 500:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"server at {url} did not answer within {timeout}s: {self.tail()}")
            time.sleep(0.2)

    def tail(self) -> str:
        if self.log and self.log.exists():
            return self.log.read_text(errors="replace")[-2000:]
        return ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self._out is not subprocess.DEVNULL:
            self._out.close()


def voila(notebook: Path, *, env: dict[str, str], log: Path, python: str = sys.executable) -> Server:
    port = free_port()
    argv = [python, "-m", "voila", str(notebook), "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1",
            "--strip_sources=True", "--theme=light"]
    return Server(argv, f"http://127.0.0.1:{port}/", env=env, log=log, cwd=notebook.parent)


def screenshot(page, name: str) -> Path:
    ARTEFACTS.mkdir(exist_ok=True)
    path = ARTEFACTS / "screenshots" / f"{name}.png"
    path.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


def download(page, button: str, link: re.Pattern[str], *, timeout: float = 60_000) -> str:
    """Press ``button``, wait for the download link it makes, click it: the file's text, as a person gets it."""
    page.get_by_role("button", name=button).click()
    found = page.get_by_role("link", name=link)
    found.wait_for(timeout=timeout)
    with page.expect_download() as info:
        found.click()
    return Path(info.value.path()).read_text(encoding="utf-8")


APP = Path(__file__).resolve().parents[1] / "rekindle_widgets" / "app.ipynb"


def demo_app(folder: Path, **env: str) -> tuple[Server, Path]:
    """The Voila app on a fresh demo journal in ``folder`` (extra environment in ``env``)."""
    from rekindle_widgets.cli import main

    journal = folder / "demo.sqlite"
    assert main(["demo", "--journal", str(journal)]) == 0
    env = {"REKINDLE_JOURNAL": str(journal), "REKINDLE_HOME": str(folder / "home"), "REKINDLE_REGION": "US",
           **env}
    return voila(APP, env=env, log=folder / "voila.log"), journal
