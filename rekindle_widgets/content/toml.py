"""The one TOML reader for content files: the guide and every instrument.

:func:`load_toml` reads a file; :class:`Reader` walks what it holds and names
the file and the key in every error, e.g.
``guide.toml: stages[2].prompts: expected a non-empty list of strings`` or
``phq9.toml: items[8].choices: 'often' is not a choice set (known: frequency)``.
Both the guide (:mod:`.guide`) and the instruments (:mod:`.instruments`) read
through it, so a broken file reads the same whichever it is.
"""

from __future__ import annotations

import builtins
import datetime as dt
import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import RekindleError

__all__ = ["ContentError", "Reader", "content_path", "load_toml"]


class ContentError(RekindleError):
    """A content file is missing a key or has a value of the wrong shape."""


def content_path(name: str) -> Path:
    """Path of a file (or folder) in the package's ``content`` folder, e.g. ``guide.toml``."""
    return Path(str(resources.files("rekindle_widgets") / "content" / name))


def load_toml(path: Path) -> dict[str, Any]:
    """A TOML file's tables; a missing or malformed file is a :class:`ContentError` naming it."""
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ContentError(f"{path.name}: file not found at {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(f"{path.name}: not valid TOML ({exc})") from None


class Reader:
    """Typed access to a TOML table that names the file and key in every error.

    ``Reader("phq9.toml", data)`` reads the top level; :meth:`table` and
    :meth:`tables` step into a table or an array of tables, keeping the path
    (``items[8]``) for the messages. Required keys: :meth:`str`, :meth:`int`,
    :meth:`number`, :meth:`strings`; optional ones: :meth:`has`,
    :meth:`opt_str`, :meth:`opt_bool`, :meth:`opt_strings`. (Annotations say
    ``builtins.str`` because the methods ``str`` and ``int`` shadow the builtins here.)
    """

    def __init__(self, file: builtins.str, data: Any, key: builtins.str = ""):
        self.file, self.data, self.key = file, data, key

    def _where(self, name: builtins.str | builtins.int) -> builtins.str:
        if isinstance(name, int):
            return f"{self.key}[{name}]"
        return f"{self.key}.{name}" if self.key else name

    def fail(self, name: builtins.str | builtins.int, problem: builtins.str) -> ContentError:
        """The error for key ``name`` of this table: ``file: key.name: problem``."""
        return ContentError(f"{self.file}: {self._where(name)}: {problem}")

    def get(self, name: builtins.str) -> Any:
        """The raw value of a required key."""
        if not isinstance(self.data, dict):
            raise ContentError(f"{self.file}: {self.key or 'top level'}: expected a table")
        if name not in self.data:
            raise self.fail(name, "missing")
        return self.data[name]

    def has(self, name: builtins.str) -> bool:
        return isinstance(self.data, dict) and name in self.data

    def check_keys(self, allowed: set[builtins.str]) -> None:
        """Refuse a key this table may not have (a typo would otherwise be silently ignored)."""
        for key in self.data:
            if key not in allowed:
                raise self.fail(key, f"unknown key; expected one of {', '.join(sorted(allowed))}")

    # -- required keys ---------------------------------------------------------

    def str(self, name: builtins.str, *, empty: bool = False) -> builtins.str:
        value = self.get(name)
        if not isinstance(value, str) or (not empty and not value.strip()):
            raise self.fail(name, "expected a non-empty string" if not empty else "expected a string")
        return value.strip()

    def int(self, name: builtins.str) -> builtins.int:
        value = self.get(name)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.fail(name, "expected a whole number")
        return value

    def number(self, name: builtins.str) -> float:
        value = self.get(name)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(name, "expected a number")
        return value

    def url(self, name: builtins.str, *, empty: bool = False) -> builtins.str:
        """A web address starting http:// or https:// (or, with ``empty``, nothing)."""
        value = self.str(name, empty=empty)
        if value and not re.match(r"https?://[^\s/]+\.[^\s]+$", value):
            raise self.fail(name, f"expected a web address starting http:// or https://, not {value!r}")
        return value

    def date(self, name: builtins.str, *, what: builtins.str = "a date") -> dt.date:
        """A calendar date: a TOML date (2026-12-01) or the same as a string; not a date and time.

        ``what`` says in the error which date is meant ("the date the number was checked").
        """
        value = self.get(name)
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value.strip())
            except ValueError:
                raise self.fail(name, f"expected {what} (2026-12-01), not {value!r}") from None
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            raise self.fail(name, f"expected {what}, e.g. 2026-12-01")
        return value

    def strings(self, name: builtins.str) -> tuple[builtins.str, ...]:
        value = self.get(name)
        if not (isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value)):
            raise self.fail(name, "expected a non-empty list of strings")
        return tuple(v.strip() for v in value)

    def table(self, name: builtins.str) -> Reader:
        value = self.get(name)
        if not isinstance(value, dict):
            raise self.fail(name, "expected a table")
        return Reader(self.file, value, self._where(name))

    def tables(self, name: builtins.str) -> list[Reader]:
        value = self.get(name)
        if not (isinstance(value, list) and value and all(isinstance(v, dict) for v in value)):
            raise self.fail(name, "expected a non-empty array of tables")
        where = self._where(name)
        return [Reader(self.file, v, f"{where}[{i}]") for i, v in enumerate(value)]

    # -- optional keys ---------------------------------------------------------

    def opt_str(self, name: builtins.str, default: builtins.str = "") -> builtins.str:
        return self.str(name) if self.has(name) else default

    def opt_bool(self, name: builtins.str, default: bool) -> bool:
        if not self.has(name):
            return default
        value = self.data[name]
        if not isinstance(value, bool):
            raise self.fail(name, "expected true or false")
        return value

    def opt_strings(self, name: builtins.str) -> tuple[builtins.str, ...]:
        return self.strings(name) if self.has(name) else ()
