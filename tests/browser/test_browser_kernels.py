"""Pages that end free their kernels: a page closed on a computer (its "beforeunload" beacon) at once, a page a
phone drops without a word (no beacon: the tab is discarded, the browser killed) within a minute.

Before (issue 24): Voila's beacon was refused for want of an XSRF cookie and nothing culled idle kernels, so
13 page loads left 13 kernels of 60-150 MB each running until the server stopped.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from rekindle_widgets.cli.app import KEPT_KERNELS

from ..servers import demo_app

pytestmark = pytest.mark.slow(40)
TIMEOUT = 60_000
#: the culler's settings for this test, in a voila.json where the app runs, which Voila reads before its own
#: (jupyter_config/voila.json: 45 idle seconds, checked every 10; tests/server/test_local_app.py checks those):
#: the same culling, a third as long to wait for. Kept well above a page's load, so no loading page is culled.
CULL = {"cull_idle_timeout": 15, "cull_interval": 3, "cull_connected": False}
CULLED_WITHIN = CULL["cull_idle_timeout"] + CULL["cull_interval"]
PAGES = 5  # dropped, then as many closed: ten pages that end (issue 24)


def _open(context, url: str):
    page = context.new_page()
    page.goto(url, timeout=TIMEOUT)
    page.get_by_text("Ways through the workbook").wait_for(timeout=TIMEOUT)  # the page's kernel ran the app
    return page


def test_opened_and_closed_pages_leave_no_kernel_behind(browser, tmp_path):
    config = tmp_path / "jupyter-config"
    config.mkdir()
    (config / "voila.json").write_text(json.dumps({"MappingKernelManager": CULL}))
    server, journal = demo_app(tmp_path, cwd=config, REKINDLE_KEPT_KERNELS=str(KEPT_KERNELS))  # as shipped
    try:
        context = browser.new_context()
        kept = _open(context, server.url)  # one page stays open: its kernel must survive the others' ending
        for _ in range(PAGES):  # first the pages a phone drops: no beacon, the websocket just goes
            _open(context, server.url).close()
        dropped_at = time.monotonic()  # their time runs while the next pages open and close
        for _ in range(PAGES):  # then pages closed on a computer: the beacon is sent
            _open(context, server.url).close(run_before_unload=True)
        # the dropped pages' kernels culled, the closed pages' ended by their beacons (at once): 15 s to spare for
        # each (on a busy machine the closed pages can take longer to open than the culler takes)
        deadline = max(dropped_at + CULLED_WITHIN, time.monotonic()) + 15
        expected = 1 + KEPT_KERNELS  # the open page's, and the one kept ready for the next page
        while len(server.kernels()) > expected and time.monotonic() < deadline:
            time.sleep(2)
        left = len(server.kernels())
        waited = time.monotonic() - dropped_at
        assert left == expected, (f"{left} kernels running {waited:.0f} s after the last page was dropped "
                                  f"(1 page open, {KEPT_KERNELS} kept ready)")
        # the kernel kept ready has only imported the app: the journal is opened by a page's kernel alone
        holding = [k for k in server.kernels() if any(Path(f.path).name.startswith(journal.name)
                                                     for f in k.open_files())]
        assert len(holding) == 1, f"{len(holding)} kernels hold the journal open (1 page open)"
        log = server.tail(1_000_000)
        assert log.count("Kernel shutdown") >= PAGES and "403 POST /voila/api/shutdown" not in log  # the beacons
        assert "Kernel is running over TCP" not in log  # Unix sockets (cli/app.py): no port to lose to another
        # the page that stayed open still works: its kernel was not taken with the others
        kept.get_by_role("tab", name="Mood log").click()
        kept.get_by_role("button", name="Save entry").wait_for(timeout=TIMEOUT)
        context.close()
    finally:
        server.stop()

