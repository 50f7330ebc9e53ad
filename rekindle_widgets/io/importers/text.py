"""Reading files people bring: bytes to text, with the encodings met in the wild.

UTF-8 with or without a byte-order mark, UTF-16 (what spreadsheets save as
"Unicode text") and Windows line ends are read; anything else is a one-line
:class:`~rekindle_widgets.errors.RekindleError` naming the file, line and column.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from ...errors import RekindleError

MAX_BYTES = 200 * 1024 * 1024


def read_bytes(path: str | Path) -> bytes:
    path = Path(path).expanduser()
    if path.is_dir():
        raise RekindleError(f"{path} is a folder; give the file to import")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise RekindleError(f"{path} is {size / 1e6:.0f} MB; files over {MAX_BYTES // 1_000_000} MB are refused")
        return path.read_bytes()
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
