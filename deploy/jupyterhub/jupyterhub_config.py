# JupyterHub for a practice: one Rekindle workbook server per therapist.
#
#     jupyterhub -f deploy/jupyterhub/jupyterhub_config.py
#
# Each therapist logs in with their own account and gets their own single-user
# Jupyter server, running as their own system user, with their own practice
# folder ($REKINDLE_PRACTICE = <their home>/rekindle-practice: one folder and one
# SQLite journal per client). Nothing is shared between therapists: no common
# notebook folder, no shared volume, private files (umask 077).
#
# Settings from the environment of the `jupyterhub` process (all optional):
#
#   REKINDLE_HUB_UI            app (default): open the workbook as a code-free app (Voila);
#                              lab: open JupyterLab (the app is still at /voila/render/Rekindle.ipynb)
#   REKINDLE_HUB_BIND_URL      public address of the proxy; default http://127.0.0.1:8000, meant to sit
#                              behind a TLS reverse proxy (nginx, Caddy). Client data never crosses a
#                              network in clear text: use https:// or a TLS proxy in front.
#   REKINDLE_HUB_PUBLIC_URL    the https:// address people use, when a TLS proxy sits in front: the hub
#                              then marks its cookies Secure (behind a proxy it cannot see the https
#                              itself; jupyterhub#5013). Without it, cookies are Secure only when the
#                              hub's own address is https.
#   REKINDLE_HUB_STATE         folder for the hub's database and cookie secret (default /srv/jupyterhub)
#   REKINDLE_HUB_GROUP         system group whose members may log in (default: therapists)
#   REKINDLE_HUB_MANAGERS      comma-separated users who may see the admin page and stop servers,
#                              but NOT open anybody's server (default: none)
#   REKINDLE_HUB_CULL_TIMEOUT  seconds of inactivity before a server is stopped (default 3600)
#   REKINDLE_HUB_PYTHON        Python of the environment that has rekindle-widgets and
#                              jupyterhub-singleuser (default: the hub's own Python)
#   REKINDLE_HUB_PROXY_CMD     configurable-http-proxy executable (default: from PATH)
#   REKINDLE_REGION            a region code (US, UK, IE, CA, AU, NZ, IN, DE, ZA, OTHER): whose hotlines
#                              the workbook shows first (default: the locale, else OTHER)
#   REKINDLE_HUB_MODE          production (default) or test; see the end of this file
#
# Authentication: PAM, i.e. the machine's own user accounts. Why PAM and not
# jupyterhub-nativeauthenticator here: this hub starts each therapist's server as
# that therapist's own Unix user (LocalProcessSpawner), and that user account is
# what keeps one therapist's client journals unreadable to another (home folders
# 0700, owned by different users). A Unix account per therapist is therefore
# needed anyway, and PAM lets them log in with exactly that account: one password
# per person, changed with `passwd`, locked with `usermod -L`, password rules and
# two-factor modules from PAM, no self-service sign-up page to guard, no second
# password store in the hub's database. NativeAuthenticator keeps its own user
# and password table and does not create system users, so it fits where the
# isolation comes from elsewhere: The Littlest JupyterHub (which creates a
# jupyter-<name> system user itself) and Kubernetes (one pod and one volume per
# therapist); docs/jupyterhub.md uses it there.
#
# The hub runs as root (needed to start servers as other users and to check
# passwords with PAM). The root user can read every therapist's files: the
# machine's administrator is trusted with the client data and must be chosen so.

import os
import pwd
import sys

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

MODE = os.environ.get("REKINDLE_HUB_MODE", "production").strip() or "production"
if MODE not in ("production", "test"):
    raise SystemExit(f"REKINDLE_HUB_MODE must be 'production' or 'test', not {MODE!r}")

UI = os.environ.get("REKINDLE_HUB_UI", "app").strip() or "app"
DEFAULT_URLS = {
    "app": "/voila/render/Rekindle.ipynb",  # rekindle_widgets.server.hub.APP_NOTEBOOK, put there at each start
    "lab": "/lab/tree/Rekindle.ipynb",
}
if UI not in DEFAULT_URLS:
    raise SystemExit(f"REKINDLE_HUB_UI must be one of {', '.join(DEFAULT_URLS)}, not {UI!r}")



