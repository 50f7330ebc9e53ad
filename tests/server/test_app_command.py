"""`rekindle app` serves the workbook with Voila on 127.0.0.1 and stops cleanly."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from rekindle_widgets.app import PAGES, App

from ..servers import free_port


def test_the_app_widget_builds_every_page(demo_journal):
    app = App(demo_journal, region="UK")
    assert [app.tabs.get_title(i) for i in range(len(app.tabs.children))] == list(PAGES)
    for name in PAGES:
        page = app.show(name)
        assert app.tabs.selected_index == list(PAGES).index(name)
        assert app.tabs.children[list(PAGES).index(name)].children == (page,)
    app.help_button.value = True
    assert "0808 2000 247" in app.help_box.children[0].value  # the UK helpline, from the data
    app.help_button.value = False
    assert app.help_box.children == ()


def test_a_busy_port_is_a_one_line_error(run, journal_path):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        code, _, err = run("app", "--port", port, "--no-browser", "--journal", journal_path)
    assert code == 2
    assert err == f"rekindle: error: port {port} on 127.0.0.1 is already in use; choose another with --port\n"


def _ignore_ctrl_c() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.mark.slow
@pytest.mark.parametrize(("stop", "parent_ignored_it"), [(signal.SIGINT, False), (signal.SIGTERM, False),
                                                         (signal.SIGINT, True)],
                         ids=["ctrl-c", "kill", "ctrl-c-after-a-parent-that-ignores-it"])
def test_rekindle_app_serves_and_stops_with_its_server(demo_journal, stop, parent_ignored_it):
    """Ctrl-C or a kill stops the app and its server; also when whatever started it ignored Ctrl-C (Jupyter's
    kernels and launchers do, and pass it on: the server, ignoring it too, had to be killed after 15 s)."""
    import psutil

    exe = shutil.which("rekindle", path=os.path.dirname(sys.executable))
    port = free_port()
    proc = subprocess.Popen([exe, "app", "--journal", str(demo_journal), "--port", str(port), "--no-browser"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=_ignore_ctrl_c if parent_ignored_it else None)
    started = time.monotonic()
    server: list[psutil.Process] = []
    try:
        first = proc.stdout.readline()
        address = re.match(rf"Rekindle is running at (http://127\.0\.0\.1:{port}/\?token=[0-9a-f]{{48}}) with journal ",
                           first)
        assert address, first
        deadline = time.monotonic() + 90
        import http.cookiejar  # the token's answer is a login cookie and a redirect to the bare address

        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        while True:
            try:
                with browser.open(address.group(1), timeout=60) as response:
                    body = response.read().decode()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.5)
        assert "rekindle_widgets" not in body  # sources stripped: no code on the page
        assert "application/vnd.jupyter.widget-view+json" in body or "widget" in body
        server = psutil.Process(proc.pid).children(recursive=True)
        assert server  # Voila, and the page's kernel
    finally:
        proc.send_signal(stop)
        try:
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == 0
    _, alive = psutil.wait_procs(server, timeout=30)
    assert time.monotonic() - started < 60  # stopped, not waited out and killed
    for orphan in alive:
        orphan.kill()  # so that a failure here leaves nothing running for the next test
    assert alive == []  # the server stopped with the app: nothing left holding the port or the journal
