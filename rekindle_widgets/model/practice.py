"""A therapist's practice folder: one folder and one journal per client.

::

    <practice>/                      0700; --practice DIR, $REKINDLE_PRACTICE or $REKINDLE_HOME/practice
        c-k3m9qa/                    0700; one folder per client, named by its id
            client.json              0600; {"id", "alias", "created", "archived"}
            journal.sqlite           0600; that client's journal (entries, stages, responses, sessions)
            journal.sqlite-wal ...   SQLite's own files, and backups kept when the schema is upgraded

Clients are kept apart by the file system, not by a column in a shared table:
each client's data is in its own SQLite file, so no query can mix two clients,
and erasing a client is removing one folder.

A client has a generated **id** (``c-`` and six lower-case letters or digits
2-7, unique in the practice) that names its folder, and an **alias** the
therapist chooses (initials or a nickname are encouraged, not a legal name),
kept only in ``client.json``. Neither may hold anything that could point
outside the practice folder (``/``, ``\\``, ``..``, control characters), and
every path is resolved and checked to be inside it before use.
"""

from __future__ import annotations

import base64
import builtins
import json
import os
import secrets
import shutil
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import RekindleError
from ..journal.copies import copies_of, forget_copies
from ..paths import JOURNAL_NAME, PRACTICE_ENV, practice_home, private_dir, write_private

if TYPE_CHECKING:
    from ..journal import Activity, Journal

__all__ = ["CLIENT_FILE", "ENV", "MAX_ALIAS", "Client", "Practice", "check_alias", "check_id",
           "default_practice"]

ENV = PRACTICE_ENV
CLIENT_FILE = "client.json"
CLIENT_FORMAT = "rekindle-client"
ID_PREFIX = "c-"
ID_LENGTH = 6
_ID_ALPHABET = frozenset("abcdefghijklmnopqrstuvwxyz234567")  # lower-case base32
MAX_ALIAS = 64
_LOCK = ".lock"


def default_practice() -> Path:
    """``$REKINDLE_PRACTICE`` if set, else ``practice`` in the data folder (``$REKINDLE_HOME``)."""
    return practice_home()


def _unsafe(text: str) -> str | None:
    """Why ``text`` could not safely name anything in the practice folder, or None."""
    if not text:
        return "it is empty"
    if any(unicodedata.category(c) in {"Cc", "Cf", "Zl", "Zp"} for c in text):
        return "it contains control characters"
    if "/" in text or "\\" in text:
        return "it contains '/' or '\\'"
    if text.strip(". ") == "":
        return "it is only dots"
    if ".." in text:
        return "it contains '..'"
    if os.path.isabs(text) or (len(text) > 1 and text[1] == ":"):
        return "it is an absolute path"
    if len(text) > MAX_ALIAS:
        return f"it is longer than {MAX_ALIAS} characters"
    return None


def is_id(text: str) -> bool:
    return (len(text) == len(ID_PREFIX) + ID_LENGTH and text.startswith(ID_PREFIX)
            and set(text[len(ID_PREFIX):]) <= _ID_ALPHABET)


def check_id(text: object) -> str:
    """A client id such as ``c-k3m9qa``, else a one-line error."""
    if not isinstance(text, str) or not is_id(text):
        shown = repr(text)[:40]
        raise RekindleError(
            f"{shown} is not a client id; ids look like c-k3m9qa (see 'rekindle client list')"
        )
    return text


def check_alias(text: object) -> str:
    """An alias a therapist chose: short, printable, nothing path-like; spaces normalised."""
    if not isinstance(text, str):
        raise RekindleError(f"a client alias must be text, not {type(text).__name__}")
    why = _unsafe(text.strip()) or _unsafe(" ".join(text.split()))
    if why:
        raise RekindleError(
            f"client alias {text[:40]!r} is refused: {why}; use initials or a nickname such as 'J.K.' or 'Tuesday 3pm'"
        )
    alias = " ".join(text.split())
    if is_id(alias.lower()):
        raise RekindleError(f"client alias {alias!r} looks like a client id; choose another alias")
    return alias


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Client:
    """One client of the practice: an id, an alias, and a folder holding their journal."""

    id: str
    alias: str
    created: str  # ISO 8601, UTC
    archived: str | None  # when it was archived (ISO 8601, UTC), or None
    folder: Path

    @property
    def is_archived(self) -> bool:
        return self.archived is not None

    @property
    def journal_path(self) -> Path:
        return self.folder / JOURNAL_NAME

    def open_journal(self, *, create: bool = True) -> Journal:
        """This client's journal (and only theirs)."""
        from ..journal import Journal

        return Journal(self.journal_path, create=create)

    def activity(self) -> Activity:
        """``(entries, last entry day or None, sessions)``; (0, None, 0) when there is no journal yet."""
        from ..journal import Activity

        if not self.journal_path.exists():
            return Activity(0, None, 0)
        with self.open_journal(create=False) as journal:
            return journal.activity()

    def __str__(self) -> str:
        return f"{self.id} ({self.alias})"