def _need(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise SystemExit(f"REKINDLE_HUB_MODE=test needs {name}")
    return value


PYTHON = os.environ.get("REKINDLE_HUB_PYTHON", "").strip() or sys.executable
STATE = _need("REKINDLE_HUB_STATE") if MODE == "test" else (
    os.environ.get("REKINDLE_HUB_STATE", "").strip() or "/srv/jupyterhub")
CULL_TIMEOUT = int(os.environ.get("REKINDLE_HUB_CULL_TIMEOUT", "3600"))
PRACTICE_FOLDER = "rekindle-practice"


# -- the hub, the proxy and their state ---------------------------------------

c.JupyterHub.bind_url = os.environ.get("REKINDLE_HUB_BIND_URL", "").strip() or "http://127.0.0.1:8000"
PUBLIC_URL = os.environ.get("REKINDLE_HUB_PUBLIC_URL", "").strip()
if PUBLIC_URL:
    if not PUBLIC_URL.startswith("https://"):
        raise SystemExit(f"REKINDLE_HUB_PUBLIC_URL must be the https:// address people use, not {PUBLIC_URL[:60]!r}")
    c.JupyterHub.public_url = PUBLIC_URL  # https: every hub cookie is Secure (handlers/base.py _set_cookie)
c.JupyterHub.hub_bind_url = "http://127.0.0.1:8081"  # the hub's own API: loopback only
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:8001"  # the proxy's API: loopback only
c.ConfigurableHTTPProxy.command = [os.environ.get("REKINDLE_HUB_PROXY_CMD", "").strip() or "configurable-http-proxy"]
c.ConfigurableHTTPProxy.pid_file = os.path.join(STATE, "jupyterhub-proxy.pid")
c.JupyterHub.db_url = "sqlite:///" + os.path.join(STATE, "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(STATE, "jupyterhub_cookie_secret")
# Stopping the hub stops every therapist's server and the proxy too.
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True


# -- one server per therapist --------------------------------------------------

def therapist_home(spawner) -> str:
    """The home folder of the therapist whose server is starting."""
    home = getattr(spawner, "home_dir", "")  # SimpleLocalProcessSpawner (test mode) knows it
    return home or pwd.getpwnam(spawner.user.name).pw_dir  # else: their system account's home


def practice_folder(spawner) -> str:
    """``<home>/rekindle-practice``, worked out for each therapist when their server starts."""
    return os.path.join(therapist_home(spawner), PRACTICE_FOLDER)


# JupyterHub does not expand {placeholders} in Spawner.environment: a callable is
# called with the spawner of the therapist whose server is starting.
# REKINDLE_PRACTICE_SERVER=1: private journals, not the public demo (see binder/start).
c.Spawner.environment = {"REKINDLE_PRACTICE": practice_folder, "REKINDLE_PRACTICE_SERVER": "1"}
if os.environ.get("REKINDLE_REGION", "").strip():
    c.Spawner.environment["REKINDLE_REGION"] = os.environ["REKINDLE_REGION"].strip()

# rekindle_widgets.server.hub runs as the therapist: umask 077, creates the practice
# folder (0700) and puts Rekindle.ipynb in the home folder, then becomes
# jupyterhub-singleuser. Every therapist's server shows their own home folder only.
c.Spawner.cmd = [PYTHON, "-m", "rekindle_widgets.server.hub"]
c.Spawner.notebook_dir = "~"
c.Spawner.default_url = DEFAULT_URLS[UI]
c.Spawner.disable_user_config = True  # a therapist's ~/.jupyter cannot change the server's settings
c.Spawner.args = ["--VoilaConfiguration.show_tracebacks=False"]
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 90


# -- idle servers are stopped (jupyterhub-idle-culler, a hub-managed service) ----

c.JupyterHub.services = [
    {
        "name": "jupyterhub-idle-culler",
        "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={CULL_TIMEOUT}",
                    f"--cull-every={max(5, min(300, CULL_TIMEOUT // 4))}"],
    }
]
c.JupyterHub.load_roles = [
    {
        # JupyterHub 2+ (5 included): the culler gets only the scopes it needs, not admin.
        "name": "jupyterhub-idle-culler-role",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["jupyterhub-idle-culler"],
    },
]

# Nobody is a full hub admin: JupyterHub's admin role may open every user's
# server (scope access:servers), which would mean every client journal. A
# practice manager may see who is running and stop servers, nothing more.
c.Authenticator.admin_users = set()
MANAGERS = {name.strip() for name in os.environ.get("REKINDLE_HUB_MANAGERS", "").split(",") if name.strip()}
if MANAGERS:
    c.JupyterHub.load_roles.append({
        "name": "practice-manager",
        "scopes": ["admin-ui", "list:users", "read:users", "admin:servers"],
        "users": sorted(MANAGERS),
    })


if MODE == "production":
    # -- therapists log in with their system account (see the top of this file) --
    c.JupyterHub.authenticator_class = "pam"
    c.PAMAuthenticator.allowed_groups = {os.environ.get("REKINDLE_HUB_GROUP", "").strip() or "therapists"}
    c.PAMAuthenticator.open_sessions = False
    c.JupyterHub.spawner_class = "localprocess"  # each server runs as the therapist's own Unix user

else:
    # -- TEST ONLY (REKINDLE_HUB_MODE=test, set by tests/server/test_jupyterhub.py) --------
    # Everything below is for the integration test on one machine, never for a
    # practice: one shared password, and all servers run as the same system user.
    # SimpleLocalProcessSpawner gives each therapist their own home folder (and so
    # their own REKINDLE_PRACTICE), but the operating system does NOT keep them
    # apart: a kernel of one could read the other's files. Only the production
    # setup above (one Unix user per therapist) enforces that.
    c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{_need('REKINDLE_HUB_TEST_HUB_PORT')}"
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{_need('REKINDLE_HUB_TEST_PROXY_API_PORT')}"
    # SharedPasswordAuthenticator is JupyterHub 5.3+'s DummyAuthenticator-with-a-password
    # (DummyAuthenticator.password is deprecated): listed users, one password.
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = _need("REKINDLE_HUB_TEST_PASSWORD")
    c.Authenticator.allowed_users = set(_need("REKINDLE_HUB_TEST_USERS").split(","))
    c.JupyterHub.spawner_class = "simple"
    c.SimpleLocalProcessSpawner.home_dir_template = os.path.join(STATE, "home", "{username}")
    # Activity reaches the hub every few seconds, so the short cull timeout the test
    # uses stops only servers that are really idle.
    c.JupyterHub.last_activity_interval = 5
    c.Spawner.environment["JUPYTERHUB_ACTIVITY_INTERVAL"] = "5"
    c.Spawner.start_timeout = 60
    if os.geteuid() == 0:  # CI runs as root; SimpleLocalProcessSpawner then starts servers as root too
        c.Spawner.args = [*c.Spawner.args, "--ServerApp.allow_root=True"]
