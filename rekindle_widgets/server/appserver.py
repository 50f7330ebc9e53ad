"""The app's own server: Voila, for this computer's owner only (``python -m rekindle_widgets.server.appserver``).

``rekindle app`` runs this instead of plain ``voila``. What Voila and
jupyter_server give, switched on here:

* **the token** (jupyter_server's ``IdentityProvider``): ``rekindle app``
  makes a random one, hands it over in ``$JUPYTER_TOKEN`` (the environment,
  which other accounts cannot read, not the command line, which they can) and
  puts it in the address it prints and opens. A request without it is sent to
  Voila's login page, which asks for the token and shows nothing of the
  journal; the kernel and API endpoints answer 403. The token is removed from
  this process's environment once read, so the kernel does not inherit it.
* **the Host check** (``allow_remote_access=False``, ``local_hostnames``):
  jupyter_server refuses a Host that is not a loopback address or
  ``localhost``, for its own handlers (the page, the kernel and its websocket).
  Voila's standalone server turns that check off; it is turned on again here.
* **the websocket Origin check**: jupyter_server refuses an upgrade whose
  Origin is not the Host it was sent to (no ``allow_origin`` is set).

What this module adds, because they do not:

* the Host must also name **this server's port** (``127.0.0.1:PORT``,
  ``localhost:PORT`` or ``[::1]:PORT``), and the check covers **every**
  request, Voila's static files included: a rule ahead of all of Voila's
  routes answers 403 to anything else (:func:`allowed_host`);
* the browser is opened **at the address with the token**, through a private
  file that replaces itself with the app (as Jupyter does; Voila opens the
  address without the token);
* Voila uses **our template** (``jupyter_data/voila/templates/rekindle``):
  FontAwesome from this server instead of a CDN, a neutral tab title and the
  quick exit. :func:`jupyter_env` is the environment that selects it; the
  practice hub (:mod:`rekindle_widgets.server.hub`) and ``binder/start`` use the same.

and what makes **the quick exit end the session** (issue 23):

* **the token leaves the address at once, and opens the app once**: a request
  carrying ``?token=`` is answered, before Voila sees it, by setting the login
  cookie and a redirect (303) to the same address without it. The page is then
  loaded without the token, so neither the address bar, nor a Referer, nor the
  kernel's environment (Voila passes the page's ``QUERY_STRING`` and
  ``VOILA_REQUEST_URL`` to the kernel) holds it. The browser's history still
  records the address it was sent to (Chromium keeps a redirect's source), so
  a token that has opened the app is replaced by a new one at once: the server
  prints the address with it ("To open it again: ..."), for another browser or
  after this one is closed;
* **the login cookie lasts as long as the browser session** (no 30-day expiry),
  is ``HttpOnly`` and ``SameSite=Strict``, and is named for this server's port;
* **the lock** (``POST /rekindle/lock``, sent by the quick exit as it leaves):
  a new cookie secret, so every login cookie this server gave out (in this
  browser, or replayed from elsewhere) is refused from then on; a new token, so
  an address with the old one, wherever it was kept, opens nothing; and every
  kernel is shut down. The server prints the new address to the terminal that
  started it: that is the way back in. Cookies do not separate ports, so
  another server on 127.0.0.1 can receive the cookie while it is valid; after a
  lock it is worth nothing.
"""

from __future__ import annotations

import hmac
import os
import secrets
import shlex
import sys
import tempfile
import webbrowser
from collections.abc import Mapping
from html import escape
from importlib import resources
from pathlib import Path

__all__ = ["CONFIG_DIR", "DATA_DIR", "LOOPBACK_NAMES", "allowed_host", "jupyter_env", "main"]

_PACKAGE = Path(str(resources.files("rekindle_widgets.server")))
#: Jupyter data folder holding our Voila template (voila/templates/rekindle)
DATA_DIR = _PACKAGE / "jupyter_data"
#: Jupyter config folder holding voila.json, which makes "rekindle" Voila's template
CONFIG_DIR = _PACKAGE / "jupyter_config"
#: the only names a request's Host may give, each with the app's port
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


def _prepend(path: Path, existing: str | None) -> str:
    parts = [str(path)] + [p for p in (existing or "").split(os.pathsep) if p and p != str(path)]
    return os.pathsep.join(parts)


