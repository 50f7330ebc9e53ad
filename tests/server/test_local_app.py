"""`rekindle app` answers only its owner, at the HTTP level: the token, the Host, the websocket Origin.

One real server (``rekindle app`` as a person starts it) and plain HTTP and
websocket requests, as another program on the computer, or a web page doing
DNS rebinding, would send them. The same checks in a real browser are in
tests/browser/test_browser.py.
"""

from __future__ import annotations

import asyncio
import json
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from rekindle_widgets.cli.app import app_url, voila_command
from rekindle_widgets.server.appserver import CONFIG_DIR, DATA_DIR, allowed_host, jupyter_env

from ..servers import demo_app

TEMPLATE = DATA_DIR / "voila" / "templates" / "rekindle"


# --------------------------------------------------------------------------
# Without a server
# --------------------------------------------------------------------------


@pytest.mark.parametrize(("host", "allowed"), [
    ("127.0.0.1:8866", True), ("localhost:8866", True), ("[::1]:8866", True), ("LOCALHOST:8866", True),
    ("127.0.0.1:8867", False), ("127.0.0.1", False), ("localhost", False), ("evil.example.com:8866", False),
    ("127.0.0.2:8866", False), ("127.0.0.1.nip.io:8866", False), ("[::1]", False), ("", False), (None, False),
    ("localhost:8866@evil.example.com", False), ("0.0.0.0:8866", False),
])
def test_only_loopback_names_with_the_apps_port_are_allowed(host, allowed):
    assert allowed_host(host, 8866) is allowed


def test_the_token_is_not_on_the_command_line():
    cmd = voila_command(Path("app.ipynb"), 8866, browser=False)
    assert "--token" in cmd  # the flag only: the value comes from $JUPYTER_TOKEN
    assert not [a for a in cmd if "token=" in a.lower()]
    assert re.fullmatch(r"http://127\.0\.0\.1:8866/\?token=abc", app_url(8866, "abc"))


def test_kernels_talk_to_the_app_over_unix_sockets_not_ports():
    """A port chosen free could be taken before the kernel bound it, and the page then waited a minute for a kernel
    that had died (seen in the suite, `rekindle app` and Binder's start page alike); sockets in the server's
    private folder cannot be. The setting is in the config folder every server of ours reads (voila.py)."""
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("voila.py", path=str(CONFIG_DIR)).load_config()
    assert config.KernelManager.transport == "ipc"
    env = jupyter_env({"JUPYTER_CONFIG_PATH": ""})
    assert env["JUPYTER_CONFIG_PATH"].split(":")[0] == str(CONFIG_DIR)  # what `rekindle app` and binder/start set


def test_the_jupyter_paths_put_our_template_first():
    env = jupyter_env({"JUPYTER_PATH": "/elsewhere", "JUPYTER_CONFIG_PATH": ""})
    assert env["JUPYTER_PATH"].split(":") == [str(DATA_DIR), "/elsewhere"]
    config = Path(env["JUPYTER_CONFIG_PATH"].split(":")[0]) / "voila.json"
    settings = json.loads(config.read_text())
    assert settings["VoilaConfiguration"] == {"template": "rekindle"}
    # a kernel whose page has gone is stopped within a minute (issue 24: every page load left one running)
    assert settings["MappingKernelManager"]["cull_idle_timeout"] + settings["MappingKernelManager"][
        "cull_interval"] <= 60 and settings["MappingKernelManager"]["cull_connected"] is False
    assert json.loads((TEMPLATE / "conf.json").read_text())["base_template"] == "lab"


def test_the_vendored_fontawesome_has_every_woff2_its_css_names_and_its_licence():
    css = (TEMPLATE / "static/fontawesome/css/all.min.css").read_text()
    assert css.startswith("/*!\n * Font Awesome Free 5.15.4")
    named = set(re.findall(r"url\(\.\./webfonts/([\w-]+\.woff2)\)", css))
    assert named == {"fa-brands-400.woff2", "fa-regular-400.woff2", "fa-solid-900.woff2"}
    for font in named:
        assert (TEMPLATE / "static/fontawesome/webfonts" / font).read_bytes()[:4] == b"wOF2"
    assert "SIL OFL 1.1" in (TEMPLATE / "static/fontawesome/LICENSE.txt").read_text()


def test_a_bad_exit_url_stops_the_app_before_it_starts(run, journal_path, monkeypatch):
    monkeypatch.setenv("REKINDLE_EXIT_URL", "javascript:alert(1)")
    code, out, err = run("app", "--no-browser", "--journal", journal_path)
    assert (code, out) == (2, "")
    assert err.startswith("rekindle: error: REKINDLE_EXIT_URL must be an http:// or https:// address")
    assert err.count("\n") == 1


