"""`rekindle app`: the workbook as a code-free web app, served by Voila on this computer only.

Only the person who started it gets in: the server (``rekindle_widgets.server.appserver``)
wants a random token, which is part of the address printed and opened, and
answers only to requests for 127.0.0.1, localhost or [::1] with its own port.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
from importlib import resources
from pathlib import Path

from ..errors import RekindleError

DEFAULT_PORT = 8866


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def choose_port(port: int | None) -> int:
    """The asked-for port if free (else an error), or the first free one from 8866."""
    if port is not None:
        if not 1024 <= port <= 65535:
            raise RekindleError(f"--port must be from 1024 to 65535, not {port}")
        if not _port_free(port):
            raise RekindleError(f"port {port} on 127.0.0.1 is already in use; choose another with --port")
        return port
    for candidate in range(DEFAULT_PORT, DEFAULT_PORT + 50):
        if _port_free(candidate):
            return candidate
    raise RekindleError(f"no free port from {DEFAULT_PORT} to {DEFAULT_PORT + 49}; give one with --port")


#: one kernel kept ready (Voila's preheated kernels): started, with the app's modules imported, before the page
#: is asked for; the journal is opened and the app built only when a page takes it (server/app.ipynb waits for
#: the request), so nothing of the journal is in memory before a visit. The next one is started as soon as a page
#: takes it: Voila hands the next page the pool's kernel even while that kernel still waits out a fill delay (its
#: task is awaited whole), so a delay would hold up a page opened soon after. A quick exit's lock stops it
#: (appserver.py), and none is made again until the server restarts. Standalone Voila only: Binder and the
#: practice hub run Voila inside a Jupyter server, which has no kernel pool. Measured as benchmark P6.
#: ``$REKINDLE_KEPT_KERNELS`` (0 to 4) changes the number: 0 on a computer short of memory (a kernel is about
#: 100 MB), and in the tests that do not test it (each page taken starts another kernel).
KEPT_KERNELS = 1
KEPT_KERNELS_ENV = "REKINDLE_KEPT_KERNELS"


def kept_kernels() -> int:
    """How many kernels ``rekindle app`` keeps ready: ``$REKINDLE_KEPT_KERNELS`` (0 to 4), else :data:`KEPT_KERNELS`."""
    given = os.environ.get(KEPT_KERNELS_ENV, "").strip()
    if not given:
        return KEPT_KERNELS
    if not (given.isascii() and given.isdigit()) or int(given) > 4:
        raise RekindleError(f"{KEPT_KERNELS_ENV} must be a whole number from 0 to 4, not {given[:20]!r}")
    return int(given)


def preheat(kept: int) -> list[str]:
    """Voila's options that keep ``kept`` kernels ready (none for 0)."""
    if not kept:
        return []
    return ["--VoilaConfiguration.preheat_kernel=True",
            f'--VoilaKernelManager.kernel_pools_config={{"default": {{"pool_size": {kept}}}}}',
            "--VoilaKernelManager.fill_delay=0"]


def voila_command(notebook: Path, port: int, *, browser: bool, kept: int = KEPT_KERNELS) -> list[str]:
    """The server's command line: no secret in it (the token travels in ``$JUPYTER_TOKEN``)."""
    cmd = [sys.executable, "-m", "rekindle_widgets.server.appserver", str(notebook), f"--port={port}",
           "--Voila.ip=127.0.0.1", "--Voila.port_retries=0", "--token",
           # the login form must not offer to save a password into ~/.jupyter: the token is the only way in
           "--PasswordIdentityProvider.allow_password_change=False", "--strip_sources=True",
           "--show_tracebacks=False", "--theme=light"]
    # kernels talk over Unix sockets: server/jupyter_config/voila.py (read by Binder's server too)
    cmd += preheat(kept)
    if not browser:
        cmd.append("--no-browser")
    return cmd


def app_url(port: int, token: str) -> str:
    """The address that opens the app: with the token, as Jupyter prints its own."""
    return f"http://127.0.0.1:{port}/?token={token}"


def cmd_app(args: argparse.Namespace) -> None:
    from ..model.scorer import quick_exit_url
    from ..server.appserver import OPEN_FILE_ENV
    from .common import open_journal

    quick_exit_url()  # a bad REKINDLE_EXIT_URL is an error now, not a broken link in the page
    kept = kept_kernels()  # and a bad REKINDLE_KEPT_KERNELS
    with open_journal(args) as journal:  # create it now: a bad path fails here, not in the page
        path = journal.path.resolve()
    port = choose_port(args.port)
    notebook = Path(str(resources.files("rekindle_widgets.server") / "app.ipynb"))
    token = secrets.token_hex(24)
    env = dict(os.environ, REKINDLE_JOURNAL=str(path), JUPYTER_TOKEN=token)
    # the page the browser is sent to carries the token: made here (0600), so that it is removed below however
    # the server stops, killed after a slow shutdown included
    fd, open_file = tempfile.mkstemp(prefix="rekindle-open-", suffix=".html")
    os.close(fd)
    env[OPEN_FILE_ENV] = open_file
    print(f"Rekindle is running at {app_url(port, token)} with journal {path} (Ctrl-C to stop)", flush=True)
    try:
        _serve(voila_command(notebook, port, browser=not args.no_browser, kept=kept), env)
    finally:
        Path(open_file).unlink(missing_ok=True)


def _serve(argv: list[str], env: dict[str, str]) -> None:
    """Run the server until it stops, or until Ctrl-C or a SIGTERM stops this command (the server with it)."""

    def stop(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt  # `kill` or a service manager stops the app as Ctrl-C does, server included

    # Ctrl-C stops the app even when whatever started it ignored Ctrl-C (a parent that ignores SIGINT passes
    # that on: Jupyter's own kernels and launchers do), and the server started below then hears it too (a
    # handled signal is reset for a new program; an ignored one would stay ignored, and the server would
    # have to be killed, its token page left behind: seen in the test suite)
    previous_int = signal.signal(signal.SIGINT, signal.default_int_handler)
    previous = signal.signal(signal.SIGTERM, stop)
    proc = subprocess.Popen(argv, env=env)
    try:
        proc.wait()
    except KeyboardInterrupt:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        return
    finally:
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, previous_int)
    if proc.returncode not in (0, -signal.SIGINT, 130):
        raise RekindleError(f"the app server stopped with status {proc.returncode}; see the messages above")


def register(command) -> None:
    p = command("app", cmd_app, "open the workbook as an app in your browser (Voila, this computer only)")
    p.add_argument("--port", type=int, help=f"port on 127.0.0.1 (default: {DEFAULT_PORT} or the next free one)")
    p.add_argument("--no-browser", action="store_true", help="print the address instead of opening a browser")
