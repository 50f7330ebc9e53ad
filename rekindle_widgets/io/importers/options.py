"""What a person can tell an importer: mood label mapping, time zone, CSV column mapping.

Everything here is parsed and checked once, in the package, so the command
line and the widget mean the same thing by ``--map so-so=3``, ``--tz
Europe/London`` or ``--mood-scale 1..10``.

Mapping file format (``--map-file``): one ``label = level`` per line, the same
text as ``--map`` takes; blank lines and lines starting with ``#`` are ignored,
a label may be put in double quotes (``"ok-ish" = 3``). Levels are 1 (awful)
to 5 (rad). Labels match without regard to case or surrounding spaces.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import tzinfo
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType

from ...errors import RekindleError
from ...journal import MOOD_LABELS
from .languages import DAYLIO_MOODS, label_key

__all__ = [
    "DEFAULT_LABELS",
    "Options",
    "Progress",
    "label_key",
    "parse_map_specs",
    "parse_mood_scale",
    "parse_tz",
    "parse_where",
    "read_map_file",
]

#: progress(done, total): called while entries are written (and once at the end).
Progress = Callable[[int, int], None]

#: Daylio's default labels (and Pixels' levels): rad 5 ... awful 1.
DEFAULT_LABELS: Mapping[str, int] = MappingProxyType({label: level for level, label in MOOD_LABELS.items()})




def _level(value: str, where: str) -> int:
    text = value.strip()
    if not (text.isdecimal() and len(text) <= 3 and 1 <= int(text) <= 5):
        raise RekindleError(f"{where}: the level must be a whole number from 1 (awful) to 5 (rad), not {text!r}")
    return int(text)


def _one_mapping(spec: str, where: str) -> tuple[str, int]:
    if "=" not in spec:
        raise RekindleError(f"{where}: {spec!r} is not LABEL=LEVEL; write it like --map \"so-so=3\"")
    label, level = spec.rsplit("=", 1)
    label = label.strip()
    if len(label) >= 2 and label[0] == label[-1] == '"':
        label = label[1:-1]
    if not label_key(label):
        raise RekindleError(f"{where}: {spec!r} has no label before '='")
    return label_key(label), _level(level, where)


def parse_map_specs(specs: Iterable[str], where: str = "--map") -> dict[str, int]:
    """``["so-so=3", "superb = 5"]`` -> ``{"so-so": 3, "superb": 5}`` (keys via :func:`label_key`)."""
    mapping: dict[str, int] = {}
    for spec in specs:
        key, level = _one_mapping(spec, where)
        if key in mapping and mapping[key] != level:
            raise RekindleError(f"{where}: label {key!r} is mapped twice, to {mapping[key]} and {level}")
        mapping[key] = level
    return mapping


def read_map_file(path: str | Path) -> dict[str, int]:
    """A ``label = level`` file (see the module docstring) as a mapping."""
    from .text import decode, read_bytes

    path = Path(path)
    text = decode(read_bytes(path), path.name)
    mapping: dict[str, int] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{path.name} line {number}"
        key, level = _one_mapping(line, where)
        if key in mapping and mapping[key] != level:
            raise RekindleError(f"{where}: label {key!r} is mapped twice, to {mapping[key]} and {level}")
        mapping[key] = level
    if not mapping:
        raise RekindleError(f"{path.name}: no 'label = level' lines found; write one per line, e.g. so-so = 3")
    return mapping


_SCALE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(?:\.\.|-|–|:)\s*(-?\d+(?:\.\d+)?)\s*$")


def parse_mood_scale(text: str) -> tuple[Fraction, Fraction]:
    """``"1..10"`` -> ``(1, 10)``: the scale a CSV's mood column uses (rescaled to 1-5)."""
    match = _SCALE.match(str(text))
    if not match:
        raise RekindleError(f"--mood-scale {text!r} is not MIN..MAX; write it like --mood-scale 1..10")
    try:
        low, high = Fraction(match[1]), Fraction(match[2])
    except ValueError:  # over 4,300 digits
        raise RekindleError(f"--mood-scale {text[:40]!r}...: a number is too long; write it like 1..10") from None
    if high <= low:
        raise RekindleError(f"--mood-scale {text!r}: the maximum must be larger than the minimum")
    return low, high


