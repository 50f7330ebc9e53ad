"""The guide as data: load and validate ``content/*.toml`` once.

Everything a person reads about the stages, the check-up themes and the safety
services comes from ``content/guide.toml``. This module turns it into frozen
dataclasses and checks its shape; a broken file fails with a
:class:`ContentError` naming the file and the key, e.g.
``guide.toml: stages[2].prompts: expected a non-empty list of strings``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import RekindleError

__all__ = [
    "ContentError",
    "Guide",
    "Region",
    "Safety",
    "Service",
    "Stage",
    "Tip",
    "content_path",
    "guide",
    "load_guide",
    "load_toml",
]

STAGE_COUNT = 7


class ContentError(RekindleError):
    """A content file is missing a key or has a value of the wrong shape."""


@dataclass(frozen=True)
class Stage:
    number: int
    key: str
    name: str
    summary: str
    prompts: tuple[str, ...]
    checklist: tuple[str, ...]

    @property
    def title(self) -> str:
        return f"{self.number}. {self.name}"


@dataclass(frozen=True)
class Tip:
    title: str
    text: str


@dataclass(frozen=True)
class Service:
    name: str
    kind: str  # "abuse", "crisis" or "emergency"
    phone: str
    phone_label: str
    text: str
    hours: str
    url: str


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    emergency: str
    services: tuple[Service, ...]


@dataclass(frozen=True)
class Safety:
    intro: str
    emergency: str
    quick_exit_url: str
    default_region: str
    regions: tuple[Region, ...]

    def region(self, code: str | None) -> Region:
        """The region with this code (case-insensitive); unknown codes get 'OTHER'."""
        wanted = (code or self.default_region).upper()
        for region in self.regions:
            if region.code == wanted:
                return region
        return self.regions[-1]


@dataclass(frozen=True)
class Guide:
    title: str
    tagline: str
    disclaimer: str
    stages: tuple[Stage, ...]
    checkup_intro: str
    checkup_questions: tuple[str, ...]
    pause_signs: tuple[str, ...]
    red_flags: tuple[str, ...]
    tips: tuple[Tip, ...]
    safety: Safety

    def stage(self, number: int) -> Stage:
        if not (isinstance(number, int) and 1 <= number <= len(self.stages)):
            raise RekindleError(f"stage must be a whole number from 1 to {len(self.stages)}, not {number!r}")
        return self.stages[number - 1]


# --------------------------------------------------------------------------
# Reading and checking
# --------------------------------------------------------------------------


def content_path(name: str) -> Path:
    """Path of a file in the package's ``content`` folder."""
    return Path(str(resources.files("rekindle_widgets") / "content" / name))


def load_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ContentError(f"{path.name}: file not found at {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(f"{path.name}: not valid TOML ({exc})") from None


class _Reader:
    """Typed access to a TOML table that names the file and key in every error."""

    def __init__(self, file: str, data: Any, key: str = ""):
        self.file, self.data, self.key = file, data, key

    def _where(self, name: str | int) -> str:
        if isinstance(name, int):
            return f"{self.key}[{name}]"
        return f"{self.key}.{name}" if self.key else name

    def fail(self, name: str | int, problem: str) -> ContentError:
        return ContentError(f"{self.file}: {self._where(name)}: {problem}")

    def _get(self, name: str) -> Any:
        if not isinstance(self.data, dict):
            raise ContentError(f"{self.file}: {self.key or 'top level'}: expected a table")
        if name not in self.data:
            raise self.fail(name, "missing")
        return self.data[name]

    def str(self, name: str, *, empty: bool = False) -> str:
        value = self._get(name)
        if not isinstance(value, str) or (not empty and not value.strip()):
            raise self.fail(name, "expected a non-empty string" if not empty else "expected a string")
        return value.strip()

    def int(self, name: str) -> int:
        value = self._get(name)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.fail(name, "expected a whole number")
        return value

    def strings(self, name: str) -> tuple[str, ...]:
        value = self._get(name)
        if not (isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value)):
            raise self.fail(name, "expected a non-empty list of strings")
        return tuple(v.strip() for v in value)

    def table(self, name: str) -> _Reader:
        value = self._get(name)
        if not isinstance(value, dict):
            raise self.fail(name, "expected a table")
        return _Reader(self.file, value, self._where(name))

    def tables(self, name: str) -> list[_Reader]:
        value = self._get(name)
        if not (isinstance(value, list) and value and all(isinstance(v, dict) for v in value)):
            raise self.fail(name, "expected a non-empty array of tables")
        where = self._where(name)
        return [_Reader(self.file, v, f"{where}[{i}]") for i, v in enumerate(value)]


def _stage(r: _Reader) -> Stage:
    return Stage(
        number=r.int("number"),
        key=r.str("key"),
        name=r.str("name"),
        summary=r.str("summary"),
        prompts=r.strings("prompts"),
        checklist=r.strings("checklist"),
    )


def _service(r: _Reader) -> Service:
    service = Service(
        name=r.str("name"),
        kind=r.str("kind"),
        phone=r.str("phone", empty=True),
        phone_label=r.str("phone_label"),
        text=r.str("text", empty=True),
        hours=r.str("hours"),
        url=r.str("url", empty=True),
    )
    if service.kind not in {"abuse", "crisis", "emergency"}:
        raise r.fail("kind", f"expected abuse, crisis or emergency, not {service.kind!r}")
    return service


def _safety(r: _Reader) -> Safety:
    regions = tuple(
        Region(
            code=rr.str("code").upper(),
            name=rr.str("name"),
            emergency=rr.str("emergency"),
            services=tuple(_service(s) for s in rr.tables("services")),
        )
        for rr in r.tables("regions")
    )
    safety = Safety(
        intro=r.str("intro"),
        emergency=r.str("emergency"),
        quick_exit_url=r.str("quick_exit_url"),
        default_region=r.str("default_region").upper(),
        regions=regions,
    )
    codes = [region.code for region in regions]
    if len(set(codes)) != len(codes):
        raise r.fail("regions", f"region codes repeat: {codes}")
    if safety.default_region not in codes:
        raise r.fail("default_region", f"{safety.default_region!r} is not one of the regions {codes}")
    if codes[-1] != "OTHER":
        raise r.fail("regions", "the last region must be OTHER, the fallback for everywhere else")
    return safety


def load_guide(path: Path | None = None) -> Guide:
    """Read and validate a guide file (the packaged one by default)."""
    path = Path(path) if path is not None else content_path("guide.toml")
    top = _Reader(path.name, load_toml(path))
    meta, checkup = top.table("meta"), top.table("checkup")
    stages = tuple(_stage(s) for s in top.tables("stages"))
    numbers = [s.number for s in stages]
    if numbers != list(range(1, STAGE_COUNT + 1)):
        raise top.fail("stages", f"expected stages numbered 1 to {STAGE_COUNT} in order, found {numbers}")
    return Guide(
        title=meta.str("title"),
        tagline=meta.str("tagline"),
        disclaimer=meta.str("disclaimer"),
        stages=stages,
        checkup_intro=checkup.str("intro"),
        checkup_questions=checkup.strings("questions"),
        pause_signs=checkup.strings("pause_signs"),
        red_flags=checkup.strings("red_flags"),
        tips=tuple(Tip(title=t.str("title"), text=t.str("text")) for t in top.tables("tips")),
        safety=_safety(top.table("safety")),
    )


@cache
def guide() -> Guide:
    """The packaged guide, loaded and validated once per process."""
    return load_guide()
