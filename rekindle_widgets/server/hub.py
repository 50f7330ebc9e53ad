"""A therapist's own server on a practice JupyterHub: ``python -m rekindle_widgets.server.hub``.

JupyterHub starts this instead of ``jupyterhub-singleuser`` (see
``deploy/jupyterhub/jupyterhub_config.py`` and ``docs/jupyterhub.md``). It runs
as the therapist, inside their own server, and before handing over to
``jupyterhub-singleuser`` it:

1. sets the umask to 077, so every file the server, its kernels and the app
   create is readable by the therapist only;
2. creates the practice folder (``$REKINDLE_PRACTICE``) with mode 0700;
3. puts the app notebook, ``Rekindle.ipynb``, in the server's root folder
   (``$JUPYTERHUB_ROOT_DIR``, else the home folder), so that the hub's default
   URL ``/voila/render/Rekindle.ipynb`` opens the workbook. The copy is
   refreshed when the installed package has a newer one;
4. points Voila at Rekindle's template (:func:`rekindle_widgets.server.appserver.jupyter_env`):
   FontAwesome from the server itself, a neutral tab title and the quick exit.
   Login, tokens and Host checks stay the hub's own.

Doing this here, as the therapist, rather than in a hub hook running as root,
means no file is ever written into a home folder with root's rights (a link
planted in a home folder cannot redirect the write).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from ..errors import RekindleError
from ..model.practice import default_practice
from ..paths import private_dir, write_private

__all__ = ["APP_NOTEBOOK", "main", "prepare"]

#: The app notebook's name in a therapist's root folder; the hub's default URL points at it.
APP_NOTEBOOK = "Rekindle.ipynb"
UMASK = 0o077


def root_dir() -> Path:
    """The folder the therapist's server shows: ``$JUPYTERHUB_ROOT_DIR`` (``~`` expanded) or home."""
    return Path(os.environ.get("JUPYTERHUB_ROOT_DIR", "").strip() or "~").expanduser()


def prepare(root: Path | None = None) -> tuple[Path, Path]:
    """Private umask, practice folder and app notebook; returns ``(practice, notebook)``."""
    os.umask(UMASK)
    if os.environ.get("REKINDLE_PUBLIC_SESSION", "").strip():
        raise RekindleError("this server is marked as a public demo session (REKINDLE_PUBLIC_SESSION, set by "
                            "binder/start); on a practice hub set REKINDLE_PRACTICE_SERVER=1 in the servers' "
                            "environment (see docs/jupyterhub.md)")
    practice = private_dir(default_practice())
    root = root_dir() if root is None else Path(root)
    if not root.is_dir():
        raise RekindleError(f"the server's root folder {root} does not exist; "
                            f"ask the hub administrator to create the home folder")
    notebook = root / APP_NOTEBOOK
    if notebook.is_symlink() or (notebook.exists() and not notebook.is_file()):
        raise RekindleError(f"{notebook} is not a plain file; move it away so the app notebook can be put there")
    source = (resources.files("rekindle_widgets.server") / "app.ipynb").read_bytes()
    if not notebook.exists() or notebook.read_bytes() != source:
        write_private(notebook, source)
    return practice, notebook


def main(argv: Sequence[str] | None = None) -> None:
    """Prepare the therapist's folders, then become ``jupyterhub-singleuser`` with the same arguments."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        practice, notebook = prepare()
    except RekindleError as exc:
        print(f"rekindle: error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    print(f"rekindle: practice folder {practice}, app {notebook}", file=sys.stderr, flush=True)
    from .appserver import jupyter_env

    os.environ.update(jupyter_env())  # Voila renders with our template: nothing fetched from a CDN, quick exit
    os.execv(sys.executable, [sys.executable, "-m", "jupyterhub.singleuser", *args])


if __name__ == "__main__":
    main()