def jupyter_env(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """``JUPYTER_PATH`` and ``JUPYTER_CONFIG_PATH`` with ours first: Voila then renders with our template."""
    environ = os.environ if environ is None else environ
    return {"JUPYTER_PATH": _prepend(DATA_DIR, environ.get("JUPYTER_PATH")),
            "JUPYTER_CONFIG_PATH": _prepend(CONFIG_DIR, environ.get("JUPYTER_CONFIG_PATH"))}


def allowed_host(host: str | None, port: int) -> bool:
    """Whether a request's Host header names this app: a loopback name with exactly ``port``."""
    if not host:
        return False
    return host.strip().lower() in {f"{name}:{port}" for name in LOOPBACK_NAMES}


#: the private file the browser is pointed at, made by ``rekindle app`` (which removes it however it stops)
OPEN_FILE_ENV = "REKINDLE_OPEN_FILE"


def _open_file(url: str) -> Path:
    """A private HTML file (mode 0600) that replaces itself with ``url``: the token stays off command lines.

    ``rekindle app`` names it (:data:`OPEN_FILE_ENV`, made private by the command), so that the command
    removes it when it stops, even when the server has to be killed; without one, a new one is made here."""
    given = os.environ.get(OPEN_FILE_ENV, "").strip()
    if given:
        fd, name = os.open(given, os.O_WRONLY | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)), given
    else:
        fd, name = tempfile.mkstemp(prefix="rekindle-open-", suffix=".html")
    quoted = escape(url, quote=True)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write('<!DOCTYPE html><html><head><meta charset="utf-8"><title>Notes</title>'
                  f'<meta http-equiv="refresh" content="0;url={quoted}"></head>'
                  f"<body><script>location.replace({_js_string(url)});</script>"
                  f'<p><a href="{quoted}">Open the app</a></p></body></html>')
    return Path(name)


def _js_string(text: str) -> str:
    import json

    return json.dumps(text).replace("<", "\\u003c")