def parse_where(specs: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """``["category=Mood"]`` -> ``(("category", "Mood"),)``: keep only rows whose column holds the value."""
    found: list[tuple[str, str]] = []
    for spec in specs:
        column, sep, value = str(spec).partition("=")
        if not sep or not column.strip():
            raise RekindleError(f"--where {spec!r} is not COLUMN=VALUE; write it like --where category=Mood")
        found.append((column.strip(), value.strip()))
    return tuple(found)


def parse_tz(name: str | None) -> tzinfo | None:
    """A time zone from its IANA name (``Europe/London``); None means the computer's own."""
    if name is None or not str(name).strip():
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(str(name).strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file name
        raise RekindleError(
            f"--tz {str(name)[:60]!r} is not a known time zone; use a name such as Europe/London or America/New_York"
        ) from None


@dataclass(frozen=True)
class Options:
    """How to read a file. Every field is optional; the defaults suit the apps' own exports."""

    #: extra or overriding mood labels -> level 1-5 (keys compared via :func:`label_key`)
    mood_map: Mapping[str, int] = field(default_factory=dict)
    #: time zone for files whose times carry none (Daylio CSV, Pixels, generic CSV); None = local
    tz: tzinfo | None = None
    # generic CSV column mapping
    date_col: str | None = None
    mood_col: str | None = None
    note_col: str | None = None
    tags_col: str | None = None
    readiness_col: str | None = None
    mood_scale: tuple[Fraction, Fraction] | None = None
    date_format: str | None = None
    #: a separate time-of-day column (generic CSV)
    time_col: str | None = None
    #: only rows whose COLUMN holds VALUE (generic CSV), e.g. (("category", "Mood"),)
    where: tuple[tuple[str, str], ...] = ()
    #: import what can be read and list the unreadable lines, instead of refusing the file
    skip_invalid: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "mood_map", {label_key(k): int(v) for k, v in dict(self.mood_map).items()})
        for key, level in self.mood_map.items():
            if not 1 <= level <= 5:
                raise RekindleError(f"mood label {key!r} is mapped to {level}; levels are 1 (awful) to 5 (rad)")

    @property
    def has_columns(self) -> bool:
        """True when a column was named (or --where given): the file is read as a generic CSV.

        ``--mood-scale`` and ``--date-format`` alone do not force that: Bearable reads ``--mood-scale`` too.
        """
        return any(v is not None for v in (self.date_col, self.mood_col, self.note_col, self.tags_col,
                                           self.readiness_col, self.time_col)) or bool(self.where)

    def given(self) -> dict[str, str]:
        """option name -> command-line flag, for every option set (to refuse the ones a format ignores)."""
        flags = {"mood_map": "--map", "tz": "--tz", "date_col": "--date-col", "mood_col": "--mood-col",
                 "note_col": "--note-col", "tags_col": "--tags-col", "readiness_col": "--readiness-col",
                 "mood_scale": "--mood-scale", "date_format": "--date-format", "time_col": "--time-col",
                 "where": "--where", "skip_invalid": "--skip-invalid"}
        return {key: flag for key, flag in flags.items() if getattr(self, key) not in (None, (), {}, False)}

    def labels(self) -> dict[str, int]:
        """Daylio's default names (every language we have a source for) overlaid with the person's own mapping."""
        return {**DAYLIO_MOODS, **DEFAULT_LABELS, **self.mood_map}

    def with_map(self, extra: Mapping[str, int]) -> Options:
        return replace(self, mood_map={**self.mood_map, **{label_key(k): v for k, v in extra.items()}})
