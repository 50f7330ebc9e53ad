"""Where a person's data lives.

One folder per person, ``REKINDLE_HOME``: by default the platform's user data
folder (``~/.local/share/rekindle`` on Linux), with ``journal.sqlite`` inside.
Folders are made private (0700) and files 0600, whatever the umask.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import RekindleError

__all__ = ["JOURNAL_NAME", "default_journal", "home", "own_journal", "practice_home", "private_dir", "public_session",
           "write_private"]

JOURNAL_NAME = "journal.sqlite"


#: the environment variable naming the data folder
HOME_ENV = "REKINDLE_HOME"


def home() -> Path:
    """The data folder: ``$REKINDLE_HOME`` or the platformdirs user data dir."""
    env = os.environ.get(HOME_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("rekindle", appauthor=False))


def default_journal() -> Path:
    """``$REKINDLE_JOURNAL`` if set (the app and notebooks pass it on), else ``home()/journal.sqlite``."""
    env = os.environ.get("REKINDLE_JOURNAL", "").strip()
    return Path(env).expanduser() if env else home() / JOURNAL_NAME


def own_journal() -> Path:
    """The person's own journal, ``home()/journal.sqlite``, whatever ``$REKINDLE_JOURNAL`` says.

    ``make app`` and Binder open the example journal (``$REKINDLE_JOURNAL``); "Start my own journal" makes
    this one, and from then on the app and the notebooks open it (:func:`rekindle_widgets.journal.as_journal`).
    """
    return home() / JOURNAL_NAME


#: the environment variable naming a therapist's practice folder
PRACTICE_ENV = "REKINDLE_PRACTICE"


def practice_home() -> Path:
    """The practice folder by default: ``$REKINDLE_PRACTICE`` if set, else ``practice`` in :func:`home`."""
    env = os.environ.get(PRACTICE_ENV, "").strip()
    return Path(env).expanduser() if env else home() / "practice"


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if needed; a folder we create is 0700."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise RekindleError(f"{path} is a file, not a folder; choose another location")
    missing = [p for p in [path, *path.parents] if not p.exists()]
    for folder in reversed(missing):  # each folder we create is private, not only the last
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            continue
        except OSError as exc:
            raise RekindleError(f"cannot create folder {folder}: {exc.strerror or exc}") from None
        os.chmod(folder, 0o700)  # mkdir's mode is filtered by the umask
    return path


def write_private(path: str | os.PathLike[str], data: bytes | str) -> Path:
    """Write ``data`` to ``path`` whole or not at all (temp file + rename), mode 0600.

    A person's exports, charts and reports hold personal data: they are never
    left half-written and never readable by other users of the machine.
    """
    import tempfile

    path = Path(path).expanduser()
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if path.is_dir():
        raise RekindleError(f"{path} is a folder; give a file name to write to")
    folder = path.parent
    if not folder.is_dir():
        raise RekindleError(f"cannot write {path}: folder {folder} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise RekindleError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise RekindleError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def public_session() -> bool:
    """True on Binder: a public, temporary machine that forgets everything after ~10 idle minutes.

    ``binder/start`` sets ``REKINDLE_PUBLIC_SESSION=1``; BinderHub's own
    ``BINDER_LAUNCH_HOST`` / ``BINDER_REPO_URL`` are recognised too.
    """
    return any(os.environ.get(name) for name in ("REKINDLE_PUBLIC_SESSION", "BINDER_LAUNCH_HOST", "BINDER_REPO_URL"))
