"""What a record module's mixin (:mod:`.watch`, :mod:`.forward`, :mod:`.plans`) uses of the Journal it is part of.

:class:`JournalPart` is empty when the program runs; for the type checker it declares the members of
:class:`~.store.Journal` the mixins call (the connection, one transaction, a read snapshot, the change log's
helpers), once, so each mixin states its needs by inheriting it rather than by a list of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite3
    from contextlib import AbstractContextManager
    from pathlib import Path

    from ..errors import RekindleError

__all__ = ["JournalPart"]


class JournalPart:
    """The base of the journal's record mixins: nothing at run time (see the module)."""

    if TYPE_CHECKING:
        path: Path

        @property
        def _conn(self) -> sqlite3.Connection: ...
        def _write(self) -> AbstractContextManager[sqlite3.Connection]: ...
        def _snapshot(self) -> AbstractContextManager[sqlite3.Connection]: ...
        def _error(self, exc: sqlite3.Error) -> RekindleError: ...
        def _delete(self, table: str, row_id: Any, what: str) -> None: ...
        @staticmethod
        def _log(conn: sqlite3.Connection, kind: str, table: str, row_id: int | None) -> None: ...
        @staticmethod
        def _new_id(conn: sqlite3.Connection, table: str) -> int: ...
        @staticmethod
        def _current(conn: sqlite3.Connection, table: str, row_id: int) -> dict[str, Any] | None: ...
        @staticmethod
        def _change_row(conn: sqlite3.Connection, table: str, old: dict[str, Any], new: dict[str, Any]) -> bool: ...
