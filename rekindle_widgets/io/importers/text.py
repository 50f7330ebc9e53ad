"""Reading files people bring: bytes to text, with the encodings met in the wild.

UTF-8 with or without a byte-order mark, UTF-16 (what spreadsheets save as
"Unicode text") and Windows line ends are read; anything else is a one-line
:class:`~rekindle_widgets.errors.RekindleError` naming the file, line and column.
"""

from __future__ import annotations

import codecs
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
    path = Path(path).expanduser()
    if path.is_dir():
        raise RekindleError(f"{path} is a folder; give the file to import")
    try:
        size = path.stat().st_size
        if size > limit:
            raise RekindleError(f"{path} is {size / 1e6:.0f} MB; files over {limit // 1_000_000} MB are refused")
        with open(path, "rb") as fh:  # counted as read: stdin, a FIFO or a device says 0 bytes to stat
            return read_at_most(fh, limit, str(path))
    except FileNotFoundError:
        raise RekindleError(f"file not found: {path}") from None
    except PermissionError:
        raise RekindleError(f"cannot read {path}: permission denied") from None
    except OSError as exc:
        raise RekindleError(f"cannot read {path}: {exc.strerror or exc}") from None


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
