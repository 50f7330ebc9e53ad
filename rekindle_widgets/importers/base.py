"""What every importer produces, and the one path from a file into the journal."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..journal import Entry, Response, StageChange


@dataclass
class Parsed:
    """A whole file, parsed and validated, before anything is written."""

    entries: list[Entry] = field(default_factory=list)
    stages: list[StageChange] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)
    #: True when the stage timeline was rebuilt from per-entry stages (lossy).
    stages_derived: bool = False
