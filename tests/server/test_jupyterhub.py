"""The practice hub: deploy/jupyterhub/jupyterhub_config.py, on this machine.

Two kinds of test:

* the config file itself, loaded as JupyterHub loads it (fast): production uses
  PAM and one system user per therapist, every therapist gets their own
  practice folder, the culler has only the scopes it needs, and the test
  shortcuts exist only with REKINDLE_HUB_MODE=test;
* one integration test (marked ``jupyterhub``): a real JupyterHub from PyPI and
  configurable-http-proxy from npm on 127.0.0.1, two therapists who log in with
  a real browser, open the app, add a client, and cannot see, list or open the
  other's clients, an idle server stopped by the culler, and a hub that stops
  with every process it started.

What the test setup can and cannot prove: it uses SimpleLocalProcessSpawner,
which runs every therapist's server as the same operating-system user (the one
running the tests). Each therapist has their own home folder and so their own
REKINDLE_PRACTICE, the hub refuses one therapist's requests to the other's
server, and Jupyter refuses paths outside the therapist's own folder; but the
operating system does not stop one server's kernel from reading the other's
files here. In production (PAM + LocalProcessSpawner: one Unix user per
therapist, homes 0700) it does; that part is configured and documented, not run.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest

from ..servers import free_port, off_computer, record_requests, screenshot

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "deploy" / "jupyterhub" / "jupyterhub_config.py"
#: where `make test` / .ci/run install configurable-http-proxy (npm, into the venv)
CHP = Path(sys.prefix) / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
TIMEOUT = 120_000  # ms: a first spawn imports Jupyter Server, JupyterLab and Voila
USERS = ("alice", "bob")
CULL_TIMEOUT = 30  # seconds; production default is 3600


# --------------------------------------------------------------------------
# The config file, as JupyterHub loads it
# --------------------------------------------------------------------------


def load_config(monkeypatch, **env: str):
    """Load the hub config with exactly these REKINDLE_* settings."""
    from traitlets.config.loader import PyFileConfigLoader

    for key in list(os.environ):
        if key.startswith("REKINDLE_HUB_") or key == "REKINDLE_REGION":
            monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return PyFileConfigLoader(CONFIG.name, path=str(CONFIG.parent)).load_config()


def test_production_config_uses_system_users_and_keeps_therapists_apart(monkeypatch):
    c = load_config(monkeypatch)
    assert c.JupyterHub.authenticator_class == "pam"
    assert c.PAMAuthenticator.allowed_groups == {"therapists"}
    assert c.JupyterHub.spawner_class == "localprocess"
    assert not c.Authenticator.admin_users  # a full admin could open every therapist's server
    assert "SharedPasswordAuthenticator" not in c and "SimpleLocalProcessSpawner" not in c
    # everything listens on loopback; TLS comes from the reverse proxy in front
    for url in (c.JupyterHub.bind_url, c.JupyterHub.hub_bind_url, c.ConfigurableHTTPProxy.api_url):
        assert url.startswith("http://127.0.0.1:"), url
    # one folder per therapist: their home, never a shared notebook folder
    assert c.Spawner.notebook_dir == "~"
    assert c.Spawner.cmd[1:] == ["-m", "rekindle_widgets.server.hub"]
    assert c.Spawner.default_url == "/voila/render/Rekindle.ipynb"
    practice = c.Spawner.environment["REKINDLE_PRACTICE"]
    root_home = __import__("pwd").getpwnam("root").pw_dir
    assert practice(SimpleNamespace(user=SimpleNamespace(name="root"))) == f"{root_home}/rekindle-practice"


def test_practice_folder_is_worked_out_per_therapist(monkeypatch):
    c = load_config(monkeypatch, REKINDLE_HUB_MODE="test", REKINDLE_HUB_STATE="/srv/test-hub",
                    REKINDLE_HUB_TEST_HUB_PORT="1", REKINDLE_HUB_TEST_PROXY_API_PORT="2",
                    REKINDLE_HUB_TEST_PASSWORD="x" * 12, REKINDLE_HUB_TEST_USERS="alice,bob")
    practice = c.Spawner.environment["REKINDLE_PRACTICE"]
    folders = {practice(SimpleNamespace(home_dir=f"/srv/test-hub/home/{name}", user=SimpleNamespace(name=name)))
               for name in USERS}
    assert folders == {"/srv/test-hub/home/alice/rekindle-practice", "/srv/test-hub/home/bob/rekindle-practice"}
    assert c.SimpleLocalProcessSpawner.home_dir_template == "/srv/test-hub/home/{username}"
    assert c.JupyterHub.authenticator_class == "shared-password"
    assert c.Authenticator.allowed_users == set(USERS)


def test_the_culler_runs_as_a_service_with_only_the_scopes_it_needs(monkeypatch):
    c = load_config(monkeypatch, REKINDLE_HUB_CULL_TIMEOUT="1800")
    (service,) = c.JupyterHub.services
    assert service["name"] == "jupyterhub-idle-culler"
    assert service["command"][1:4] == ["-m", "jupyterhub_idle_culler", "--timeout=1800"]
    (role,) = [r for r in c.JupyterHub.load_roles if r.get("services") == ["jupyterhub-idle-culler"]]
    assert sorted(role["scopes"]) == ["delete:servers", "list:users", "read:servers", "read:users:activity"]


def test_managers_may_stop_servers_but_not_open_them(monkeypatch):
    c = load_config(monkeypatch, REKINDLE_HUB_MANAGERS="mgr, office")
    (role,) = [r for r in c.JupyterHub.load_roles if r["name"] == "practice-manager"]
    assert role["users"] == ["mgr", "office"]
    assert "admin:servers" in role["scopes"]
    assert not {"access:servers", "admin:users", "tokens", "shares"} & set(role["scopes"])


def test_jupyterlab_instead_of_the_app(monkeypatch):
    assert load_config(monkeypatch, REKINDLE_HUB_UI="lab").Spawner.default_url == "/lab/tree/Rekindle.ipynb"


@pytest.mark.parametrize("env, message", [
    ({"REKINDLE_HUB_UI": "notebook"}, "REKINDLE_HUB_UI must be one of app, lab"),
    ({"REKINDLE_HUB_MODE": "dev"}, "REKINDLE_HUB_MODE must be 'production' or 'test'"),
    ({"REKINDLE_HUB_MODE": "test"}, "REKINDLE_HUB_MODE=test needs REKINDLE_HUB_STATE"),
])
def test_a_wrong_setting_stops_the_hub_with_one_line(monkeypatch, env, message):
    with pytest.raises(SystemExit, match=re.escape(message)):
        load_config(monkeypatch, **env)


def test_the_default_url_names_the_notebook_the_launcher_writes(monkeypatch):
    from rekindle_widgets.server.hub import APP_NOTEBOOK

    assert load_config(monkeypatch).Spawner.default_url.endswith("/" + APP_NOTEBOOK)


def test_tljh_drop_in_adds_the_practice_to_tljhs_own_setup(monkeypatch):
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    monkeypatch.delenv("REKINDLE_HUB_UI", raising=False)
    tljh = Config()
    tljh.Spawner.environment = {"TLJH_SET": "kept"}  # what TLJH itself set before loading drop-ins
    path = CONFIG.parent / "tljh-rekindle.py"
    c = PyFileConfigLoader(path.name, path=str(path.parent)).load_config()
    tljh.merge(c)
    assert tljh.Spawner.environment == {
        "TLJH_SET": "kept", "REKINDLE_PRACTICE": "~/rekindle-practice", "REKINDLE_PRACTICE_SERVER": "1"}
    assert tljh.Spawner.cmd == ["/opt/tljh/user/bin/python", "-m", "rekindle_widgets.server.hub"]
    assert tljh.Spawner.default_url == "/voila/render/Rekindle.ipynb"
    assert tljh.SystemdSpawner.disable_user_sudo is True


def test_kubernetes_values_give_each_therapist_their_own_volume_and_nothing_shared():
    import yaml

    values = yaml.safe_load((CONFIG.parent / "z2jh-config.yaml").read_text())
    single = values["singleuser"]
    assert single["storage"]["type"] == "dynamic"
    assert single["storage"]["dynamic"]["storageAccessModes"] == ["ReadWriteOnce"]
    assert "{username}" in single["storage"]["dynamic"]["pvcNameTemplate"]
    assert not {"extraVolumes", "extraVolumeMounts"} & set(single["storage"])
    home = single["storage"]["homeMountPath"]
    assert single["extraEnv"]["REKINDLE_PRACTICE"].startswith(home + "/")
    assert single["extraEnv"]["REKINDLE_PRACTICE_SERVER"] == "1"
    assert single["cmd"] == ["python", "-m", "rekindle_widgets.server.hub"]
    assert single["defaultUrl"] == "/voila/render/Rekindle.ipynb"
    assert values["cull"]["enabled"] and values["cull"]["timeout"] == 3600
    assert values["proxy"]["https"]["enabled"]
    assert values["hub"]["config"]["JupyterHub"]["authenticator_class"] == "native"
    assert values["hub"]["config"]["NativeAuthenticator"]["open_signup"] is False


# --------------------------------------------------------------------------
# The integration test
# --------------------------------------------------------------------------


def require_hub_tools() -> None:
    """node, configurable-http-proxy (npm) and jupyterhub: a skip here, a failure in CI."""
    missing = []
    if shutil.which("node") is None:
        missing.append("node (apt-get install nodejs npm)")
    if not CHP.exists():
        missing.append(f"configurable-http-proxy at {CHP} (make test installs it with npm)")
    for module in ("jupyterhub", "jupyterhub_idle_culler", "psutil"):
        try:
            __import__(module)
        except ImportError:
            missing.append(f"the Python package {module} (pip install -e '.[test]')")
    if missing:
        message = "the practice-hub test needs " + "; ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(message + ": .ci/run installs these")
        pytest.skip(message)


@pytest.mark.parametrize("ci, outcome", [("", pytest.skip.Exception), ("true", pytest.fail.Exception)])
def test_a_missing_proxy_skips_here_but_fails_in_ci(monkeypatch, tmp_path, ci, outcome):
    monkeypatch.setattr(sys.modules[__name__], "CHP", tmp_path / "configurable-http-proxy")
    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="configurable-http-proxy"):
        require_hub_tools()


class Hub:
    """JupyterHub in test mode on 127.0.0.1, started with this repo's Python (the venv)."""

    def __init__(self, state: Path):
        self.state = state
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.password = secrets.token_urlsafe(12)
        self.log = state / "jupyterhub.log"
        self.env = {
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            "REKINDLE_HUB_MODE": "test",
            "REKINDLE_HUB_STATE": str(state),
            "REKINDLE_HUB_BIND_URL": self.url,
            "REKINDLE_HUB_TEST_HUB_PORT": str(free_port()),
            "REKINDLE_HUB_TEST_PROXY_API_PORT": str(free_port()),
            "REKINDLE_HUB_TEST_PASSWORD": self.password,
            "REKINDLE_HUB_TEST_USERS": ",".join(USERS),
            "REKINDLE_HUB_PROXY_CMD": str(CHP),
            "REKINDLE_HUB_CULL_TIMEOUT": str(CULL_TIMEOUT),
        }
        self._out = open(self.log, "wb")
        started = time.monotonic()
        self.proc = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)], cwd=state,
                                     env=self.env, stdout=self._out, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        self._wait_for(f"{self.url}/hub/login", 60)
        self.start_seconds = time.monotonic() - started

    def _wait_for(self, url: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the hub exited with {self.proc.returncode}: {self.tail()}")
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the hub did not answer at {url} within {timeout}s: {self.tail()}")
            time.sleep(0.25)

    def tail(self, n: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-n:]

    def processes(self):
        import psutil

        return psutil.Process(self.proc.pid).children(recursive=True)

    def server_process(self, user: str):
        """The single-user server of ``user`` (a child of the hub), or None."""
        import psutil

        for proc in self.processes():
            try:
                if "jupyterhub.singleuser" in proc.cmdline() and proc.environ().get("JUPYTERHUB_USER") == user:
                    return proc
            except psutil.Error:
                continue
        return None

    def home(self, user: str) -> Path:
        return self.state / "home" / user

    def stop(self) -> None:
        """Safety net after a failure: stop the hub and anything it left (by pid, ours only)."""
        import psutil

        if self.proc.poll() is None:
            left = self.processes()
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            for proc in left:
                try:
                    proc.kill()
                except psutil.Error:
                    pass
        self._out.close()


@pytest.fixture
def hub(tmp_path):
    require_hub_tools()
    state = tmp_path / "hub"
    state.mkdir(mode=0o700)
    hub = Hub(state)
    try:
        yield hub
    finally:
        hub.stop()


def log_in(browser, hub: Hub, user: str):
    """A therapist's own browser: the hub's login form, then their server opens the app."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []
    page.requests = record_requests(context, page)  # every URL asked for, websockets included
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.goto(f"{hub.url}/hub/login", timeout=TIMEOUT)
    page.get_by_label("Username:").fill(user)
    page.get_by_label("Password:").fill(hub.password)
    page.get_by_role("button", name="Sign in").click()
    return context, page


def wait_for_app(page, hub: Hub, user: str) -> None:
    page.wait_for_url(f"{hub.url}/user/{user}/voila/render/Rekindle.ipynb*", timeout=TIMEOUT)
    page.get_by_role("tab", name="Start").wait_for(timeout=TIMEOUT)
    assert page.get_by_text("Error displaying widget").count() == 0


def add_client_in_app(page, alias: str) -> str:
    """The Therapist tab: type an alias, press Add client; returns the new client's id."""
    page.get_by_role("tab", name="Therapist").click()
    page.get_by_label("Client alias").fill(alias)
    page.get_by_role("button", name="Add client").click()
    message = page.get_by_text(re.compile(r"Added client c-[a-z2-7]{6}"))
    message.wait_for(timeout=TIMEOUT)
    return re.search(r"c-[a-z2-7]{6}", message.inner_text()).group()


def clients_in_dropdown(page) -> list[str]:
    page.get_by_role("tab", name="Therapist").click()
    dropdown = page.get_by_label("Client", exact=True)
    dropdown.wait_for(timeout=TIMEOUT)
    # the browser shows an option's spaces as non-breaking ones
    return [" ".join(text.split()) for text in dropdown.locator("option").all_inner_texts()]


def rekindle_as(hub: Hub, user: str, *args: str) -> subprocess.CompletedProcess:
    """``rekindle ...`` with the environment of ``user``'s running server (their REKINDLE_PRACTICE)."""
    env = hub.server_process(user).environ()
    return subprocess.run([sys.executable, "-m", "rekindle_widgets.cli", *args], env=env, check=False,
                          capture_output=True, text=True, timeout=60)


def running(proc) -> bool:
    import psutil

    try:
        return proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.mark.jupyterhub
@pytest.mark.slow(65)
def test_two_therapists_share_a_hub_but_not_their_clients(hub, browser):
    import psutil

    timings = {"hub start": hub.start_seconds}
    began = time.monotonic()
    # -- both therapists log in; their servers start side by side ---------------
    sessions = {user: log_in(browser, hub, user) for user in USERS}
    for user, (_, page) in sessions.items():
        wait_for_app(page, hub, user)
    timings["two logins until both apps show"] = time.monotonic() - began
    screenshot(sessions["alice"][1], "hub-01-alice-app")
    for user, (_, page) in sessions.items():  # the hub's login, the spawn page and the app: all from here
        assert page.title() == "Notes"  # hub.py put our Voila template in place
        assert off_computer(page.requests) == [], user

    servers = {user: hub.server_process(user) for user in USERS}
    for user, proc in servers.items():
        assert proc is not None, f"no server process for {user}: {hub.tail()}"
        # the repo's venv Python runs every therapist's server
        assert Path(proc.cmdline()[0]).parent == Path(sys.executable).parent
        env = proc.environ()
        practice = hub.home(user) / "rekindle-practice"
        assert env["REKINDLE_PRACTICE"] == str(practice)  # expanded per therapist, not a shared path
        assert env["HOME"] == str(hub.home(user))
        assert stat.S_IMODE(practice.stat().st_mode) == 0o700
        notebook = hub.home(user) / "Rekindle.ipynb"
        assert stat.S_IMODE(notebook.stat().st_mode) == 0o600

    # -- each adds a client -------------------------------------------------------
    aliases = {"alice": "A.K. Tuesday", "bob": "B.L. Friday"}
    ids = {}
    began = time.monotonic()
    for user, (_, page) in sessions.items():
        ids[user] = add_client_in_app(page, aliases[user])
    timings["two clients added"] = time.monotonic() - began
    for user in USERS:
        other = "bob" if user == "alice" else "alice"
        practice = hub.home(user) / "rekindle-practice"
        assert (practice / ids[user] / "client.json").is_file()
        assert not (practice / ids[other]).exists()

    # -- neither sees the other's client: in the app and in `rekindle client list` ---
    for user, (_, page) in sessions.items():
        other = "bob" if user == "alice" else "alice"
        page.reload(timeout=TIMEOUT)
        wait_for_app(page, hub, user)
        shown = " ".join(clients_in_dropdown(page))
        assert f"{aliases[user]} ({ids[user]})" in shown
        assert aliases[other] not in shown and ids[other] not in shown
        screenshot(page, f"hub-02-{user}-clients")
        assert off_computer(page.requests) == [], user
        listed = rekindle_as(hub, user, "client", "list")
        assert listed.returncode == 0, listed.stderr
        assert ids[user] in listed.stdout and aliases[user] in listed.stdout
        assert ids[other] not in listed.stdout and aliases[other] not in listed.stdout

    # -- nor by URL: the other's server, files, API, or a path out of one's own folder ---
    alice = sessions["alice"][0]
    for path in ["/user/bob/", "/user/bob/voila/render/Rekindle.ipynb", f"/user/bob/files/rekindle-practice/{ids['bob']}/client.json",
                 f"/user/bob/api/contents/rekindle-practice/{ids['bob']}", "/user/bob/lab"]:
        response = alice.request.get(hub.url + path, timeout=TIMEOUT)
        assert response.status == 403, (path, response.status, response.url)
        assert aliases["bob"] not in response.text() and ids["bob"] not in response.text()
    for path in ["/hub/api/users/bob", "/hub/user/bob/"]:
        response = alice.request.get(hub.url + path, timeout=TIMEOUT)
        assert response.status == 404, (path, response.status)  # the hub does not even say bob exists
    for path in [f"/user/alice/api/contents/..%2Fbob%2Frekindle-practice%2F{ids['bob']}",
                 f"/user/alice/files/..%2Fbob%2Frekindle-practice%2F{ids['bob']}%2Fclient.json"]:
        response = alice.request.get(hub.url + path, timeout=TIMEOUT)
        assert response.status in (403, 404), (path, response.status)
        assert aliases["bob"] not in response.text()
    own = alice.request.get(f"{hub.url}/user/alice/api/contents/rekindle-practice/{ids['alice']}", timeout=TIMEOUT)
    assert own.status == 200  # the same request for her own client works
    page = alice.new_page()
    page.goto(f"{hub.url}/user/bob/voila/render/Rekindle.ipynb", timeout=TIMEOUT)
    assert aliases["bob"] not in page.content()
    screenshot(page, "hub-03-alice-at-bobs-address")
    page.close()
    stranger = browser.new_context()
    response = stranger.request.get(f"{hub.url}/user/bob/voila/render/Rekindle.ipynb", timeout=TIMEOUT)
    assert response.url.startswith(f"{hub.url}/hub/login")  # not logged in: the login form
    page = stranger.new_page()
    page.goto(f"{hub.url}/hub/login", timeout=TIMEOUT)
    page.get_by_label("Username:").fill("bob")
    page.get_by_label("Password:").fill(hub.password + "x")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Invalid username or password").wait_for(timeout=TIMEOUT)
    stranger.close()

    # -- the culler stops a server left idle, and only that one ----------------------
    alices_processes = [servers["alice"], *servers["alice"].children(recursive=True)]
    sessions["alice"][0].close()  # alice closes her browser; bob keeps working
    bobs_page = sessions["bob"][1]
    began = time.monotonic()
    tabs = ["Start", "Mood log"]
    culled = re.compile(r"20[24] DELETE /hub/api/users/alice/server \(jupyterhub-idle-culler@")
    while any(running(p) for p in alices_processes) or not culled.search(hub.log.read_text(errors="replace")):
        assert time.monotonic() - began < CULL_TIMEOUT + 60, f"alice's idle server was not culled: {hub.tail()}"
        bobs_page.get_by_role("tab", name=tabs[0]).click()
        tabs.reverse()
        time.sleep(3)
    timings["idle server culled after"] = time.monotonic() - began
    assert "Culling server alice" in hub.log.read_text(errors="replace")
    assert servers["bob"].is_running(), "bob was working, yet his server was stopped"

    # -- the hub stops, and with it the proxy, the culler and bob's server and kernel ----
    left = hub.processes()
    kinds = " ".join(" ".join(p.cmdline()) for p in left)
    for needed in ("configurable-http-proxy", "jupyterhub_idle_culler", "jupyterhub.singleuser", "ipykernel"):
        assert needed in kinds, f"{needed} not among the hub's processes: {kinds}"
    began = time.monotonic()
    hub.proc.send_signal(signal.SIGTERM)
    assert hub.proc.wait(timeout=60) == 0, hub.tail()
    _, alive = psutil.wait_procs(left, timeout=20)
    timings["hub stop"] = time.monotonic() - began
    assert not alive, f"still running after the hub stopped: {[p.cmdline() for p in alive]}"
    with pytest.raises(OSError):
        urllib.request.urlopen(hub.url + "/hub/login", timeout=5)
    print("practice hub timings (s):", {k: round(v, 1) for k, v in timings.items()})


def test_behind_a_tls_proxy_the_public_address_makes_the_hubs_cookies_secure(monkeypatch):
    """jupyterhub#5013: behind a TLS proxy the hub sees http; its public_url tells it cookies must be Secure."""
    from types import SimpleNamespace
    from urllib.parse import urlparse

    from jupyterhub.handlers.base import BaseHandler

    c = load_config(monkeypatch, REKINDLE_HUB_PUBLIC_URL="https://practice.example.org/")
    assert c.JupyterHub.public_url == "https://practice.example.org/"
    set_cookies = []
    handler = SimpleNamespace(settings={"public_url": urlparse(c.JupyterHub.public_url)},
                              request=SimpleNamespace(protocol="http"),  # what the hub sees behind the proxy
                              set_secure_cookie=lambda key, value, **kw: set_cookies.append(kw),
                              log=SimpleNamespace(debug=lambda *a: None))
    BaseHandler._set_cookie(handler, "jupyterhub-session-id", "x")
    assert set_cookies == [{"httponly": True, "secure": True}]
    with pytest.raises(SystemExit, match="must be the https:// address"):
        load_config(monkeypatch, REKINDLE_HUB_PUBLIC_URL="http://practice.example.org/")