def _voila_class():
    import tornado.web
    from jupyter_core.utils import ensure_async
    from jupyter_server.utils import url_path_join
    from tornado.routing import Matcher, PathMatches, Rule
    from voila.app import Voila
    from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler

    class Refused(tornado.web.RequestHandler):
        """403 for a request that names another host: nothing of the app, for any method."""

        def prepare(self) -> None:
            self.set_status(403)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish("403: this app answers only to 127.0.0.1, localhost or [::1] with its own port\n")

    class ForeignHost(Matcher):
        def __init__(self, app: Voila):
            self.app = app

        def match(self, request):
            return None if allowed_host(request.headers.get("Host"), self.app.port) else {}

    class TokenInAddress(Matcher):
        """A page request carrying ``?token=``: it is taken out of the address before Voila sees it."""

        def match(self, request):
            page = request.method in ("GET", "HEAD") and "/api/" not in request.path \
                and request.headers.get("Upgrade", "").lower() != "websocket"
            return {} if page and "token" in request.query_arguments else None

    class ClearToken(tornado.web.RequestHandler):
        """With the right token, the login cookie; either way a redirect to the address without the token."""

        @property
        def base_url(self) -> str:  # the login cookie's path (IdentityProvider.set_login_cookie reads it)
            return self.settings.get("base_url", "/")

        @property
        def log(self):  # IdentityProvider.generate_anonymous_user logs through the handler
            return self.settings["rekindle-app"].log

        def get(self) -> None:
            provider = self.settings["identity_provider"]
            given = self.get_query_argument("token", "")
            if provider.token and given and hmac.compare_digest(given.encode(), provider.token.encode()):
                provider.set_login_cookie(self, provider.generate_anonymous_user(self))
                # one use: the browser's history keeps the address it was given (a redirect's source too)
                self.settings["rekindle-app"].new_token("The address with the key has been used")
            from urllib.parse import urlencode

            rest = [(k, v.decode("utf-8", "replace")) for k, values in self.request.query_arguments.items()
                    if k != "token" for v in values]
            self.set_header("Cache-Control", "no-store")
            self.set_header("Referrer-Policy", "no-referrer")
            self.redirect(self.request.path + ("?" + urlencode(rest) if rest else ""), status=303)

        head = get

    class Lock(tornado.web.RequestHandler):
        """``POST /rekindle/lock``: every login cookie and the token stop working; every kernel is shut down.

        No XSRF check (a beacon sent while the page unloads cannot carry one): locking only ever takes
        access away, and the Host rule before it keeps other sites' names out.
        """

        def check_xsrf_cookie(self) -> None:
            return None

        async def post(self) -> None:
            await self.settings["rekindle-app"].lock()
            self.set_status(204)
            self.finish()

    class PageClosed(VoilaShutdownKernelHandler):
        """``POST /voila/api/shutdown/<kernel>``, Voila's beacon as its page closes: the page's kernel ends.

        Voila's page reads the XSRF value from a ``_xsrf`` cookie its server never sets, so its beacon was
        refused (403) and every closed page left its kernel running. The login cookie is still required
        (an unsigned-in request is refused) and is ``SameSite=Strict``, so another site cannot send it.
        """

        def check_xsrf_cookie(self) -> None:
            return None

    class RekindleVoila(Voila):
        """Voila with the token in the opened address, and only loopback Hosts with our port."""

        name = "rekindle-app"
        _opened: Path | None = None

        def init_settings(self):
            # the token, read from $JUPYTER_TOKEN and dropped from the environment before any kernel starts (the
            # kernel kept ready, cli/app.py, starts as Voila's kernel manager is made): no kernel inherits it
            given = os.environ.pop("JUPYTER_TOKEN", None)
            if given:
                self.token = given
            settings = super().init_settings()
            settings["allow_remote_access"] = False  # Voila's standalone server sets True
            settings["local_hostnames"] = ["localhost"]
            settings["rekindle-app"] = self
            provider = self.identity_provider
            # a session cookie (tornado's default is 30 days), never sent with another site's requests,
            # named for this server's port
            provider.cookie_options = {**provider.cookie_options, "expires_days": None, "samesite": "Strict"}
            provider.cookie_name = f"rekindle-{self.port}"
            return settings

        def listen(self):
            router = self.app.default_router
            lock = url_path_join(self.base_url, "rekindle/lock")
            closed = url_path_join(self.base_url, r"voila/api/shutdown/([^/]+)")
            router.rules[0:0] = [router.process_rule(Rule(ForeignHost(self), Refused)),
                                 router.process_rule(Rule(PathMatches(lock), Lock)),
                                 router.process_rule(Rule(PathMatches(closed), PageClosed)),
                                 router.process_rule(Rule(TokenInAddress(), ClearToken))]
            super().listen()

        def new_token(self, why: str) -> None:
            """A new token (the old one opens nothing from now on), and the address with it printed."""
            self.identity_provider.token = secrets.token_hex(24)
            print(f"{why}. To open it again: "
                  f"http://127.0.0.1:{self.port}{self.base_url}?token={self.identity_provider.token}", flush=True)

        async def lock(self) -> None:
            """The quick exit's lock: a new cookie secret and token, no kernel left; the new address printed."""
            self.app.settings["cookie_secret"] = os.urandom(32)
            manager = self.kernel_manager
            # Voila's manager ends every kernel and empties its pool of kept kernels (cli/app.py), which it does not
            # fill again; the loop below is for any kernel still starting meanwhile
            await ensure_async(manager.shutdown_all(now=True))
            for kernel_id in list(manager.list_kernel_ids()):
                try:
                    await manager.shutdown_kernel(kernel_id, now=True)
                except Exception:  # already gone: nothing of it is left to stop
                    self.log.debug("kernel %s was already gone", kernel_id)
            self.new_token("Rekindle was locked by a quick exit")

        def launch_browser(self):
            try:
                browser = webbrowser.get(self.browser or None)
            except webbrowser.Error as exc:
                self.log.warning("No web browser found: %s.", exc)
                return
            token = self.identity_provider.token
            url = f"http://127.0.0.1:{self.port}{self.base_url}" + (f"?token={token}" if token else "")
            self._opened = _open_file(url)
            import threading

            threading.Thread(target=browser.open, args=(self._opened.as_uri(),),
                             kwargs={"new": self.webbrowser_open_new}, daemon=True).start()

        def stop(self):
            if self._opened is not None:
                self._opened.unlink(missing_ok=True)
            super().stop()

    return RekindleVoila


def main(argv: list[str] | None = None) -> None:
    """Run the server (arguments as for ``voila``), or print ``export`` lines for ``--shell-env``."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args == ["--shell-env"]:  # binder/start: eval "$(python -m rekindle_widgets.server.appserver --shell-env)"
        for key, value in jupyter_env().items():
            print(f"export {key}={shlex.quote(value)}")
        return
    os.environ.update(jupyter_env())
    _voila_class().launch_instance(args)


if __name__ == "__main__":
    main()
