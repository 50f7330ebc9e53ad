"""Reading files people bring: bytes to text, with the encodings met in the wild.

UTF-8 with or without a byte-order mark, UTF-16 (what spreadsheets save as
"Unicode text") and Windows line ends are read; anything else is a one-line
:class:`~rekindle_widgets.errors.RekindleError` naming the file, line and column.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from ...errors import RekindleError

MAX_BYTES = 200 * 1024 * 1024


CHUNK = 1 << 20  # bytes read at a time by read_at_most


def read_at_most(stream: IO[bytes], limit: int, what: str) -> bytes:
    """All of ``stream``, counted as it is read: past ``limit`` bytes it stops and refuses in one line.

    What a file *says* of its size (``stat``, a zip member's header) is not trusted: a pipe or device says 0,
    and a zip member can claim 1,000 bytes and inflate to gigabytes. At most ``limit`` + one chunk is held.
    """
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(min(CHUNK, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > limit:
            del chunks
            raise RekindleError(f"{what} is over {limit // (1024 * 1024)} MB; files over that are refused")
        chunks.append(chunk)


def read_bytes(path: str | Path, limit: int | None = None) -> bytes:
    """The whole file at ``path``, at most ``limit`` bytes (default :data:`MAX_BYTES`), else one line."""
    limit = MAX_BYTES if limit is None else limit
    path, fh = _checked(path, limit)
    with _read_errors(path), fh:  # counted as read: stdin, a FIFO or a device says 0 bytes to stat
        return read_at_most(fh, limit, str(path))


@contextmanager
def _read_errors(path: Path) -> Iterator[None]:
    """A file that cannot be opened or read, as one line."""
    try:
        yield
    except FileNotFoundError:
        raise RekindleError(f"file not found: {path}") from None
    except PermissionError:
        raise RekindleError(f"cannot read {path}: permission denied") from None
    except OSError as exc:
        raise RekindleError(f"cannot read {path}: {exc.strerror or exc}") from None


def _checked(path: str | Path, limit: int) -> tuple[Path, IO[bytes]]:
    """``path`` opened for reading bytes, once it is known not to be a folder nor over ``limit`` bytes."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise RekindleError(f"{path} is a folder; give the file to import")
    with _read_errors(path):
        size = path.stat().st_size
        if size > limit:
            raise RekindleError(f"{path} is {size / 1e6:.0f} MB; files over {limit // 1_000_000} MB are refused")
        return path, open(path, "rb")  # the caller closes it


class TextFile:
    """A UTF-8 file read line by line, for an import that streams (issue 25): what :func:`decode` would make
    of it, a part at a time. Line ends are made ``\\n`` as decode makes them; a byte that is not UTF-8 is the
    same one-line error as decode's, naming its line and column (:meth:`refuse`). Open it with
    :func:`open_text`, which says None for a file this does not read (UTF-16): that one is read whole."""

    def __init__(self, path: Path, raw: IO[bytes], size: int, ends_with_newline: bool):
        import io

        self.path = path
        self.size = size
        self.ends_with_newline = ends_with_newline
        self._raw = raw
        # utf-8-sig drops a BOM; newline=None reads \r\n and \r as \n, as decode does
        self.lines = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict", newline=None)

    def position(self) -> int:
        """Bytes read so far (for a progress bar; the text layer reads a little ahead)."""
        return self._raw.tell()

    def refuse(self) -> RekindleError:
        """The error for a file found not to be UTF-8 part-way: decode's, naming the line and column."""
        try:
            decode(read_bytes(self.path), self.path.name)
        except RekindleError as exc:
            return exc
        return RekindleError(f"{self.path.name}: not readable as UTF-8 text; save the file as UTF-8 and try again")

    def close(self) -> None:
        self.lines.close()


def open_text(path: str | Path, limit: int | None = None) -> TextFile | None:
    """``path`` opened for reading a line at a time (:class:`TextFile`), after the checks :func:`read_bytes`
    makes (a folder, a missing or unreadable file, one over ``limit`` bytes, each one line); None for a file
    in UTF-16, which is read whole."""
    path, raw = _checked(path, MAX_BYTES if limit is None else limit)  # closed by TextFile.close
    size = path.stat().st_size
    head = raw.read(4)
    if not path.is_file() or head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (
            len(head) >= 4 and head[1] == 0 and head[3] == 0 and head[0] != 0):
        raw.close()
        return None  # UTF-16 (or a pipe, whose size stat cannot tell): read whole, as decode reads it
    raw.seek(max(0, size - 1))
    ends = raw.read(1) in (b"\n", b"\r")
    raw.seek(0)
    return TextFile(path, raw, size, ends)


def decode(raw: bytes, name: str) -> str:
    """Text from bytes: BOM-marked UTF-16/UTF-8, else UTF-8; line ends made '\\n'."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif raw.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif len(raw) >= 4 and raw[1] == 0 and raw[3] == 0 and raw[0] != 0:
        encoding = "utf-16-le"  # UTF-16 without a BOM, as some exports write it
    else:
        encoding = "utf-8"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise RekindleError(
            f"{name} line {line}, column {column}: not readable as {encoding.upper()} text; "
            f"save the file as UTF-8 and try again"
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise RekindleError(f"{name} line {line}: contains NUL bytes; this is not a text export")
    return text.replace("\r\n", "\n").replace("\r", "\n")