@pytest.mark.parametrize("kept", ["x", "5", "-1", "1.5"])
def test_a_bad_number_of_kept_kernels_stops_the_app_before_it_starts(run, journal_path, monkeypatch, kept):
    monkeypatch.setenv("REKINDLE_KEPT_KERNELS", kept)
    code, out, err = run("app", "--no-browser", "--journal", journal_path)
    assert (code, out) == (2, "")
    assert err == f"rekindle: error: REKINDLE_KEPT_KERNELS must be a whole number from 0 to 4, not {kept!r}\n"


def test_the_app_keeps_one_kernel_ready_unless_told_otherwise(monkeypatch):
    from rekindle_widgets.cli.app import kept_kernels

    monkeypatch.delenv("REKINDLE_KEPT_KERNELS", raising=False)
    shipped = voila_command(Path("app.ipynb"), 8866, browser=False, kept=kept_kernels())
    assert "--VoilaConfiguration.preheat_kernel=True" in shipped
    assert '--VoilaKernelManager.kernel_pools_config={"default": {"pool_size": 1}}' in shipped
    monkeypatch.setenv("REKINDLE_KEPT_KERNELS", "0")  # a computer short of memory
    assert not [a for a in voila_command(Path("app.ipynb"), 8866, browser=False, kept=kept_kernels())
                if "preheat" in a or "pool" in a]


# --------------------------------------------------------------------------
# The running server
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    server, _ = demo_app(tmp_path_factory.mktemp("local-app"))
    base = server.url.split("?", 1)[0]
    port = int(re.search(r":(\d+)/", base).group(1))
    yield server, base, port
    server.stop()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    """Status, headers and body of one GET, redirects not followed."""
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(request, timeout=120) as response:
            return response.status, dict(response.headers), response.read().decode(errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode(errors="replace")


def _page_with_cookie(server) -> tuple[str, str]:
    """Open the printed address: (the page, the login cookie it set).

    The address with the token answers with the login cookie and a redirect to the address without it
    (the token never reaches the page, its kernel or the address bar); the page is then the bare address.
    """
    address = server.url
    status, headers, _ = get(address)
    assert status == 303 and headers["Location"] == "/" and "token" not in headers["Location"]
    assert headers["Referrer-Policy"] == "no-referrer" and "no-store" in headers["Cache-Control"]
    cookie = "; ".join(c.split(";", 1)[0] for c in [headers.get("Set-Cookie", "")] if c)
    assert re.match(r"rekindle-\d+=", cookie), headers.get("Set-Cookie")
    set_cookie = headers["Set-Cookie"].lower()
    assert "expires" not in set_cookie and "max-age" not in set_cookie  # gone when the browser closes
    assert "httponly" in set_cookie and "samesite=strict" in set_cookie
    status, _, body = get(address.split("?", 1)[0], {"Cookie": cookie})
    assert status == 200
    return body, cookie


@pytest.mark.slow
def test_the_printed_address_opens_the_app_with_a_neutral_title_and_no_cdn(app):
    server, _, _ = app
    body, cookie = _page_with_cookie(server)
    assert "<title>Notes</title>" in body
    assert "cdn.jsdelivr.net" not in body and "cdnjs.cloudflare.com" not in body
    assert "/voila/templates/rekindle/static/fontawesome/css/all.min.css" in body
    assert "/voila/templates/rekindle/static/quick-exit.js" in body
    assert cookie  # the token became a login cookie, which the page's own requests carry


@pytest.mark.slow
def test_without_the_token_there_is_only_the_login_form(app):
    _server, base, _ = app
    status, headers, _ = get(base + "?token=" + "0" * 48)  # a wrong token: out of the address, no cookie
    assert status == 303 and headers["Location"] == "/" and "Set-Cookie" not in headers
    for url in (base, base + "voila/render/app.ipynb"):
        status, headers, body = get(url)
        assert status in (302, 403, 404), (url, status)
        if status == 302:
            assert re.match(r"/login\?next=", headers["Location"]), headers["Location"]
    status, _, body = get(base + "login")
    assert status == 200 and "Password or token" in body
    assert "Setup a Password" not in body  # no password can be set from here (it would go into ~/.jupyter)
    assert "kernelId" not in body and "rekindle" not in body.lower()
    for api in ("api/kernels", "api/kernels/00000000-0000-0000-0000-000000000000",
                "voila/api/shutdown/00000000-0000-0000-0000-000000000000"):
        assert get(base + api)[0] in (302, 403, 404, 405), api


def _kernel_id(body: str) -> str:
    return json.loads(re.search(r'<script id="jupyter-config-data" type="application/json">\s*(\{.*?\})\s*</script>',
                                body, re.S).group(1))["kernelId"]


@pytest.mark.slow
def test_a_foreign_host_is_refused_at_the_page_the_kernel_and_the_static_files(app):
    server, base, port = app
    body, cookie = _page_with_cookie(server)
    kernel = f"{base}api/kernels/{_kernel_id(body)}"
    assert get(kernel, {"Cookie": cookie})[0] == 200  # the owner's own request works
    for host in ("evil.example.com", f"evil.example.com:{port}", f"127.0.0.1:{port + 1}", f"127.0.0.2:{port}",
                 "localhost"):
        for url, headers in [(server.url, {}), (kernel, {"Cookie": cookie}),
                             (base + "voila/templates/rekindle/static/quick-exit.js", {})]:
            status, _, text = get(url, {**headers, "Host": host})
            assert status == 403, (host, url, status)
            assert "kernelId" not in text and "rekindle" not in text.lower()


def _websocket(url: str, headers: dict[str, str]) -> int | str:
    """101 if the upgrade is accepted, else the HTTP status the server answered with.

    Runs in a thread of its own: the browser tests' session-wide Playwright keeps an event loop
    running in this one, and asyncio.run() refuses to start a second.
    """
    from concurrent.futures import ThreadPoolExecutor

    from tornado.httpclient import HTTPClientError, HTTPRequest
    from tornado.websocket import websocket_connect

    async def upgrade() -> int | str:
        try:
            conn = await websocket_connect(HTTPRequest(url, headers=headers, request_timeout=60))
        except HTTPClientError as exc:
            return exc.code
        conn.close()
        return 101

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, upgrade()).result()


