# Rekindle on The Littlest JupyterHub (TLJH): a drop-in for TLJH's own config.
#
#     sudo cp deploy/jupyterhub/tljh-rekindle.py /opt/tljh/config/jupyterhub_config.d/rekindle.py
#     sudo tljh-config reload
#
# TLJH already gives each therapist a system user of their own (jupyter-<name>,
# home /home/jupyter-<name>), runs their server as that user (SystemdSpawner),
# and runs the idle culler (tljh-config services.cull.*). This file adds what
# Rekindle needs on top; docs/jupyterhub.md has the whole setup.

import os

USER_ENV = "/opt/tljh/user"  # TLJH's user environment, where rekindle-widgets is installed
UI = os.environ.get("REKINDLE_HUB_UI", "app").strip() or "app"

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

# The practice folder in each therapist's own home: "~" is the home of the user
# the server runs as (Rekindle expands it there), so each therapist gets their own.
# REKINDLE_PRACTICE_SERVER=1: private journals, not the public demo (see binder/start).
c.Spawner.environment.update({"REKINDLE_PRACTICE": "~/rekindle-practice", "REKINDLE_PRACTICE_SERVER": "1"})

# umask 077, practice folder 0700, Rekindle.ipynb in the home folder; then jupyterhub-singleuser.
c.Spawner.cmd = [f"{USER_ENV}/bin/python", "-m", "rekindle_widgets.server.hub"]
c.Spawner.notebook_dir = "~"
c.Spawner.default_url = {"app": "/voila/render/Rekindle.ipynb", "lab": "/lab/tree/Rekindle.ipynb"}[UI]
c.Spawner.disable_user_config = True
c.SystemdSpawner.isolate_tmp = True  # a private /tmp per therapist
c.SystemdSpawner.isolate_devices = True
c.SystemdSpawner.disable_user_sudo = True  # nobody becomes root from a browser tab; administer over SSH
