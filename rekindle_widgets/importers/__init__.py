"""Importers: other files into the journal, all or nothing.

Every importer turns a file into a :class:`~.base.Parsed` (validated entries,
stage changes, responses) without touching the journal; :func:`import_file`
then writes it in one transaction, so a file goes in whole or not at all, and
entries already in the journal are skipped, so re-importing adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import RekindleError
from ..journal import ImportResult, Journal
from . import native
from .base import Parsed
from .text import decode, read_bytes

__all__ = ["FORMATS", "detect", "import_file", "parse_file"]

Parser = Callable[[str, str], Parsed]

#: format name -> (sniffer, parser). ``auto`` tries the sniffers in order.
FORMATS: dict[str, tuple[Callable[[str], bool], Parser]] = {
    "json": (native.looks_like_json, native.parse_json),
    "csv": (native.looks_like_csv, native.parse_csv),
}


def detect(text: str, name: str) -> str:
    """The format of a file, from its content (never its name)."""
    for fmt, (sniff, _) in FORMATS.items():
        if sniff(text):
            return fmt
    raise RekindleError(
        f"{name}: cannot tell what kind of file this is; give --format ({', '.join(FORMATS)})"
    )


def parse_file(path: str | Path, fmt: str = "auto") -> tuple[str, Parsed]:
    path = Path(path)
    if fmt != "auto" and fmt not in FORMATS:
        raise RekindleError(f"unknown format {fmt!r}; choose one of auto, {', '.join(FORMATS)}")
    text = decode(read_bytes(path), path.name)
    if not text.strip():
        raise RekindleError(f"{path.name} is empty; nothing to import")
    fmt = detect(text, path.name) if fmt == "auto" else fmt
    return fmt, FORMATS[fmt][1](text, path.name)


def import_file(journal: Journal, path: str | Path, fmt: str = "auto") -> ImportResult:
    """Parse ``path`` completely, then add it to ``journal`` in one transaction."""
    fmt, parsed = parse_file(path, fmt)
    stages = parsed.stages
    if parsed.stages_derived and journal.stage_changes():
        stages = []  # never let a per-entry stage column rewrite an existing timeline
    result = journal.add_entries(parsed.entries, stages=stages, responses=parsed.responses,
                                 source=f"import:{fmt}")
    if parsed.stages_derived and parsed.stages and not stages:
        result.warnings.append("the file's stage column was not used: this journal already has a stage timeline")
    return result
