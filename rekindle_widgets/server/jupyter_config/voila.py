"""Voila's settings for Rekindle that a JSON file cannot hold (voila.json holds the rest; the Voila app reads
voila.py and voila.json from each config folder): ``rekindle app`` and Binder's ``binder/start`` put this folder
first on ``JUPYTER_CONFIG_PATH``.

Kernels talk to the server over Unix sockets in its private connection folder, not TCP ports on 127.0.0.1: a
port chosen free can be taken before the kernel binds it (the kernel then dies and the page waits a minute),
and there is no kernel traffic on TCP at all. POSIX only: Windows has no Unix-socket transport for ZeroMQ.
"""

import os

c = get_config()  # type: ignore[name-defined]  # noqa: F821  (traitlets provides it to a config file)

if os.name == "posix":
    c.KernelManager.transport = "ipc"