@pytest.mark.slow
def test_websocket_upgrades_need_the_token_our_host_and_our_origin(app):
    server, _base, port = app
    body, cookie = _page_with_cookie(server)
    ws = f"ws://127.0.0.1:{port}/api/kernels/{_kernel_id(body)}/channels"
    own = f"http://127.0.0.1:{port}"

    def status(headers):
        return _websocket(ws, headers)

    assert status({"Cookie": cookie, "Origin": own}) == 101  # the app's own page
    assert status({"Origin": own}) == 403  # no token, no cookie
    assert status({"Cookie": cookie, "Origin": "http://evil.example.com"}) == 403
    assert status({"Cookie": cookie, "Origin": f"http://127.0.0.1:{port + 1}"}) == 403  # another local page
    # DNS rebinding: a page at evil.example.com:PORT whose name now points at 127.0.0.1. Its Origin and
    # Host agree, and even with the token (in the address, as a leaked link would carry it) it is refused.
    token = server.url.split("token=", 1)[1]
    assert _websocket(f"{ws}?token={token}", {"Origin": own}) == 101
    assert _websocket(f"{ws}?token={token}", {"Origin": f"http://evil.example.com:{port}",
                                              "Host": f"evil.example.com:{port}"}) == 403


@pytest.mark.slow
def test_the_browser_it_opens_gets_the_address_with_the_token_through_a_private_file(tmp_path, demo_journal):
    """`make app`'s one step: `rekindle app` opens the browser itself, at the address with the token."""
    import os
    import stat
    import sys

    from ..servers import APP_ADDRESS, Server, free_port

    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.py"  # stands in for the person's browser: records what it was asked to open
    browser.write_text(f"import sys\nopen({str(opened)!r}, 'w').write(sys.argv[1])\n")
    port = free_port()
    server = Server([sys.executable, "-m", "rekindle_widgets.cli", "app", "--journal", str(demo_journal),
                     "--port", str(port)], APP_ADDRESS,
                    env={"BROWSER": f"{sys.executable} {browser} %s"}, log=tmp_path / "app.log")
    try:
        for _ in range(100):
            if opened.exists() and opened.read_text():
                break
            import time

            time.sleep(0.2)
        uri = opened.read_text()
        assert uri.startswith("file:///") and server.url not in uri  # no token on the browser's command line
        page = Path(urllib.request.url2pathname(uri.removeprefix("file://")))
        assert stat.S_IMODE(page.stat().st_mode) == 0o600  # readable by this account only
        text = page.read_text()
        assert f"location.replace({json.dumps(server.url)})" in text
        status, headers, _ = get(server.url)  # the address it leads to logs in, and leaves the address bar
        assert status == 303 and re.match(r"rekindle-\d+=", headers.get("Set-Cookie", ""))
        assert "JUPYTER_TOKEN" not in os.environ
    finally:
        server.stop()
    assert not page.exists()  # removed when the app stops
