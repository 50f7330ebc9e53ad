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
#: Debian's Chromium as the browser tests and benchmarks start it: no background requests, and no name but this
#: computer's resolves, so a page that links something off this computer (plain Voila links FontAwesome from a
#: CDN) fails that request at once instead of waiting on this sandbox's resolver
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost"]
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
    """A server process on 127.0.0.1 that is up once ``url`` answers; stopped with ``stop()``.

    ``url`` may be a pattern instead: the address is then the pattern's first
    group in the server's log (``rekindle app`` prints its address, token included).
    """

    def __init__(self, argv: Sequence[str], url: str | re.Pattern[str], *, env: dict[str, str] | None = None,
                 cwd: Path | None = None, log: Path | None = None, timeout: float = 90):
        self.log = log
        out = open(log, "wb") if log else subprocess.DEVNULL
        self._out = out
        self.proc = subprocess.Popen(list(argv), env={**os.environ, **(env or {})}, cwd=cwd,
                                     stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        self._pattern = url if not isinstance(url, str) else None
        while not isinstance(url, str):
            found = url.search(self.tail(100_000))
            if found:
                url = found.group(1)
            elif self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"server printed no address matching {url.pattern!r}: {self.tail()}")
            else:
                time.sleep(0.1)
        self._url = url
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}: {self.tail()}")
            try:  # up once the bare address answers (the address with a token would use the token up)
                with urllib.request.urlopen(url.split("?", 1)[0], timeout=5) as response:
                    if response.status < 500:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"server at {url} did not answer within {timeout}s: {self.tail()}")
            time.sleep(0.2)

    @property
    def url(self) -> str:
        """The address to open: the one the server printed last (a quick exit locks the app, and the
        server prints the address with a new token), or the one it was started at."""
        if self._pattern is not None:
            found = self._pattern.findall(self.tail(1_000_000))
            if found:
                return found[-1]
        return self._url

    @property
    def locks(self) -> int:
        """How many times a quick exit has locked the app (each prints the address to open it again)."""
        return self.tail(1_000_000).count("Rekindle was locked by a quick exit")

    def wait_locked(self, before: int, timeout: float = 15) -> None:
        """Wait until the app has been locked once more than ``before`` times (the quick exit's beacon)."""
        deadline = time.monotonic() + timeout
        while self.locks <= before:
            if time.monotonic() > deadline:
                raise AssertionError(f"the quick exit did not lock the app within {timeout}s: {self.tail()}")
            time.sleep(0.1)

    def kernels(self) -> list:
        """The server's running kernels: ipykernel processes under its process tree (psutil.Process each)."""
        import psutil

        try:
            tree = psutil.Process(self.proc.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []
        found = []
        for proc in tree:
            try:
                if "ipykernel_launcher" in " ".join(proc.cmdline()) and proc.status() != psutil.STATUS_ZOMBIE:
                    found.append(proc)
            except psutil.NoSuchProcess:
                continue
        return found

    def tail(self, n: int = 2000) -> str:
        if self.log and self.log.exists():
            return self.log.read_text(errors="replace")[-n:]
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
    """Plain Voila on a free port. The port is free when chosen, but a kernel's socket may take it before Voila
    binds it: Voila then fails at once (port_retries=0; by default it moved to another port while the test
    went on talking to the old one) and the next free port is tried."""
    for attempt in range(3):
        port = free_port()
        argv = [python, "-m", "voila", str(notebook), "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1",
                "--Voila.port_retries=0", "--strip_sources=True", "--theme=light",
                "--KernelManager.transport=ipc"]  # as `rekindle app` runs it: no kernel port to race for
        try:
            return Server(argv, f"http://127.0.0.1:{port}/", env=env, log=log, cwd=notebook.parent)
        except RuntimeError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


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


APP = Path(__file__).resolve().parents[1] / "rekindle_widgets" / "server" / "app.ipynb"
#: the address ``rekindle app`` prints, token included
APP_ADDRESS = re.compile(r"(?:Rekindle is running at|To open it again:) (http://127\.0\.0\.1:\d+/\?token=[0-9a-f]+)")


def rekindle_app(journal: Path, *, env: dict[str, str], log: Path, python: str = sys.executable,
                 cwd: Path | None = None) -> Server:
    """``rekindle app --no-browser`` as a person runs it (in ``cwd``, else here); ``server.url`` is the address
    it printed."""
    argv = [python, "-m", "rekindle_widgets.cli", "app", "--journal", str(journal), "--port", str(free_port()),
            "--no-browser"]
    # no kernel kept ready unless the test asks (REKINDLE_KEPT_KERNELS=1, as `rekindle app` runs by default): each
    # page taken would start another, and the suite opens hundreds (test_browser_kernels and _leaving ask)
    return Server(argv, APP_ADDRESS, env={"REKINDLE_KEPT_KERNELS": "0", **env}, log=log, cwd=cwd)


class ExitPage:
    """A neutral page on 127.0.0.1 for ``REKINDLE_EXIT_URL``: the quick exit's target in the tests."""

    TITLE = "Weather today"

    def __init__(self):
        import http.server
        import threading

        body = f"<!DOCTYPE html><title>{self.TITLE}</title><h1>{self.TITLE}</h1><p>Sunny spells.</p>".encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/weather"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def demo_app(folder: Path, *, cwd: Path | None = None, **env: str) -> tuple[Server, Path]:
    """``rekindle app`` on a fresh demo journal in ``folder`` (run in ``cwd``; extra environment in ``env``)."""
    from rekindle_widgets.cli import main

    journal = folder / "demo.sqlite"
    assert main(["demo", "--journal", str(journal)]) == 0
    env = {"REKINDLE_HOME": str(folder / "home"), "REKINDLE_REGION": "US", **env}
    return rekindle_app(journal, env=env, log=folder / "app.log", cwd=cwd), journal


LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def record_requests(context, page) -> list[str]:
    """Every URL ``page`` (and anything else in ``context``) asks for, websockets included, from now on."""
    seen: list[str] = []
    context.on("request", lambda request: seen.append(request.url))
    page.on("websocket", lambda ws: seen.append(ws.url))
    return seen


def off_computer(urls: Sequence[str]) -> list[str]:
    """The URLs among ``urls`` that would leave this computer (http, https, ws, wss to a non-loopback host)."""
    from urllib.parse import urlsplit

    return [u for u in urls if urlsplit(u).scheme in ("http", "https", "ws", "wss")
            and (urlsplit(u).hostname or "") not in LOOPBACK]
