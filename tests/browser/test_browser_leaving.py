"""The quick exit ends the session: what a browser keeps afterwards opens nothing of the journal.

Tried as someone who shares the computer would: the same browser profile after a quick exit (closed and
opened again), the bare address, the address with the old token from the browser's history, the login cookie
replayed from another program, and the kernel's environment.
"""

from __future__ import annotations

import sqlite3
import time
import urllib.request

import pytest

from rekindle_widgets.cli.app import KEPT_KERNELS

from ..servers import CHROMIUM, CHROMIUM_ARGS, ExitPage, demo_app, screenshot

pytestmark = pytest.mark.slow
TIMEOUT = 60_000
LOGIN = "Password or token"


@pytest.fixture(scope="module")
def exit_page():
    neutral = ExitPage()
    yield neutral
    neutral.stop()


@pytest.fixture
def app_server(tmp_path_factory, exit_page):
    # with a kernel kept ready, as `rekindle app` runs by default: it must not inherit the token either, and the
    # lock must stop it too
    server, _ = demo_app(tmp_path_factory.mktemp("leaving"), REKINDLE_EXIT_URL=exit_page.url,
                         REKINDLE_KEPT_KERNELS=str(KEPT_KERNELS))
    yield server
    server.stop()


def _base(server) -> str:
    return server.url.split("?", 1)[0]


def _open(page, url: str) -> None:
    page.goto(url, timeout=TIMEOUT)
    page.get_by_text("Ways through the workbook").wait_for(timeout=TIMEOUT)


def _get(url: str, cookie: str | None = None) -> str:
    """The page at ``url`` as a program sees it: with ``cookie`` as given, or keeping the cookies it is sent
    (the token's redirect sets the login cookie)."""
    import http.cookiejar

    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with opener.open(request, timeout=30) as response:
        return response.read().decode("utf-8", "replace")


def test_the_token_leaves_the_address_and_never_reaches_the_kernel(page, app_server):
    server = app_server
    token = server.url.split("token=", 1)[1]
    _open(page, server.url)
    assert page.url == _base(server)  # the address bar (and so the history's last entry) has no token
    assert LOGIN in _get(f"{_base(server)}?token={token}")  # it opened the app once; now it opens nothing
    assert token not in server.url and LOGIN not in _get(server.url)  # the new address the server printed
    cookies = page.context.cookies()
    (login,) = [c for c in cookies if c["name"].startswith("rekindle-")]
    port = _base(server).rsplit(":", 1)[1].strip("/")
    assert login["name"] == f"rekindle-{port}" and login["expires"] == -1  # gone when the browser closes
    assert login["httpOnly"] and login["sameSite"] == "Strict"
    kernels = server.kernels()
    assert kernels, "the page has a kernel"
    for kernel in kernels:
        environ = kernel.environ()
        assert not [k for k, v in environ.items() if token in v], "the token is in the kernel's environment"
        assert "token" not in environ.get("QUERY_STRING", "") and "token" not in environ.get("VOILA_REQUEST_URL", "")


def test_after_a_quick_exit_the_same_browser_profile_shows_only_the_login_form(browser, app_server, exit_page,
                                                                              tmp_path):
    server = app_server
    first_address, base = server.url, _base(server)
    profile = tmp_path / "profile"
    chromium = browser.browser_type  # the suite's Playwright, a browser with a profile kept on disk
    context = chromium.launch_persistent_context(str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                                 viewport={"width": 390, "height": 844})
    page = context.new_page()
    _open(page, first_address)
    (login,) = [c for c in context.cookies() if c["name"].startswith("rekindle-")]
    cookie = f"{login['name']}={login['value']}"
    assert LOGIN not in _get(base, cookie)  # the cookie alone opens the app: it is what a replay would use
    assert server.kernels()
    locks = server.locks
    page.get_by_role("link", name="Leave this page quickly").first.click()
    page.wait_for_url(exit_page.url, timeout=TIMEOUT)
    server.wait_locked(locks)
    page.go_back(timeout=TIMEOUT)  # Back: the app is not in the history; nothing of it comes back
    page.wait_for_timeout(1000)
    assert page.get_by_text("Ways through the workbook").count() == 0
    context.close()
    deadline = time.monotonic() + 30
    while server.kernels() and time.monotonic() < deadline:  # the lock stops every kernel
        time.sleep(0.2)
    assert server.kernels() == []
    history = profile / "Default" / "History"  # what the browser's history database holds of the visit
    conn = sqlite3.connect(f"file:{history}?mode=ro&immutable=1", uri=True)
    try:
        urls = [row[0] for row in conn.execute("SELECT url FROM urls")]
    finally:
        conn.close()
    assert base in urls and exit_page.url in urls  # the bare address is kept (the note on the Start page says so)
    token_urls = [u for u in urls if "token=" in u]

    context = chromium.launch_persistent_context(str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                                 viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        for address in (base, first_address):  # the bare address, and the old token from wherever it was kept
            page.goto(address, timeout=TIMEOUT)
            page.get_by_text(LOGIN).wait_for(timeout=TIMEOUT)
            assert page.get_by_role("tab", name="Start").count() == 0
            assert "Ways through the workbook" not in page.content()
        screenshot(page, "leaving-reopened-profile-390px")
    finally:
        context.close()
    # the login cookie, replayed by another program (cookies do not separate ports), opens nothing now
    body = _get(base, cookie)
    assert LOGIN in body and "Ways through the workbook" not in body
    # an address with the old token, from the history or anywhere else, opens nothing either
    assert all(LOGIN in _get(u) for u in token_urls)
    # and the way back in is the address the server printed after the lock
    assert server.url != first_address and LOGIN not in _get(server.url)


def test_a_lock_request_from_elsewhere_can_only_take_access_away(app_server):
    """The lock needs no login: anyone who can reach the port can lock the app, and nothing else."""
    server = app_server
    before = server.url
    request = urllib.request.Request(_base(server) + "rekindle/lock", method="POST", data=b"")
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 204
    deadline = time.monotonic() + 10
    while server.url == before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert server.url != before and LOGIN in _get(before)