class Practice:
    """The practice folder: ``Practice()`` uses ``$REKINDLE_PRACTICE`` or the default location."""

    def __init__(self, path: str | os.PathLike[str] | None = None):
        folder = Path(path).expanduser() if path is not None else default_practice()
        if folder.exists() and not folder.is_dir():
            raise RekindleError(f"practice folder {folder} is a file; give a folder with --practice")
        self.path = folder.resolve()
        from ..content.instruments import use_practice

        use_practice(self.path)  # its own questionnaires are offered from now on (content/instruments.py)

    def __repr__(self) -> str:
        return f"Practice({str(self.path)!r})"

    # -- paths -------------------------------------------------------------

    def _folder(self, client_id: str) -> Path:
        """The folder of ``client_id``, checked to lie directly inside the practice folder."""
        folder = self.path / check_id(client_id)
        if folder.is_symlink():
            raise RekindleError(f"{folder} is a link, not a client folder; remove the link")
        if folder.resolve().parent != self.path:
            raise RekindleError(f"client folder {folder} is outside the practice folder {self.path}")
        return folder

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """One change to the practice at a time (two windows adding the same alias, say)."""
        private_dir(self.path)
        fd = os.open(self.path / _LOCK, os.O_CREAT | os.O_RDWR, 0o600)
        try:
            try:
                import fcntl
            except ImportError:  # pragma: no cover - not POSIX: best effort, no lock
                pass
            else:
                fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    # -- reading -----------------------------------------------------------

    def _read(self, folder: Path) -> Client:
        record_path = folder / CLIENT_FILE
        try:
            record = json.loads(record_path.read_text(encoding="utf-8"))
            if record.get("format") != CLIENT_FORMAT or record.get("id") != folder.name:
                raise ValueError("not this client's record")
            return Client(id=folder.name, alias=check_alias(record["alias"]), created=str(record["created"]),
                          archived=record.get("archived"), folder=folder)
        except FileNotFoundError:
            raise RekindleError(
                f"client {folder.name} has no {CLIENT_FILE}; the folder {folder} is incomplete: "
                f"erase it with 'rekindle client erase {folder.name} --yes' if it holds nothing you need"
            ) from None
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise RekindleError(
                f"{record_path} is not a readable client record ({exc}); restore it from a backup"
            ) from None

    def _folders(self) -> list[Path]:
        try:
            if not self.path.is_dir():
                return []
            return sorted(p for p in self.path.iterdir() if is_id(p.name) and p.is_dir() and not p.is_symlink())
        except PermissionError:
            raise RekindleError(
                f"cannot read the practice folder {self.path}: permission denied; is it another user's?"
            ) from None

    def list(self, include_archived: bool = False) -> list[Client]:
        """The clients, oldest first; archived ones only with ``include_archived``."""
        clients = [self._read(folder) for folder in self._folders()]
        clients.sort(key=lambda c: (c.created, c.id))
        return [c for c in clients if include_archived or not c.is_archived]

    def get(self, id_or_alias: str) -> Client:
        """The client with this id or alias (aliases match whatever the case); archived ones too."""
        if not isinstance(id_or_alias, str):
            raise RekindleError(f"a client is named by its id or alias, not {id_or_alias!r}")
        text = id_or_alias.strip()
        why = _unsafe(text)
        if why:
            raise RekindleError(f"client {id_or_alias[:40]!r} is refused: {why}; give a client id such as c-k3m9qa")
        if is_id(text):
            folder = self._folder(text)
            if folder.is_dir():
                return self._read(folder)
        else:
            wanted = " ".join(text.split()).casefold()
            for client in self.list(include_archived=True):
                if client.alias.casefold() == wanted:
                    return client
        raise RekindleError(
            f"no client {text!r} in the practice {self.path}; see 'rekindle client list --all'"
        )

    # -- changing ----------------------------------------------------------

    def add(self, alias: str) -> Client:
        """A new client with a fresh id, its folder and an empty journal."""
        alias = check_alias(alias)
        with self._locked():
            taken = {c.alias.casefold(): c for c in self.list(include_archived=True)}
            if alias.casefold() in taken:
                raise RekindleError(
                    f"client alias {alias!r} is already used by {taken[alias.casefold()].id}; choose another alias"
                )
            while True:
                client_id = ID_PREFIX + base64.b32encode(secrets.token_bytes(5)).decode("ascii").lower()[:ID_LENGTH]
                folder = self._folder(client_id)
                try:
                    folder.mkdir(mode=0o700)
                except FileExistsError:
                    continue  # one in a billion: draw again
                except OSError as exc:
                    raise RekindleError(f"cannot create client folder {folder}: {exc.strerror or exc}") from None
                break
            try:
                os.chmod(folder, 0o700)
                client = Client(id=client_id, alias=alias, created=_now(), archived=None, folder=folder)
                self._write(client)
                client.open_journal().close()
            except BaseException:
                shutil.rmtree(folder, ignore_errors=True)
                raise
        return client

    def _write(self, client: Client) -> None:
        record = {"format": CLIENT_FORMAT, "version": 1, "id": client.id, "alias": client.alias,
                  "created": client.created, "archived": client.archived}
        write_private(client.folder / CLIENT_FILE, json.dumps(record, ensure_ascii=False, indent=1) + "\n")

    def archive(self, client_id: str, archived: bool = True) -> Client:
        """Hide a client from :meth:`list` (their data stays); ``archived=False`` brings them back."""
        self.get(client_id)  # an unknown or unsafe name is refused before anything is created
        with self._locked():
            client = self.get(client_id)
            if client.is_archived == archived:
                return client
            client = Client(client.id, client.alias, client.created, _now() if archived else None, client.folder)
            self._write(client)
        return client

    def unarchive(self, client_id: str) -> Client:
        return self.archive(client_id, archived=False)

    def files(self, client_id: str) -> builtins.list[Path]:
        """Everything of this client on disk: files (links too) first, then folders, the client's last."""
        folder = self._folder(client_id)
        if not folder.is_dir():
            raise RekindleError(f"no client {client_id} in the practice {self.path}; see 'rekindle client list --all'")
        found: builtins.list[Path] = []
        folders: list[Path] = []
        for top, dirs, names in os.walk(folder, topdown=False, followlinks=False):
            here = Path(top)
            found.extend(here / n for n in sorted(names))
            for d in sorted(dirs):
                (found if (here / d).is_symlink() else folders).append(here / d)
        return found + folders + [folder]

    def erase(self, client_id: str, yes: bool = False) -> builtins.list[Path]:
        """Remove every file of a client, folder included, and every safety copy of their journal; returns them.

        Without ``yes=True`` nothing is removed: the list is what would be.
        Erasing needs the exact id, not the alias, so the right client goes.
        The client's journal must not be open elsewhere (the app, a notebook).
        """
        if not (isinstance(client_id, str) and is_id(client_id.strip())):
            client = self.get(client_id)  # refuses unsafe text and unknown names first
            raise RekindleError(
                f"erase needs the client id, not the alias {client.alias!r}, so the right client is removed: "
                f"check that {client.id} is the client you mean and give that id"
            )
        client_id = client_id.strip()
        self.files(client_id)  # an unknown client is refused before anything is created
        with self._locked():
            if not yes:  # what would go: the client's folder, and the copies kept elsewhere (safety copies)
                inside = self.files(client_id)
                return inside + [p for p in copies_of(self._folder(client_id) / JOURNAL_NAME) if p not in inside]
            folder = self._folder(client_id)
            planned = self.files(client_id)  # before the check: SQLite tidies its -wal/-shm when it closes
            self._check_not_in_use(folder / JOURNAL_NAME)
            files = [p for p in planned if p.is_symlink() or not p.is_dir()]
            folders = [p for p in planned if p not in files]
            for _ in range(3):  # a file that appears while erasing (SQLite's -shm, say) is taken too
                if not folder.is_dir():
                    break
                for path in self.files(client_id):
                    is_folder = path.is_dir() and not path.is_symlink()
                    try:
                        path.rmdir() if is_folder else path.unlink()
                    except FileNotFoundError:
                        pass
                    except OSError as exc:
                        if is_folder and folder.is_dir() and any(path.iterdir()):
                            continue  # something appeared in it: the next pass takes it
                        raise RekindleError(
                            f"could not remove {path} ({exc.strerror or exc}); the client is partly erased: "
                            f"fix the permissions and run the erase again"
                        ) from None
                    kept = folders if is_folder else files
                    if path not in kept:
                        kept.append(path)  # appeared while erasing
            if folder.exists():
                raise RekindleError(f"could not remove all of {folder}; close any program using it and erase again")
            files.extend(forget_copies(folder / JOURNAL_NAME))  # the safety copies hold the client's notes too
        folders.sort(key=lambda p: (p == folder, -len(p.parts)))  # deepest first, the client's own folder last
        return files + folders

    @staticmethod
    def _check_not_in_use(journal: Path) -> None:
        """Refuse while any connection has the journal open (the app, a notebook, another command)."""
        from ..journal import open_elsewhere

        if open_elsewhere(journal):  # an unreadable file is still this client's file: erase it
            raise RekindleError(
                f"journal {journal} is open in another window or program (the app, a notebook); "
                f"close it and erase again"
            )
