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
"""

from __future__ import annotations

import os
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


def _open_file(url: str) -> Path:
    """A private HTML file (mode 0600) that replaces itself with ``url``: the token stays off command lines."""
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
    from tornado.routing import Matcher, Rule
    from voila.app import Voila

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

    class RekindleVoila(Voila):
        """Voila with the token in the opened address, and only loopback Hosts with our port."""

        name = "rekindle-app"
        _opened: Path | None = None

        def init_settings(self):
            settings = super().init_settings()
            _ = self.identity_provider.token  # read (lazily) from $JUPYTER_TOKEN now, then dropped:
            os.environ.pop("JUPYTER_TOKEN", None)  # the kernel need not inherit it
            settings["allow_remote_access"] = False  # Voila's standalone server sets True
            settings["local_hostnames"] = ["localhost"]
            return settings

        def listen(self):
            router = self.app.default_router
            router.rules.insert(0, router.process_rule(Rule(ForeignHost(self), Refused)))
            super().listen()

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
