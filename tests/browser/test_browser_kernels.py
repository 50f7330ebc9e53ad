"""Pages that end free their kernels: a page closed on a computer (its "beforeunload" beacon) at once, a page a
phone drops without a word (no beacon: the tab is discarded, the browser killed) within a minute.

Before (issue 24): Voila's beacon was refused for want of an XSRF cookie and nothing culled idle kernels, so
13 page loads left 13 kernels of 60-150 MB each running until the server stopped.
"""

from __future__ import annotations

import time

import pytest

from ..servers import demo_app

pytestmark = pytest.mark.slow
TIMEOUT = 60_000
#: jupyter_config/voila.json: a kernel with no page connected is stopped after 45 idle seconds, checked every 10
CULLED_WITHIN = 60


def _open(context, url: str):
    page = context.new_page()
    page.goto(url, timeout=TIMEOUT)
    page.get_by_text("Ways through the workbook").wait_for(timeout=TIMEOUT)  # the page's kernel ran the app
    return page


def test_ten_opened_and_closed_pages_leave_no_kernel_behind(browser, tmp_path):
    server, _ = demo_app(tmp_path)
    try:
        context = browser.new_context()
        kept = _open(context, server.url)  # one page stays open: its kernel must survive the others' ending
        for _ in range(5):  # first the pages a phone drops: no beacon, the websocket just goes
            _open(context, server.url).close()
        dropped_at = time.monotonic()  # their minute runs while the next five open and close
        for _ in range(5):  # then pages closed on a computer: the beacon is sent
            _open(context, server.url).close(run_before_unload=True)
        deadline = dropped_at + CULLED_WITHIN + 15
        while len(server.kernels()) > 1 and time.monotonic() < deadline:
            time.sleep(2)
        left = len(server.kernels())
        waited = time.monotonic() - dropped_at
        assert left == 1, f"{left} kernels running {waited:.0f} s after the last page was dropped (1 page open)"
        log = server.tail(1_000_000)
        assert log.count("Kernel shutdown") >= 5 and "403 POST /voila/api/shutdown" not in log  # the beacons
        # the page that stayed open still works: its kernel was not taken with the others
        kept.get_by_role("tab", name="Mood log").click()
        kept.get_by_role("button", name="Save entry").wait_for(timeout=TIMEOUT)
        context.close()
    finally:
        server.stop()

